"""Builders for SSK documents, reviews, policy packages and monitoring records (no tests here).

They go through document_services, so a built document has been where a real one has.
"""

import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from milestones import evidence
from milestones.models import QualityReview, QualityReviewItem, SSKDocument
from milestones.services import documents as services
from milestones.tests.builders import pdf

Chapter = QualityReviewItem.Chapter


def docx(name="SSK Barito Timur.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def png(name="scan.png"):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\0" * 32, content_type="image/png")


def draft(regency, officer, period_start=2022, period_end=2026, file=True, **fields) -> SSKDocument:
    upload = pdf("SSK 2022-2026.pdf") if file else None
    return services.save_document(
        regency=regency,
        actor=officer,
        period_start=period_start,
        period_end=period_end,
        kind=fields.pop("kind", SSKDocument.Kind.NEW),
        upload=upload,
        file_kind=evidence.identify(upload) if upload else None,
        **fields,
    )


def all_adequate():
    return [services.ChapterFinding(chapter, True) for chapter in Chapter.values]


def findings_with_gap(chapter=Chapter.PROGRAMMES, finding="Indikasi pendanaan belum lengkap."):
    return [services.ChapterFinding(c, c != chapter, finding if c == chapter else "") for c in Chapter.values]


def in_qa(regency, officer, **fields) -> SSKDocument:
    return services.submit_document_for_qa(document=draft(regency, officer, **fields), actor=officer)


def reviewed(document, reviewer, outcome=QualityReview.Outcome.ACCEPTED, findings=None) -> QualityReview:
    if findings is None:
        findings = all_adequate() if outcome == QualityReview.Outcome.ACCEPTED else findings_with_gap()
    return services.record_quality_review(document=document, reviewer=reviewer, outcome=outcome, findings=findings)


def final(regency, officer, reviewer, **fields) -> SSKDocument:
    document = in_qa(regency, officer, **fields)
    reviewed(document, reviewer)
    return document


def enacted(regency, officer, reviewer, number="DEMO/Perbup/12/2022", **fields) -> SSKDocument:
    document = final(regency, officer, reviewer, **fields)
    return services.enact_document(
        document=document,
        actor=officer,
        instrument=SSKDocument.Instrument.PERBUP,
        instrument_number=number,
        instrument_date=datetime.date(2022, 8, 15),
    )


def package(regency, officer, kinds=("regulation", "institution"), **fields):
    items = [services.PolicyItemInput(kind=kind, description=f"Item {kind}") for kind in kinds]
    return services.save_policy_package(
        regency=regency,
        actor=officer,
        title=fields.pop("title", "Paket Kebijakan Sanitasi 2022"),
        status=fields.pop("status", "draft"),
        items=items,
        **fields,
    )
