"""In-app notices: writing them with their event, marking them read, pruning old ones.

Every outbox kind that e-mails someone names, in ``services.outbox.HANDLERS``, the function that lists its
notices; ``outbox.enqueue`` calls it and ``create`` stores the result in the same transaction as the event,
so a rolled-back event leaves no notice and no event is forgotten (a test checks each kind has one). The
recipients are those of the e-mail, from the same function (``notifications.reviewer_users``,
``notifications.decision_users``, the digest's user, ``scoping.recipient_users``, the schedule's
addresses), but without the e-mail-address filter: a user without one still reads the notice.

The functions for the report kinds live beside their senders in ``reports`` (milestones never imports
reports). A notice stores values, not sentences (models/notices.py): it is worded when shown.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from milestones.models import MilestoneUpdate, Notice, ReminderDigest
from milestones.services import notifications
from ssk_tracker.lib.users import User

Kind = Notice.Kind


def create(notices: Iterable[Notice]) -> list[Notice]:
    """Store the notices (the caller's transaction is the event's)."""
    return Notice.objects.bulk_create(list(notices))


def _about_update(kind: str, update: MilestoneUpdate, users: Iterable[User], **extra: object) -> list[Notice]:
    milestone = update.milestone
    params = {
        "update_id": update.pk,
        "milestone_id": milestone.pk,
        "code": milestone.definition.code,
        "regency": milestone.regency.name,
        **extra,
    }
    return [
        Notice(recipient=user, kind=kind, params=params, target_name="milestone", target_args=[milestone.pk])
        for user in users
    ]


def update_submitted(update_id: int) -> list[Notice]:
    """The provincial Pokja staff who review it."""
    update = notifications.load(update_id)
    return _about_update(Kind.UPDATE_SUBMITTED, update, notifications.reviewer_users(update.milestone.regency))


def update_decided(update_id: int) -> list[Notice]:
    """The author, with the outcome and, for a return, the reason (what the officer must read at once)."""
    update = notifications.load(update_id)
    returned = update.status == MilestoneUpdate.Status.RETURNED
    return _about_update(
        Kind.UPDATE_DECIDED,
        update,
        notifications.decision_users(update),
        outcome="returned" if returned else "approved",
        reason=update.return_reason if returned else "",
        progress=update.progress,
    )


def digest(digest_id: int) -> list[Notice]:
    """One a person a day: the digest row is unique per user and day, and this is written with it."""
    row = ReminderDigest.objects.select_related("user").get(pk=digest_id)
    params = {"digest_id": row.pk, "day": row.day.isoformat(), "count": row.item_count}
    return [Notice(recipient=row.user, kind=Kind.REMINDER_DIGEST, params=params, target_name="my_tasks")]


# --- Reading them ------------------------------------------------------------------------------------


def mark_read(*, notice: Notice, now: datetime.datetime | None = None) -> bool:
    """Read now, unless it was already (the first reading stays); True if this call marked it."""
    changed = Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now or timezone.now())
    return changed == 1


def mark_all_read(*, user: User) -> int:
    """Every unread notice of the user read now; returns how many."""
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def prune(now: datetime.datetime | None = None) -> int:
    """Delete notices read more than ``NOTICE_KEEP_READ_DAYS`` days ago (unread ones stay); returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.NOTICE_KEEP_READ_DAYS)
    deleted, _by_model = Notice.objects.filter(read_at__lt=cutoff).delete()
    return deleted
