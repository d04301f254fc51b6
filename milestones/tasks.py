"""Thin tasks: take an id, load, call a service (queued with transaction.on_commit)."""

import datetime

from celery import shared_task

from milestones.services import notifications, reminders


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
