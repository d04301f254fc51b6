"""The transactional outbox: ``enqueue`` a message inside the transaction of the change that causes it,
``dispatch`` sends one, ``dispatch_pending`` (Celery beat, every minute) sends what is due.

How a message goes out:
1. ``enqueue(kind, **ids)`` writes an ``OutboxMessage`` in the caller's transaction, with the in-app
   notices of the event (``Handler.notice``, services/notices.py); nothing is sent or shown if that
   transaction rolls back.
2. After the commit the message is handed over: to a worker (the thin task ``dispatch_outbox_message``)
   when a broker is configured, in-process in eager mode (no broker) and for the kinds whose handler
   itself only hands work to the broker. If the broker does not answer, the row stays pending; nothing
   reaches the user's request but a log line.
3. ``dispatch`` claims the row (pending → sending, attempts + 1) with a conditional update, so one
   process at most runs its handler; success marks it sent, a failure records the error and makes the
   row due again after a backoff, until ``OUTBOX_MAX_ATTEMPTS`` (then failed: the admin can retry it).
4. A row left ``sending`` past ``OUTBOX_STALE_AFTER_SECONDS`` (its worker died) is tried again only when
   its handler claims its own send (``Handler.idempotent``: the digest's ``sent_at``, the delivery's
   ``notified_at``, the report job's claim token), so a second run cannot send it twice; the others are
   marked failed for a person to decide, since their e-mail may have gone out before the worker died.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from celery import Task
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from milestones.models import OutboxMessage
from milestones.services import notices

logger = logging.getLogger(__name__)
Status = OutboxMessage.Status


@dataclass(frozen=True)
class Handler:
    # Dotted path of the function that sends; it is called with the message's ids as keyword arguments.
    path: str
    # The handler claims its own send on a row of its own, so running it again sends nothing twice.
    idempotent: bool
    # Runs where the message was committed instead of on a worker: it only hands work to the broker.
    inline: bool = False
    # Dotted path of the function that lists the in-app notices of the event (services.notices): every kind
    # that e-mails someone has one; it is called by ``enqueue``, in the event's transaction, with the ids.
    notice: str | None = None


HANDLERS: dict[str, Handler] = {
    "update_submitted": Handler(
        "milestones.services.notifications.send_update_submitted",
        idempotent=False,
        notice="milestones.services.notices.update_submitted",
    ),
    "update_decided": Handler(
        "milestones.services.notifications.send_update_decided",
        idempotent=False,
        notice="milestones.services.notices.update_decided",
    ),
    "reminder_digest": Handler(
        "milestones.services.reminders.send_digest", idempotent=True, notice="milestones.services.notices.digest"
    ),
    # E-mails nobody: it hands the compile to a worker (a schedule's report is told as "scheduled_report").
    "report_job": Handler("reports.services.publish_job", idempotent=True, inline=True),
    "scheduled_report": Handler(
        "reports.services.mail_scheduled_report", idempotent=False, notice="reports.services.scheduled_report_notices"
    ),
    "report_delivery": Handler(
        "reports.deliveries.mail_delivery", idempotent=True, notice="reports.deliveries.delivery_notices"
    ),
}


def enqueue(kind: str, **ids: int) -> OutboxMessage:
    """Write the message, and the in-app notices of its event, in the current transaction and hand the
    message over once that commits."""
    if kind not in HANDLERS:
        raise ValueError(f"unknown outbox message kind {kind!r}")
    message = OutboxMessage.objects.create(kind=kind, payload=ids)
    notice = HANDLERS[kind].notice
    if notice is not None:
        notices.create(import_string(notice)(**ids))
    transaction.on_commit(partial(hand_over, message.pk, kind))
    return message


def hand_over(message_id: int, kind: str) -> None:
    """Send now (eager, inline kinds) or queue the thin task; never raises: the row is the promise."""
    from milestones import tasks  # the tasks module imports the services

    try:
        if _eager() or HANDLERS[kind].inline:
            dispatch(message_id)
        else:
            publish(tasks.dispatch_outbox_message, message_id)
    except Exception:  # the broker's client raises many kinds; the sweep sends the row later
        logger.warning("Outbox message %s stays pending; the sweep will send it.", message_id, exc_info=True)


def publish(task: Task[Any, Any], *args: object) -> None:
    """Queue ``task`` or raise at once: one connection attempt, no retries (kombu's default waits seconds
    between them, and a user's request may be waiting). Eager mode runs the task here."""
    if _eager():
        task.apply_async(args)
        return
    from ssk_tracker.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=0)
        # celery-types omits ``connection``, which Task.apply_async takes (and passes to send_task).
        task.apply_async(args, retry=False, connection=connection)  # type: ignore[call-arg]


def _eager() -> bool:
    from ssk_tracker.celery import app

    return bool(app.conf.task_always_eager)


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failure: doubling from OUTBOX_BACKOFF_SECONDS, capped."""
    seconds = settings.OUTBOX_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.OUTBOX_MAX_BACKOFF_SECONDS))


def claim(message_id: int, now: datetime.datetime) -> bool:
    """Take the row for one attempt if it is pending and due; False when someone else has it (or not yet)."""
    return (
        OutboxMessage.objects.filter(pk=message_id, status=Status.PENDING, available_at__lte=now).update(
            status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
        )
        == 1
    )


def dispatch(message_id: int) -> bool:
    """One attempt at sending the message; True if it was sent now. Failures are recorded, not raised."""
    claimed_at = timezone.now()
    if not claim(message_id, claimed_at):
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        send: Callable[..., object] = import_string(HANDLERS[message.kind].path)
        send(**message.payload)
    except Exception as error:
        _record_failure(message, claimed_at, error)
        return False
    OutboxMessage.objects.filter(pk=message_id, status=Status.SENDING, claimed_at=claimed_at).update(
        status=Status.SENT, sent_at=timezone.now()
    )
    return True


def _record_failure(message: OutboxMessage, claimed_at: datetime.datetime, error: Exception) -> None:
    # A row that no longer exists (or a kind no longer known) will not appear by waiting: give up at once.
    gone = isinstance(error, ObjectDoesNotExist) or message.kind not in HANDLERS
    give_up = gone or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk, status=Status.SENDING, claimed_at=claimed_at).update(
        status=Status.FAILED if give_up else Status.PENDING,
        available_at=now if give_up else now + backoff(message.attempts),
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    logger.warning(
        "Outbox message %s (%s) attempt %s failed%s.",
        message.pk,
        message.kind,
        message.attempts,
        "; giving up" if give_up else "; will retry",
        exc_info=error,
    )


def release_stale(now: datetime.datetime | None = None) -> list[int]:
    """Rows left ``sending`` by a dead worker: due again if their handler is idempotent, else failed."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.OUTBOX_STALE_AFTER_SECONDS)
    released = []
    for message in OutboxMessage.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff):
        handler = HANDLERS.get(message.kind)
        again = handler is not None and handler.idempotent and message.attempts < settings.OUTBOX_MAX_ATTEMPTS
        note = _("The attempt that started at %(time)s did not finish (its worker stopped).") % {
            "time": timezone.localtime(message.claimed_at).isoformat(timespec="seconds") if message.claimed_at else "?"
        }
        if not again:
            note += " " + _("Not retried automatically: the e-mail may have gone out. Retry it if it did not.")
        changed = OutboxMessage.objects.filter(
            pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at
        ).update(status=Status.PENDING if again else Status.FAILED, available_at=now, last_error=note)
        if changed and again:
            released.append(message.pk)
        elif changed:
            logger.warning("Outbox message %s (%s) abandoned mid-send; marked failed.", message.pk, message.kind)
    return released


def dispatch_pending(*, limit: int = 500) -> int:
    """The sweep: release stale rows, then try every due pending row once; returns how many were sent."""
    now = timezone.now()
    release_stale(now)
    due = list(
        OutboxMessage.objects.filter(status=Status.PENDING, available_at__lte=now)
        .order_by("available_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(dispatch(pk) for pk in due)


def retry(*, message_ids: Iterable[int]) -> int:
    """An administrator's retry: failed (or waiting) rows become due now with their attempts counted afresh."""
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update()
            .filter(pk__in=list(message_ids), status__in=[Status.FAILED, Status.PENDING])
            .values_list("pk", "kind")
        )
        OutboxMessage.objects.filter(pk__in=[pk for pk, _kind in rows]).update(
            status=Status.PENDING, attempts=0, available_at=timezone.now(), claimed_at=None
        )
        for pk, kind in rows:
            transaction.on_commit(partial(hand_over, pk, kind))
    return len(rows)
