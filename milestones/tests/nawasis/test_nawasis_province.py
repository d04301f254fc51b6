"""The province's NAWASIS table (regencies × modules) and the CSV/XLSX exports."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from milestones.models import NawasisSubmission
from milestones.selectors import nawasis as selectors
from milestones.tests.nawasis.test_nawasis import Module, day, submission
from milestones.views.nawasis import SUBMISSIONS_PER_PAGE
from regencies.models import Regency

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2024, 5, 31, 10, tzinfo=JAKARTA), tick=False):
        yield


@pytest.fixture
def recorded(bartim, mura, officer_bartim, officer_mura, pokja_kalteng):
    """Barito Timur: SSK 80 % (verified, after an older 50 %), EHRA 40 %; Murung Raya: investment 12,5 %."""
    submission(bartim, officer_bartim, Module.SSK, day(2), "50")
    submission(bartim, officer_bartim, Module.SSK, day(15), "80", verified_by=pokja_kalteng)
    submission(bartim, officer_bartim, Module.EHRA, day(20), "40", notes='=HYPERLINK("http://x")')
    submission(mura, officer_mura, Module.INVESTMENT, day(21), "12.5")


def table(client, code="62"):
    return client.get(reverse("nawasis_province", args=[code]))


def cell(html, regency, module):
    row = html[html.index(f'data-regency="{regency}"') :]
    row = row[: row.index("</tr>")]
    start = row.index(f'data-module="{module}"')
    return row[start : row.index("</td>", start)]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("pokja_kalteng", 200),
        ("national", 200),
        ("balai_kalteng", 200),
        ("coordinator_kalteng", 200),
        ("administrator", 200),
        ("officer_bartim", 404),
        ("officer_mura", 404),
        ("pokja_kalsel", 404),
        ("nobody", 404),
    ],
)
def test_who_sees_the_province_table(client_as, kalteng, persona, status):
    assert table(client_as(persona)).status_code == status


def test_every_regency_is_a_row_and_every_module_a_column(client_as, recorded):
    html = table(client_as("pokja_kalteng")).content.decode()
    assert html.count('data-testid="regency-row"') == 14
    assert html.count('data-module="ssk"') == 14


def test_each_cell_shows_the_latest_completeness_and_the_verified_mark(client_as, recorded):
    html = table(client_as("pokja_kalteng")).content.decode()
    assert "80%" in cell(html, "62.13", "ssk") and 'data-testid="verified"' in cell(html, "62.13", "ssk")
    assert "40%" in cell(html, "62.13", "ehra") and 'data-testid="verified"' not in cell(html, "62.13", "ehra")
    assert "12,5%" in cell(html, "62.12", "investment")
    assert "–" in cell(html, "62.12", "ssk")


def test_the_query_count_does_not_grow_with_the_submissions(client_as, kalteng, officer_bartim, pokja_kalteng):
    client = client_as("pokja_kalteng")
    regencies = list(Regency.objects.filter(province=kalteng))

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert table(client).status_code == 200
        return len(queries)

    submission(regencies[0], officer_bartim, Module.SSK, day(1), "10", verified_by=pokja_kalteng)
    few = count_queries()
    for regency in regencies:
        for module in Module:
            submission(regency, officer_bartim, module, day(3), "55", verified_by=pokja_kalteng)
            submission(regency, officer_bartim, module, day(4), "65")
    assert count_queries() == few


def test_the_regency_list_query_count_does_not_grow(client_as, bartim, officer_bartim, pokja_kalteng):
    client = client_as("pokja_kalteng")
    url = reverse("nawasis_regency", args=["62.13"])
    submission(bartim, officer_bartim, Module.SSK, day(1), "10", verified_by=pokja_kalteng)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for module in Module:
        submission(bartim, officer_bartim, module, day(3), "55", verified_by=pokja_kalteng)
        submission(bartim, officer_bartim, module, day(4), "65")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_each_regency_links_to_its_history(client_as, recorded):
    html = table(client_as("pokja_kalteng")).content.decode()
    row = html[html.index('data-regency="62.13"') :]
    assert f'href="{reverse("nawasis_regency", args=["62.13"])}"' in row[: row.index("</tr>")]


def test_the_regency_list_pages_its_history_newest_first(client_as, bartim, officer_bartim):
    client = client_as("officer_bartim")
    url = reverse("nawasis_regency", args=["62.13"])
    submission(bartim, officer_bartim, Module.SSK, day(1), "1")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(2, 26):
        submission(bartim, officer_bartim, Module.EHRA, day(n), str(n))
    with CaptureQueriesContext(connection) as many:
        first = client.get(url).content.decode()
    assert len(many) == len(one)
    assert first.count('data-testid="submission"') == SUBMISSIONS_PER_PAGE
    second = client.get(url + "?page=2").content.decode()
    assert second.count('data-testid="submission"') == 25 - SUBMISSIONS_PER_PAGE
    history = second[second.index("<tbody>") :]
    assert '<td class="text-end">1%</td>' in history  # the oldest entry is on the last page
    assert "Halaman 2 dari 2" in second


# --- Exports -------------------------------------------------------------------------------------


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def read_xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def export(client, name, code, fmt):
    return client.get(reverse(name, args=[code, fmt]))


def test_the_province_csv_has_the_documented_columns(client_as, recorded):
    response = export(client_as("pokja_kalteng"), "nawasis_province_export", "62", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="nawasis-62-2024-05-31.csv"'
    rows = read_csv(response)
    assert list(rows[0]) == selectors.province_columns()
    assert len(rows) == 14 and len(rows[0]) == 3 + 3 * len(Module)
    bartim = next(r for r in rows if r["regency_code"] == "62.13")
    assert bartim["regency_name"] == "Kabupaten Barito Timur"
    assert (bartim["ssk_completeness"], bartim["ssk_entered_on"], bartim["ssk_verified_on"]) == (
        "80.00",
        "2024-05-15",
        "2024-05-31",
    )
    assert (bartim["ehra_completeness"], bartim["ehra_verified_on"]) == ("40.00", "")
    assert bartim["investment_completeness"] == ""


def test_the_province_xlsx_has_numbers_and_dates(client_as, recorded):
    response = export(client_as("national"), "nawasis_province_export", "62", "xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = read_xlsx(response)
    assert list(rows[0]) == selectors.province_columns()
    mura = next(r for r in rows if r["regency_code"] == "62.12")
    assert mura["investment_completeness"] == 12.5
    assert mura["investment_entered_on"] == datetime.datetime(2024, 5, 21)
    assert mura["ssk_completeness"] is None


def test_the_regency_csv_lists_every_submission(client_as, recorded):
    response = export(client_as("officer_bartim"), "nawasis_regency_export", "62.13", "csv")
    assert response["Content-Disposition"] == 'attachment; filename="nawasis-62.13-2024-05-31.csv"'
    rows = read_csv(response)
    assert list(rows[0]) == selectors.REGENCY_COLUMNS
    assert [(r["module"], r["entered_on"], r["completeness"]) for r in rows] == [
        ("ehra", "2024-05-20", "40.00"),
        ("ssk", "2024-05-15", "80.00"),
        ("ssk", "2024-05-02", "50.00"),
    ]
    assert rows[1]["verified_on"] == "2024-05-31" and rows[1]["verified_by"] == "Pokja_Kalteng"
    assert rows[0]["recorded_by"] == "Officer_Bartim"


def test_a_formula_in_the_notes_stays_text(client_as, recorded):
    rows = read_csv(export(client_as("officer_bartim"), "nawasis_regency_export", "62.13", "csv"))
    assert rows[0]["notes"] == '\'=HYPERLINK("http://x")'
    sheet = load_workbook(
        io.BytesIO(export(client_as("officer_bartim"), "nawasis_regency_export", "62.13", "xlsx").content)
    ).active
    notes = sheet.cell(row=2, column=selectors.REGENCY_COLUMNS.index("notes") + 1)
    assert notes.value == '=HYPERLINK("http://x")' and notes.data_type == "s"


def test_the_regency_xlsx_has_one_row_per_submission(client_as, recorded):
    rows = read_xlsx(export(client_as("officer_bartim"), "nawasis_regency_export", "62.13", "xlsx"))
    assert [r["completeness"] for r in rows] == [40, 80, 50]


@pytest.mark.parametrize(
    ("persona", "name", "code", "status"),
    [
        ("officer_mura", "nawasis_regency_export", "62.13", 404),
        ("pokja_kalsel", "nawasis_regency_export", "62.13", 404),
        ("officer_bartim", "nawasis_province_export", "62", 404),
        ("pokja_kalsel", "nawasis_province_export", "62", 404),
        ("balai_kalteng", "nawasis_province_export", "62", 200),
    ],
)
def test_exports_follow_the_pages_access(client_as, recorded, persona, name, code, status):
    assert export(client_as(persona), name, code, "csv").status_code == status


def test_an_unknown_format_is_not_found(client_as, recorded):
    assert export(client_as("pokja_kalteng"), "nawasis_province_export", "62", "pdf").status_code == 404


def test_submissions_keep_two_decimals(recorded):
    assert NawasisSubmission.objects.get(module=Module.INVESTMENT).completeness == Decimal("12.50")
