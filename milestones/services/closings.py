"""Closing a follow-up action by proof, and the organising province's acceptance or return of the closing.

The owner (``selectors.clinics.may_update_action``) closes an open or in-progress action with a note and
its proofs: records of the tracker (``milestones.proofs``, each checked against ``proofs.candidates``:
one the closer may not see, or that concerns another regency, refuses the whole closing) and uploaded
files. That makes a ``FollowUpClosing`` submitted through the shared review workflow
(``services.review``) and moves the action to "waiting for acceptance". The province's Pokja staff
accept it (the action is done, counted as completed from then) or return it with a reason (the action is
in progress again; the owner closes it anew, a new closing). Reopening a done action reopens its
accepted closing with a reason; a dropped one is reopened with a reason on the action's own history.
Each act claims the action's status race-safely, so of two people acting at once one wins.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones import evidence, proofs
from milestones.models import ActionEvidence, ClosingProof, FollowUpAction, FollowUpClosing, ReviewState
from milestones.services import ActionRefused, CheckedUpload, review, upload_name
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import User

Status = FollowUpAction.Status
ACTIVE = FollowUpAction.ACTIVE_STATUSES

type ProofRef = tuple[str, int]  # (kind key, record id)


def _claim(action: FollowUpAction, from_statuses: Iterable[str], **fields: object) -> bool:
    fields["updated_at"] = timezone.now()
    claimed = audit.update(
        FollowUpAction.objects.filter(pk=action.pk, status__in=list(from_statuses)), **fields, version=F("version") + 1
    )
    if claimed:
        action.refresh_from_db(fields=["version"])
        for key, value in fields.items():
            setattr(action, key, value)
    return bool(claimed)


def checked_proofs(*, action: FollowUpAction, actor: User, refs: Iterable[ProofRef]) -> list[ProofRef]:
    """The references, each one a record ``actor`` may link as proof of ``action`` (one query a kind)."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for key, pk in refs:
        by_kind[key].add(int(pk))
    checked: list[ProofRef] = []
    for key, pks in by_kind.items():
        kind = proofs.KINDS.get(key)
        if kind is None:
            raise ActionRefused(_("A proof of an unknown kind was chosen; choose the proofs again."))
        allowed = set(proofs.candidates(actor, action, kind).filter(pk__in=sorted(pks)).values_list("pk", flat=True))
        if allowed != pks:
            raise ActionRefused(
                _("A chosen %(kind)s is not one you may link to this follow-up (it concerns another region).")
                % {"kind": str(kind.label).lower()}
            )
        checked.extend((key, pk) for pk in sorted(pks))
    return checked


def close_action(
    *,
    action: FollowUpAction,
    actor: User,
    closing_note: str,
    proofs: Iterable[ProofRef] = (),
    files: Iterable[CheckedUpload] = (),
) -> FollowUpClosing:
    """Submit the action's closing to the province with its note and proofs (tracker records and/or
    ``files``: (upload, kind) pairs that passed ``evidence.identify``); at least one proof."""
    closing_note = (closing_note or "").strip()
    if not closing_note:
        raise ActionRefused(_("Write a closing note: what was done, and where the result can be seen."))
    files = list(files)
    refs = checked_proofs(action=action, actor=actor, refs=proofs)
    if not refs and not files:
        raise ActionRefused(_("Link at least one record of the tracker or upload a file as proof of the closing."))
    with evidence.files_kept_on_commit():
        now = timezone.now()
        fields = {"closing_note": closing_note, "closed_by": actor, "closed_at": None}
        claimed = _claim(action, ACTIVE, status=Status.CLOSING, **fields)
        if not claimed:
            raise ActionRefused(
                _("This action was closed or dropped meanwhile; the page now shows its current status.")
            )
        closing = FollowUpClosing.objects.create(action=action, note=closing_note, created_by=actor, created_at=now)
        audit.bulk_created(
            ClosingProof.objects.bulk_create(ClosingProof(closing=closing, kind=k, object_id=pk) for k, pk in refs)
        )
        for uploaded, kind in files:
            blob = evidence.store(uploaded, kind)
            ActionEvidence.objects.create(
                action=action, closing=closing, blob=blob, original_name=upload_name(uploaded), uploaded_by=actor
            )
        review.submit(closing, actor=actor)
    return closing


def _not_waiting() -> ActionRefused:
    return ActionRefused(_("No closing of this action waits for acceptance (any more); the page shows its status."))


def _waiting_closing(action: FollowUpAction) -> FollowUpClosing:
    closing = action.closings.filter(review_state=ReviewState.SUBMITTED).order_by("-submitted_at", "-pk").first()
    if closing is None or action.status != Status.CLOSING:
        raise _not_waiting()
    return closing


def accept_closing(*, action: FollowUpAction, reviewer: User, comment: str = "") -> FollowUpClosing:
    """The province accepts the waiting closing: the action is done from now."""
    with transaction.atomic():
        closing = _waiting_closing(action)
        review.verify(closing, reviewer=reviewer, comment=comment)
        if not _claim(action, [Status.CLOSING], status=Status.DONE, closed_at=closing.decided_at):
            raise _not_waiting()
    return closing


def return_closing(*, action: FollowUpAction, reviewer: User, reason: str) -> FollowUpClosing:
    """The province returns the waiting closing with the reason: the action is in progress again."""
    with transaction.atomic():
        closing = _waiting_closing(action)
        review.return_(closing, reviewer=reviewer, reason=reason)
        if not _claim(action, [Status.CLOSING], status=Status.IN_PROGRESS, closed_at=None, closed_by=None):
            raise _not_waiting()
    return closing


def reopen_action(*, action: FollowUpAction, actor: User, reason: str) -> FollowUpAction:
    """Open a done or dropped action again (the province's act) with the reason; its closing note or
    reason for dropping stays. A done action's accepted closing is reopened with it."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Say why the action is reopened; the reason stays in its history."))
    with transaction.atomic():
        was_done = action.status == Status.DONE
        if not _claim(action, [Status.DONE, Status.DROPPED], status=Status.OPEN, closed_at=None, closed_by=None):
            raise ActionRefused(_("This action is not done or dropped (any more), so there is nothing to reopen."))
        accepted = action.closings.filter(review_state=ReviewState.VERIFIED).order_by("-decided_at", "-pk").first()
        if was_done and accepted is not None:
            review.reopen(accepted, actor=actor, reason=reason)
        else:  # dropped, or done before closings were reviewed
            review.note(action, review.Action.REOPENED, actor=actor, comment=reason)
    return action
