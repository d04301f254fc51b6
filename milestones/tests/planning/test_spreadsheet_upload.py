"""The workbook exchange: template download, upload, preview with every bad cell, confirm, re-upload."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from milestones.forms.planning_upload import RawWorkbook
from milestones.forms.planning_workbook import XLSX_CONTENT_TYPE
from milestones.models import BudgetLine, PlanningIntegration, ProgrammeActivity, RegionalBudget
from milestones.selectors.planning_import import plan_import
from milestones.services.planning import BudgetLineInput, IntegrationInput, apply_import, save_activity
from milestones.tests.planning.workbooks import (
    ACTIVITIES,
    APBD,
    BUDGET,
    EDITORS,
    INTEGRATION,
    OUTSIDERS,
    READERS,
    as_file,
    built_template,
    confirm,
    counts,
    fill,
    import_valid_workbook,
    template_workbook,
    upload,
    url,
    valid_workbook,
)
from milestones.tests.shared_rows import rolled_back
from regencies.models import Regency

# --- Who may use the exchange --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [(p, 200) for p in EDITORS] + [(p, 403) for p in READERS] + [(p, 404) for p in OUTSIDERS]
)
@pytest.mark.parametrize("name", ["activities_template", "activities_upload"])
def test_template_and_upload_are_for_the_regencys_editors(client_as, bartim, persona, status, name):
    assert client_as(persona).get(url(name)).status_code == status


@pytest.fixture(scope="module")
def filled_template(module_db, django_db_blocker) -> bytes:
    """Barito Timur's template with its activities filled in, as a file's bytes: the same for every persona."""
    with django_db_blocker.unblock():
        bartim = Regency.objects.get(code="62.13")
        return as_file(fill(built_template(bartim), Kegiatan=ACTIVITIES)).read()


@pytest.mark.parametrize(("persona", "status"), [(p, 403) for p in READERS] + [(p, 404) for p in OUTSIDERS])
def test_others_cannot_upload_or_confirm(client_as, bartim, filled_template, persona, status):
    client = client_as(persona)
    file = SimpleUploadedFile("kegiatan-bartim.xlsx", filled_template, content_type=XLSX_CONTENT_TYPE)
    assert upload(client, file).status_code == status
    assert client.post(url("activities_upload_confirm"), {"token": "x", "fingerprint": "y"}).status_code == status
    assert counts() == (0, 0, 0, 0)


# --- The template --------------------------------------------------------------------------------


def test_the_template_has_a_guide_four_sheets_indonesian_headers_and_code_lists(client_as, bartim):
    workbook = template_workbook(client_as("officer_bartim"))
    assert workbook.sheetnames == ["Petunjuk", "Kegiatan", "Integrasi", "Anggaran", "APBD"]
    assert [c.value for c in workbook["Anggaran"][1]] == [
        "Kode kegiatan",
        "Tahun",
        "Sumber dana",
        "Indikatif SSK",
        "Dialokasikan",
        "Realisasi",
    ]
    assert workbook["Petunjuk"]["B2"].value == "62.13"
    lists = {
        sheet: [v.formula1 for v in workbook[sheet].data_validations.dataValidation if v.type == "list"]
        for sheet in ("Kegiatan", "Integrasi", "Anggaran")
    }
    assert '"AIR_LIMBAH,PERSAMPAHAN,DRAINASE,HIGIENE"' in lists["Kegiatan"]
    assert '"RPJMD,RKPD,Renstra-PD,Renja-PD"' in lists["Integrasi"]
    assert '"Ya,Tidak"' in lists["Integrasi"]
    assert '"APBD_KABKOTA,APBD_PROVINSI,APBN,DAK,DANA_DESA,SWASTA_CSR,MASYARAKAT"' in lists["Anggaran"]


# --- Preview and confirm -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EDITORS)
def test_a_valid_workbook_is_saved_only_after_confirmation(client_as, bartim, persona):
    client = client_as(persona)
    response = upload(client, valid_workbook(client))
    assert response.status_code == 302 and response.url == url("activities_upload_preview")
    assert counts() == (0, 0, 0, 0)

    preview = client.get(response.url)
    plan = preview.context["plan"]
    assert plan.is_valid and [sheet.created for sheet in plan.sheets] == [2, 3, 3, 1]
    assert 'data-testid="confirm"' in preview.content.decode()
    assert preview.content.decode().count('text-bg-success">baru<') == 2 + 3 + 3 + 1

    response = confirm(client)
    assert response.status_code == 302 and response.url == url("activities")
    assert counts() == (2, 3, 3, 1)


def test_three_bad_cells_are_all_shown_and_nothing_is_saved(client_as, bartim):
    client = client_as("officer_bartim")
    budget = BUDGET + [
        ["PS-01", 2023, "APBN", 1, 1, 1],
        ["PS-01", 2025, "APBN", 1, 1, 1],
        ["AL-01", 2025, "APBD_KABKOTA", "5.000.000", "dua juta", None],  # row 7
    ]
    activities = [ACTIVITIES[0], ["PS-01", "SAMPAH", *ACTIVITIES[1][2:]]]  # row 3: unknown subsector
    integration = [*INTEGRATION[:2], ["PS-01", "Renstra-PD", 2023, "mungkin", "", None]]  # row 4: not Ya/Tidak
    workbook = fill(template_workbook(client), Kegiatan=activities, Integrasi=integration, Anggaran=budget, APBD=APBD)

    response = upload(client, workbook)

    assert response.status_code == 200
    errors = response.context["plan"].errors
    assert [(e.sheet, e.row, e.column, e.label) for e in errors] == [
        ("Kegiatan", 3, "B", "Subsektor"),
        ("Integrasi", 4, "D", "Masuk dokumen"),
        ("Anggaran", 7, "E", "Dialokasikan"),
    ]
    html = response.content.decode()
    assert html.count('data-testid="cell-error"') == 3
    assert "Anggaran, " in html and "(Dialokasikan)" in html and "dua juta" in html and "SAMPAH" in html
    assert 'data-testid="confirm"' not in html
    assert counts() == (0, 0, 0, 0)
    # Nothing waits for confirmation either.
    assert client.get(url("activities_upload_preview")).status_code == 302
    client.post(url("activities_upload_confirm"), {"token": "", "fingerprint": ""})
    assert counts() == (0, 0, 0, 0)


def test_a_second_upload_of_the_same_file_changes_nothing(client_as, bartim):
    client = client_as("officer_bartim")
    upload_file = as_file(valid_workbook(client))
    upload(client, upload_file)
    confirm(client)
    before = list(BudgetLine.objects.values_list("pk", "indicative", "allocated", "realised").order_by("pk"))

    upload_file.seek(0)
    response = upload(client, upload_file)
    preview = client.get(response.url)

    plan = preview.context["plan"]
    assert plan.is_valid and not plan.has_changes
    assert [sheet.unchanged for sheet in plan.sheets] == [2, 3, 3, 1]
    assert 'data-testid="nothing-to-save"' in preview.content.decode()
    assert 'data-testid="confirm"' not in preview.content.decode()
    assert list(BudgetLine.objects.values_list("pk", "indicative", "allocated", "realised").order_by("pk")) == before


FORMULA_NAME = '=HYPERLINK("http://x","klik")'


def test_text_that_looks_like_a_formula_survives_export_and_upload_unchanged(client_as, bartim):
    client = client_as("officer_bartim")
    save_activity(
        regency=bartim,
        actor=None,
        code="AL-09",
        subsector="wastewater",
        name=FORMULA_NAME,
        agency="=1+1",
        location="@SUM(A1)",
        year_start=2024,
        year_end=2024,
        integrations=[IntegrationInput("rpjmd", 2024, True, "=A1*2")],
    )
    response = client.get(url("activities_export_xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    name_cell = workbook["Kegiatan"]["C2"]
    assert (name_cell.value, name_cell.data_type) == (FORMULA_NAME, "s")
    assert workbook["Integrasi"]["E2"].data_type == "s"

    response = upload(client, workbook)
    assert response.status_code == 302, [str(error) for error in response.context["plan"].errors]
    plan = client.get(response.url).context["plan"]

    assert plan.is_valid and not plan.has_changes
    assert [sheet.unchanged for sheet in plan.sheets] == [1, 1, 0, 0]
    assert ProgrammeActivity.objects.get().name == FORMULA_NAME


def test_a_confirm_after_the_data_changed_is_refused(client_as, bartim):
    client = client_as("officer_bartim")
    upload(client, valid_workbook(client))
    preview = client.get(url("activities_upload_preview"))
    save_activity(
        regency=bartim,
        actor=None,
        code="AL-01",
        subsector="drainage",
        name="Saluran",
        agency="PUPR",
        year_start=2023,
        year_end=2023,
    )

    response = client.post(
        url("activities_upload_confirm"),
        {"token": preview.context["token"], "fingerprint": preview.context["plan"].fingerprint},
    )

    assert response.status_code == 302 and response.url == url("activities_upload_preview")
    assert counts() == (1, 0, 0, 0)
    assert ProgrammeActivity.objects.get().name == "Saluran"


def test_a_confirm_sent_twice_saves_once(client_as, bartim):
    client = client_as("officer_bartim")
    upload(client, valid_workbook(client))
    preview = client.get(url("activities_upload_preview"))
    data = {"token": preview.context["token"], "fingerprint": preview.context["plan"].fingerprint}
    client.post(url("activities_upload_confirm"), data)
    response = client.post(url("activities_upload_confirm"), data)
    assert response.status_code == 302 and counts() == (2, 3, 3, 1)


def test_the_service_writes_nothing_the_second_time(bartim):
    raw = RawWorkbook(
        rows={
            "Kegiatan": [
                (
                    2,
                    dict(
                        zip(
                            ("code", "subsector", "name", "agency", "location", "year_start", "year_end"),
                            ACTIVITIES[0],
                            strict=True,
                        )
                    ),
                )
            ],
            "APBD": [(2, {"year": 2024, "total": 10})],
        },
        letters={},
    )
    plan = plan_import(regency=bartim, raw=raw)
    apply_import(regency=bartim, actor=None, raw=raw, fingerprint=plan.fingerprint)
    again = apply_import(regency=bartim, actor=None, raw=raw, fingerprint=plan.fingerprint)
    assert not again.has_changes and counts() == (1, 0, 0, 1)


def test_a_wrong_token_saves_nothing(client_as, bartim):
    client = client_as("officer_bartim")
    upload(client, valid_workbook(client))
    preview = client.get(url("activities_upload_preview"))
    client.post(
        url("activities_upload_confirm"), {"token": "other", "fingerprint": preview.context["plan"].fingerprint}
    )
    assert counts() == (0, 0, 0, 0)


@pytest.fixture(scope="class")
def imported_once(module_db, django_db_blocker):
    """The valid workbook uploaded and confirmed by Barito Timur's officer, once for a class of tests."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            client = Client()
            client.force_login(get_user_model().objects.get(username="officer_bartim"))
            import_valid_workbook(client)
        yield


@pytest.mark.usefixtures("imported_once")
class TestAfterAnImport:
    """Starting from the valid workbook imported (2 activities, 3 integrations, 3 budget lines, 1 APBD)."""

    def test_the_template_is_prefilled_with_the_regencys_data(self, client_as, bartim):
        client = client_as("officer_bartim")
        workbook = template_workbook(client)
        assert [c.value for c in workbook["Kegiatan"][2]][:3] == [
            "AL-01",
            "AIR_LIMBAH",
            "Pembangunan IPLT Tamiang Layang",
        ]
        assert workbook["Anggaran"].max_row == 1 + len(BUDGET)
        assert workbook["APBD"]["B2"].value == 1500000000000

    def test_the_saved_values_are_exact(self, client_as, bartim):
        sewage = ProgrammeActivity.objects.get(code="AL-01")
        assert (sewage.regency, sewage.subsector, sewage.agency, sewage.year_end) == (
            bartim,
            "wastewater",
            "Dinas PUPR",
            2026,
        )
        assert ProgrammeActivity.objects.get(code="PS-01").location == ""
        own = BudgetLine.objects.get(activity=sewage, source="apbd_regency", year=2024)
        assert (own.indicative, own.allocated, own.realised) == (
            Decimal("1250000000.00"),
            Decimal("1000000000.50"),
            Decimal("800000000.25"),
        )
        village = BudgetLine.objects.get(source="dana_desa")
        assert (village.allocated, village.realised) == (Decimal(0), Decimal(0))
        rpjmd = PlanningIntegration.objects.get(activity=sewage, document="rpjmd")
        assert (rpjmd.year, rpjmd.included, rpjmd.amount) == (2023, True, Decimal("1250000000"))
        rkpd = PlanningIntegration.objects.get(activity=sewage, document="rkpd")
        assert (rkpd.included, rkpd.nomenclature, rkpd.amount) == (False, "", None)
        assert RegionalBudget.objects.get(regency=bartim, year=2024).total_apbd == Decimal("1500000000000")

    def test_the_downloaded_template_uploaded_unchanged_changes_nothing(self, client_as, bartim):
        client = client_as("officer_bartim")
        save_activity(
            regency=bartim,
            actor=None,
            code="HG-01",
            subsector="hygiene",
            name="  Pemicuan   STBM\ndi 10 desa ",
            agency="Dinas Kesehatan",
            year_start=2024,
            year_end=2024,
            budget_lines=[BudgetLineInput(2024, "community", Decimal("0.10"), Decimal("12345678901.99"))],
        )

        response = upload(client, template_workbook(client))
        plan = client.get(response.url).context["plan"]

        assert plan.is_valid and not plan.has_changes
        assert [sheet.unchanged for sheet in plan.sheets] == [3, 3, 4, 1]

    def test_changed_cells_are_previewed_with_old_and_new_values_then_saved(self, client_as, bartim):
        client = client_as("officer_bartim")
        workbook = template_workbook(client)
        workbook["Kegiatan"]["C2"] = "Pembangunan IPLT skala kabupaten"
        workbook["Anggaran"]["E2"] = "1.100.000.000"

        preview = client.get(upload(client, workbook).url)

        plan = preview.context["plan"]
        assert [sheet.changed for sheet in plan.sheets] == [1, 0, 1, 0]
        change = plan.sheet("Anggaran").to_write[0].changes[0]
        assert (change.label, change.shown_old, change.shown_new) == (
            "Dialokasikan",
            "1.000.000.000,50",
            "1.100.000.000",
        )
        html = preview.content.decode()
        assert "1.000.000.000,50" in html and 'text-bg-success">baru<' not in html
        unchanged_activity = plan.sheet("Kegiatan").rows[1]
        assert unchanged_activity.is_unchanged and unchanged_activity.key in html.split("<main")[1].split("<details")[1]
        confirm(client)
        assert ProgrammeActivity.objects.get(code="AL-01").name == "Pembangunan IPLT skala kabupaten"
        assert BudgetLine.objects.get(source="apbd_regency").allocated == Decimal("1100000000")

    def test_an_upload_never_deletes_rows_left_out_of_the_file(self, client_as, bartim):
        client = client_as("officer_bartim")
        workbook = template_workbook(client)
        workbook["Anggaran"].delete_rows(3)

        plan = client.get(upload(client, workbook).url).context["plan"]

        assert plan.sheet("Anggaran").kept == 1 and not plan.has_changes
        assert counts() == (2, 3, 3, 1)


# --- Rows that contradict each other -------------------------------------------------------------


def errors_of(client, workbook):
    response = upload(client, workbook)
    assert response.status_code == 200
    return [(e.sheet, e.row, e.column) for e in response.context["plan"].errors]


def test_rows_naming_an_activity_missing_from_kegiatan_are_errors(client_as, bartim):
    client = client_as("officer_bartim")
    workbook = fill(template_workbook(client), Kegiatan=ACTIVITIES[:1], Anggaran=BUDGET)
    assert errors_of(client, workbook) == [("Anggaran", 4, "A")]


def test_repeated_rows_and_years_in_the_wrong_order_are_errors(client_as, bartim):
    client = client_as("officer_bartim")
    activities = [ACTIVITIES[0], [*ACTIVITIES[0][:5], 2026, 2023]]
    workbook = fill(template_workbook(client), Kegiatan=activities, APBD=[[2024, 1], [2024, 2], [2025, 0]])
    assert errors_of(client, workbook) == [
        ("Kegiatan", 3, "A"),  # AL-01 again
        ("Kegiatan", 3, "G"),  # ends before it starts
        ("APBD", 3, "A"),  # 2024 again
        ("APBD", 4, "B"),  # zero
    ]


def test_columns_are_found_by_their_header_wherever_they_are(client_as, bartim):
    client = client_as("officer_bartim")
    workbook = valid_workbook(client)
    workbook["APBD"].insert_cols(1)
    workbook["APBD"]["A1"] = "Catatan"
    workbook["APBD"]["C2"] = "satu triliun"
    assert errors_of(client, workbook)[-1] == ("APBD", 2, "C")
