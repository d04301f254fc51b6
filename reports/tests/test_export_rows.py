"""The export tables' rows: one ``today`` for every flag, plain rows, streamed, constant queries."""

import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from milestones.models import Milestone
from milestones.tests import builders, clinic_builders
from regencies.models import Regency
from reports import exports
from ssk_tracker.lib import tabular

JUNE_1 = datetime.date(2023, 6, 1)


def table_rows(table: exports.Table) -> list[dict[str, object]]:
    header = exports.header(table)
    return [dict(zip(header, row, strict=True)) for row in exports.rows(table)]


def late_by_milestone(user, today: datetime.date) -> dict[object, object]:
    return {row["milestone"]: row["late"] for row in table_rows(exports.TABLES["milestones"](user, today))}


def test_late_is_judged_on_the_day_given(national, bartim):
    builders.milestone(bartim, 1)  # the cohort's M1–M4: M1 planned for June 1st, the others not planned
    Milestone.objects.update(planned_date=None)
    Milestone.objects.filter(definition__number=1).update(planned_date=JUNE_1)
    after = JUNE_1 + datetime.timedelta(days=1)
    assert late_by_milestone(national, JUNE_1) == {"M1": "no", "M2": "no", "M3": "no", "M4": "no"}
    assert late_by_milestone(national, after) == {
        "M1": "yes",
        "M2": "no",
        "M3": "no",
        "M4": "no",
    }  # no plan: never late
    Milestone.objects.update(status=Milestone.Status.VERIFIED)
    assert late_by_milestone(national, after)["M1"] == "no"


def test_overdue_and_owner_of_a_follow_up(national, kalteng, bartim, mura, pokja_kalteng):
    clinic = clinic_builders.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    clinic_builders.action(clinic, pokja_kalteng, owner=clinic_builders.provincial_pokja(kalteng), due_date=JUNE_1)
    (row,) = table_rows(exports.TABLES["follow-ups"](national, JUNE_1))
    assert (row["clinic"], row["owner"], row["overdue"]) == ("CC6", "Pokja PKP Kalimantan Tengah", "no")
    (row,) = table_rows(exports.TABLES["follow-ups"](national, JUNE_1 + datetime.timedelta(days=1)))
    assert row["overdue"] == "yes"


def _budget_export_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("report_export", args=["budgets", "csv"]))
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    return len(queries), len(lines)


def test_the_budget_export_streams_with_the_same_queries_for_more_lines(client_as, bartim, mura):
    from milestones.models import BudgetLine, ProgrammeActivity

    def add_activity(regency: Regency, code: str) -> None:
        activity = ProgrammeActivity.objects.create(
            regency=regency,
            code=code,
            subsector="wastewater",
            name="IPAL komunal",
            agency="Dinas PUPR",
            year_start=2024,
            year_end=2025,
        )
        for year in (2024, 2025):
            BudgetLine.objects.create(activity=activity, year=year, source="apbd_regency", indicative=1_250_000)

    client = client_as("pokja_kalteng")
    add_activity(bartim, "AL-01")
    small, small_lines = _budget_export_queries(client)
    for number in range(2, 12):
        add_activity(mura, f"AL-{number:02}")
    more, more_lines = _budget_export_queries(client)
    assert (small_lines, more_lines) == (3, 23) and more == small


def test_streamed_csv_is_the_written_csv():
    header, rows = ["a", "b"], [[f"={n}", n] for n in range(1_200)]  # more than one piece
    assert b"".join(tabular.stream_csv(header, rows)) == tabular.write_csv(header, rows)


def test_a_streamed_xlsx_keeps_dates_and_headers():
    response = tabular.stream(
        "xlsx", ["day", "moment"], [[JUNE_1, datetime.datetime(2023, 6, 1, 9, 30)]], stem="x", sheet="x"
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].value == "day" and sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet["A2"].value.date() == JUNE_1 and sheet["B2"].number_format == "yyyy-mm-dd"
