"""Celery's part of the reports: each task takes an id and calls a service.

``compile_report`` adds what only Celery knows: late acknowledgement (a SIGKILLed worker's message is
delivered again) and how many times to try and how long to wait in between. What happens to the job is
``services.compile_job`` and the ``ReportJob.objects`` state changes.
"""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from reports import deliveries, services
from reports.models import ReportJob


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=4)
def compile_report(self, job_id: int) -> str:
    try:
        job = services.compile_job(job_id)
    except services.NotClaimed:
        if ReportJob.objects.held_by_live_worker(job_id):
            # A redelivered message while another worker may still be compiling: look again once its
            # claim could have gone stale (if that worker died, this attempt takes over).
            raise self.retry(countdown=max(settings.REPORT_STALE_AFTER_SECONDS / 2, 1), max_retries=None) from None
        return "not claimed"
    except services.CompileFailed as failed:  # back to the queue with backoff (2, 4, 8, 16 s), then failed
        if self.request.retries < self.max_retries:
            ReportJob.objects.retry_later(job_id, failed.token, failed.error)
            raise self.retry(exc=failed.error, countdown=2 ** (self.request.retries + 1)) from failed.error
        ReportJob.objects.fail(job_id, failed.token, failed.error)
        raise failed.error from None
    return job.file.name  # a schedule's e-mail is an outbox message written with the job's completion


@shared_task
def sweep_stuck_reports() -> int:
    return len(services.sweep_stuck_jobs())


@shared_task
def run_report_schedules() -> int:
    return len(services.run_due_schedules(timezone.localdate()))


# The two e-mail tasks below are no longer queued (the send paths write outbox rows, milestones/services/
# outbox.py); they stay so that messages already in the broker when this version is deployed find their task.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def mail_scheduled_report(job_id: int) -> int:
    return services.mail_scheduled_report(job_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def mail_report_delivery(delivery_id: int) -> int:
    return deliveries.mail_delivery(delivery_id)
