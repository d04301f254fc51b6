"""Writes for the province's own documents: its Roadmap Sanitasi Provinsi (prepared by the province's Pokja,
reviewed by the national Pokja through the shared review workflow, ``milestones.services.review``) and its
policy package documents. The national Pokja decides on a submitted roadmap by its quality-assurance review,
``milestones.services.documents.record_quality_review(roadmap=…)`` (the SSK's chapter checklist), which
verifies or returns it. Views check who may act (regencies.scoping); these check the act still applies.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones import evidence
from milestones.models import Blob, ProvincialPolicy, ProvincialRoadmap, ReviewState
from milestones.services import ActionRefused, CheckedUpload, Upload, accepted_upload, upload_name
from milestones.services import review as review_services
from milestones.services.documents import DOCUMENT_KINDS
from milestones.services.edits import EditConflict, claim_version
from regencies.models import Province
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import User

__all__ = [
    "ActionRefused",
    "reopen_roadmap",
    "save_policy",
    "save_roadmap",
    "submit_roadmap",
]

EDITABLE = [ReviewState.DRAFT, ReviewState.RETURNED]


def _store(
    model: type[ProvincialRoadmap] | type[ProvincialPolicy], pk: int, new_file: CheckedUpload
) -> tuple[Blob, str]:
    blob = evidence.store(*new_file)
    name = upload_name(new_file[0])
    audit.update(model.objects.filter(pk=pk), file=blob, file_name=name)
    return blob, name


def save_roadmap(
    *,
    province: Province,
    actor: User,
    title: str,
    period_start: int,
    period_end: int,
    upload: Upload | None = None,
    file_kind: evidence.FileKind | None = None,
    roadmap: ProvincialRoadmap | None = None,
    version: int | None = None,
) -> ProvincialRoadmap:
    """Create the province's roadmap, or change it while it is a draft or returned."""
    if period_end <= period_start:
        raise ActionRefused(_("The period must end after it starts (for example 2022–2026)."))
    new_file = accepted_upload(upload, file_kind, DOCUMENT_KINDS, _("The roadmap must be a PDF or a Word (DOCX) file."))
    fields: dict[str, object] = {"title": title.strip(), "period_start": period_start, "period_end": period_end}
    with evidence.files_kept_on_commit():
        try:
            with transaction.atomic():
                if roadmap is None:
                    roadmap = ProvincialRoadmap.objects.create(province=province, **fields)
                else:
                    roadmap.version = _claim_editable(roadmap, province, version, fields)
                    for key, value in fields.items():
                        setattr(roadmap, key, value)
        except IntegrityError:
            raise ActionRefused(
                _("This province already has a roadmap starting in %(year)s.") % {"year": period_start}
            ) from None
        if new_file is not None:
            roadmap.file, roadmap.file_name = _store(ProvincialRoadmap, roadmap.pk, new_file)
    return roadmap


def _claim_editable(
    roadmap: ProvincialRoadmap, province: Province, version: int | None, fields: dict[str, object]
) -> int:
    try:
        return claim_version(
            ProvincialRoadmap,
            pk=roadmap.pk,
            version=version,
            scope=Q(province=province, review_state__in=EDITABLE),
            values={"updated_at": timezone.now(), **fields},
        )
    except EditConflict as conflict:
        if isinstance(conflict.current, ProvincialRoadmap) and not conflict.current.is_editable:
            raise ActionRefused(
                _("The roadmap has been sent to the national Pokja meanwhile and can no longer be changed.")
            ) from None
        raise


def submit_roadmap(*, roadmap: ProvincialRoadmap, actor: User, comment: str = "") -> ProvincialRoadmap:
    """Send the roadmap to the national Pokja's review (it needs its file)."""
    if not roadmap.file_id:
        raise ActionRefused(_("Attach the roadmap file before sending it to the national Pokja."))
    review_services.submit(roadmap, actor=actor, comment=comment)
    return roadmap


def reopen_roadmap(*, roadmap: ProvincialRoadmap, actor: User, reason: str) -> ProvincialRoadmap:
    review_services.reopen(roadmap, actor=actor, reason=reason)
    return roadmap


def save_policy(
    *,
    province: Province,
    actor: User,
    kind: str,
    title: str,
    status: str,
    number: str = "",
    enacted_on: datetime.date | None = None,
    upload: Upload | None = None,
    file_kind: evidence.FileKind | None = None,
) -> ProvincialPolicy:
    """Add a document to the province's policy package; an enacted one needs its number and date."""
    number = (number or "").strip()
    if kind not in ProvincialPolicy.Kind.values or status not in ProvincialPolicy.Status.values:
        raise ActionRefused(_("Choose the type and the status of the policy document."))
    if status == ProvincialPolicy.Status.ENACTED and (not number or enacted_on is None):
        raise ActionRefused(_("An enacted policy document needs its number and its date."))
    new_file = accepted_upload(
        upload, file_kind, DOCUMENT_KINDS, _("The policy document must be a PDF or a Word (DOCX) file.")
    )
    with evidence.files_kept_on_commit():
        with transaction.atomic():
            policy = ProvincialPolicy.objects.create(
                province=province,
                kind=kind,
                title=title.strip(),
                status=status,
                number=number,
                enacted_on=enacted_on,
            )
        if new_file is not None:
            policy.file, policy.file_name = _store(ProvincialPolicy, policy.pk, new_file)
    return policy
