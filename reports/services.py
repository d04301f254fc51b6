"""Report jobs: request, claim, compile, store; sweeping stuck jobs; running schedules.

A job is claimed with ``filter(pk=…, status=…).update(…)`` and a fresh claim token, and finished only
by the holder of that token, so however many workers receive it a job is compiled into one done
report. A done report never changes: compiling again means a new job.
"""

import datetime
import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from regencies.models import Province
from reports import data as report_data
from reports.models import ReportJob, ReportSchedule
from reports.render import labels, render_pdf

logger = logging.getLogger(__name__)
Status = ReportJob.Status


class NotClaimed(Exception):
    """Another worker holds the job (or it is finished); nothing to do."""


# --- Requesting --------------------------------------------------------------------------------------


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The year so far: what a monthly report to the province covers."""
    return datetime.date(today.year, 1, 1), today


def request_report(
    *,
    audience,
    province=None,
    balai=None,
    regency=None,
    period=None,
    language="id",
    requested_by=None,
    schedule=None,
    enqueue_job=True,
) -> ReportJob:
    """Create a queued job and hand it to the workers once the transaction commits
    (with ``enqueue_job=False`` the caller compiles it in the foreground)."""
    start, end = period or default_period(timezone.localdate())
    with transaction.atomic():
        job = ReportJob.objects.create(
            audience=audience,
            province=province,
            balai=balai,
            regency=regency,
            period_start=start,
            period_end=end,
            language=language,
            requested_by=requested_by,
            schedule=schedule,
            queued_at=timezone.now(),
        )
        if enqueue_job:
            transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> bool:
    """Send the job to the broker. If the broker is down the job stays queued and the sweeper retries."""
    from reports import tasks

    try:
        tasks.compile_report.apply_async((job_id,), retry=False)
        return True
    except Exception:  # the broker's client raises many kinds; the row is the source of truth
        logger.warning("Could not queue report job %s; the sweeper will retry.", job_id, exc_info=True)
        return False


# --- Compiling ---------------------------------------------------------------------------------------


def claim(job_id: int) -> uuid.UUID:
    """Take the job: queued, or running but stale (its worker died). Returns this attempt's token."""
    token = uuid.uuid4()
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS)
    claimed = ReportJob.objects.filter(
        Q(status=Status.QUEUED) | Q(status=Status.RUNNING, started_at__lt=stale), pk=job_id
    ).update(status=Status.RUNNING, claim_token=token, started_at=now, attempts=F("attempts") + 1, error="")
    if not claimed:
        raise NotClaimed
    return token


def held_by_live_worker(job_id: int) -> bool:
    """Running, and not yet stale: another worker may still finish it."""
    stale = timezone.now() - datetime.timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS)
    return ReportJob.objects.filter(pk=job_id, status=Status.RUNNING, started_at__gte=stale).exists()


def compile_job(job_id: int) -> ReportJob:
    """Claim, gather, render, store and finish one job (the task and compile_report both call this)."""
    token = claim(job_id)
    job = ReportJob.objects.select_related("province", "balai", "regency", "requested_by").get(pk=job_id)
    started = time.perf_counter()
    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        with translation.override(job.language):
            payload = build_payload(job, now=now)
    pdf, pages = render_pdf(payload)
    if settings.REPORT_TEST_DELAY_SECONDS:  # lets the integration test kill a worker mid-compile
        time.sleep(settings.REPORT_TEST_DELAY_SECONDS)
    name = job.file.storage.save(f"reports/{job.pk}/{token.hex}.pdf", ContentFile(pdf))
    finished = ReportJob.objects.filter(pk=job_id, status=Status.RUNNING, claim_token=token).update(
        status=Status.DONE,
        file=name,
        page_count=pages,
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        data_as_of=now,
        tracker_version=settings.TRACKER_VERSION,
        finished_at=timezone.now(),
        compile_seconds=time.perf_counter() - started,
        query_count=len(queries.captured_queries),
    )
    if not finished:
        # Someone else took over (we were presumed dead): drop our copy, theirs stands.
        job.file.storage.delete(name)
        raise NotClaimed
    job.refresh_from_db()
    if job.schedule_id:
        transaction.on_commit(lambda: _queue_schedule_mail(job.pk))
    return job


def after_failure(job_id: int, error: Exception, *, retries: int, max_retries: int) -> bool:
    """Record a failed attempt: back to the queue while retries remain (True), else failed for good."""
    message = f"{type(error).__name__}: {error}"
    if retries < max_retries:
        release(job_id, message)
        return True
    mark_failed(job_id, message)
    return False


def mark_failed(job_id: int, message: str) -> None:
    ReportJob.objects.filter(pk=job_id).exclude(status=Status.DONE).update(
        status=Status.FAILED, error=message[:2000], finished_at=timezone.now()
    )


def release(job_id: int, message: str) -> None:
    """A retryable failure: put the job back in the queue for the next attempt."""
    ReportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(status=Status.QUEUED, error=message[:2000])


def scope_of(job: ReportJob) -> report_data.Scope:
    if job.regency_id:
        return report_data.Scope(regency_code=job.regency_id)
    if job.province_id:
        return report_data.Scope(province_codes=[job.province_id])
    if job.balai_id:
        return report_data.Scope(province_codes=list(job.balai.provinces.values_list("code", flat=True)))
    return report_data.Scope(province_codes=list(Province.objects.values_list("code", flat=True)))


def build_payload(job: ReportJob, *, now) -> dict:
    scope = scope_of(job)
    body = report_data.gather(job.audience, scope, period=(job.period_start, job.period_end), now=now)
    titles = {
        "national": _("Progress report for the National Pokja PPAS"),
        "provincial": _("Progress report for the provincial Pokja"),
        "balai": _("Progress report for the Balai (BPPW)"),
        "regency": _("Regency progress report"),
    }
    as_of = formats.date_format(timezone.localtime(now), "DATETIME_FORMAT")
    meta = {
        "title": titles[job.audience],
        "audience": str(job.get_audience_display()),
        "scope": job.scope_label,
        "period": f"{formats.date_format(job.period_start)} – {formats.date_format(job.period_end)}",
        "as_of": as_of,
        "as_of_line": _("SSK Tracker · data as of %(time)s") % {"time": as_of},
        "version": settings.TRACKER_VERSION,
        "requested_by": (job.requested_by.get_full_name() or job.requested_by.username)
        if job.requested_by
        else (job.schedule.name if job.schedule_id else _("operator")),
        "language": job.language,
    }
    return {"meta": meta, "labels": labels(), **body}


# --- Keeping jobs moving -----------------------------------------------------------------------------


def sweep_stuck_jobs(now=None) -> list[int]:
    """Re-queue jobs stuck queued (the broker was down at request time) or running past the stale limit."""
    now = now or timezone.now()
    queued_before = now - datetime.timedelta(seconds=settings.REPORT_REQUEUE_AFTER_SECONDS)
    stale_before = now - datetime.timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS)
    stuck = list(
        ReportJob.objects.filter(
            Q(status=Status.QUEUED, queued_at__lt=queued_before) | Q(status=Status.RUNNING, started_at__lt=stale_before)
        ).values_list("pk", flat=True)
    )
    for job_id in stuck:
        ReportJob.objects.filter(pk=job_id).exclude(status=Status.DONE).update(queued_at=now)
        enqueue(job_id)
    return stuck


def run_due_schedules(today: datetime.date) -> list[ReportJob]:
    """Start today's scheduled reports, once per schedule per day however often this runs."""
    jobs = []
    for schedule in ReportSchedule.objects.filter(active=True, day_of_month=today.day):
        claimed = ReportSchedule.objects.filter(pk=schedule.pk).exclude(last_run_on=today).update(last_run_on=today)
        if not claimed:
            continue
        for scope in _schedule_scopes(schedule):
            jobs.append(
                request_report(
                    audience=schedule.audience,
                    language=schedule.language,
                    schedule=schedule,
                    period=default_period(today),
                    **scope,
                )
            )
    return jobs


def _schedule_scopes(schedule: ReportSchedule) -> list[dict]:
    from regencies.models import Balai

    if schedule.audience == "provincial":
        provinces = [schedule.province] if schedule.province_id else list(Province.objects.all())
        return [{"province": p} for p in provinces]
    if schedule.audience == "balai":
        balais = [schedule.balai] if schedule.balai_id else list(Balai.objects.all())
        return [{"balai": b} for b in balais]
    if schedule.audience == "regency":
        return [{"regency": schedule.regency}] if schedule.regency_id else []
    return [{}]


def _queue_schedule_mail(job_id: int) -> None:
    from reports import tasks

    tasks.mail_scheduled_report.delay(job_id)


def mail_scheduled_report(job_id: int) -> int:
    """E-mail the schedule's recipients a link to the report (never the file)."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    job = ReportJob.objects.select_related("schedule", "province", "balai", "regency").get(pk=job_id)
    recipients = job.schedule.recipient_list() if job.schedule_id else []
    if not recipients or job.status != Status.DONE:
        return 0
    link = f"{settings.SITE_URL}{reverse('report_download', args=[job.pk])}"
    with translation.override(job.language):
        context = {"job": job, "link": link}
        subject = render_to_string("emails/scheduled_report_subject.txt", context).strip()
        body = render_to_string("emails/scheduled_report_body.txt", context)
    send_mail(subject, body, None, recipients)
    return len(recipients)
