"""Writes for SSK documents and their quality assurance, policy packages and yearly monitoring.

Views check who may act (regencies.scoping); these functions check that the act still makes sense
and claim status changes race-safely with ``filter(pk=…, status=…).update(…)``, going on only if
one row changed: two people acting on the same document at once get one winner and one clear
message (``ActionRefused``). Each function is one transaction: a refused act leaves nothing behind.

A document moves draft → quality_assurance → final → enacted; a "revise" review sends it back to
draft. Every review is kept, so the document page shows the whole history of findings.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones import evidence
from milestones.models import (
    Cohort,
    MonitoringRecord,
    PolicyItem,
    PolicyPackage,
    ProvincialRoadmap,
    QualityReview,
    QualityReviewItem,
    SSKDocument,
)
from milestones.services import ActionRefused, Upload, accepted_upload, upload_name
from milestones.services import review as review_services
from milestones.services.edits import EditConflict, bump_versions, claim_version
from regencies.models import Regency
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import User

DocStatus = SSKDocument.Status
Chapter = QualityReviewItem.Chapter

# The file types a document may be: judged by content (evidence.identify), not by name.
DOCUMENT_KINDS = (evidence.PDF, evidence.DOCX)


__all__ = [
    "ActionRefused",
    "ChapterFinding",
    "PolicyItemInput",
    "enact_document",
    "record_monitoring",
    "record_quality_review",
    "review_reason",
    "save_document",
    "save_policy_package",
    "submit_document_for_qa",
]


# --- SSK documents -------------------------------------------------------------------------------


def _check_period(period_start: int, period_end: int) -> None:
    if period_end <= period_start:
        raise ActionRefused(_("The period must end after it starts (for example 2022–2026)."))


def save_document(
    *,
    regency: Regency,
    actor: User,
    period_start: int,
    period_end: int,
    kind: str,
    upload: Upload | None = None,
    file_kind: evidence.FileKind | None = None,
    document: SSKDocument | None = None,
    version: int | None = None,
) -> SSKDocument:
    """Create a regency's SSK document, or edit it while it is a draft (at ``version``, the one the edit
    form was loaded at: ``EditConflict`` when it moved on).

    ``upload`` (with the ``file_kind`` that ``evidence.identify`` gave it, the form does that)
    replaces the document file; without it the file on record stays.
    """
    _check_period(period_start, period_end)
    new_file = accepted_upload(
        upload, file_kind, DOCUMENT_KINDS, _("The SSK document must be a PDF or a Word (DOCX) file.")
    )
    fields: dict[str, object] = {"period_start": period_start, "period_end": period_end, "kind": kind}
    with evidence.files_kept_on_commit():
        try:
            with transaction.atomic():
                if document is None:
                    document = SSKDocument.objects.create(regency=regency, **fields)
                else:
                    document.version = _claim_draft(document, regency=regency, version=version, fields=fields)
                    for key, value in fields.items():
                        setattr(document, key, value)
        except IntegrityError:
            raise ActionRefused(
                _("This regency already has an SSK document starting in %(year)s.") % {"year": period_start}
            ) from None
        # Stored only once the row is claimed: a refused save leaves no file behind.
        if new_file is not None:
            document.file = evidence.store(*new_file)
            document.file_name = upload_name(new_file[0])
            audit.update(SSKDocument.objects.filter(pk=document.pk), file=document.file, file_name=document.file_name)
    return document


def _claim_draft(document: SSKDocument, *, regency: Regency, version: int | None, fields: dict[str, object]) -> int:
    try:
        return claim_version(
            SSKDocument,
            pk=document.pk,
            version=version,
            scope=Q(regency=regency, status=DocStatus.DRAFT),
            values={"updated_at": timezone.now(), **fields},
        )
    except EditConflict as conflict:
        if isinstance(conflict.current, SSKDocument) and conflict.current.status != DocStatus.DRAFT:
            raise ActionRefused(
                _("This document has been sent to quality assurance meanwhile and can no longer be edited.")
            ) from None
        raise


def submit_document_for_qa(*, document: SSKDocument, actor: User) -> SSKDocument:
    """Send a draft to the provincial Pokja's quality assurance (draft → quality_assurance)."""
    if not document.file_id:
        raise ActionRefused(_("Attach the document file before sending it to quality assurance."))
    with transaction.atomic():
        claimed = audit.update(
            SSKDocument.objects.filter(pk=document.pk, status=DocStatus.DRAFT, file__isnull=False),
            status=DocStatus.QUALITY_ASSURANCE,
            updated_at=timezone.now(),
            version=F("version") + 1,
        )
        if not claimed:
            raise ActionRefused(_("This document is no longer a draft; it has been sent already."))
        document.status = DocStatus.QUALITY_ASSURANCE
    return document


@dataclass(frozen=True)
class ChapterFinding:
    chapter: str
    adequate: bool
    finding: str = ""


def record_quality_review(
    *,
    reviewer: User,
    outcome: str,
    findings: Iterable[ChapterFinding],
    summary: str = "",
    document: SSKDocument | None = None,
    roadmap: ProvincialRoadmap | None = None,
) -> QualityReview:
    """Record a quality-assurance review of one strategy document: one finding per chapter and an outcome.

    Of an SSK ``document`` (the province's review): accepted → the document is final; revise → it goes
    back to draft for the regency, with the findings on record. Of a provincial ``roadmap`` (the national
    Pokja's review): the outcome is the roadmap's decision in the shared review workflow — accepted →
    ``verify`` (the summary as its comment); revise → ``return_`` with the summary and the inadequate
    chapters' findings as its reason. Every chapter must be judged; an inadequate one needs a finding, and
    a document with an inadequate chapter cannot be accepted. The review and the decision are one
    transaction: a refused decision leaves no review behind.
    """
    if (document is None) == (roadmap is None):
        raise ValueError("A quality review is of an SSK document or of a provincial roadmap: give exactly one.")
    findings = sorted(findings, key=lambda f: Chapter.values.index(f.chapter) if f.chapter in Chapter.values else -1)
    judged = [f.chapter for f in findings]
    if sorted(judged) != sorted(Chapter.values):
        raise ActionRefused(_("Judge every chapter once: adequate or not."))
    missing = [str(Chapter(f.chapter).label) for f in findings if not f.adequate and not f.finding.strip()]
    if missing:
        raise ActionRefused(
            _("Write a finding for each inadequate chapter: %(chapters)s.") % {"chapters": ", ".join(missing)}
        )
    if outcome not in QualityReview.Outcome.values:
        raise ActionRefused(_("Choose the outcome of the review."))
    if outcome == QualityReview.Outcome.ACCEPTED and not all(f.adequate for f in findings):
        raise ActionRefused(_("A document with an inadequate chapter cannot be accepted; ask for a revision."))
    summary = (summary or "").strip()
    with transaction.atomic():
        now = timezone.now()
        if document is not None:
            _decide_document(document, outcome, now)
        else:
            assert roadmap is not None
            _decide_roadmap(roadmap, reviewer, outcome, summary, findings)
        review = QualityReview.objects.create(
            document=document, roadmap=roadmap, reviewer=reviewer, reviewed_at=now, outcome=outcome, summary=summary
        )
        audit.bulk_created(
            QualityReviewItem.objects.bulk_create(
                QualityReviewItem(review=review, chapter=f.chapter, adequate=f.adequate, finding=f.finding.strip())
                for f in findings
            )
        )
    return review


def _decide_document(document: SSKDocument, outcome: str, now: datetime.datetime) -> None:
    new_status = DocStatus.FINAL if outcome == QualityReview.Outcome.ACCEPTED else DocStatus.DRAFT
    claimed = audit.update(
        SSKDocument.objects.filter(pk=document.pk, status=DocStatus.QUALITY_ASSURANCE),
        status=new_status,
        updated_at=now,
        version=F("version") + 1,
    )
    if not claimed:
        raise ActionRefused(
            _("This document is not awaiting quality assurance (any more); someone may have reviewed it already.")
        )
    document.status = new_status


def review_reason(summary: str, findings: Iterable[ChapterFinding]) -> str:
    """The reason a revise review returns a roadmap with: its summary, then each inadequate chapter's finding."""
    lines = [summary.strip()] if summary.strip() else []
    lines += [f"{Chapter(f.chapter).label}: {f.finding.strip()}" for f in findings if not f.adequate]
    return "\n".join(lines)


def _decide_roadmap(
    roadmap: ProvincialRoadmap, reviewer: User, outcome: str, summary: str, findings: list[ChapterFinding]
) -> None:
    if outcome == QualityReview.Outcome.ACCEPTED:
        review_services.verify(roadmap, reviewer=reviewer, comment=summary)
    else:
        review_services.return_(roadmap, reviewer=reviewer, reason=review_reason(summary, findings))


def enact_document(
    *,
    document: SSKDocument,
    actor: User,
    instrument: str,
    instrument_number: str,
    instrument_date: datetime.date | None,
) -> SSKDocument:
    """Record the regional head's enactment (Perbup/Perwali or SK) of a final document."""
    instrument_number = (instrument_number or "").strip()
    if instrument not in SSKDocument.Instrument.values or not instrument_number or instrument_date is None:
        raise ActionRefused(_("Give the legal instrument, its number and its date to record the enactment."))
    if instrument_date > timezone.localdate():
        raise ActionRefused(_("The enactment date cannot be in the future."))
    with transaction.atomic():
        fields = {
            "instrument": instrument,
            "instrument_number": instrument_number,
            "instrument_date": instrument_date,
        }
        claimed = audit.update(
            SSKDocument.objects.filter(pk=document.pk, status=DocStatus.FINAL),
            status=DocStatus.ENACTED,
            updated_at=timezone.now(),
            **fields,
            version=F("version") + 1,
        )
        if not claimed:
            raise ActionRefused(
                _("Only a document that passed quality assurance (final) can be enacted; this one is not.")
            )
        document.status = DocStatus.ENACTED
        for key, value in fields.items():
            setattr(document, key, value)
    return document


# --- Policy packages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyItemInput:
    """One item of the package as the officer entered it; ``pk`` for an existing one."""

    kind: str
    description: str
    legal_instrument: str = ""
    status: str = PolicyItem.Status.PLANNED
    pk: int | None = None
    delete: bool = False


ITEM_FIELDS = ["kind", "description", "legal_instrument", "status"]


def save_policy_package(
    *,
    regency: Regency,
    actor: User,
    title: str,
    status: str,
    committed_on: datetime.date | None = None,
    notes: str = "",
    cohort: Cohort | None = None,
    items: Iterable[PolicyItemInput] = (),
    package: PolicyPackage | None = None,
    version: int | None = None,
) -> PolicyPackage:
    """Create or edit a regency's policy package together with its items, all or nothing.

    ``version``: the package's version the edit form was loaded at; it guards the items too
    (``EditConflict`` when it moved on)."""
    if status == PolicyPackage.Status.COMMITTED and committed_on is None:
        raise ActionRefused(_("Give the date the regional head committed to the package."))
    if cohort is not None and cohort.regency_id != regency.pk:
        raise ActionRefused(_("The cohort belongs to another regency."))
    fields = {
        "title": title.strip(),
        "status": status,
        "committed_on": committed_on,
        "notes": notes.strip(),
        "cohort": cohort,
    }
    with transaction.atomic():
        if package is None:
            package = PolicyPackage.objects.create(regency=regency, **fields)
        else:
            if package.regency_id != regency.pk:
                raise ActionRefused(_("This policy package belongs to another regency."))
            package.version = claim_version(PolicyPackage, pk=package.pk, version=version, values=fields)
            for key, value in fields.items():
                setattr(package, key, value)
        existing = {item.pk: item for item in PolicyItem.objects.filter(package=package)}
        new_items, changed, removed = [], [], []
        for entry in items:
            values = {
                "kind": entry.kind,
                "description": entry.description.strip(),
                "legal_instrument": entry.legal_instrument.strip(),
                "status": entry.status,
            }
            if entry.pk is None:
                if not entry.delete:
                    new_items.append(PolicyItem(package=package, **values))
                continue
            item = existing.get(entry.pk)
            if item is None:
                raise ActionRefused(_("An item of this package was removed meanwhile; open the package again."))
            if entry.delete:
                removed.append(item.pk)
            else:
                for key, value in values.items():
                    setattr(item, key, value)
                changed.append(item)
        # A fixed number of queries however many items: one delete, one update, one insert.
        if removed:
            audit.delete(PolicyItem.objects.filter(package=package, pk__in=removed))
        audit.bulk_update(PolicyItem.objects, changed, ITEM_FIELDS)
        bump_versions(PolicyItem.objects.filter(pk__in=[item.pk for item in changed]))
        audit.bulk_created(PolicyItem.objects.bulk_create(new_items))
    return package


# --- Yearly monitoring after M4 ------------------------------------------------------------------


def monitoring_year(cohort: Cohort, year_index: int) -> int:
    """Year 1 of implementation is the cohort's M1–M3 year, so year n is n − 1 years later."""
    return cohort.year_m1_m3 + year_index - 1


def record_monitoring(
    *,
    cohort: Cohort,
    actor: User,
    year_index: int,
    assessment: str,
    summary: str = "",
    record: MonitoringRecord | None = None,
    version: int | None = None,
) -> MonitoringRecord:
    """Add (or correct, at the ``version`` the form was loaded at) the province's yearly monitoring record
    of a cohort, years 2–5."""
    if not 2 <= year_index <= 5:
        raise ActionRefused(_("Monitoring covers years 2 to 5 of implementation."))
    year = monitoring_year(cohort, year_index)
    if year > timezone.localdate().year:
        raise ActionRefused(
            _("Year %(n)s of this cohort is %(year)s, which has not begun yet.") % {"n": year_index, "year": year}
        )
    fields = {
        "year_index": year_index,
        "year": year,
        "assessment": assessment,
        "summary": summary.strip(),
        "recorded_by": actor,
        "recorded_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            if record is None:
                record = MonitoringRecord.objects.create(cohort=cohort, **fields)
            else:
                record.version = claim_version(
                    MonitoringRecord, pk=record.pk, version=version, scope=Q(cohort=cohort), values=fields
                )
                for key, value in fields.items():
                    setattr(record, key, value)
    except IntegrityError:
        raise ActionRefused(
            _("Year %(n)s of this cohort is already recorded; open that record to change it.") % {"n": year_index}
        ) from None
    return record
