import datetime
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from milestones.tests.shared_rows import rolled_back
from reports import services
from reports.models import ReportJob
from reports.tests.conftest import pdf_text

PERIOD = (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))


def this_year():
    """The period the milestones built in these tests fall in: they are made now (a 2023 report reads
    the status at the end of 2023, before any of them)."""
    return services.default_period(timezone.localdate())


def compile_(audience, period=None, **scope):
    job = services.request_report(audience=audience, period=period or this_year(), enqueue_job=False, **scope)
    return services.compile_job(job.pk)


@pytest.mark.usefixtures("kalteng_progress_for_the_class")
class TestKaltengProgress:
    """Barito Timur and Murung Raya's milestones (reports/tests/conftest.py), built once for the class."""

    def test_the_provincial_report_shows_the_regencies_and_their_milestones(self, kalteng):
        job = compile_("provincial", province=kalteng)
        assert job.status == "done" and job.page_count >= 2
        text = " ".join(pdf_text(job).split())  # where a cell wraps its text is the layout's business
        for expected in (
            "Kabupaten Barito Timur",
            "Kabupaten Murung Raya",
            "65%",
            "Perlu revisi",
            "Halaman 1 dari",
            "Kalimantan Tengah",
            "Lampirkan SK UPTD.",
        ):
            assert expected in text

    def test_a_done_report_records_its_file_and_facts(self, kalteng):
        job = compile_("regency", regency=kalteng.regencies.get(code="62.13"))
        content = job.file.read()
        assert job.sha256 == hashlib.sha256(content).hexdigest() and job.size == len(content)
        assert content.startswith(b"%PDF")
        assert job.data_as_of and job.tracker_version and job.attempts == 1
        assert job.query_count > 0 and job.compile_seconds > 0

    def test_english_on_request(self, kalteng):
        job = services.request_report(
            audience="provincial", province=kalteng, period=this_year(), language="en", enqueue_job=False
        )
        text = pdf_text(services.compile_job(job.pk))
        assert "Page 1 of" in text and "Needs revision" in text

    def test_the_national_report_has_a_table_per_province_and_the_late_list(self, kalteng, kalsel):
        job = compile_("national")
        text = pdf_text(job)
        assert "Kalimantan Selatan" in text and "Kalimantan Tengah" in text
        assert "Milestone terlambat" in text

    def test_the_balai_report_shows_pilots_and_apbn_dak(self, balai):
        text = pdf_text(compile_("balai", balai=balai))
        assert "APBN" in text and "DAK" in text and "Kabupaten Barito Timur" in text


def test_a_done_report_is_never_compiled_again(kalteng):
    job = compile_("provincial", province=kalteng)
    with pytest.raises(services.NotClaimed):
        services.compile_job(job.pk)
    assert ReportJob.objects.get(pk=job.pk).sha256 == job.sha256


def test_values_are_text_never_markup(kalteng, bartim, officer_bartim, pokja_kalteng):
    from milestones.tests import builders

    builders.submitted(builders.milestone(bartim, 1), officer_bartim, narrative='#panic("x") *bold* $x$ ]) [')
    builders.returned(
        builders.milestone(bartim, 2),
        officer_bartim,
        pokja_kalteng,
        narrative='#import "/etc/passwd"',
        reason='#read("/etc/passwd")',
    )
    job = compile_("regency", regency=bartim)
    assert job.status == "done"
    assert '#read("/etc/passwd")' in pdf_text(job)


AUDIENCES = ["national", "provincial", "balai"]


def scopes(kalteng, balai) -> dict[str, dict]:
    return {"national": {}, "provincial": {"province": kalteng}, "balai": {"balai": balai}}


@pytest.fixture(scope="class")
def queries_with_one_update(module_db, django_db_blocker):
    """Each audience's query count with one update in Kalimantan Tengah (Barito Timur's M4, approved);
    then, for the class's tests, a submitted M2 in each of the province's other 13 regencies too."""
    from milestones.tests import builders
    from regencies.models import Balai, Province

    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            kalteng = Province.objects.get(code="62")
            users = get_user_model().objects.in_bulk(["officer_bartim", "pokja_kalteng"], field_name="username")
            officer_bartim, pokja_kalteng = users["officer_bartim"], users["pokja_kalteng"]
            bartim = kalteng.regencies.get(code="62.13")
            builders.approved(builders.milestone(bartim, 4), officer_bartim, pokja_kalteng)
            small = {
                (audience, past): compile_(audience, PERIOD if past else None, **scope).query_count
                for audience, scope in scopes(kalteng, Balai.objects.get(short_name="BPPW Kalteng")).items()
                for past in (False, True)
            }
            for regency in kalteng.regencies.exclude(code="62.13"):
                builders.submitted(builders.milestone(regency, 2), officer_bartim)
        yield small


class TestQueryCount:
    @pytest.mark.parametrize("past", [False, True], ids=["live", "as-of-2023"])
    @pytest.mark.parametrize("audience", AUDIENCES)
    def test_the_number_of_queries_does_not_grow_with_the_regencies(
        self, kalteng, balai, queries_with_one_update, audience, past
    ):
        assert kalteng.regencies.filter(milestones__updates__isnull=False).distinct().count() == 14
        job = compile_(audience, PERIOD if past else None, **scopes(kalteng, balai)[audience])
        assert job.query_count == queries_with_one_update[audience, past]


def test_the_provincial_report_shows_planning_integration_and_budget(kalteng, bartim, mura):
    from decimal import Decimal

    from milestones.models import BudgetLine, PlanningIntegration, ProgrammeActivity

    for regency in (bartim, mura):
        for n in range(1, 6):
            activity = ProgrammeActivity.objects.create(
                regency=regency,
                code=f"AL-0{n}",
                subsector="wastewater",
                name=f"Kegiatan {n}",
                agency="Dinas PUPR",
                year_start=2022,
                year_end=2026,
            )
            PlanningIntegration.objects.create(activity=activity, document="rpjmd", year=2023, included=n != 5)
            BudgetLine.objects.create(
                activity=activity,
                year=2023,
                source="dak",
                indicative=Decimal("1000000"),
                allocated=Decimal("800000"),
                realised=Decimal("400000"),
            )
    text = pdf_text(compile_("provincial", PERIOD, province=kalteng))
    assert any("RPJMD" in line and "8" in line and "10" in line and "80%" in line for line in text.splitlines())
    assert any(
        "DAK" in line and "Rp 8.000.000" in line and "Rp 4.000.000" in line and "50,0%" in line  # as on the page
        for line in text.splitlines()
    )
