"""Each state change of a report job (``ReportJob.objects``), and who may make it."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from reports import services
from reports.models import ReportJob, failure_message

FIGURES = {
    "file": "reports/1/abc.pdf",
    "page_count": 3,
    "size": 1234,
    "sha256": "0" * 64,
    "data_as_of": datetime.datetime(2023, 6, 1, 8, 0, tzinfo=datetime.UTC),
    "compile_seconds": 1.5,
    "query_count": 12,
}


@pytest.fixture
def job(kalteng):
    return services.request_report(audience="provincial", province=kalteng, enqueue_job=False)


@pytest.fixture
def once_stale(settings):
    """Travel to the moment a claim made now has gone stale."""
    return lambda: time_machine.travel(
        timezone.now() + datetime.timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 1), tick=False
    )


def test_a_requested_job_waits_in_the_queue(job):
    job.refresh_from_db()
    assert job.status == "queued" and job.queued_at and job.attempts == 0 and job.claim_token is None


def test_a_job_is_claimed_once(job):
    assert ReportJob.objects.claim(job.pk) is not None
    assert ReportJob.objects.claim(job.pk) is None
    job.refresh_from_db()
    assert job.status == "running" and job.started_at and job.attempts == 1


def test_a_running_job_whose_worker_died_is_taken_over(job, once_stale):
    first = ReportJob.objects.claim(job.pk)
    with once_stale():
        second = ReportJob.objects.claim(job.pk)
    assert second not in (None, first)
    job.refresh_from_db()
    assert job.attempts == 2 and job.claim_token == second


def test_a_fresh_claim_is_not_taken_over(job):
    ReportJob.objects.claim(job.pk)
    assert ReportJob.objects.take_over(job.pk) is None
    assert ReportJob.objects.held_by_live_worker(job.pk)


def test_only_a_running_job_is_taken_over(job, once_stale):
    with once_stale():
        assert ReportJob.objects.take_over(job.pk) is None
    assert ReportJob.objects.get(pk=job.pk).status == "queued"


def test_finish_records_the_file_and_its_figures(job, settings):
    token = ReportJob.objects.claim(job.pk)
    assert ReportJob.objects.finish(job.pk, token, **FIGURES)
    job.refresh_from_db()
    assert job.status == "done" and job.file.name == FIGURES["file"] and job.finished_at
    assert (job.page_count, job.size, job.sha256, job.query_count) == (3, 1234, "0" * 64, 12)
    assert job.data_as_of == FIGURES["data_as_of"] and job.tracker_version == settings.TRACKER_VERSION


def test_finish_on_a_job_that_lost_its_claim_changes_nothing(job, once_stale):
    first = ReportJob.objects.claim(job.pk)
    with once_stale():
        second = ReportJob.objects.claim(job.pk)
    assert ReportJob.objects.finish(job.pk, first, **FIGURES) is False
    job.refresh_from_db()
    assert job.status == "running" and job.claim_token == second
    assert not job.file and job.page_count is None and job.finished_at is None


def test_a_finished_job_is_never_claimed_again(job, once_stale):
    token = ReportJob.objects.claim(job.pk)
    ReportJob.objects.finish(job.pk, token, **FIGURES)
    with once_stale():
        assert ReportJob.objects.claim(job.pk) is None
    assert ReportJob.objects.get(pk=job.pk).attempts == 1


def test_a_failed_attempt_goes_back_to_the_queue_with_its_error(job):
    token = ReportJob.objects.claim(job.pk)
    assert ReportJob.objects.retry_later(job.pk, token, RuntimeError("Typst could not lay out the table"))
    job.refresh_from_db()
    assert job.status == "queued" and job.error == "RuntimeError: Typst could not lay out the table"
    ReportJob.objects.claim(job.pk)  # the next attempt starts with a clean slate
    job.refresh_from_db()
    assert job.status == "running" and job.error == "" and job.attempts == 2


def test_a_retry_from_a_lost_claim_changes_nothing(job, once_stale):
    first = ReportJob.objects.claim(job.pk)
    with once_stale():
        second = ReportJob.objects.claim(job.pk)
    assert ReportJob.objects.retry_later(job.pk, first, RuntimeError("late")) is False
    job.refresh_from_db()
    assert job.status == "running" and job.claim_token == second and job.error == ""


def test_fail_after_the_last_retry_marks_failed_with_a_readable_message(job):
    token = ReportJob.objects.claim(job.pk)
    error = PermissionError(13, "Permission denied", "/srv/ssk/media/reports/7/3f2a.pdf")
    assert ReportJob.objects.fail(job.pk, token, error)
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at
    assert job.error == "PermissionError: [Errno 13] Permission denied: '3f2a.pdf'"


def test_a_done_job_is_never_failed(job):
    token = ReportJob.objects.claim(job.pk)
    ReportJob.objects.finish(job.pk, token, **FIGURES)
    assert ReportJob.objects.fail(job.pk, token, RuntimeError("too late")) is False
    job.refresh_from_db()
    assert job.status == "done" and job.error == ""


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379."),
            "ConnectionRefusedError: Error 111 connecting to 127.0.0.1:6379.",
        ),
        (OSError("redis://127.0.0.1:6379/15 is down"), "OSError: redis://127.0.0.1:6379/15 is down"),
        (
            RuntimeError("file not found (searched at /work/app/reports/typst/x.typ)"),
            "RuntimeError: file not found (searched at x.typ)",
        ),
        (ZeroDivisionError("1/0"), "ZeroDivisionError: 1/0"),
    ],
)
def test_failure_messages_name_the_error_and_no_server_path(error, message):
    assert failure_message(error) == message


def test_a_failure_message_is_cut_at_2000_characters():
    assert len(failure_message(RuntimeError("x" * 5000))) == 2000


def test_the_sweeper_requeues_jobs_stuck_queued_or_running(kalteng, settings):
    request = lambda: services.request_report(audience="provincial", province=kalteng, enqueue_job=False)  # noqa: E731
    waiting, running, done = request(), request(), request()
    ReportJob.objects.claim(running.pk)
    ReportJob.objects.finish(done.pk, ReportJob.objects.claim(done.pk), **FIGURES)
    now = timezone.now()
    assert ReportJob.objects.requeue_stuck(now) == []
    five_minutes = now + datetime.timedelta(minutes=5)
    assert ReportJob.objects.requeue_stuck(five_minutes) == [waiting.pk]  # queued longer than 120 s
    assert ReportJob.objects.requeue_stuck(five_minutes) == []  # stamped: the next sweep leaves it
    assert ReportJob.objects.get(pk=waiting.pk).queued_at == five_minutes
    eleven_minutes = now + datetime.timedelta(minutes=11)
    assert set(ReportJob.objects.requeue_stuck(eleven_minutes)) == {waiting.pk, running.pk}  # running past 600 s
    assert ReportJob.objects.get(pk=running.pk).status == "running"  # the claim decides, not the sweeper
