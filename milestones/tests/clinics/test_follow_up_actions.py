"""Follow-up actions: who sees and updates them (200 / 403 / 404), closing with evidence, dropping with a
reason, race-safe status changes, reopening, and the evidence download."""

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from milestones.models import ActionEvidence, FollowUpAction
from milestones.services import clinics as services
from milestones.tests import clinic_builders as build
from milestones.tests.builders import pdf
from milestones.tests.shared_rows import rolled_back
from regencies.models import Province, Regency

Status = FollowUpAction.Status


@pytest.fixture
def cc6(kalteng, bartim, mura, pokja_kalteng):
    return build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])


@pytest.fixture
def bartims_action(cc6, bartim, pokja_kalteng):
    """Barito Timur raises its APBD sanitation budget (assigned to the regency)."""
    return build.action(cc6, pokja_kalteng, owner=bartim, description="Naikkan anggaran APBD sanitasi 2024.")


@pytest.fixture
def provinces_action(cc6, kalteng, bartim, pokja_kalteng):
    """The provincial Pokja monitors Barito Timur's SSK quality assurance."""
    return build.action(cc6, pokja_kalteng, owner=build.provincial_pokja(kalteng), regency=bartim)


@pytest.fixture(scope="class")
def shared_bartims_action_pk(module_db, django_db_blocker) -> Iterator[int]:
    """CC6 and Barito Timur's action (as the ``bartims_action`` fixture has it), built once for a class of tests."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            kalteng = Province.objects.get(code="62")
            bartim, mura = Regency.objects.get(code="62.13"), Regency.objects.get(code="62.12")
            pokja_kalteng = get_user_model().objects.get(username="pokja_kalteng")
            clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
            action = build.action(
                clinic, pokja_kalteng, owner=bartim, description="Naikkan anggaran APBD sanitasi 2024."
            )
        yield action.pk


def status_url(action):
    return reverse("follow_up_status", args=[action.pk])


# --- Who sees an action and who updates it -------------------------------------------------------------


class TestBaritoTimursAction:
    """Who sees Barito Timur's action and who updates it (the action built once for the class)."""

    @pytest.fixture
    def bartims_action(self, db, shared_bartims_action_pk) -> FollowUpAction:
        return FollowUpAction.objects.get(pk=shared_bartims_action_pk)

    @pytest.mark.parametrize(
        ("persona", "status"),
        [(p, 200) for p in ("national", "pokja_kalteng", "balai_kalteng", "coordinator_kalteng", "officer_bartim")]
        + [(p, 404) for p in ("officer_mura", "pokja_kalsel", "nobody")],
    )
    def test_action_page_access(self, client_as, bartims_action, persona, status):
        assert client_as(persona).get(reverse("follow_up", args=[bartims_action.pk])).status_code == status

    @pytest.mark.parametrize(
        ("persona", "status"),
        [("pokja_kalteng", 302), ("officer_bartim", 302)]
        + [(p, 403) for p in ("national", "administrator", "balai_kalteng", "coordinator_kalteng")]
        + [(p, 404) for p in ("officer_mura", "pokja_kalsel", "nobody")],
    )
    def test_who_may_update_an_action_assigned_to_barito_timur(self, client_as, bartims_action, persona, status):
        assert client_as(persona).post(status_url(bartims_action), {"status": "in_progress"}).status_code == status
        bartims_action.refresh_from_db()
        assert bartims_action.status == (Status.IN_PROGRESS if status == 302 else Status.OPEN)


def test_the_officer_may_not_update_the_provinces_own_action(client_as, provinces_action):
    client = client_as("officer_bartim")
    assert client.get(reverse("follow_up", args=[provinces_action.pk])).status_code == 200  # it concerns them
    assert client.post(status_url(provinces_action), {"status": "in_progress"}).status_code == 403
    provinces_action.refresh_from_db()
    assert provinces_action.status == Status.OPEN


def test_the_officer_updates_an_action_of_their_regencys_pokja(client_as, cc6, bartim, pokja_kalteng):
    action = build.action(cc6, pokja_kalteng, owner=build.regency_pokja(bartim))
    assert client_as("officer_bartim").post(status_url(action), {"status": "in_progress"}).status_code == 302
    assert client_as("officer_mura").post(status_url(action), {"status": "in_progress"}).status_code == 404
    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS


def test_the_officer_gets_an_update_button_only_where_they_may_act(client_as, bartims_action, provinces_action):
    html = client_as("officer_bartim").get(reverse("clinic", args=[bartims_action.recommendation.clinic_id]))
    html = html.content.decode()
    assert f'href="{reverse("follow_up", args=[bartims_action.pk])}#status"' in html
    assert f'href="{reverse("follow_up", args=[provinces_action.pk])}#status"' not in html


def test_an_officer_never_sees_the_other_regencys_actions_on_a_shared_clinic(client_as, cc6, mura, pokja_kalteng):
    muras = build.action(cc6, pokja_kalteng, owner=mura, description="Tugas khusus Murung Raya.")
    html = client_as("officer_bartim").get(reverse("clinic", args=[cc6.pk])).content.decode()
    assert "Tugas khusus Murung Raya." not in html
    assert client_as("officer_bartim").get(reverse("follow_up", args=[muras.pk])).status_code == 404
    assert (
        "Tugas khusus Murung Raya." in client_as("officer_mura").get(reverse("clinic", args=[cc6.pk])).content.decode()
    )


# --- Closing, dropping ---------------------------------------------------------------------------------


def test_the_officer_of_barito_timur_closes_their_action_with_evidence(client_as, bartims_action, officer_bartim):
    data = {
        "status": "done",
        "closing_note": "APBD 2024 naik 20% untuk sanitasi.",
        "files": [pdf("DPA 2024.pdf"), pdf("Perda APBD.pdf", b"%PDF-1.7 another")],
    }
    response = client_as("officer_bartim").post(status_url(bartims_action), data)
    assert response.status_code == 302 and response.url == reverse("follow_up", args=[bartims_action.pk])
    bartims_action.refresh_from_db()
    # The closing waits for the province's acceptance (test_closings.py); done only once accepted.
    assert bartims_action.status == Status.CLOSING
    assert bartims_action.closing_note == "APBD 2024 naik 20% untuk sanitasi."
    assert bartims_action.closed_by == officer_bartim and bartims_action.closed_at is None
    names = list(ActionEvidence.objects.filter(action=bartims_action).values_list("original_name", flat=True))
    assert sorted(names) == ["DPA 2024.pdf", "Perda APBD.pdf"]


def test_closing_needs_a_closing_note(client_as, bartims_action):
    response = client_as("officer_bartim").post(status_url(bartims_action), {"status": "done", "closing_note": " "})
    assert response.status_code == 400
    assert response.context["form"].has_error("closing_note", code="required")
    bartims_action.refresh_from_db()
    assert bartims_action.status == Status.OPEN


def test_dropping_without_a_reason_is_refused_next_to_the_field(client_as, bartims_action):
    response = client_as("pokja_kalteng").post(status_url(bartims_action), {"status": "dropped", "drop_reason": ""})
    assert response.status_code == 400
    assert response.context["form"].has_error("drop_reason", code="required")
    assert 'id="id_drop_reason_error"' in response.content.decode()  # the message sits under the field
    bartims_action.refresh_from_db()
    assert (bartims_action.status, bartims_action.drop_reason) == (Status.OPEN, "")


def test_the_service_refuses_a_drop_without_a_reason_too(bartims_action, pokja_kalteng):
    with pytest.raises(services.ActionRefused):
        services.drop_action(action=bartims_action, actor=pokja_kalteng, reason="  ")


def test_the_pokja_drops_an_action_with_a_reason(client_as, bartims_action, pokja_kalteng):
    data = {"status": "dropped", "drop_reason": "Digantikan rekomendasi CC7."}
    client_as("pokja_kalteng").post(status_url(bartims_action), data)
    bartims_action.refresh_from_db()
    assert (bartims_action.status, bartims_action.drop_reason) == (Status.DROPPED, "Digantikan rekomendasi CC7.")
    assert bartims_action.closed_by == pokja_kalteng


def test_evidence_goes_only_with_closing(client_as, bartims_action):
    data = {"status": "in_progress", "files": [pdf()]}
    response = client_as("officer_bartim").post(status_url(bartims_action), data)
    assert response.context["form"].has_error("files", code="not_closing")
    assert not ActionEvidence.objects.exists()


def test_a_file_that_is_not_accepted_keeps_the_action_open(client_as, bartims_action):
    data = {"status": "done", "closing_note": "Selesai.", "files": [gif(), pdf()]}
    response = client_as("officer_bartim").post(status_url(bartims_action), data)
    assert response.context["form"].has_error("files")
    bartims_action.refresh_from_db()
    assert bartims_action.status == Status.OPEN and not ActionEvidence.objects.exists()


def gif():
    return SimpleUploadedFile("foto.gif", b"GIF89a" + b"\0" * 20, content_type="image/gif")


def test_a_closed_action_cannot_be_updated_again(client_as, bartims_action, officer_bartim):
    build.closed(bartims_action, officer_bartim)
    response = client_as("officer_bartim").post(status_url(bartims_action), {"status": "dropped", "drop_reason": "x"})
    assert response.status_code == 302
    bartims_action.refresh_from_db()
    assert bartims_action.status == Status.DONE


def test_two_people_closing_at_once_get_one_winner(bartims_action, officer_bartim, pokja_kalteng):
    stale = FollowUpAction.objects.get(pk=bartims_action.pk)
    build.closed(bartims_action, officer_bartim, note="Oleh petugas.")
    with pytest.raises(services.ActionRefused):
        services.drop_action(action=stale, actor=pokja_kalteng, reason="Oleh Pokja.")
    bartims_action.refresh_from_db()
    assert (bartims_action.status, bartims_action.closing_note, bartims_action.drop_reason) == (
        Status.DONE,
        "Oleh petugas.",
        "",
    )


def test_starting_an_action_already_started_is_refused(bartims_action, officer_bartim):
    services.start_action(action=FollowUpAction.objects.get(pk=bartims_action.pk), actor=officer_bartim)
    with pytest.raises(services.ActionRefused):
        services.start_action(action=bartims_action, actor=officer_bartim)


# --- Reopening ----------------------------------------------------------------------------------------


def test_the_pokja_reopens_a_done_action_and_its_note_stays(client_as, bartims_action, officer_bartim):
    build.closed(bartims_action, officer_bartim, note="Tercatat.")
    response = client_as("pokja_kalteng").post(
        reverse("follow_up_reopen", args=[bartims_action.pk]), {"reason": "Perbup belum diundangkan."}
    )
    assert response.status_code == 302
    bartims_action.refresh_from_db()
    assert (bartims_action.status, bartims_action.closed_at, bartims_action.closing_note) == ("open", None, "Tercatat.")


def test_an_officer_may_not_reopen(client_as, bartims_action, officer_bartim):
    build.closed(bartims_action, officer_bartim)
    assert client_as("officer_bartim").post(reverse("follow_up_reopen", args=[bartims_action.pk])).status_code == 403


# --- Evidence download ---------------------------------------------------------------------------------


def test_follow_up_evidence_is_an_attachment_for_readers_only(client_as, bartims_action, officer_bartim):
    build.closed(bartims_action, officer_bartim, files=[pdf("Bukti <APBD>.pdf")])
    item = ActionEvidence.objects.get()
    url = reverse("follow_up_evidence", args=[item.pk])
    response = client_as("balai_kalteng").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Bukti _APBD.pdf"'
    assert client_as("officer_mura").get(url).status_code == 404
    html = client_as("officer_bartim").get(reverse("follow_up", args=[bartims_action.pk])).content.decode()
    assert f'href="{url}"' in html


# --- Overdue -----------------------------------------------------------------------------------------


def test_the_action_page_flags_an_overdue_action(client_as, bartims_action):
    url = reverse("follow_up", args=[bartims_action.pk])
    with time_machine.travel(datetime.datetime(2023, 12, 31, 12, tzinfo=datetime.UTC), tick=False):
        assert 'data-testid="overdue"' not in client_as("pokja_kalteng").get(url).content.decode()
    with time_machine.travel(datetime.datetime(2024, 1, 2, 12, tzinfo=datetime.UTC), tick=False):
        assert 'data-testid="overdue"' in client_as("pokja_kalteng").get(url).content.decode()
