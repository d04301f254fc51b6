"""The reports' outcome-indicator section reads the same selector as the pages (latest verified actuals)."""

import pytest
from django.utils import timezone

from milestones.services import indicators as indicator_services
from milestones.tests import indicator_builders as ib
from regencies.scoping import Scope
from reports import data, services
from reports.tests.conftest import pdf_text


@pytest.fixture
def verified(bartim, officer_bartim, pokja_kalteng):
    ib.ssk(bartim, officer_bartim)
    indicator = ib.indicator(bartim, officer_bartim)
    actual = ib.actual(indicator, officer_bartim, 2023, "72.5")
    indicator_services.verify_actual(actual=actual, reviewer=pokja_kalteng)
    ib.actual(indicator, officer_bartim, 2024, "90")  # submitted, not counted
    return actual


def test_the_section_counts_only_verified_actuals(verified, kalteng):
    section = data.indicators(Scope(province_codes=frozenset({"62"})))
    first = section["rows"][0]
    assert first["mean"] == "72,5%" and first["reporting"].startswith("1/")
    bartim_row = next(r for r in section["regencies"] if r["name"] == "Kabupaten Barito Timur")
    assert bartim_row["values"][0] == "72,5%" and section["reported"]


def test_the_provincial_pdf_has_the_indicator_section(verified, kalteng):
    period = services.default_period(timezone.localdate())
    job = services.request_report(audience="provincial", province=kalteng, period=period, enqueue_job=False)
    job = services.compile_job(job.pk)
    assert job.status == "done", job.error
    text = " ".join(pdf_text(job).split())
    assert "Indikator capaian" in text and "72,5%" in text


def test_the_national_and_regency_reports_compile_with_the_section(verified, bartim):
    period = services.default_period(timezone.localdate())
    for audience, scope in (("national", {}), ("regency", {"regency": bartim})):
        job = services.request_report(audience=audience, period=period, enqueue_job=False, **scope)
        job = services.compile_job(job.pk)
        assert job.status == "done", job.error
    national = data.indicators(Scope(nation=True))
    assert national["rows"][0]["mean"] == "72,5%" and national["reported"]


def test_a_report_of_an_earlier_period_leaves_out_later_verifications(verified):
    import datetime

    before = verified.decided_at - datetime.timedelta(days=1)
    section = data.indicators(Scope(province_codes=frozenset({"62"})), before)
    assert not section["reported"] and section["regencies"] == []
    assert data.indicators(Scope(province_codes=frozenset({"62"})), verified.decided_at)["reported"]
