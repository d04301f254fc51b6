"""The pages and the PDF reports show the same figures for the same scope.

Kalimantan Tengah on 2 December 2023 at 03.13 WIB: Barito Timur's M4 has waited for review since
16 June 15.30 (169 calendar days, 168 whole 24-hour days); follow-up completion is 5 of 8 in the
province (62.5 %), 2 of 3 in Barito Timur; Barito Timur's latest SSK entry in NAWASIS is 86.25 %, its
2023 DAK realisation 2 of 3 million. Each figure of the province dashboard, the national overview and
the regency page (and the review queue and "my tasks", which count days waited too) is compared with
the data the provincial, national and regency reports are made from, and once with the PDF's text.
"""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from milestones.models import BudgetLine, NawasisSubmission, PlanningIntegration, ProgrammeActivity
from milestones.tests import builders
from milestones.tests import clinic_builders as clinics
from regencies.models import Province, Regency
from reports import services
from reports.tests.conftest import pdf_text

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime.datetime(2023, 12, 2, 3, 13, tzinfo=WIB)
SUBMITTED = datetime.datetime(2023, 6, 16, 15, 30, tzinfo=WIB)
PERIOD = (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
EMPTY_CHART = "Belum ada kabupaten/kota yang mengikuti program."


@pytest.fixture(scope="module")
def _figures_rows(module_db, django_db_blocker):
    """The figures' rows, built once for the module: every test reads them and none changes them."""
    with django_db_blocker.unblock():
        _build_figures()


@pytest.fixture
def kalteng_figures(_figures_rows, db):
    with time_machine.travel(NOW, tick=False):
        yield


def _build_figures() -> None:
    users = get_user_model().objects.in_bulk(["officer_bartim", "officer_mura", "pokja_kalteng"], field_name="username")
    officer_bartim, officer_mura, pokja_kalteng = users["officer_bartim"], users["officer_mura"], users["pokja_kalteng"]
    kalteng = Province.objects.get(code="62")
    bartim, mura = Regency.objects.get(code="62.13"), Regency.objects.get(code="62.12")
    with time_machine.travel(datetime.datetime(2023, 3, 1, 9, 0, tzinfo=WIB), tick=False):
        for number in (1, 2, 3):
            builders.approved(builders.milestone(bartim, number), officer_bartim, pokja_kalteng, progress=100)
        for number in (1, 2):
            builders.approved(builders.milestone(mura, number), officer_mura, pokja_kalteng, progress=100)
        builders.returned(builders.milestone(mura, 3), officer_mura, pokja_kalteng)
    with time_machine.travel(SUBMITTED, tick=False):
        builders.submitted(builders.milestone(bartim, 4), officer_bartim, progress=75)
    with time_machine.travel(datetime.datetime(2023, 7, 3, 9, 0, tzinfo=WIB), tick=False):
        clinic = clinics.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
        own = clinics.provincial_pokja(kalteng)
        for owner, done, dropped, open_due in (
            (bartim, 2, 0, [datetime.date(2023, 10, 31)]),  # overdue on NOW
            (mura, 2, 1, [datetime.date(2024, 1, 31)]),
            (own, 1, 0, [datetime.date(2023, 11, 30)]),  # the province's own, overdue
        ):
            for _ in range(done):
                clinics.closed(clinics.action(clinic, pokja_kalteng, owner=owner), pokja_kalteng)
            for _ in range(dropped):
                clinics.dropped(clinics.action(clinic, pokja_kalteng, owner=owner), pokja_kalteng)
            for due in open_due:
                clinics.action(clinic, pokja_kalteng, owner=owner, due_date=due)
    for regency, module, day, completeness in (
        (bartim, "ssk", datetime.date(2023, 1, 10), "40.00"),  # superseded by the next entry
        (bartim, "ssk", datetime.date(2023, 5, 10), "86.25"),
        (bartim, "wastewater", datetime.date(2023, 5, 10), "72.00"),
        (mura, "ssk", datetime.date(2023, 4, 3), "47.50"),
    ):
        NawasisSubmission.objects.create(
            regency=regency,
            module=module,
            submitted_on=day,
            completeness=Decimal(completeness),
            recorded_by=officer_bartim,
        )
    for n in (1, 2, 3):
        activity = ProgrammeActivity.objects.create(
            regency=bartim,
            code=f"AL-0{n}",
            subsector="wastewater",
            name=f"Kegiatan {n}",
            year_start=2022,
            year_end=2026,
        )
        PlanningIntegration.objects.create(activity=activity, document="rpjmd", year=2023, included=n != 3)
    BudgetLine.objects.create(
        activity=activity, year=2023, source="dak", indicative=4_000_000, allocated=3_000_000, realised=2_000_000
    )
    BudgetLine.objects.create(
        activity=activity, year=2022, source="apbd_regency", indicative=9, allocated=9, realised=9
    )  # outside the period


# --- Reading the pages and the reports ---------------------------------------------------------------


class Texts(HTMLParser):
    """The text of every element carrying ``attribute``, by the attribute's value, whitespace collapsed."""

    VOID = {"br", "hr", "img", "input", "link", "meta", "source", "col", "wbr"}

    def __init__(self, html: str, attribute: str):
        super().__init__()
        self.attribute, self.texts, self.open = attribute, {}, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        value = dict(attrs).get(self.attribute)
        if value is not None:
            self.texts[value] = ""
        if tag not in self.VOID:
            self.open.append((tag, value))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        for _tag, value in self.open:
            if value is not None:
                self.texts[value] = " ".join((self.texts[value] + " " + data).split())


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def chart_counts(svg: str) -> dict[str, int]:
    """{"M4 · Diajukan": 1, …}: the counts the status chart draws, from its tooltips."""
    return {label: int(n) for label, n in re.findall(r"<title>([^<:]+): (\d+)</title>", svg)}


def report(audience, **scope) -> dict:
    """The data a report's PDF is made from, as the worker gathers it."""
    job = services.request_report(audience=audience, period=PERIOD, enqueue_job=False, **scope)
    with translation.override(job.language):
        return services.build_payload(job, now=timezone.now())


def summary(data) -> dict[str, str]:
    return {item["key"]: item["value"] for item in data["summary"]}


def province_row(data, code="62") -> dict:
    return next(row for row in data["provinces"] if row["code"] == code)


def days_on(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"(\d+) hari", html)]


# --- The province dashboard and the provincial report ------------------------------------------------


def test_the_province_dashboard_and_the_provincial_report_agree(client_as, kalteng_figures, kalteng):
    html = page(client_as("pokja_kalteng"), reverse("province", args=["62"]))
    shown = Texts(html, "data-figure").texts
    data = report("provincial", province=kalteng)
    row = province_row(data)
    assert shown["follow_up_rate"] == row["follow_up"] == "63%"  # 5 of 8, rounded half up
    assert shown["follow_up_overdue"].split()[0] == row["overdue"] == "2"
    assert shown["in_programme"] == row["in_programme"] == summary(data)["in_programme"] == "2"
    assert shown["verified"] == summary(data)["verified"] == "5"
    assert shown["late"] == summary(data)["late"] == str(len(data["late"])) == "3"
    assert shown["pending_reviews"] == row["pending"] == summary(data)["pending_reviews"] == "1"
    assert days_on(shown["oldest_wait_days"]) == [int(row["wait_max"])] == [169]
    # The page's chart is an <img> of the chart's own URL: the same counts as the report's.
    shown_chart = page(client_as("pokja_kalteng"), reverse("province_chart", args=["62"]))
    assert chart_counts(shown_chart) == chart_counts(data["chart"])
    assert chart_counts(data["chart"])["M4 · Diajukan"] == 1


def test_every_page_that_counts_days_waited_agrees_with_the_report(client_as, kalteng_figures, kalteng):
    client = client_as("pokja_kalteng")
    wait = int(province_row(report("provincial", province=kalteng))["wait_max"])
    dashboard = Texts(page(client, reverse("province", args=["62"])), "data-figure").texts["oldest_wait_days"]
    queue = page(client, reverse("review_queue"))
    tasks = page(client, reverse("my_tasks"))
    assert days_on(dashboard) == [wait]
    assert f"menunggu selama {wait} hari" in tasks
    assert re.search(rf">\s*{wait} hari\s*<", queue)
    assert wait == 169  # 16 June 15.30 → 2 December 03.13: calendar days, not 168 whole 24-hour days


def test_the_late_lists_count_calendar_days_past_the_planned_date(kalteng_figures, kalteng, bartim):
    provincial = report("provincial", province=kalteng)["late"]
    assert {(r["regency"], r["milestone"]): r["days"] for r in provincial} == {
        ("Kabupaten Barito Timur", "M4"): "2",  # planned 30 November 2023
        ("Kabupaten Murung Raya", "M3"): "367",  # planned 30 November 2022
        ("Kabupaten Murung Raya", "M4"): "2",
    }
    regency = report("regency", regency=bartim)["late"]
    assert [(r["regency"], r["milestone"], r["days"]) for r in regency] == [("Kabupaten Barito Timur", "M4", "2")]


def test_the_provincial_report_shows_each_latest_nawasis_entry_as_the_province_table_does(
    client_as, kalteng_figures, kalteng
):
    html = page(client_as("pokja_kalteng"), reverse("nawasis_province", args=["62"]))
    data = report("provincial", province=kalteng)
    in_report = {(r["regency"], r["module"]): r["completeness"] for r in data["nawasis"]}
    assert in_report == {
        ("Kabupaten Murung Raya", "SSK"): "47,5%",
        ("Kabupaten Barito Timur", "Air limbah domestik"): "72%",
        ("Kabupaten Barito Timur", "SSK"): "86,25%",
    }
    for completeness in in_report.values():
        assert f">{completeness}<" in html  # the cell's text, before its closing tag or the verified mark
    assert province_row(data)["nawasis"] == "69%"  # (86.25 + 72 + 47.5) ÷ 3 = 68.58, rounded half up


# --- The national overview and the national report ---------------------------------------------------


def test_the_national_overview_and_the_national_report_agree(client_as, kalteng_figures, kalsel):
    html = page(client_as("national"), reverse("national_overview"))
    rows = {}
    for code in ("62", "63", "total"):
        part = html.split(f'data-province="{code}"', 1)[1].split("</tr>", 1)[0]
        rows[code] = Texts("<tr " + part + "</tr>", "data-figure").texts
    data = report("national")
    row = province_row(data)
    shown = rows["62"]
    assert (shown["regencies"], shown["in_programme"]) == (row["regencies"], row["in_programme"]) == ("14", "2")
    assert [shown[f"m{n}_verified"] for n in (1, 2, 3, 4)] == [m["verified"] for m in row["m"]] == ["2", "2", "1", "0"]
    assert [shown[f"m{n}_late"] for n in (1, 2, 3, 4)] == [m["late"] for m in row["m"]] == ["0", "0", "1", "2"]
    assert shown["pending_reviews"].split()[0] == row["pending"] == "1"
    assert days_on(shown["pending_reviews"]) == [int(row["wait_max"])] == [169]
    assert shown["follow_up_rate"] == row["follow_up"] == "63%"
    assert shown["follow_up_overdue"] == row["overdue"] == "2"
    assert rows["63"]["follow_up_rate"] == province_row(data, "63")["follow_up"] == "–"  # no follow-ups
    assert rows["63"]["in_programme"] == province_row(data, "63")["in_programme"] == "0"
    total, in_summary = rows["total"], summary(data)
    assert total["regencies"] == in_summary["regencies"] == "16"
    assert total["in_programme"] == in_summary["in_programme"] == "2"
    assert total["pending_reviews"] == in_summary["pending_reviews"] == "1"
    assert total["follow_up_rate"] == "63%" and total["follow_up_overdue"] == "2"
    assert sum(int(total[f"m{n}_late"]) for n in (1, 2, 3, 4)) == int(in_summary["late"]) == 3


# --- The regency page and the regency report ---------------------------------------------------------


def current_cohort_card(html: str) -> str:
    section = html.split('id="milestones"', 1)[1]
    return section.split('class="card shadow-sm mb-3"')[1]


def nawasis_cells(html: str) -> dict[str, str]:
    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.cells, self.module, self.reading = {}, None, False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            self.module = attrs.get("data-module", self.module)
            self.reading = "data-completeness" in attrs

        def handle_data(self, data):
            if self.reading and data.strip():
                self.cells[self.module] = data.strip()
                self.reading = False

    parser = Cells()
    parser.feed(html)
    return parser.cells


def test_the_regency_page_and_the_regency_report_agree(client_as, kalteng_figures, bartim):
    html = page(client_as("officer_bartim"), reverse("regency", args=["62.13"]))
    data = report("regency", regency=bartim)
    card = current_cohort_card(html)
    statuses = re.findall(r'class="badge rounded-pill status-(\w+)"', card)
    assert statuses == ["verified", "verified", "verified", "submitted"]
    counts = chart_counts(data["chart"])
    assert counts == {"M1 · Terverifikasi": 1, "M2 · Terverifikasi": 1, "M3 · Terverifikasi": 1, "M4 · Diajukan": 1}
    assert EMPTY_CHART not in data["chart"]
    figures = summary(data)
    assert figures["verified"] == str(statuses.count("verified")) == "3"
    assert figures["late"] == str(card.count('class="late-flag')) == str(len(data["late"])) == "1"
    assert [r["late"] for r in data["regency_details"][0]["rows"]] == [False, False, False, True]
    follow_ups = Texts(html, "data-figure").texts
    assert follow_ups["completion_rate"] == figures["follow_up"] == "67%"
    assert follow_ups["overdue"] == figures["overdue"] == "1"
    assert follow_ups["active"] == str(len(data["follow_ups"])) == "1"
    assert figures["pending_reviews"] == "1" and figures["wait_max"] == "169"


def test_the_regency_report_shows_the_regency_pages_nawasis_and_integration(client_as, kalteng_figures, bartim):
    html = page(client_as("officer_bartim"), reverse("regency", args=["62.13"]))
    data = report("regency", regency=bartim)
    assert nawasis_cells(html) == {"ssk": "86,25%", "wastewater": "72%"}
    assert {r["module"]: r["completeness"] for r in data["nawasis"]} == {"SSK": "86,25%", "Air limbah domestik": "72%"}
    # The integration shares are on the activities page; the regency page links there (issue 11).
    activities = page(client_as("officer_bartim"), reverse("activities", args=["62.13"]))
    shares = Texts(activities, "data-testid").texts
    for row in data["integration"]:
        key = next(k for k in shares if k.startswith("share-") and shares[k].startswith(row["document"] + " "))
        assert shares[key].endswith(row["rate"]) and f"{row['included']} dari {row['total']}" in shares[key]
    assert [(r["document"], r["rate"]) for r in data["integration"]][0] == ("RPJMD", "67%")  # 2 of 3


def test_the_regency_report_shows_the_activity_pages_budget_of_the_period(client_as, kalteng_figures, bartim):
    html = page(client_as("officer_bartim"), reverse("activities", args=["62.13"]) + "?tahun=2023")
    rows = Texts(html, "data-testid").texts
    data = report("regency", regency=bartim)
    in_report = [
        " ".join([b["source"], b["indicative"], b["allocated"], b["realised"], b["rate"]]) for b in data["budget"]
    ]
    on_page = [text for key, text in rows.items() if key.startswith("budget-") and key != "budget-table"]
    assert in_report == on_page[:-1]  # the page's last row is its total
    total = data["budget_total"]
    assert rows["budget-total"] == " ".join(
        [total["source"], total["indicative"], total["allocated"], total["realised"], total["rate"]]
    )
    assert "DAK Rp 4.000.000 Rp 3.000.000 Rp 2.000.000 66,7%" in in_report


# --- Through the PDF ---------------------------------------------------------------------------------


def test_the_regency_reports_pdf_shows_the_pages_figures(kalteng_figures, bartim):
    job = services.request_report(audience="regency", regency=bartim, period=PERIOD, enqueue_job=False)
    text = pdf_text(services.compile_job(job.pk))
    assert EMPTY_CHART not in text
    for figure in ("67%", "169", "86,25%", "66,7%"):
        assert figure in text
    assert "Tidak ada milestone yang terlambat." not in text
