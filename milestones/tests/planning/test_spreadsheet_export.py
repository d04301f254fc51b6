"""Exports of a regency's activities and budget: the XLSX workbook and a ZIP of four CSV files."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from milestones.models import RegionalBudget
from milestones.services.planning import BudgetLineInput, IntegrationInput, save_activity

READERS = ["officer_bartim", "pokja_kalteng", "national", "administrator", "balai_kalteng", "coordinator_kalteng"]
OUTSIDERS = ["officer_mura", "pokja_kalsel", "nobody"]


@pytest.fixture
def data(bartim):
    save_activity(
        regency=bartim,
        actor=None,
        code="AL-01",
        subsector="wastewater",
        name="Pembangunan IPLT, tahap 1",
        agency="Dinas PUPR",
        location="Tamiang Layang",
        year_start=2023,
        year_end=2026,
        integrations=[
            IntegrationInput("rpjmd", 2023, True, "Program air limbah", Decimal("1250000000")),
            IntegrationInput("renja_pd", 2024, False),
        ],
        budget_lines=[
            BudgetLineInput(2024, "apbd_regency", Decimal("1250000000"), Decimal("1000000000.50"), Decimal(0)),
            BudgetLineInput(2024, "dak", Decimal("2000000000"), Decimal("1500000000"), Decimal("750000000.25")),
        ],
    )
    RegionalBudget.objects.create(regency=bartim, year=2024, total_apbd=Decimal("1500000000000"))


def url(name, code="62.13"):
    return reverse(name, args=[code])


@pytest.mark.parametrize(("persona", "status"), [(p, 200) for p in READERS] + [(p, 404) for p in OUTSIDERS])
@pytest.mark.parametrize("name", ["activities_export_xlsx", "activities_export_csv"])
def test_everyone_in_scope_may_export(client_as, bartim, persona, status, name):
    assert client_as(persona).get(url(name)).status_code == status


def test_the_xlsx_export_holds_every_table(client_as, data):
    response = client_as("balai_kalteng").get(url("activities_export_xlsx"))
    assert response["Content-Disposition"].startswith('attachment; filename="kegiatan-anggaran-62.13-')
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Kegiatan"][2]] == [
        "AL-01",
        "AIR_LIMBAH",
        "Pembangunan IPLT, tahap 1",
        "Dinas PUPR",
        "Tamiang Layang",
        2023,
        2026,
    ]
    assert [c.value for c in workbook["Integrasi"][3]][:4] == ["AL-01", "Renja-PD", 2024, "Tidak"]
    assert [c.value for c in workbook["Anggaran"][2]] == ["AL-01", 2024, "APBD_KABKOTA", 1250000000, 1000000000.5, 0]
    assert [c.value for c in workbook["APBD"][2]] == [2024, 1500000000000]


def read_csv(package, name):
    text = package.read(name).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_csv_export_is_a_zip_of_four_tables(client_as, data):
    response = client_as("national").get(url("activities_export_csv"))
    assert response["Content-Type"] == "application/zip"
    package = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(package.namelist()) == ["anggaran.csv", "apbd.csv", "integrasi.csv", "kegiatan.csv"]
    assert read_csv(package, "kegiatan.csv") == [
        [
            "kode_wilayah",
            "kode_kegiatan",
            "subsektor",
            "nama_kegiatan",
            "opd",
            "lokasi",
            "tahun_mulai",
            "tahun_selesai",
        ],
        ["62.13", "AL-01", "AIR_LIMBAH", "Pembangunan IPLT, tahap 1", "Dinas PUPR", "Tamiang Layang", "2023", "2026"],
    ]
    assert read_csv(package, "integrasi.csv")[1] == [
        "62.13",
        "AL-01",
        "RPJMD",
        "2023",
        "Ya",
        "Program air limbah",
        "1250000000.00",
    ]
    assert read_csv(package, "integrasi.csv")[2][-1] == ""
    assert read_csv(package, "anggaran.csv")[2] == [
        "62.13",
        "AL-01",
        "2024",
        "DAK",
        "2000000000.00",
        "1500000000.00",
        "750000000.25",
    ]
    assert read_csv(package, "apbd.csv") == [
        ["kode_wilayah", "tahun", "total_apbd"],
        ["62.13", "2024", "1500000000000.00"],
    ]


def test_the_csv_export_quotes_text_that_starts_like_a_formula(client_as, bartim):
    save_activity(
        regency=bartim,
        actor=None,
        code="AL-09",
        subsector="wastewater",
        name='=HYPERLINK("http://x","klik")',
        agency="+Dinas PUPR",
        location="@Tamiang Layang",
        year_start=2024,
        year_end=2024,
        integrations=[IntegrationInput("rpjmd", 2024, True, "-1+1", Decimal("1250000"))],
    )
    package = zipfile.ZipFile(io.BytesIO(client_as("pokja_kalteng").get(url("activities_export_csv")).content))
    assert read_csv(package, "kegiatan.csv")[1] == [
        "62.13",
        "AL-09",
        "AIR_LIMBAH",
        '\'=HYPERLINK("http://x","klik")',
        "'+Dinas PUPR",
        "'@Tamiang Layang",
        "2024",
        "2024",
    ]
    assert read_csv(package, "integrasi.csv")[1][-2:] == ["'-1+1", "1250000.00"]


def test_an_export_holds_only_its_own_regency(client_as, data, mura):
    save_activity(
        regency=mura,
        actor=None,
        code="MR-01",
        subsector="hygiene",
        name="STBM",
        agency="Dinkes",
        year_start=2024,
        year_end=2024,
    )
    package = zipfile.ZipFile(io.BytesIO(client_as("pokja_kalteng").get(url("activities_export_csv")).content))
    assert "MR-01" not in package.read("kegiatan.csv").decode()
