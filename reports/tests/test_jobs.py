import datetime
from pathlib import Path

import pytest
import time_machine
from celery.exceptions import Retry
from django.utils import timezone

from reports import services, tasks
from reports.models import ReportJob, ReportJobQuerySet


@pytest.fixture
def job(kalteng):
    return services.request_report(audience="provincial", province=kalteng, enqueue_job=False)


def test_the_presumed_dead_worker_cannot_finish_over_the_new_one(job):
    first_token = ReportJob.objects.claim(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    done = services.compile_job(job.pk)  # the second worker takes over and finishes
    finished = ReportJob.objects.finish(
        job.pk,
        first_token,
        file="reports/x.pdf",
        page_count=1,
        size=1,
        sha256="",
        data_as_of=timezone.now(),
        compile_seconds=1,
        query_count=1,
    )
    assert finished is False and done.status == "done"
    assert ReportJob.objects.get(pk=job.pk).sha256 == done.sha256


def test_a_compile_whose_claim_was_taken_over_drops_its_file(job, settings, monkeypatch):
    render = services.render_pdf
    tokens = []

    def taken_over_meanwhile(payload):
        tokens.append(ReportJob.objects.get(pk=job.pk).claim_token)
        stale = timezone.now() + datetime.timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 1)
        with time_machine.travel(stale, tick=False):
            ReportJob.objects.take_over(job.pk)  # another worker presumed this one dead
        return render(payload)

    monkeypatch.setattr(services, "render_pdf", taken_over_meanwhile)
    with pytest.raises(services.NotClaimed):
        services.compile_job(job.pk)
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 2 and not job.file
    assert not (Path(settings.MEDIA_ROOT) / "reports" / str(job.pk) / f"{tokens[0].hex}.pdf").exists()


def test_a_failing_step_reports_the_claim_and_leaves_the_decision_to_the_caller(job, monkeypatch):
    monkeypatch.setattr(services, "render_pdf", lambda payload: 1 / 0)
    with pytest.raises(services.CompileFailed) as failed:
        services.compile_job(job.pk)
    job.refresh_from_db()
    assert isinstance(failed.value.error, ZeroDivisionError) and failed.value.token == job.claim_token
    assert job.status == "running"


def test_failures_retry_then_fail_with_a_readable_message(job, monkeypatch):
    def broken(payload):
        raise RuntimeError("Typst could not lay out the table")

    monkeypatch.setattr(services, "render_pdf", broken)
    retries, countdowns = [], []
    for name, retried in (("retry_later", True), ("fail", False)):
        change = getattr(ReportJobQuerySet, name)

        def recorded(queryset, pk, token, error, change=change, retried=retried):
            changed = change(queryset, pk, token, error)
            retries.append(retried)
            assert "Typst could not lay out the table" in ReportJob.objects.get(pk=pk).error
            return changed

        monkeypatch.setattr(ReportJobQuerySet, name, recorded)
    # What a worker does: each retry is a new delivery with the attempt number, after the countdown.
    monkeypatch.setattr(
        tasks.compile_report, "retry", lambda **options: countdowns.append(options["countdown"]) or Retry()
    )
    for attempt in range(tasks.compile_report.max_retries + 1):
        result = tasks.compile_report.apply(args=[job.pk], retries=attempt, throw=False)
    job.refresh_from_db()
    assert retries == [True] * tasks.compile_report.max_retries + [False]
    assert countdowns == [2, 4, 8, 16]  # the backoff a worker waits between attempts
    assert result.state == "FAILURE" and isinstance(result.result, RuntimeError)
    assert job.status == "failed" and job.attempts == tasks.compile_report.max_retries + 1
    assert job.error == "RuntimeError: Typst could not lay out the table"


def test_the_task_marks_the_job_failed_after_its_last_retry(job, monkeypatch):
    monkeypatch.setattr(services, "render_pdf", lambda payload: 1 / 0)
    result = tasks.compile_report.apply(args=[job.pk], retries=tasks.compile_report.max_retries, throw=False)
    job.refresh_from_db()
    assert result.state == "FAILURE"
    assert job.status == "failed" and job.error.startswith("ZeroDivisionError")


def test_the_last_failure_shows_no_server_path(job, monkeypatch):
    def unwritable(payload):
        raise PermissionError(13, "Permission denied", "/srv/ssk/media/reports/7/3f2a.pdf")

    monkeypatch.setattr(services, "render_pdf", unwritable)
    tasks.compile_report.apply(args=[job.pk], retries=tasks.compile_report.max_retries, throw=False)
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "PermissionError: [Errno 13] Permission denied: '3f2a.pdf'"


def test_a_redelivered_message_waits_while_another_worker_holds_the_job(job, monkeypatch, settings):
    ReportJob.objects.claim(job.pk)  # a live worker is compiling it
    asked = []
    monkeypatch.setattr(tasks.compile_report, "retry", lambda **options: asked.append(options) or Retry())
    result = tasks.compile_report.apply(args=[job.pk], throw=False)
    assert result.state == "RETRY"
    assert asked == [{"countdown": settings.REPORT_STALE_AFTER_SECONDS / 2, "max_retries": None}]
    assert ReportJob.objects.get(pk=job.pk).attempts == 1


def test_a_message_for_a_done_job_does_nothing(job):
    done = services.compile_job(job.pk)
    assert tasks.compile_report.apply(args=[job.pk]).get() == "not claimed"
    job.refresh_from_db()
    assert job.attempts == 1 and job.sha256 == done.sha256


def test_the_task_returns_the_stored_file(job):
    name = tasks.compile_report.apply(args=[job.pk]).get()
    assert name == ReportJob.objects.get(pk=job.pk).file.name and name.startswith(f"reports/{job.pk}/")


def test_a_job_requested_while_the_broker_is_down_stays_queued_until_the_sweeper(
    kalteng, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(tasks.compile_report, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_report(audience="provincial", province=kalteng)
    job.refresh_from_db()
    assert job.status == "queued"
    monkeypatch.undo()  # the broker is back
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5), tick=False):
        assert services.sweep_stuck_jobs() == [job.pk]
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 1


def test_the_sweeper_leaves_fresh_and_finished_jobs_alone(job):
    assert services.sweep_stuck_jobs() == []


def test_jobs_are_queued_only_after_the_request_commits(kalteng, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(tasks.compile_report, "apply_async", lambda args, **kw: sent.append(args))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.request_report(audience="provincial", province=kalteng)
    assert sent == [] and len(callbacks) == 1
    callbacks[0]()
    assert sent == [(job.pk,)]
