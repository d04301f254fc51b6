"""Report jobs: requesting one, its compile from claim to stored PDF, sweeping stuck jobs, schedules.

Every state change of a job is a method of ``ReportJob.objects`` (reports/models.py); this module
calls them in order. The Celery task (reports/tasks.py) runs ``compile_job`` and decides, when it
fails, whether to try again. A done report never changes: compiling again means a new job.
"""

import datetime
import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from typing import TypedDict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from milestones.models import Notice
from milestones.services import outbox
from regencies.models import Balai, Province, Regency
from reports import data as report_data
from reports.models import ReportJob, ReportSchedule
from reports.render import labels, render_pdf, stamp_content_sha256
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import User

logger = logging.getLogger(__name__)
Status = ReportJob.Status


class NotClaimed(Exception):
    """Another worker holds the job (or it is finished, or our claim was taken over); nothing to do."""


class CompileFailed(Exception):
    """A step after the claim went wrong; ``token`` is the claim, for recording the retry or failure."""

    def __init__(self, token: uuid.UUID, error: Exception) -> None:
        super().__init__(str(error))
        self.token = token
        self.error = error


# --- Requesting --------------------------------------------------------------------------------------


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The year so far: what a monthly report to the province covers."""
    return datetime.date(today.year, 1, 1), today


def request_report(
    *,
    audience: str,
    province: Province | None = None,
    balai: Balai | None = None,
    regency: Regency | None = None,
    period: tuple[datetime.date, datetime.date] | None = None,
    language: str = "id",
    requested_by: User | None = None,
    schedule: ReportSchedule | None = None,
    enqueue_job: bool = True,
) -> ReportJob:
    """Create a queued job and, in the same transaction, the outbox message that hands it to the workers
    (with ``enqueue_job=False`` the caller compiles it in the foreground)."""
    start, end = period or default_period(timezone.localdate())
    with transaction.atomic():
        job = ReportJob.objects.queue(
            audience=audience,
            province=province,
            balai=balai,
            regency=regency,
            period_start=start,
            period_end=end,
            language=language,
            requested_by=requested_by,
            schedule=schedule,
        )
        if enqueue_job:
            outbox.enqueue("report_job", job_id=job.pk)
    return job


def publish_job(job_id: int) -> None:
    """Send the job to the broker (the outbox's "report_job" handler); raises when the broker is down."""
    from reports import tasks  # the tasks module imports this one

    outbox.publish(tasks.compile_report, job_id)


def enqueue(job_id: int) -> bool:
    """Re-send a stuck job to the broker. If the broker is down the job stays queued and the sweeper retries."""
    try:
        publish_job(job_id)
        return True
    except Exception:  # the broker's client raises many kinds; the row is the source of truth
        logger.warning("Could not queue report job %s; the sweeper will retry.", job_id, exc_info=True)
        return False


# --- Compiling ---------------------------------------------------------------------------------------


# What ``connection.execute_wrapper`` hands a wrapper: the next step, called with (sql, params, many, context).
type _Execute = Callable[[str, object, bool, dict[str, object]], object]


class _QueryCounter:
    """Counts the database queries run while it is installed with ``connection.execute_wrapper``."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: _Execute, sql: str, params: object, many: bool, context: dict[str, object]) -> object:
        self.count += 1
        return execute(sql, params, many, context)


def compile_job(job_id: int) -> ReportJob:
    """One report from claim to stored PDF: claim, gather (reports.data), render (Typst), store, finish.

    The worker's task and the compile_report command both call this. Raises NotClaimed when another
    worker holds the job, it is finished, or our claim was taken over meanwhile; CompileFailed when a
    step after the claim fails (the caller decides whether to try again).
    """
    token = ReportJob.objects.claim(job_id)
    if token is None:
        raise NotClaimed
    try:
        job = ReportJob.objects.select_related("province", "balai", "regency", "requested_by").get(pk=job_id)
        started = time.perf_counter()
        data_as_of = timezone.now()
        queries = _QueryCounter()
        with connection.execute_wrapper(queries), translation.override(job.language):
            payload = build_payload(job, now=data_as_of)
        content_sha256 = stamp_content_sha256(payload)
        pdf, pages = render_pdf(payload)
        name = job.file.storage.save(f"reports/{job.pk}/{token.hex}.pdf", ContentFile(pdf))
        with transaction.atomic():  # done and, for a schedule's report, the e-mail of its link: together
            finished = ReportJob.objects.finish(
                job_id,
                token,
                file=name,
                page_count=pages,
                size=len(pdf),
                sha256=hashlib.sha256(pdf).hexdigest(),
                content_sha256=content_sha256,
                data_as_of=data_as_of,
                compile_seconds=time.perf_counter() - started,
                query_count=queries.count,
            )
            if finished and job.schedule_id:
                outbox.enqueue("scheduled_report", job_id=job.pk)
    except Exception as error:
        raise CompileFailed(token, error) from error
    if not finished:
        # Someone else took over (we were presumed dead): drop our copy, theirs stands.
        job.file.storage.delete(name)
        raise NotClaimed
    job.refresh_from_db()
    return job


def scope_of(job: ReportJob) -> report_data.Scope:
    if job.regency_id:
        return report_data.Scope(regency_code=job.regency_id)
    if job.province_id:
        return report_data.Scope(province_codes=frozenset([job.province_id]))
    if job.balai is not None:
        return report_data.Scope(province_codes=frozenset(job.balai.provinces.values_list("code", flat=True)))
    return report_data.Scope(province_codes=frozenset(Province.objects.values_list("code", flat=True)))


def build_payload(job: ReportJob, *, now: datetime.datetime) -> dict[str, object]:
    scope = scope_of(job)
    body = report_data.gather(job.audience, scope, period=(job.period_start, job.period_end), now=now)
    titles = {
        "national": _("Progress report for the National Pokja PPAS"),
        "provincial": _("Progress report for the provincial Pokja"),
        "balai": _("Progress report for the Balai (BPPW)"),
        "regency": _("Regency progress report"),
    }
    as_of = formats.date_format(timezone.localtime(now), "DATETIME_FORMAT")
    status_day = formats.date_format(report_data.status_day(job.period_end, now), "DATE_FORMAT")
    meta = {
        "title": titles[job.audience],
        "audience": str(job.get_audience_display()),
        "scope": job.scope_label,
        "period": f"{formats.date_format(job.period_start)} – {formats.date_format(job.period_end)}",
        "as_of": as_of,
        "as_of_line": _("SSK Tracker · data as of %(time)s") % {"time": as_of},
        # The day the report's status is read for: the period's end, or today while the period runs.
        "status_as_of": _("Status as of %(date)s") % {"date": status_day},
        "version": settings.TRACKER_VERSION,
        "requested_by": (job.requested_by.get_full_name() or job.requested_by.username)
        if job.requested_by
        else (job.schedule.name if job.schedule is not None else _("operator")),
        "language": job.language,
        # Every page's footer and the title page's verification block (reports/verification.py).
        "verification_code": job.verification_code or "",
        "verify_url": f"{settings.SITE_URL}{reverse('report_verify')}",
    }
    return {"meta": meta, "labels": labels(), **body}


# --- Keeping jobs moving -----------------------------------------------------------------------------


def sweep_stuck_jobs(now: datetime.datetime | None = None) -> list[int]:
    """Re-send jobs stuck queued (the broker was down at request time) or running past the stale limit."""
    stuck = ReportJob.objects.requeue_stuck(now or timezone.now())
    for job_id in stuck:
        enqueue(job_id)
    return stuck


def run_due_schedules(today: datetime.date) -> list[ReportJob]:
    """Start today's scheduled reports, once per schedule per day however often this runs."""
    jobs = []
    for schedule in ReportSchedule.objects.filter(active=True, day_of_month=today.day):
        # The rule the Laporan page shows as "next run"; this is the day's run, so it has not passed.
        if schedule.next_run_on(today) != today:
            continue
        # The day's claim, its jobs and their outbox messages commit together: a failure leaves the day unclaimed.
        with transaction.atomic():
            # Claimed only while still active: a pause from the Laporan page meanwhile wins.
            claimed = audit.update(
                ReportSchedule.objects.filter(pk=schedule.pk, active=True).exclude(last_run_on=today),
                last_run_on=today,
            )
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


class ReportScope(TypedDict, total=False):
    """The scope arguments of ``request_report``: one of them, or none for the nation."""

    province: Province
    balai: Balai
    regency: Regency


def _schedule_scopes(schedule: ReportSchedule) -> list[ReportScope]:
    if schedule.audience == "provincial":
        provinces = [schedule.province] if schedule.province is not None else list(Province.objects.all())
        return [{"province": p} for p in provinces]
    if schedule.audience == "balai":
        balais = [schedule.balai] if schedule.balai is not None else list(Balai.objects.all())
        return [{"balai": b} for b in balais]
    if schedule.audience == "regency":
        return [{"regency": schedule.regency}] if schedule.regency is not None else []
    return [{}]


def schedule_recipient_users(job: ReportJob) -> QuerySet[User]:
    """The tracker's active users among the schedule's addresses (``recipient_list``, what the e-mail goes
    to), matched without regard to case: they also get the in-app notice."""
    addresses = [address.lower() for address in job.schedule.recipient_list()] if job.schedule is not None else []
    return get_user_model().objects.filter(is_active=True).alias(address=Lower("email")).filter(address__in=addresses)


def scheduled_report_notices(job_id: int) -> list[Notice]:
    """The outbox's notice of "scheduled_report" (written when the report is done), linked to the download."""
    job = ReportJob.objects.select_related("schedule", "province", "balai", "regency").get(pk=job_id)
    if job.schedule is None:
        return []
    params = {"job_id": job.pk, "schedule": job.schedule.name, "scope": job.scope_label}
    return [
        Notice(
            recipient=user,
            kind=Notice.Kind.SCHEDULED_REPORT,
            params=params,
            target_name="report_download",
            target_args=[job.pk],
        )
        for user in schedule_recipient_users(job)
    ]


def mail_scheduled_report(job_id: int) -> int:
    """E-mail the schedule's recipients a link to the report (never the file)."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    job = ReportJob.objects.select_related("schedule", "province", "balai", "regency").get(pk=job_id)
    recipients = job.schedule.recipient_list() if job.schedule is not None else []
    if not recipients or job.status != Status.DONE:
        return 0
    link = f"{settings.SITE_URL}{reverse('report_download', args=[job.pk])}"
    with translation.override(job.language):
        context = {"job": job, "link": link}
        subject = render_to_string("emails/scheduled_report_subject.txt", context).strip()
        body = render_to_string("emails/scheduled_report_body.txt", context)
    send_mail(subject, body, None, recipients)
    return len(recipients)
