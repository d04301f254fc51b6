import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from milestones.tests import builders


@pytest.fixture(scope="module")
def data(module_db, django_db_blocker):
    """Barito Timur's M1 verified; Murung Raya's and Tanah Laut's M1 not started. Built once; every test
    reads them (and asks for the database through its client)."""
    from django.contrib.auth import get_user_model

    from regencies.models import Regency

    with django_db_blocker.unblock():
        users = get_user_model().objects.in_bulk(["officer_bartim", "pokja_kalteng"], field_name="username")
        regencies = Regency.objects.in_bulk(["62.13", "62.12", "63.01"])
        builders.approved(
            builders.milestone(regencies["62.13"], 1), users["officer_bartim"], users["pokja_kalteng"], progress=100
        )
        builders.milestone(regencies["62.12"], 1)
        builders.milestone(regencies["63.01"], 1)


def body(response) -> bytes:
    assert response.streaming  # an export of any length is sent as it is read
    return b"".join(response.streaming_content)


def csv_rows(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def test_milestone_status_as_csv_in_the_users_scope(client_as, data):
    rows = csv_rows(client_as("pokja_kalteng").get(reverse("report_export", args=["milestones", "csv"])))
    assert rows[0][:3] == ["province_code", "regency_code", "regency"]
    codes = {row[1] for row in rows[1:]}
    assert codes == {"62.12", "62.13"}  # not Kalsel's
    assert ["62", "62.13", "Kabupaten Barito Timur", "2022", "2023", "M1", "verified", "100"] == rows[
        [r[1] for r in rows].index("62.13")
    ][:8]


def test_an_officer_exports_only_their_regency(client_as, data):
    rows = csv_rows(client_as("officer_mura").get(reverse("report_export", args=["milestones", "csv"])))
    assert {row[1] for row in rows[1:]} == {"62.12"}


def test_xlsx_export(client_as, data):
    response = client_as("national").get(reverse("report_export", args=["milestones", "xlsx"]), {"provinsi": "63"})
    sheet = load_workbook(io.BytesIO(body(response))).active
    values = list(sheet.values)
    assert values[0][0] == "province_code" and {v[1] for v in values[1:]} == {"63.01"}


def test_a_province_outside_the_scope_is_not_found(client_as, data):
    response = client_as("pokja_kalteng").get(reverse("report_export", args=["milestones", "csv"]), {"provinsi": "63"})
    assert response.status_code == 404


@pytest.mark.parametrize("table", ["follow-ups", "budgets"])
def test_every_table_exports_with_headers(client_as, data, table):
    rows = csv_rows(client_as("pokja_kalteng").get(reverse("report_export", args=[table, "csv"])))
    assert rows[0][0] == "province_code"


def test_unknown_table_is_404(client_as, data):
    assert client_as("national").get("/laporan/ekspor/passwords.csv").status_code == 404
