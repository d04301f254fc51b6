"""The activities page and the forms for an activity (with its planning documents and budget lines) and
for the APBD totals: who may read, who may write, and what is saved."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.urls import reverse

from milestones.models import BudgetLine, PlanningIntegration, ProgrammeActivity, RegionalBudget
from milestones.services.planning import (
    BudgetLineInput,
    IntegrationInput,
    RegionalBudgetInput,
    save_activity,
    save_regional_budgets,
)
from milestones.tests.shared_rows import rolled_back
from regencies.models import Regency

EDITORS = ["officer_bartim", "pokja_kalteng"]
READERS = ["national", "administrator", "balai_kalteng", "coordinator_kalteng"]
OUTSIDERS = [("officer_mura", 404), ("pokja_kalsel", 404), ("nobody", 404)]
WRITE_ACCESS = [(p, 200) for p in EDITORS] + [(p, 403) for p in READERS] + OUTSIDERS


def activity(regency, code="AL-01", **fields):
    data = {
        "subsector": "wastewater",
        "name": "Pembangunan IPLT",
        "agency": "Dinas PUPR",
        "year_start": 2023,
        "year_end": 2026,
        **fields,
    }
    return save_activity(regency=regency, actor=None, code=code, **data)


def formset_data(prefix, rows, existing=0):
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": existing, f"{prefix}-MAX_NUM_FORMS": 1000}
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def activity_data(integrations=(), budget=(), existing=(0, 0), **overrides):
    data = {
        "code": "AL-01",
        "subsector": "wastewater",
        "name": "Pembangunan IPLT Tamiang Layang",
        "agency": "Dinas PUPR",
        "location": "Kec. Dusun Timur",
        "year_start": 2023,
        "year_end": 2026,
        **overrides,
    }
    data.update(formset_data("integrations", list(integrations), existing[0]))
    data.update(formset_data("budget", list(budget), existing[1]))
    return data


@pytest.fixture(scope="class")
def activity_pk(module_db, django_db_blocker) -> Iterator[int]:
    """Barito Timur's activity AL-01, built once for a class of tests."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            pk = activity(Regency.objects.get(code="62.13")).pk
        yield pk


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [(p, 200) for p in EDITORS + READERS] + OUTSIDERS)
def test_activities_page_access(client_as, bartim, persona, status):
    assert client_as(persona).get(reverse("activities", args=["62.13"])).status_code == status


@pytest.mark.parametrize(("persona", "status"), WRITE_ACCESS)
def test_create_form_access(client_as, bartim, persona, status):
    assert client_as(persona).get(reverse("activity_create", args=["62.13"])).status_code == status


@pytest.mark.parametrize(("persona", "status"), WRITE_ACCESS)
def test_apbd_form_access(client_as, bartim, persona, status):
    assert client_as(persona).get(reverse("regional_budgets", args=["62.13"])).status_code == status


@pytest.mark.usefixtures("activity_pk")
class TestAnActivity:
    """Who may open an activity's form, delete it or post a new one (AL-01 built once for the class)."""

    @pytest.mark.parametrize(("persona", "status"), WRITE_ACCESS)
    def test_edit_form_access(self, client_as, activity_pk, persona, status):
        pk = activity_pk
        assert client_as(persona).get(reverse("activity_edit", args=[pk])).status_code == status

    @pytest.mark.parametrize(("persona", "status"), [(p, 403) for p in READERS] + OUTSIDERS)
    def test_others_cannot_delete_or_post(self, client_as, activity_pk, persona, status):
        pk = activity_pk
        client = client_as(persona)
        assert client.post(reverse("activity_delete", args=[pk])).status_code == status
        assert (
            client.submit(reverse("activity_create", args=["62.13"]), activity_data(code="X-1")).status_code == status
        )
        assert list(ProgrammeActivity.objects.values_list("code", flat=True)) == ["AL-01"]


def test_the_officer_of_another_regency_sees_nothing_of_it(client_as, bartim, mura):
    activity(mura, "MR-01", name="Rahasia Murung Raya")
    html = client_as("officer_bartim").get(reverse("activities", args=["62.13"])).content.decode()
    assert "MR-01" not in html and "Rahasia" not in html


def test_readers_get_no_edit_links(client_as, bartim):
    pk = activity(bartim).pk
    html = client_as("national").get(reverse("activities", args=["62.13"])).content.decode()
    assert reverse("activity_edit", args=[pk]) not in html
    assert reverse("activity_create", args=["62.13"]) not in html
    assert reverse("activities_export_xlsx", args=["62.13"]) in html


@pytest.mark.parametrize("persona", EDITORS)
def test_editors_get_the_edit_links(client_as, bartim, persona):
    pk = activity(bartim).pk
    html = client_as(persona).get(reverse("activities", args=["62.13"])).content.decode()
    for link in (
        reverse("activity_edit", args=[pk]),
        reverse("activity_create", args=["62.13"]),
        reverse("regional_budgets", args=["62.13"]),
        reverse("activities_template", args=["62.13"]),
    ):
        assert link in html


# --- The activity form ---------------------------------------------------------------------------


def test_a_new_activity_form_offers_a_row_for_every_planning_document(client_as, bartim):
    formset = client_as("officer_bartim").get(reverse("activity_create", args=["62.13"])).context["integrations"]
    assert [form.initial["document"] for form in formset.forms] == ["rpjmd", "rkpd", "renstra_pd", "renja_pd"]


@pytest.mark.parametrize("persona", EDITORS)
def test_an_editor_creates_an_activity_with_its_rows(client_as, bartim, persona):
    data = activity_data(
        integrations=[
            {
                "document": "rpjmd",
                "year": 2023,
                "included": "on",
                "nomenclature": "Program air limbah",
                "amount": "1.250.000.000",
            },
            {"document": "rkpd", "year": "", "nomenclature": "", "amount": ""},  # left empty: skipped
        ],
        budget=[
            {
                "year": 2024,
                "source": "dak",
                "indicative": "2.000.000.000",
                "allocated": "1.500.000.000,50",
                "realised": "",
            }
        ],
    )
    response = client_as(persona).submit(reverse("activity_create", args=["62.13"]), data)
    saved = ProgrammeActivity.objects.get()
    assert response.status_code == 302 and response.url.startswith(reverse("activities", args=["62.13"]))
    assert (saved.regency, saved.code, saved.location) == (bartim, "AL-01", "Kec. Dusun Timur")
    integration = PlanningIntegration.objects.get()
    assert (integration.document, integration.included, integration.amount) == ("rpjmd", True, Decimal("1250000000"))
    line = BudgetLine.objects.get()
    assert (line.indicative, line.allocated, line.realised) == (Decimal("2000000000"), Decimal("1500000000.50"), 0)


def test_a_bad_amount_is_refused_next_to_its_field_and_nothing_is_saved(client_as, bartim):
    data = activity_data(budget=[{"year": 2024, "source": "dak", "indicative": "dua juta", "allocated": "-5"}])
    response = client_as("officer_bartim").submit(reverse("activity_create", args=["62.13"]), data)
    form = response.context["budget_lines"].forms[0]
    assert form.has_error("indicative", "not_number") and form.has_error("allocated", "negative")
    assert not ProgrammeActivity.objects.exists()


def test_a_code_already_used_in_the_regency_is_refused(client_as, bartim, mura):
    activity(bartim, "AL-01")
    activity(mura, "AL-02")  # the same code in another regency is fine
    client = client_as("officer_bartim")
    response = client.submit(reverse("activity_create", args=["62.13"]), activity_data(code="AL-01"))
    assert response.context["form"].has_error("code", "taken")
    assert client.submit(reverse("activity_create", args=["62.13"]), activity_data(code="AL-02")).status_code == 302


def test_an_activity_cannot_end_before_it_starts(client_as, bartim):
    data = activity_data(year_start=2026, year_end=2023)
    response = client_as("officer_bartim").submit(reverse("activity_create", args=["62.13"]), data)
    assert response.context["form"].has_error("year_end")


def test_the_same_document_and_year_twice_is_refused(client_as, bartim):
    rows = [{"document": "rpjmd", "year": 2023, "included": "on"}, {"document": "rpjmd", "year": 2023}]
    response = client_as("officer_bartim").submit(reverse("activity_create", args=["62.13"]), activity_data(rows))
    assert response.context["integrations"].forms[1].has_error("year")
    assert not ProgrammeActivity.objects.exists()


def test_editing_changes_deletes_and_adds_rows(client_as, bartim):
    saved = activity(
        bartim,
        integrations=[IntegrationInput("rpjmd", 2023, False), IntegrationInput("rkpd", 2024, True)],
        budget_lines=[BudgetLineInput(2024, "dak", Decimal(1), Decimal(1), Decimal(1))],
    )
    first, second = saved.integrations.order_by("document")
    line = saved.budget_lines.get()
    data = activity_data(
        integrations=[
            {
                "id": second.pk,
                "activity": saved.pk,
                "document": "rpjmd",
                "year": 2023,
                "included": "on",
                "amount": "5.000",
            },
            {"id": first.pk, "activity": saved.pk, "document": "rkpd", "year": 2024, "DELETE": "on"},
        ],
        budget=[
            {"id": line.pk, "activity": saved.pk, "year": 2024, "source": "dak", "indicative": "1", "allocated": "2"},
            {"year": 2025, "source": "apbn", "indicative": "3"},
        ],
        existing=(2, 1),
        name="Pembangunan IPLT tahap 2",
    )
    response = client_as("pokja_kalteng").submit(reverse("activity_edit", args=[saved.pk]), data)
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.name == "Pembangunan IPLT tahap 2"
    assert list(saved.integrations.values_list("document", "included", "amount")) == [("rpjmd", True, Decimal(5000))]
    assert sorted(saved.budget_lines.values_list("year", "allocated")) == [(2024, Decimal(2)), (2025, Decimal(0))]


def test_a_deleted_planning_row_whose_year_was_cleared_is_deleted(client_as, bartim):
    saved = activity(
        bartim,
        integrations=[IntegrationInput("rpjmd", 2023, True), IntegrationInput("rkpd", 2024, True)],
    )
    rpjmd, rkpd = saved.integrations.order_by("document")[::-1]
    rows = [
        {"id": rpjmd.pk, "activity": saved.pk, "document": "rpjmd", "year": "", "DELETE": "on"},
        {"id": rkpd.pk, "activity": saved.pk, "document": "rkpd", "year": 2024, "included": "on"},
    ]
    response = client_as("officer_bartim").submit(
        reverse("activity_edit", args=[saved.pk]), activity_data(integrations=rows, existing=(2, 0))
    )
    assert response.status_code == 302
    assert list(saved.integrations.values_list("document", "year")) == [("rkpd", 2024)]


def test_the_edit_form_shows_amounts_the_indonesian_way(client_as, bartim):
    saved = activity(bartim, budget_lines=[BudgetLineInput(2024, "dak", Decimal("1250000.50"))])
    html = client_as("officer_bartim").get(reverse("activity_edit", args=[saved.pk])).content.decode()
    assert 'value="1.250.000,50"' in html


def test_an_editor_deletes_an_activity_with_its_rows(client_as, bartim):
    saved = activity(bartim, budget_lines=[BudgetLineInput(2024, "dak", Decimal(1))])
    response = client_as("officer_bartim").post(reverse("activity_delete", args=[saved.pk]))
    assert response.status_code == 302
    assert not ProgrammeActivity.objects.exists() and not BudgetLine.objects.exists()


# --- APBD totals ---------------------------------------------------------------------------------


def test_an_editor_enters_and_corrects_apbd_totals(client_as, bartim):
    client = client_as("officer_bartim")
    rows = [{"year": 2024, "total_apbd": "1.500.000.000.000"}, {"year": "", "total_apbd": ""}]
    assert client.post(reverse("regional_budgets", args=["62.13"]), formset_data("apbd", rows)).status_code == 302
    saved = RegionalBudget.objects.get()
    assert (saved.regency, saved.total_apbd) == (bartim, Decimal("1500000000000"))

    rows = [
        {"id": saved.pk, "year": 2024, "total_apbd": "1.600.000.000.000"},
        {"year": 2025, "total_apbd": "1700000000000"},
    ]
    client.post(reverse("regional_budgets", args=["62.13"]), formset_data("apbd", rows, existing=1))
    assert dict(RegionalBudget.objects.values_list("year", "total_apbd")) == {
        2024: Decimal("1600000000000"),
        2025: Decimal("1700000000000"),
    }


def test_a_zero_apbd_or_a_year_twice_is_refused(client_as, bartim):
    rows = [{"year": 2024, "total_apbd": "0"}, {"year": 2025, "total_apbd": "1"}, {"year": 2025, "total_apbd": "2"}]
    response = client_as("pokja_kalteng").post(reverse("regional_budgets", args=["62.13"]), formset_data("apbd", rows))
    forms = response.context["formset"].forms
    assert forms[0].has_error("total_apbd") and forms[2].has_error("year")
    assert not RegionalBudget.objects.exists()


def test_a_deleted_apbd_row_whose_total_was_cleared_is_deleted(client_as, bartim):
    kept = RegionalBudgetInput(2024, Decimal("1500000000000"))
    doomed = RegionalBudgetInput(2025, Decimal("1700000000000"))
    save_regional_budgets(regency=bartim, actor=None, entries=[kept, doomed])
    first, second = RegionalBudget.objects.order_by("year")
    rows = [
        {"id": first.pk, "year": 2024, "total_apbd": "1.500.000.000.000"},
        {"id": second.pk, "year": 2025, "total_apbd": "", "DELETE": "on"},
    ]
    response = client_as("pokja_kalteng").post(
        reverse("regional_budgets", args=["62.13"]), formset_data("apbd", rows, existing=2)
    )
    assert response.status_code == 302
    assert dict(RegionalBudget.objects.values_list("year", "total_apbd")) == {2024: Decimal("1500000000000")}
