"""The faults with real services: Redis stopped during a submit, a return and a reminder run.

Each test starts its own throwaway ``redis-server`` on a free port (never the shared one on 6379), points
Celery at it (not eager), stops it, acts, then starts it again. The action succeeds while Redis is down
(HTTP 302, the change saved), its outbox row stays pending, and once Redis is back the sweep sends the
e-mail exactly once. With PostgreSQL, a real worker does the sending and writes the e-mails to files.
"""

import email
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from milestones import tasks
from milestones.models import MilestoneUpdate, OutboxMessage, ReminderDigest
from milestones.services import outbox, reminders
from milestones.tests import builders
from milestones.tests.reminders.test_reminders import at, june
from reports.tests.test_worker_integration import Worker, reset_connections
from ssk_tracker.celery import app as celery_app

REDIS_SERVER = shutil.which("redis-server")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayRedis:
    """A redis-server of the test's own, without persistence, that the test stops and starts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "ThrowawayRedis":
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping():
                    return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        reset_connections()  # no pooled connection to the stopped server survives

    def queued(self) -> int:
        import redis

        return redis.Redis.from_url(self.url).llen("celery")


@pytest.fixture
def broker():
    """Celery queues to a throwaway Redis (not eager); it is stopped again at the end."""
    server = ThrowawayRedis().start()
    old = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = False, server.url
    reset_connections()
    yield server
    server.stop()
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = old
    reset_connections()


def message_of(kind: str) -> OutboxMessage:
    return OutboxMessage.objects.filter(kind=kind).latest("pk")


def back_and_swept(broker: ThrowawayRedis) -> int:
    broker.start()
    reset_connections()
    return outbox.dispatch_pending()


def test_a_submit_with_redis_stopped_is_saved_and_mailed_once_redis_is_back(
    broker, client_as, bartim, officer_bartim, pokja_kalteng, mailoutbox, django_capture_on_commit_callbacks
):
    update = builders.draft(builders.milestone(bartim, 4), officer_bartim, progress=65)
    broker.stop()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("officer_bartim").post(reverse("update_submit", args=[update.pk]))
    assert response.status_code == 302
    assert time.monotonic() - started < 5  # the broker's refusal costs the officer no long wait
    assert MilestoneUpdate.objects.get(pk=update.pk).status == "submitted"
    message = message_of("update_submitted")
    assert (message.status, message.attempts) == ("pending", 0)
    assert mailoutbox == []
    assert back_and_swept(broker) == 1
    assert outbox.dispatch_pending() == 0
    assert [m.to for m in mailoutbox] == [["pokja_kalteng@example.test"]]
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)


def test_a_return_with_redis_stopped_is_saved_and_mailed_once_redis_is_back(
    broker, client_as, bartim, officer_bartim, pokja_kalteng, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update = builders.submitted(builders.milestone(bartim, 4), officer_bartim)
    assert broker.queued() == 1  # Redis up: the submit's message went to the broker for a worker
    broker.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("pokja_kalteng").post(
            reverse("update_return", args=[update.pk]), {"reason": "Lampirkan SK UPTD."}
        )
    assert response.status_code == 302
    assert MilestoneUpdate.objects.get(pk=update.pk).status == "returned"
    message = message_of("update_decided")
    assert message.status == "pending"
    back_and_swept(broker)
    outbox.dispatch_pending()
    returned = [m for m in mailoutbox if "dikembalikan" in m.subject]
    assert [m.to for m in returned] == [["officer_bartim@example.test"]]
    assert "Lampirkan SK UPTD." in returned[0].body
    message.refresh_from_db()
    assert message.status == "sent"


@pytest.mark.usefixtures("without_late_rule", "balai_not_reminded")  # the two people of the digest tests
def test_a_reminder_run_with_redis_stopped_claims_everyone_and_mails_each_once_redis_is_back(
    broker, bartim, officer_bartim, pokja_kalteng, national, mailoutbox, django_capture_on_commit_callbacks
):
    with at(1):
        builders.submitted(builders.milestone(bartim, 4), officer_bartim)  # waits for review: two digests
    broker.stop()
    with at(20, hour=7), django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_daily_reminders(june(20)) == 2
    digests = ReminderDigest.objects.filter(day=june(20))
    assert digests.count() == 2 and not digests.filter(sent_at__isnull=False).exists()
    assert OutboxMessage.objects.filter(kind="reminder_digest", status="pending").count() == 2
    mailoutbox.clear()
    with at(20, hour=7, minute=5):
        back_and_swept(broker)
        outbox.dispatch_pending()
    assert sorted(m.to[0] for m in mailoutbox if "tugas-saya" in m.body) == [
        "national@example.test",
        "pokja_kalteng@example.test",
    ]
    assert not OutboxMessage.objects.filter(kind="reminder_digest").exclude(status="sent").exists()


# --- With a real worker (it shares the test database: PostgreSQL) -----------------------------------


def mails_in(directory: Path) -> list[email.message.Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(directory.glob("*.log"))]


def wait_until_sent(message: OutboxMessage, seconds: float = 60) -> OutboxMessage:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status in {"sent", "failed"}:
            return message
        time.sleep(0.2)
    raise AssertionError(f"outbox message {message.pk} still {message.status}: {message.last_error}")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker needs the shared PostgreSQL test database")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_submit_mail_once_redis_is_back(broker, client_as, bartim, officer_bartim, tmp_path):
    update = builders.draft(builders.milestone(bartim, 4), officer_bartim, progress=65)
    broker.stop()
    response = client_as("officer_bartim").post(reverse("update_submit", args=[update.pk]))  # real commit
    assert response.status_code == 302
    assert MilestoneUpdate.objects.get(pk=update.pk).status == "submitted"
    message = message_of("update_submitted")
    assert message.status == "pending"
    broker.start()
    reset_connections()
    worker = Worker(
        app="milestones.tests.outbox.mail_worker", CELERY_BROKER_URL=broker.url, OUTBOX_TEST_MAIL_DIR=str(tmp_path)
    ).start()
    try:
        tasks.dispatch_outbox.delay()  # what beat does every minute
        tasks.dispatch_outbox.delay()  # and a minute later: nothing more to send
        wait_until_sent(message)
        assert message.status == "sent" and message.attempts == 1, message.last_error
        time.sleep(2)  # let the second sweep run
    finally:
        worker.stop()
    mails = mails_in(tmp_path)
    assert [m["To"] for m in mails] == ["pokja_kalteng@example.test"]
    assert "Kabupaten Barito Timur" in str(email.header.make_header(email.header.decode_header(mails[0]["Subject"])))
