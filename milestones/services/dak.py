"""The DAK readiness documents' writes: the regency's officer uploads files and submits them, the Balai
verifies them or returns them with a reason (the shared review workflow, ``services.review``).

Callers check who may act (``regencies.scoping.can_prepare_dak`` / ``can_verify_dak``). An upload with a
file that cannot be stored saves nothing (``evidence.files_kept_on_commit``).
"""

from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones import evidence
from milestones.models import BudgetLine, DakReadiness, DakReadinessFile, FundingSource
from milestones.services import ActionRefused, CheckedUpload, review, upload_name
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import User


def upload_readiness(*, line: BudgetLine, actor: User, files: Iterable[CheckedUpload], note: str = "") -> DakReadiness:
    """Add ``files`` ((upload, kind) pairs that passed ``evidence.identify``) to the line's readiness
    documents, made on the first upload; only while they are a draft or returned."""
    if line.source != FundingSource.DAK:
        raise ActionRefused(_("Readiness documents are uploaded for a DAK budget line only."))
    files = list(files)
    if not files:
        raise ActionRefused(_("Choose at least one readiness document to upload."))
    note = (note or "").strip()
    with evidence.files_kept_on_commit():
        readiness, created = DakReadiness.objects.select_for_update().get_or_create(
            budget_line=line, defaults={"created_by": actor, "created_at": timezone.now(), "note": note}
        )
        if not readiness.is_editable:
            raise ActionRefused(
                _("These readiness documents wait for the Balai or were verified; nothing can be added now.")
            )
        for uploaded, kind in files:
            blob = evidence.store(uploaded, kind)
            DakReadinessFile.objects.create(
                readiness=readiness, blob=blob, original_name=upload_name(uploaded), uploaded_by=actor
            )
        if not created:
            fields: dict[str, object] = {"version": F("version") + 1}
            if note:
                fields["note"] = note
            audit.update(DakReadiness.objects.filter(pk=readiness.pk), **fields)
            readiness.refresh_from_db()
    return readiness


def submit_readiness(*, readiness: DakReadiness, actor: User, comment: str = "") -> DakReadiness:
    """Send the documents to the Balai (at least one file)."""
    if not readiness.files.exists():
        raise ActionRefused(_("Upload at least one readiness document before submitting."))
    review.submit(readiness, actor=actor, comment=comment)
    return readiness


def verify_readiness(*, readiness: DakReadiness, reviewer: User, comment: str = "") -> DakReadiness:
    review.verify(readiness, reviewer=reviewer, comment=comment)
    return readiness


def return_readiness(*, readiness: DakReadiness, reviewer: User, reason: str) -> DakReadiness:
    review.return_(readiness, reviewer=reviewer, reason=reason)
    return readiness
