"""Thin tasks: they take an id and call a service."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from reports import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=4)
def compile_report(self, job_id: int) -> str:
    try:
        job = services.compile_job(job_id)
    except services.NotClaimed:
        if services.held_by_live_worker(job_id):
            # A redelivered message while another worker may still be compiling: look again once its
            # claim could have gone stale (if that worker died, this attempt takes over).
            raise self.retry(countdown=max(settings.REPORT_STALE_AFTER_SECONDS / 2, 1), max_retries=None) from None
        return "not claimed"
    except Exception as error:  # any failure: retry with backoff, then a readable message on the job
        if services.after_failure(job_id, error, retries=self.request.retries, max_retries=self.max_retries):
            raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error
        raise
    return job.file.name


@shared_task
def sweep_stuck_reports() -> int:
    return len(services.sweep_stuck_jobs())


@shared_task
def run_report_schedules() -> int:
    return len(services.run_due_schedules(timezone.localdate()))


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def mail_scheduled_report(job_id: int) -> int:
    return services.mail_scheduled_report(job_id)
