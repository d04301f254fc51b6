"""A report for a period shows the status at the period's end, read from the history (reports.data.gather).

The demo (milestones/demo/data/stories_*.toml), seeded once: at the end of 2023 only the 2021 and 2022
cohorts had begun (Barito Selatan, Sukamara, Murung Raya, Barito Timur), and the 2022 cohort's M4 had
been verified after Coaching Clinic 6 (Murung Raya's once returned). Since then the 2024, 2025 and 2026
cohorts have joined. The clock stands on the demo's day (2 December 2026) for every test.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import translation

from milestones.management.commands.seed_demo import demo_extensions
from milestones.models import FollowUpAction, Milestone, NawasisSubmission
from milestones.services import milestones as milestone_services
from milestones.tests import clinic_builders
from milestones.tests.demo_fixtures import DEMO_TODAY, seed_once
from regencies.models import Province, Regency
from regencies.scoping import Scope
from reports import data, services
from reports.tests.conftest import pdf_text

pytestmark = pytest.mark.empty_database

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime.datetime.combine(DEMO_TODAY, datetime.time(9), tzinfo=WIB)
YEAR_2023 = (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
THIS_YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
KALTENG = Scope(province_codes=frozenset(["62"]))

demo = seed_once(*demo_extensions())


@pytest.fixture
def frozen(demo, db):
    with time_machine.travel(NOW, tick=False), translation.override("id"):
        yield


def gathered(period, audience="provincial", scope=KALTENG):
    return data.gather(audience, scope, period=period, now=NOW)


def details(found) -> dict[str, list[tuple[str, str, str]]]:
    """{regency name: [(milestone, status, progress)]} of a provincial report's milestone tables."""
    return {
        r["name"]: [(row["milestone"][:2], row["status"], row["progress"]) for row in r["rows"]]
        for r in found["regency_details"]
    }


def summary(found) -> dict[str, str]:
    return {item["key"]: item["value"] for item in found["summary"]}


def test_a_2023_report_shows_the_status_at_the_end_of_2023(frozen):
    found = gathered(YEAR_2023)
    assert summary(found) == {
        "regencies": "14",
        "in_programme": "4",
        "verified": "16",  # M1–M4 of the 2021 and the 2022 cohorts
        "late": "0",
        "pending_reviews": "0",
    }
    assert set(details(found)) == {
        "Kabupaten Barito Selatan",
        "Kabupaten Sukamara",
        "Kabupaten Murung Raya",
        "Kabupaten Barito Timur",
    }
    assert details(found)["Kabupaten Barito Timur"][3] == ("M4", "Terverifikasi", "100%")
    assert details(found)["Kabupaten Murung Raya"][3] == ("M4", "Terverifikasi", "100%")
    assert found["late"] == []


def test_todays_report_differs_and_matches_the_live_state(frozen):
    then, now = gathered(YEAR_2023), gathered(THIS_YEAR)
    assert summary(now)["in_programme"] == "10" != summary(then)["in_programme"]
    assert {"Kabupaten Gunung Mas", "Kabupaten Kapuas"} <= set(details(now)) - set(details(then))
    for regency, rows in details(now).items():
        live = Milestone.objects.filter(regency__name=regency).order_by("-cohort__year_m1_m3", "definition__number")
        assert [(s, p) for _, s, p in rows] == [
            (str(m.get_status_display()), f"{m.progress}%") for m in live[: len(rows)]
        ]
    assert now["provinces"][0]["wait_max"] == "16"  # Kapuas's M4 report, the oldest waiting on the demo's day


def test_the_follow_ups_and_nawasis_of_2023_are_those_of_then(frozen):
    found = gathered(YEAR_2023)
    held = {row["clinic"].split(" · ")[0] for row in found["follow_ups"]}
    assert held <= {"CC1", "CC2", "CC3", "CC4", "CC5", "CC6", "CC7"}  # the 2022 cohort's, none of 2024 or later
    assert not any("Kapuas" in row["clinic"] or "Katingan" in row["clinic"] for row in found["follow_ups"])
    # Unclosed then: open (no start date is recorded), and overdue by 31 December 2023 when due before it.
    assert {row["status"] for row in found["follow_ups"]} == {"Terbuka"}
    assert {(row["due"], row["overdue"]) for row in found["follow_ups"] if row["clinic"].startswith("CC3")} == {
        ("31 Desember 2022", True)
    }
    assert (found["provinces"][0]["follow_up"], found["provinces"][0]["overdue"]) == ("72%", "9")
    dates = [row["date"] for row in found["nawasis"]]
    assert dates and all(re.search(r"20(2[0-3])$", d) for d in dates)


def test_recompiling_a_past_period_after_later_changes_gives_the_same_figures(frozen, demo):
    before = gathered(YEAR_2023)
    reviewer = get_user_model().objects.get(username="pokja.kalteng")
    kapuas_m4 = Milestone.objects.get(regency="62.03", definition__number=4, cohort__year_m1_m3=2025)
    milestone_services.approve_update(update=kapuas_m4.updates.get(status="submitted"), reviewer=reviewer, notify=False)
    bartim_m4 = Milestone.objects.get(regency="62.13", definition__number=4, cohort__year_m1_m3=2022)
    milestone_services.change_plan(milestone=bartim_m4, actor=reviewer, planned_date=datetime.date(2026, 12, 31))
    for action in FollowUpAction.objects.filter(province="62", status__in=FollowUpAction.ACTIVE_STATUSES)[:3]:
        clinic_builders.closed(action, reviewer, note="Selesai pada 2026.")  # closed and accepted
    NawasisSubmission.objects.filter(regency__province="62", verified_at__isnull=True).update(
        verified_at=NOW, verified_by=reviewer
    )
    NawasisSubmission.objects.create(
        regency=Regency.objects.get(code="62.13"),
        module="ssk",
        submitted_on=NOW.date(),
        completeness=99,
        recorded_by=reviewer,
    )
    assert gathered(YEAR_2023) == before
    assert gathered(THIS_YEAR) != before


def test_the_pdf_says_which_day_its_status_is_for(frozen):
    job_2023 = services.compile_job(
        services.request_report(
            audience="provincial", province=Province.objects.get(code="62"), period=YEAR_2023, enqueue_job=False
        ).pk
    )
    pages = pdf_text(job_2023).split("\f")
    assert "Status per 31 Desember 2023" in pages[0]  # the title page
    assert all("Status per 31 Desember 2023" in page for page in pages[1:] if page.strip())  # the running header
    assert "Kabupaten Kapuas" not in pdf_text(job_2023)
    today = pdf_text(
        services.compile_job(
            services.request_report(
                audience="provincial", province=Province.objects.get(code="62"), period=THIS_YEAR, enqueue_job=False
            ).pk
        )
    )
    assert "Status per 2 Desember 2026" in today and "Kabupaten Kapuas" in today


def test_a_section_without_data_in_the_period_says_so(frozen):
    text = pdf_text(
        services.compile_job(services.request_report(audience="national", period=THIS_YEAR, enqueue_job=False).pk)
    )
    assert "Tidak ada data anggaran untuk tahun 2026." in text
    assert "Rp 0" not in text and "Indikatif (SSK)" not in text
    early = pdf_text(
        services.compile_job(
            services.request_report(
                audience="provincial",
                province=Province.objects.get(code="62"),
                period=(datetime.date(2019, 1, 1), datetime.date(2019, 12, 31)),
                enqueue_job=False,
            ).pk
        )
    )
    for sentence in (
        "Tidak ada kabupaten/kota dalam cakupan yang mengikuti program pada 31 Desember 2019.",
        "Tidak ada data anggaran untuk tahun 2019.",
        "Tidak ada kegiatan SSK yang diperiksa terhadap dokumen perencanaan untuk",
        "Tidak ada tindak lanjut yang belum selesai.",
        "Belum ada pengisian NAWASIS yang dicatat.",
        "Tidak ada milestone yang terlambat.",
    ):
        assert sentence in early
    assert "Rp 0" not in early
