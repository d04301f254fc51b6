"""Thin tasks: take an id, load, call a service. Messages go through the outbox (services/outbox.py)."""

import datetime

from celery import shared_task

from milestones.services import notices, notifications, outbox, reminders


# The three e-mail tasks below are no longer queued by the send paths (they write outbox rows); they stay
# so that messages already in the broker when this version is deployed still find their task.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_update_submitted(update_id: int) -> int:
    return notifications.send_update_submitted(update_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_update_decided(update_id: int) -> int:
    return notifications.send_update_decided(update_id)


@shared_task
def send_daily_reminders(day: str | None = None) -> int:
    """Scheduled daily (CELERY_BEAT_SCHEDULE); ``day`` is an ISO date, today in WIB when omitted."""
    return reminders.send_daily_reminders(datetime.date.fromisoformat(day) if day else None)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_reminder_digest(digest_id: int) -> int:
    return reminders.send_digest(digest_id)


@shared_task(acks_late=True)
def dispatch_outbox_message(message_id: int) -> bool:
    """One outbox message, right after its commit; a redelivery finds it claimed and does nothing."""
    return outbox.dispatch(message_id)


@shared_task
def dispatch_outbox() -> int:
    """The sweep (CELERY_BEAT_SCHEDULE, every minute): what the broker missed, retries, dead workers' rows."""
    return outbox.dispatch_pending()


@shared_task
def prune_notices() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): notices read more than NOTICE_KEEP_READ_DAYS days ago."""
    return notices.prune()
