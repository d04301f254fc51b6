"""Helpers for the tests of the planning workbook exchange: the rows of a valid workbook, the template as
a user downloads it, filling it in, uploading it and confirming the preview."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from milestones.forms.planning_workbook import XLSX_CONTENT_TYPE
from milestones.models import BudgetLine, PlanningIntegration, ProgrammeActivity, RegionalBudget
from milestones.selectors.planning import exchange_data
from milestones.selectors.planning_export import build_workbook

EDITORS = ["officer_bartim", "pokja_kalteng"]
READERS = ["national", "administrator", "balai_kalteng", "coordinator_kalteng"]
OUTSIDERS = ["officer_mura", "pokja_kalsel", "nobody"]

ACTIVITIES = [
    ["AL-01", "AIR_LIMBAH", "Pembangunan IPLT Tamiang Layang", "Dinas PUPR", "Kec. Dusun Timur", 2023, 2026],
    ["PS-01", "PERSAMPAHAN", "Pembangunan TPS3R", "Dinas Lingkungan Hidup", None, 2023, 2025],
]
INTEGRATION = [
    ["AL-01", "RPJMD", 2023, "Ya", "Program pengelolaan air limbah domestik", "1.250.000.000"],
    ["AL-01", "RKPD", 2024, "Tidak", None, None],
    ["PS-01", "Renstra-PD", 2023, "Ya", "Pengelolaan persampahan", 750000000],
]
BUDGET = [
    ["AL-01", 2024, "APBD_KABKOTA", "1.250.000.000", "1.000.000.000,50", 800000000.25],
    ["AL-01", 2024, "DAK", 2000000000, 1500000000, None],
    ["PS-01", 2024, "DANA_DESA", "100.000.000", None, None],
]
APBD = [[2024, "1.500.000.000.000"]]


def url(name, code="62.13"):
    return reverse(name, args=[code])


def template_workbook(client, code="62.13"):
    response = client.get(url("activities_template", code))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def fill(workbook, **sheets):
    for name, rows in sheets.items():
        for row in rows:
            workbook[name].append(row)
    return workbook


def valid_workbook(client):
    return fill(template_workbook(client), Kegiatan=ACTIVITIES, Integrasi=INTEGRATION, Anggaran=BUDGET, APBD=APBD)


def as_file(workbook, name="kegiatan-bartim.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)


def upload(client, workbook_or_file, code="62.13"):
    upload_file = workbook_or_file if hasattr(workbook_or_file, "read") else as_file(workbook_or_file)
    return client.post(url("activities_upload", code), {"file": upload_file})


def confirm(client):
    preview = client.get(url("activities_upload_preview"))
    data = {"token": preview.context["token"], "fingerprint": preview.context["plan"].fingerprint}
    return client.post(url("activities_upload_confirm"), data)


def import_valid_workbook(client):
    assert upload(client, valid_workbook(client)).status_code == 302
    assert confirm(client).status_code == 302


def counts():
    return (
        ProgrammeActivity.objects.count(),
        PlanningIntegration.objects.count(),
        BudgetLine.objects.count(),
        RegionalBudget.objects.count(),
    )


def built_template(regency):
    """The template as the service makes it (for personas who may not download it themselves)."""
    content = build_workbook(regency=regency, **exchange_data(regency))
    return load_workbook(io.BytesIO(content))
