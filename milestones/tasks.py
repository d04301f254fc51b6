"""Thin tasks: take an id, load, call a service (queued with transaction.on_commit)."""

from celery import shared_task

from milestones import notifications


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_update_submitted(update_id: int) -> int:
    return notifications.send_update_submitted(update_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_update_decided(update_id: int) -> int:
    return notifications.send_update_decided(update_id)
