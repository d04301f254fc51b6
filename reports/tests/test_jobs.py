import datetime

import pytest
import time_machine
from django.utils import timezone

from reports import services, tasks
from reports.models import ReportJob


@pytest.fixture
def job(kalteng):
    return services.request_report(audience="provincial", province=kalteng, enqueue_job=False)


def test_a_job_is_claimed_once(job):
    services.claim(job.pk)
    with pytest.raises(services.NotClaimed):
        services.claim(job.pk)
    assert ReportJob.objects.get(pk=job.pk).attempts == 1


def test_a_running_job_whose_worker_died_is_taken_over(job, settings):
    services.claim(job.pk)
    later = timezone.now() + datetime.timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        services.claim(job.pk)
    assert ReportJob.objects.get(pk=job.pk).attempts == 2


def test_the_presumed_dead_worker_cannot_finish_over_the_new_one(job, settings, monkeypatch):
    first_token = services.claim(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    done = services.compile_job(job.pk)  # the second worker takes over and finishes
    finished = ReportJob.objects.filter(pk=job.pk, status="running", claim_token=first_token).update(status="done")
    assert finished == 0 and done.status == "done"


def test_failures_retry_then_fail_with_a_readable_message(job, monkeypatch):
    def broken(payload):
        raise RuntimeError("Typst could not lay out the table")

    monkeypatch.setattr(services, "render_pdf", broken)
    retries = []
    for attempt in range(tasks.compile_report.max_retries + 1):  # what the worker does, with backoff
        with pytest.raises(RuntimeError) as error:
            services.compile_job(job.pk)
        retries.append(
            services.after_failure(job.pk, error.value, retries=attempt, max_retries=tasks.compile_report.max_retries)
        )
        job.refresh_from_db()
        assert "Typst could not lay out the table" in job.error
    assert retries == [True] * tasks.compile_report.max_retries + [False]
    assert job.status == "failed" and job.attempts == tasks.compile_report.max_retries + 1


def test_the_task_marks_the_job_failed_after_its_last_retry(job, monkeypatch):
    monkeypatch.setattr(services, "render_pdf", lambda payload: 1 / 0)
    result = tasks.compile_report.apply(args=[job.pk], retries=tasks.compile_report.max_retries, throw=False)
    job.refresh_from_db()
    assert result.state == "FAILURE"
    assert job.status == "failed" and job.error.startswith("ZeroDivisionError")


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
