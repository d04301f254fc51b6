"""The shared review workflow's writes (see milestones.models.review): submit, verify, return, reopen.

Each claims the state change race-safely (``filter(pk=…, review_state__in=…).update(…)``, so of two
reviewers acting at once one wins and the other gets a clear message) and writes its ``ReviewStep``.
Callers check who may act (regencies.scoping), wrap the call in their own transaction with what else
the act changes (a notice, a recomputed figure), and catch ``ActionRefused`` for the page.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones.models.review import Reviewed, ReviewState, ReviewStep
from milestones.services import ActionRefused
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import User

State = ReviewState
Action = ReviewStep.Action


def _claim(record: Reviewed, from_states: Iterable[str], **fields: object) -> bool:
    """Move ``record`` to the new fields if it is still in one of ``from_states``; True when it was."""
    model = type(record)
    if any(f.name == "version" for f in model._meta.concrete_fields):
        fields["version"] = F("version") + 1  # an open edit form of the record is now stale
    claimed = audit.update(model._default_manager.filter(pk=record.pk, review_state__in=list(from_states)), **fields)
    if claimed:
        record.refresh_from_db()
    return bool(claimed)


def _step(record: models.Model, action: str, actor: User, comment: str = "") -> ReviewStep:
    return ReviewStep.objects.create(
        content_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
        object_id=record.pk,
        action=action,
        actor=actor,
        at=timezone.now(),
        comment=comment,
    )


def note(record: models.Model, action: str, *, actor: User, comment: str = "") -> ReviewStep:
    """Record a step of a record's own life that is no review decision (a follow-up action started or
    dropped, a dropped one reopened), so that its page shows one history; the caller's transaction."""
    return _step(record, action, actor, (comment or "").strip())


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(message)
    return reason


def submit(record: Reviewed, *, actor: User, comment: str = "") -> Reviewed:
    """Send a draft or a returned record to its reviewer."""
    with transaction.atomic():
        if not _claim(
            record,
            [State.DRAFT, State.RETURNED],
            review_state=State.SUBMITTED,
            submitted_at=timezone.now(),
            submitted_by=actor,
        ):
            raise ActionRefused(_("This record was already submitted or decided; the page now shows its status."))
        _step(record, Action.SUBMITTED, actor, (comment or "").strip())
    return record


def verify(record: Reviewed, *, reviewer: User, comment: str = "") -> Reviewed:
    """Accept a submitted record."""
    with transaction.atomic():
        if not _claim(
            record,
            [State.SUBMITTED],
            review_state=State.VERIFIED,
            decided_at=timezone.now(),
            decided_by=reviewer,
            return_reason="",
        ):
            raise ActionRefused(_("This record is not waiting for review (any more); the page now shows its status."))
        _step(record, Action.VERIFIED, reviewer, (comment or "").strip())
    return record


def return_(record: Reviewed, *, reviewer: User, reason: str) -> Reviewed:
    """Send a submitted record back to its submitter with the reason, which the submitter sees."""
    reason = _reason(reason, _("Say why it is returned: the submitter reads the reason and corrects the record."))
    with transaction.atomic():
        if not _claim(
            record,
            [State.SUBMITTED],
            review_state=State.RETURNED,
            decided_at=timezone.now(),
            decided_by=reviewer,
            return_reason=reason,
        ):
            raise ActionRefused(_("This record is not waiting for review (any more); the page now shows its status."))
        _step(record, Action.RETURNED, reviewer, reason)
    return record


def reopen(record: Reviewed, *, actor: User, reason: str) -> Reviewed:
    """Open a verified record again for changes (it goes back to draft); the reason stays in its history."""
    reason = _reason(reason, _("Say why it is reopened; the reason stays in the record's history."))
    with transaction.atomic():
        if not _claim(record, [State.VERIFIED], review_state=State.DRAFT, decided_at=None, decided_by=None):
            raise ActionRefused(_("Only a verified record can be reopened; the page now shows its status."))
        _step(record, Action.REOPENED, actor, reason)
    return record
