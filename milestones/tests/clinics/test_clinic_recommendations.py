"""Recommendations of a clinic and their follow-up actions: who may write them, one owner per action,
the regency concerned must be covered, and a form with a bad row saves nothing."""

import datetime
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from milestones.models import FollowUpAction, Recommendation
from milestones.services import clinics as services
from milestones.tests import clinic_builders as build
from milestones.tests.shared_rows import rolled_back
from regencies.models import Agency, Province, Regency

READ_ONLY = ["national", "administrator", "balai_kalteng", "coordinator_kalteng", "officer_bartim"]


@pytest.fixture
def cc6(kalteng, bartim, mura, pokja_kalteng):
    return build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])


def shared_cc6(django_db_blocker, with_action: bool) -> Iterator[tuple[int, int | None]]:
    """CC6 (and with an action of Barito Timur, its recommendation) for a class of tests: their pks."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            kalteng = Province.objects.get(code="62")
            bartim, mura = Regency.objects.get(code="62.13"), Regency.objects.get(code="62.12")
            pokja_kalteng = get_user_model().objects.get(username="pokja_kalteng")
            clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
            recommendation = build.action(clinic, pokja_kalteng, owner=bartim).recommendation if with_action else None
        yield clinic.pk, recommendation.pk if recommendation else None


@pytest.fixture(scope="class")
def cc6_once(module_db, django_db_blocker) -> Iterator[tuple[int, int | None]]:
    yield from shared_cc6(django_db_blocker, with_action=False)


@pytest.fixture(scope="class")
def cc6_with_an_action_once(module_db, django_db_blocker) -> Iterator[tuple[int, int | None]]:
    yield from shared_cc6(django_db_blocker, with_action=True)


def formset(rows, initial=0, prefix="actions"):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def recommendation_data(rows, text="Program SSK masuk RPJMD, RKPD, Renstra-PD dan Renja-PD.", order="2", initial=0):
    return {"text": text, "order": order, **formset(rows, initial)}


# --- Who may write recommendations ------------------------------------------------------------------


class TestTheCreateForm:
    """Who may open the form for a new recommendation of CC6 (built once for the class)."""

    @pytest.mark.parametrize(
        ("persona", "status"),
        [("pokja_kalteng", 200)] + [(p, 403) for p in READ_ONLY] + [(p, 404) for p in ("pokja_kalsel", "nobody")],
    )
    def test_recommendation_form_access(self, client_as, cc6_once, persona, status):
        clinic_pk, _ = cc6_once
        assert client_as(persona).get(reverse("recommendation_create", args=[clinic_pk])).status_code == status


class TestTheEditForm:
    """Who may open the form of a recommendation with an action (built once for the class)."""

    @pytest.mark.parametrize(
        ("persona", "status"),
        [("pokja_kalteng", 200)]
        + [(p, 403) for p in READ_ONLY]
        + [("officer_mura", 403), ("pokja_kalsel", 404), ("nobody", 404)],
    )
    def test_recommendation_edit_access(self, client_as, cc6_with_an_action_once, persona, status):
        _, recommendation_pk = cc6_with_an_action_once
        assert client_as(persona).get(reverse("recommendation_edit", args=[recommendation_pk])).status_code == status


@pytest.mark.parametrize("persona", ["officer_bartim", "national"])
def test_readers_may_not_edit_or_remove_a_recommendation(client_as, cc6, pokja_kalteng, persona):
    recommendation = build.recommendation(cc6, pokja_kalteng)
    client = client_as(persona)
    assert client.get(reverse("recommendation_edit", args=[recommendation.pk])).status_code == 403
    assert client.post(reverse("recommendation_delete", args=[recommendation.pk])).status_code == 403
    assert Recommendation.objects.filter(pk=recommendation.pk).exists()


# --- Writing them -----------------------------------------------------------------------------------


def test_the_pokja_adds_a_recommendation_with_actions_for_each_kind_of_owner(
    client_as, cc6, kalteng, bartim, mura, pokja_kalteng
):
    pokja = build.provincial_pokja(kalteng)
    bappeda = Agency.objects.create(name="Bappeda Kabupaten Murung Raya", regency=mura)
    rows = [
        {"description": "Pantau mutu dokumen SSK.", "owner": f"pokja:{pokja.pk}", "due_date": "2023-12-31"},
        {"description": "Anggarkan program SSK di APBD 2024.", "owner": "regency:62.13", "due_date": "2023-09-30"},
        {"description": "Masukkan program ke Renja-PD.", "owner": f"agency:{bappeda.pk}", "due_date": "2023-10-31"},
        {},  # an empty row is skipped
    ]
    response = client_as("pokja_kalteng").submit(
        reverse("recommendation_create", args=[cc6.pk]), recommendation_data(rows)
    )
    assert response.status_code == 302 and response.url == reverse("clinic", args=[cc6.pk])
    recommendation = Recommendation.objects.get()
    assert (recommendation.clinic, recommendation.order) == (cc6, 2)
    owners = [(a.owner, a.regency, a.province_id, a.status) for a in recommendation.actions.order_by("pk")]
    assert owners == [
        (pokja, None, "62", "open"),
        (bartim, bartim, "62", "open"),  # assigned to Barito Timur, so it concerns Barito Timur
        (bappeda, mura, "62", "open"),
    ]


def test_an_action_needs_an_owner(client_as, cc6):
    rows = [{"description": "Tanpa pemilik.", "owner": "", "due_date": "2023-12-31"}]
    response = client_as("pokja_kalteng").submit(
        reverse("recommendation_create", args=[cc6.pk]), recommendation_data(rows)
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].has_error("owner", code="required")
    assert not Recommendation.objects.exists()


def test_a_regency_the_clinic_did_not_cover_is_no_owner(client_as, cc6):
    rows = [{"description": "Untuk Kapuas.", "owner": "regency:62.03", "due_date": "2023-12-31"}]
    response = client_as("pokja_kalteng").submit(
        reverse("recommendation_create", args=[cc6.pk]), recommendation_data(rows)
    )
    assert response.context["formset"].forms[0].has_error("owner", code="invalid_choice")
    assert not FollowUpAction.objects.exists()


def test_the_regency_concerned_must_agree_with_a_regency_owner(client_as, cc6):
    rows = [{"description": "Salah sasaran.", "owner": "regency:62.13", "regency": "62.12", "due_date": "2023-12-31"}]
    response = client_as("pokja_kalteng").submit(
        reverse("recommendation_create", args=[cc6.pk]), recommendation_data(rows)
    )
    assert response.context["formset"].forms[0].has_error("regency", code="owner_elsewhere")


def test_one_bad_row_saves_nothing(client_as, cc6):
    rows = [
        {"description": "Baik.", "owner": "regency:62.13", "due_date": "2023-12-31"},
        {"description": "Tanpa tenggat.", "owner": "regency:62.12", "due_date": ""},
    ]
    response = client_as("pokja_kalteng").submit(
        reverse("recommendation_create", args=[cc6.pk]), recommendation_data(rows)
    )
    assert response.context["formset"].forms[1].has_error("due_date", code="required")
    assert not Recommendation.objects.exists() and not FollowUpAction.objects.exists()


def test_editing_changes_open_actions_removes_one_and_adds_another(client_as, cc6, bartim, mura, pokja_kalteng):
    recommendation = build.recommendation(
        cc6,
        pokja_kalteng,
        actions=[
            services.ActionInput("Lama.", owner=bartim, due_date=datetime.date(2023, 9, 1)),
            services.ActionInput("Dihapus.", owner=mura, due_date=datetime.date(2023, 9, 1)),
        ],
    )
    kept, removed = recommendation.actions.order_by("pk")
    rows = [
        {"pk": kept.pk, "description": "Diperbarui.", "owner": "regency:62.13", "due_date": "2023-11-30"},
        {
            "pk": removed.pk,
            "description": "Dihapus.",
            "owner": "regency:62.12",
            "due_date": "2023-09-01",
            "DELETE": "on",
        },
        {"description": "Baru.", "owner": "regency:62.12", "due_date": "2024-01-31"},
    ]
    data = recommendation_data(rows, text="Teks baru.", order="1", initial=2)
    response = client_as("pokja_kalteng").submit(reverse("recommendation_edit", args=[recommendation.pk]), data)
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.text == "Teks baru."
    actions = [(a.pk == kept.pk, a.description, a.due_date) for a in recommendation.actions.order_by("pk")]
    assert actions == [(True, "Diperbarui.", datetime.date(2023, 11, 30)), (False, "Baru.", datetime.date(2024, 1, 31))]


def test_an_action_closed_meanwhile_refuses_the_whole_edit(client_as, cc6, bartim, officer_bartim, pokja_kalteng):
    action = build.action(cc6, pokja_kalteng, owner=bartim)
    client = client_as("pokja_kalteng")
    build.closed(action, officer_bartim)  # while the Pokja has the form open
    rows = [{"pk": action.pk, "description": "Diubah.", "owner": "regency:62.13", "due_date": "2023-11-30"}]
    data = recommendation_data(rows, text="Teks baru.", initial=1)
    response = client.submit(reverse("recommendation_edit", args=[action.recommendation_id]), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    action.refresh_from_db()
    assert (action.description, action.status) == ("Masukkan program SSK ke RKPD 2024.", "done")
    assert action.recommendation.text != "Teks baru."


def test_a_recommendation_without_closed_actions_may_be_removed(client_as, cc6, bartim, pokja_kalteng):
    action = build.action(cc6, pokja_kalteng, owner=bartim)
    response = client_as("pokja_kalteng").post(reverse("recommendation_delete", args=[action.recommendation_id]))
    assert response.status_code == 302
    assert not Recommendation.objects.exists() and not FollowUpAction.objects.exists()


def test_a_recommendation_with_a_done_action_stays_on_the_record(client_as, cc6, bartim, officer_bartim, pokja_kalteng):
    action = build.closed(build.action(cc6, pokja_kalteng, owner=bartim), officer_bartim)
    response = client_as("pokja_kalteng").post(
        reverse("recommendation_delete", args=[action.recommendation_id]), follow=True
    )
    assert response.redirect_chain == [(reverse("clinic", args=[cc6.pk]), 302)]
    shown = [(message.level_tag, str(message)) for message in response.context["messages"]]
    assert [level for level, _ in shown] == ["error"]
    html = response.content.decode()
    assert 'class="alert alert-danger' in html and escape(shown[0][1]) in html
    assert Recommendation.objects.filter(pk=action.recommendation_id).exists()
    action.refresh_from_db()
    assert action.status == FollowUpAction.Status.DONE


# --- The services check again -------------------------------------------------------------------------


def test_the_service_refuses_an_owner_outside_the_clinic(cc6, kalsel, pokja_kalteng):
    from regencies.models import Regency

    tanah_laut = Regency.objects.get(code="63.01")
    entry = services.ActionInput("Salah provinsi.", owner=tanah_laut, due_date=datetime.date(2023, 12, 31))
    with pytest.raises(services.ActionRefused):
        build.recommendation(cc6, pokja_kalteng, actions=[entry])
    assert not Recommendation.objects.exists()


def test_an_action_of_a_regencys_pokja_concerns_that_regency(cc6, mura, pokja_kalteng):
    action = build.action(cc6, pokja_kalteng, owner=build.regency_pokja(mura))
    assert action.regency == mura
