"""The daily reminder digest: one e-mail per person per day of what ``selectors.reminders`` lists.

The daily job (``send_daily_reminders``, Celery beat at 07:00 WIB) sends each person at most ONE digest
a day: it claims the day by creating ``ReminderDigest(user, day)`` (unique per user and day) and queues
its e-mail in the same transaction (an outbox row); a second or concurrent run fails to create the row and skips.
The e-mail task in turn claims the send (``sent_at``) before sending, so a redelivered task sends nothing.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from milestones.models import ReminderDigest
from milestones.selectors.reminders import group, tasks
from milestones.services import notifications, outbox
from ssk_tracker.lib.users import User

logger = logging.getLogger(__name__)


def digest_recipients() -> QuerySet[User]:
    """Active users with a role. Those without an e-mail address are claimed a digest too: its in-app notice
    (services.notices) is theirs; ``send_digest`` sends them no e-mail."""
    return get_user_model().objects.filter(is_active=True, ssk_role__isnull=False).order_by("pk")


def send_daily_reminders(today: datetime.date | None = None) -> int:
    """Claim and queue today's digest for everyone who has something pending; returns how many were claimed.

    Each person on their own: a failure while listing or claiming one person's digest is logged and the
    run goes on (nothing was claimed for them, so a second run the same day tries them again). A failure
    to send is the outbox's to record and retry.
    """
    today = today or timezone.localdate()
    claimed = 0
    for user in list(digest_recipients()):  # loaded first: each claim below commits on its own
        try:
            count = tasks(user, today).total  # counted, not listed: the national Pokja's run to thousands
            if count and claim_digest(user=user, day=today, item_count=count) is not None:
                claimed += 1
        except Exception:
            logger.exception("Reminder digest of user %s for %s not claimed; the others go on.", user.pk, today)
    return claimed


def claim_digest(*, user: User, day: datetime.date, item_count: int) -> ReminderDigest | None:
    """Create the user's digest row for ``day`` with its outbox message; None if already claimed."""
    try:
        with transaction.atomic():
            digest = ReminderDigest.objects.create(user=user, day=day, item_count=item_count)
            outbox.enqueue("reminder_digest", digest_id=digest.pk)
    except IntegrityError:
        return None  # another run (or a concurrent one) already has this person's digest for the day
    return digest


def send_digest(digest_id: int) -> int:
    """Send one claimed digest, with the items as they are now; returns the number of e-mails sent.

    The send is claimed first (``sent_at`` set where it is still empty) so that a redelivered or
    overlapping attempt finds it claimed and sends nothing.
    """
    digest = ReminderDigest.objects.select_related("user").get(pk=digest_id)
    user = digest.user
    if digest.sent_at is not None or not user.is_active or not user.email:
        return 0
    pending = tasks(user, digest.day)
    if not pending.total:
        return 0  # done in the meantime
    claimed_at = timezone.now()
    claimed = ReminderDigest.objects.filter(pk=digest.pk, sent_at__isnull=True).update(
        sent_at=claimed_at, item_count=pending.total
    )
    if not claimed:
        return 0  # another delivery of this task is sending it
    link = f"{settings.SITE_URL}{reverse('my_tasks')}"
    context = {"user": user, "day": digest.day, "count": pending.total, "link": link, "level": pending.level}
    if pending.is_long:
        # As the page does: the count of each area and kind of task, each area linking to its list there.
        context["areas"] = pending.areas()
        context["rules"] = pending.rules
    else:
        context["groups"] = group(pending.items())
    try:
        return notifications._send("reminder_digest", context, [user.email])
    except Exception:
        # Release our claim so that the outbox's retry can send: a reminder lost to a passing mail-server
        # error is worse than the rare duplicate when the server took the message and then failed.
        # A worker killed mid-send leaves the claim in place: that digest is not sent (at most once).
        ReminderDigest.objects.filter(pk=digest.pk, sent_at=claimed_at).update(sent_at=None)
        raise
