"""A real Celery worker against Redis and PostgreSQL: request → worker → stored file → PDF text.

These run where PostgreSQL is the database (the worker must share the test database) and Redis
answers on 127.0.0.1:6379 — in CI. Elsewhere they are skipped, saying why.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from milestones.tests.live_services import database_url, live_marks
from reports import services
from reports.models import ReportJob
from reports.tests.conftest import pdf_text
from ssk_tracker.celery import app as celery_app

REDIS_URL = "redis://127.0.0.1:6379/15"
ROOT = Path(__file__).resolve().parents[2]


pytestmark = live_marks(REDIS_URL, "the worker process needs the shared PostgreSQL test database (set DATABASE_URL)")


class Worker:
    def __init__(self, app="ssk_tracker", **env):
        self.app = app
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ssk_tracker.settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": REDIS_URL,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "REPORT_STALE_AFTER_SECONDS": "4",
            **env,
        }
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                self.app,
                "worker",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        return self

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)  # the worker and its pool, mid-job, no goodbye
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def reset_connections():
    """Drop the app's broker connections so the next send uses the broker URL now configured."""
    from kombu import pools

    pools.reset()  # kombu's shared connection and producer pools, keyed by broker URL
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def real_broker(settings):
    """The test process queues to Redis instead of running tasks in-process."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    settings.REPORT_REQUEUE_AFTER_SECONDS = 0
    settings.REPORT_STALE_AFTER_SECONDS = 4
    old = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = False, REDIS_URL
    reset_connections()
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = old
    reset_connections()


@pytest.fixture
def worker(real_broker):
    started = []

    def start(**options):
        started.append(Worker(**options).start())
        return started[-1]

    yield start
    for w in started:
        w.stop()


def wait_for(job, statuses, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} still {job.status} after {seconds}s: {job.error}")


def test_a_worker_compiles_the_requested_report(worker, kalteng, kalteng_progress):
    worker()
    job = services.request_report(audience="provincial", province=kalteng)  # autocommit: queued at once
    wait_for(job, {"done", "failed"})
    assert job.status == "done", job.error
    text = pdf_text(job)
    assert "Kabupaten Barito Timur" in text and "Kabupaten Murung Raya" in text and "65%" in text


def test_a_worker_killed_mid_compile_does_not_lose_the_report(worker, kalteng):
    first = worker(app="reports.tests.slow_worker")  # pauses 30 s between rendering and storing
    job = services.request_report(audience="provincial", province=kalteng)
    wait_for(job, {"running"})
    first.kill()
    worker()  # a fresh worker; the sweeper finds the abandoned job once it is stale
    time.sleep(4.5)
    assert services.sweep_stuck_jobs() == [job.pk]
    wait_for(job, {"done", "failed"})
    assert job.status == "done" and job.attempts == 2
    time.sleep(1)
    assert ReportJob.objects.filter(status="done").count() == 1
    stored = list((Path(settings.MEDIA_ROOT) / "reports" / str(job.pk)).iterdir())
    assert [p.name for p in stored] == [Path(job.file.name).name]  # one report, exactly once


def test_redis_down_at_request_time_ends_with_the_report_done_once(worker, kalteng):
    celery_app.conf.broker_url = "redis://127.0.0.1:6399/15"  # nothing listens there
    reset_connections()
    job = services.request_report(audience="provincial", province=kalteng)
    job.refresh_from_db()
    assert job.status == "queued"
    celery_app.conf.broker_url = REDIS_URL  # Redis is back
    reset_connections()
    worker()
    assert services.sweep_stuck_jobs() == [job.pk]
    wait_for(job, {"done", "failed"})
    assert job.status == "done" and job.attempts == 1
