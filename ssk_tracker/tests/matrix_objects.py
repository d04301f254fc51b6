"""The objects the authorization matrix (test_authorization_matrix.py) points its URLs at, built once.

Two places: ``A`` lies in Barito Timur (62.13, Kalimantan Tengah), ``B`` in Tanah Laut (63.01, Kalimantan
Selatan). Each place gets one object of every kind a URL takes an id of; ``build(place)`` answers a dict
from the kind's name (the ``obj`` of a matrix row) to the URL's arguments.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from milestones import evidence
from milestones.models import ActionEvidence, BudgetLine, Evidence, IndicatorDefinition, Notice
from milestones.services import clinics as clinic_services
from milestones.services import dak as dak_services
from milestones.services import documents as document_services
from milestones.services import indicators as indicator_services
from milestones.services import nawasis as nawasis_services
from milestones.services import roadmaps as roadmap_services
from milestones.services import service_records as service_services
from milestones.services.planning import save_activity
from milestones.tests import builders, clinic_builders, document_builders
from milestones.tests.shared_rows import users
from regencies.models import Province, Regency
from reports import deliveries, schedules
from reports.models import ReportDelivery
from reports.tests.builders import done_report


@dataclass(frozen=True)
class Place:
    name: str
    province: str
    regency: str


A = Place("A", province="62", regency="62.13")
B = Place("B", province="63", regency="63.01")
NOWHERE = Place("-", province="", regency="")  # the place of a URL without an object
NOW = "2024-03-15 10:00 +07:00"


def build(place: Place) -> dict[str, list[object]]:
    """Every kind of object in ``place``, by kind name → the URL arguments that point at it."""
    people = users("officer_bartim", "pokja_kalteng", "pokja_kalsel", "coordinator_kalteng", "national")
    regency = Regency.objects.get(code=place.regency)
    province = Province.objects.get(code=place.province)
    # Tanah Laut has no officer among the personas: its own province's Pokja writes its rows (the
    # services leave who may act to the views, which is what the matrix tests).
    officer = people["officer_bartim"] if place is A else people["pokja_kalsel"]
    pokja = people["pokja_kalteng"] if place is A else people["pokja_kalsel"]

    review = builders.milestone(regency, 4)
    builders.submitted(review, officer, progress=60)
    drafting = builders.milestone(regency, 1)
    draft = builders.draft(drafting, officer, progress=30, files=[builders.pdf()])
    evidence_row = Evidence.objects.get(update=draft)

    document_draft = document_builders.draft(regency, officer, period_start=2022, period_end=2026)
    document_in_qa = document_builders.in_qa(regency, officer, period_start=2027, period_end=2031)
    document_final = document_builders.final(regency, officer, pokja, period_start=2032, period_end=2036)
    package = document_builders.package(regency, officer)
    monitoring = document_services.record_monitoring(
        cohort=review.cohort, actor=pokja, year_index=2, assessment="on_track"
    )

    minutes = builders.pdf("berita acara.pdf")
    clinic = clinic_builders.clinic(
        province, pokja, regencies=[regency], minutes=minutes, minutes_kind=evidence.identify(minutes)
    )
    action = clinic_builders.action(clinic, pokja, owner=regency, regency=regency)
    recommendation = action.recommendation
    clinic_services.close_action(
        action=clinic_builders.action(clinic, pokja, owner=regency, regency=regency, description="Selesai."),
        actor=pokja,
        closing_note="Sudah.",
        files=[(f := builders.pdf("tindak lanjut.pdf"), evidence.identify(f))],
    )
    action_evidence = ActionEvidence.objects.get(action__recommendation__clinic=clinic)
    activity = save_activity(
        regency=regency,
        actor=None,
        code="1.01",
        subsector="wastewater",
        name="Kegiatan matriks",
        agency="Dinas PUPR",
        year_start=2022,
        year_end=2024,
    )
    dak_line = BudgetLine.objects.create(activity=activity, year=2024, source="dak", allocated=Decimal(100))
    readiness = dak_services.upload_readiness(
        line=dak_line, actor=officer, files=[(f := builders.pdf("kesiapan.pdf"), evidence.identify(f))]
    )
    dak_services.submit_readiness(readiness=readiness, actor=officer)
    submission = nawasis_services.record_submission(
        regency=regency, actor=officer, module="ssk", submitted_on=datetime.date(2024, 1, 10), completeness=Decimal(60)
    )

    kecamatan = service_services.set_kecamatan(regency=regency, actor=pokja, text="Kecamatan Satu\nKecamatan Dua")
    service = service_services.save_service(
        regency=regency,
        actor=officer,
        kind="lltt",
        service_model="LLTT",
        operator_kind="uptd",
        kecamatan=list(regency.kecamatan.all()),
        households_served=100,
        volume_per_year=Decimal(10),
    )
    year_figures = service_services.record_year_figures(
        monitoring=monitoring,
        actor=pokja,
        kind="lltt",
        kecamatan=[],
        households_served=50,
        volume_per_year=Decimal(5),
    )
    assert kecamatan.added
    indicator = indicator_services.save_indicator(
        regency=regency,
        definition=IndicatorDefinition.objects.get(code="akses_layak"),
        actor=officer,
        baseline_year=2021,
        baseline_value=Decimal(60),
        targets={2024: Decimal(70)},
    )
    actual_draft = indicator_services.save_actual(
        indicator=indicator, actor=officer, year=2023, value=Decimal(64), source="EHRA"
    )
    actual_submitted = indicator_services.save_actual(
        indicator=indicator, actor=officer, year=2024, value=Decimal(68), source="Susenas", submit=True
    )

    # The province's own documents: a roadmap in each review state, a policy document with its file.
    def roadmap(start: int):
        upload = builders.pdf("roadmap.pdf")
        return roadmap_services.save_roadmap(
            province=province,
            actor=pokja,
            title="Roadmap",
            period_start=start,
            period_end=start + 4,
            upload=upload,
            file_kind=evidence.identify(upload),
        )

    roadmap_draft = roadmap(2022)
    roadmap_submitted = roadmap_services.submit_roadmap(roadmap=roadmap(2027), actor=pokja)
    roadmap_verified = roadmap_services.submit_roadmap(roadmap=roadmap(2032), actor=pokja)
    document_services.record_quality_review(  # the national Pokja's QA review, all chapters adequate: verified
        roadmap=roadmap_verified,
        reviewer=people["national"],
        outcome="accepted",
        findings=[document_services.ChapterFinding(chapter, True) for chapter in document_services.Chapter.values],
    )
    policy_upload = builders.pdf("pergub.pdf")
    policy = roadmap_services.save_policy(
        province=province,
        actor=pokja,
        kind="pergub",
        title="Pergub Sanitasi",
        status="draft",
        upload=policy_upload,
        file_kind=evidence.identify(policy_upload),
    )

    regency_report = done_report(audience="regency", regency=regency)
    province_report = done_report(audience="provincial", province=province)
    if place is A:
        sent = deliveries.send_report(job=regency_report, recipients=["provincial:62"], sent_by=officer)
    else:
        sent = deliveries.send_report(job=province_report, recipients=["national"], sent_by=pokja)
    delivery = ReportDelivery.objects.get(pk=sent[0].pk)
    schedule = schedules.create_schedule(
        by=people["coordinator_kalteng"] if place is A else pokja,
        name=f"Bulanan {province.name}",
        audience="provincial",
        province=province,
        day_of_month=5,
        language="id",
        recipients=["pokja@example.test"],
    )

    return {
        "regency": [regency.code],
        "province": [province.code],
        "milestone": [review.pk],
        "milestone_without_update": [builders.milestone(regency, 2).pk],
        "update_draft": [draft.pk],
        "update_submitted": [review.updates.get(status="submitted").pk],
        "evidence": [evidence_row.pk],
        "document_draft": [document_draft.pk],
        "document_in_qa": [document_in_qa.pk],
        "document_final": [document_final.pk],
        "policy_package": [package.pk],
        "monitoring": [monitoring.pk],
        "clinic": [clinic.pk],
        "recommendation": [recommendation.pk],
        "action": [action.pk],
        "action_evidence": [action_evidence.pk],
        "activity": [activity.pk],
        "dak_line": [dak_line.pk],
        "dak_file": [readiness.files.get().pk],
        "nawasis": [submission.pk],
        "service": [service.pk],
        "threshold": [regency.code, "lltt"],
        "year_figures": [year_figures.pk],
        "regency_indicator": [regency.code, "akses_layak"],
        "actual_draft": [actual_draft.pk],
        "actual_submitted": [actual_submitted.pk],
        "nawasis_regency_export": [regency.code, "csv"],
        "nawasis_province_export": [province.code, "csv"],
        "report_regency": [regency_report.pk],
        "report_province": [province_report.pk],
        "delivery": [delivery.pk],
        "schedule": [schedule.pk],
        "roadmap_draft": [roadmap_draft.pk],
        "roadmap_submitted": [roadmap_submitted.pk],
        "roadmap_verified": [roadmap_verified.pk],
        "province_policy": [policy.pk],
        # The province's Pokja's notice of the submitted M4 update (A: pokja_kalteng's, B: pokja_kalsel's).
        "notice": [Notice.objects.filter(recipient=pokja, kind=Notice.Kind.UPDATE_SUBMITTED).latest("pk").pk],
    }
