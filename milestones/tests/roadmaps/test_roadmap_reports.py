"""The provinces' roadmaps in the reports: the national report's table of provinces, the provincial report's
own roadmap and policy package (reports/data.py, read through milestones.selectors.roadmaps)."""

import datetime

from milestones.services import roadmaps as services
from milestones.tests.roadmaps.test_roadmaps import qa_review, roadmap
from regencies.scoping import Scope
from reports import data
from reports import services as report_services
from reports.tests.conftest import pdf_text


def _returned(kalteng, pokja_kalteng, national):
    made = roadmap(kalteng, pokja_kalteng)
    services.submit_roadmap(roadmap=made, actor=pokja_kalteng)
    qa_review(made, national, reason="Bab strategi belum lengkap.")
    services.save_policy(
        province=kalteng,
        actor=pokja_kalteng,
        kind="pergub",
        title="Pergub Sanitasi Kalteng",
        status="enacted",
        number="12/2024",
        enacted_on=datetime.date(2024, 3, 1),
    )
    return made


def test_the_builders(kalteng, kalsel, pokja_kalteng, national):
    _returned(kalteng, pokja_kalteng, national)
    rows = {r["code"]: r for r in data.roadmaps(Scope(nation=True))["rows"]}
    assert rows["62"]["period"] == "2025–2029" and rows["62"]["policies"] == "1/1"
    assert rows["63"]["period"] == "–"
    (kalteng_documents,) = data.province_documents(Scope(province_codes=frozenset({"62"})))
    assert kalteng_documents["return_reason"] == "Bab strategi belum lengkap."
    assert kalteng_documents["policies"][0]["title"] == "Pergub Sanitasi Kalteng"


def _compile(**scope):
    period = report_services.default_period(datetime.date.today())
    job = report_services.compile_job(report_services.request_report(period=period, enqueue_job=False, **scope).pk)
    assert job.status == "done", job.error if hasattr(job, "error") else job
    return job


def _text(**scope) -> str:
    return " ".join(pdf_text(_compile(**scope)).split())


def test_the_reports_compile_with_the_sections(kalteng, kalsel, pokja_kalteng, national):
    """The Typst template takes the new sections (without pdftotext: that they compile)."""
    _returned(kalteng, pokja_kalteng, national)
    _compile(audience="national")
    _compile(audience="provincial", province=kalteng)


def test_national_and_provincial_reports(kalteng, kalsel, pokja_kalteng, national):
    _returned(kalteng, pokja_kalteng, national)
    text = _text(audience="national")
    assert "Roadmap dan paket kebijakan provinsi" in text or "roadmap" in text.lower()
    assert "2025–2029" in text and "1/1" in text
    text = _text(audience="provincial", province=kalteng)
    assert "Pergub Sanitasi Kalteng" in text and "Bab strategi belum lengkap." in text
