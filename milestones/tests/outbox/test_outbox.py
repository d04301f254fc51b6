"""The outbox: a message is a row of its cause's transaction; one claim per attempt; backoff, give-up, stale rows."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from milestones.models import MilestoneUpdate, OutboxMessage, ReminderDigest
from milestones.services import milestones as services
from milestones.services import notifications, outbox
from milestones.tests import builders

Status = OutboxMessage.Status
SEND = "milestones.services.notifications._send"


def failing_send(*args, **kwargs):
    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def draft(bartim, officer_bartim):
    return builders.draft(builders.milestone(bartim, 4), officer_bartim, progress=65)


@pytest.fixture
def waiting(draft, officer_bartim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.submit_update(update=draft, actor=officer_bartim)


def message_of(kind: str) -> OutboxMessage:
    return OutboxMessage.objects.filter(kind=kind).latest("pk")


class TestWrittenWithTheChange:
    def test_a_submit_writes_its_message_and_sends_it_after_commit(
        self, draft, officer_bartim, pokja_kalteng, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_update(update=draft, actor=officer_bartim)
        message = message_of("update_submitted")
        assert message.payload == {"update_id": draft.pk}
        assert (message.status, message.attempts, message.last_error) == (Status.SENT, 1, "")
        assert message.sent_at is not None
        assert [m.to for m in mailoutbox] == [["pokja_kalteng@example.test"]]

    def test_a_rolled_back_change_leaves_no_message(self, draft, officer_bartim, mailoutbox):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.submit_update(update=draft, actor=officer_bartim)
            assert OutboxMessage.objects.filter(kind="update_submitted").exists()  # same transaction
            raise RuntimeError("the request failed after submitting")
        assert not OutboxMessage.objects.filter(kind="update_submitted").exists()
        assert mailoutbox == []

    def test_an_unknown_kind_is_refused_at_write_time(self, db):
        with pytest.raises(ValueError):
            outbox.enqueue("fax", update_id=1)


class TestClaim:
    def test_one_claim_per_attempt(self, waiting):
        message = OutboxMessage.objects.create(kind="update_submitted", payload={"update_id": waiting.pk})
        now = timezone.now()
        assert outbox.claim(message.pk, now) is True
        assert outbox.claim(message.pk, now) is False  # the second dispatcher finds it sending
        message.refresh_from_db()
        assert (message.status, message.attempts, message.claimed_at) == (Status.SENDING, 1, now)

    def test_a_sent_message_is_not_sent_again(self, waiting, mailoutbox):
        message = message_of("update_submitted")
        assert outbox.dispatch(message.pk) is False
        assert outbox.dispatch_pending() == 0
        assert len(mailoutbox) == 1

    def test_a_message_is_not_claimed_before_it_is_due(self, waiting):
        message = OutboxMessage.objects.create(
            kind="update_submitted",
            payload={"update_id": waiting.pk},
            available_at=timezone.now() + datetime.timedelta(minutes=1),
        )
        assert outbox.dispatch(message.pk) is False
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.PENDING, 0)


class TestFailure:
    def test_a_failing_mail_server_is_recorded_and_backs_off(
        self, draft, officer_bartim, mailoutbox, settings, django_capture_on_commit_callbacks
    ):
        settings.OUTBOX_BACKOFF_SECONDS = 30
        with time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC), tick=False):
            with mock.patch(SEND, failing_send), django_capture_on_commit_callbacks(execute=True):
                services.submit_update(update=draft, actor=officer_bartim)  # does not raise
            message = message_of("update_submitted")
            assert (message.status, message.attempts) == (Status.PENDING, 1)
            assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
            assert message.available_at == timezone.now() + datetime.timedelta(seconds=30)
            assert outbox.dispatch_pending() == 0  # not due yet
        with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, 31, tzinfo=datetime.UTC), tick=False):
            with mock.patch(SEND, failing_send):
                assert outbox.dispatch_pending() == 0
            message.refresh_from_db()
            assert message.attempts == 2 and message.available_at == timezone.now() + datetime.timedelta(seconds=60)
        with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 2, tzinfo=datetime.UTC), tick=False):
            assert outbox.dispatch_pending() == 1
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.SENT, 3)
        assert len(mailoutbox) == 1

    def test_the_backoff_doubles_up_to_its_cap(self, settings):
        settings.OUTBOX_BACKOFF_SECONDS, settings.OUTBOX_MAX_BACKOFF_SECONDS = 30, 3600
        assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 7, 8, 20)] == [30, 60, 120, 1920, 3600, 3600]

    def test_it_gives_up_after_the_last_attempt_and_an_administrator_retries(
        self, waiting, mailoutbox, settings, django_capture_on_commit_callbacks
    ):
        settings.OUTBOX_MAX_ATTEMPTS, settings.OUTBOX_BACKOFF_SECONDS = 2, 0
        mailoutbox.clear()
        message = OutboxMessage.objects.create(kind="update_decided", payload={"update_id": waiting.pk})
        with mock.patch(SEND, failing_send):
            assert outbox.dispatch(message.pk) is False
            assert outbox.dispatch(message.pk) is False
            assert outbox.dispatch(message.pk) is False  # failed now: not claimed again
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.FAILED, 2)
        assert outbox.dispatch_pending() == 0
        with django_capture_on_commit_callbacks(execute=True):
            assert outbox.retry(message_ids=[message.pk]) == 1
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.SENT, 1)
        assert len(mailoutbox) == 1

    def test_a_message_whose_row_is_gone_fails_at_once(self, db):
        message = OutboxMessage.objects.create(kind="update_submitted", payload={"update_id": 987654})
        assert outbox.dispatch(message.pk) is False
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.FAILED, 1)
        assert message.last_error.startswith("DoesNotExist")


class TestStale:
    def stuck(self, kind, payload, settings, minutes=11):
        settings.OUTBOX_STALE_AFTER_SECONDS = 600
        claimed = timezone.now() - datetime.timedelta(minutes=minutes)
        return OutboxMessage.objects.create(
            kind=kind, payload=payload, status=Status.SENDING, attempts=1, claimed_at=claimed
        )

    def digest(self, user, *, sent):
        return ReminderDigest.objects.create(
            user=user, day=timezone.localdate(), item_count=1, sent_at=timezone.now() if sent else None
        )

    def test_an_idempotent_message_is_taken_over_and_its_own_claim_keeps_it_once(
        self, officer_bartim, waiting, mailoutbox, settings
    ):
        mailoutbox.clear()
        # The dead worker had claimed the digest (sent_at set) before it died: the takeover sends nothing.
        message = self.stuck("reminder_digest", {"digest_id": self.digest(officer_bartim, sent=True).pk}, settings)
        assert outbox.release_stale() == [message.pk]
        assert outbox.dispatch(message.pk) is True
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.SENT, 2)
        assert mailoutbox == []

    def test_an_idempotent_message_whose_send_never_started_goes_out_once(
        self, pokja_kalteng, waiting, mailoutbox, settings
    ):
        mailoutbox.clear()
        message = self.stuck("reminder_digest", {"digest_id": self.digest(pokja_kalteng, sent=False).pk}, settings)
        assert outbox.dispatch_pending() == 1
        assert outbox.dispatch_pending() == 0
        assert [m.to for m in mailoutbox] == [["pokja_kalteng@example.test"]]
        message.refresh_from_db()
        assert message.status == Status.SENT

    def test_a_message_without_its_own_claim_is_marked_failed_not_sent_twice(self, waiting, mailoutbox, settings):
        mailoutbox.clear()
        message = self.stuck("update_submitted", {"update_id": waiting.pk}, settings)
        assert outbox.dispatch_pending() == 0
        message.refresh_from_db()
        assert message.status == Status.FAILED and "Tidak dicoba ulang" in message.last_error
        assert mailoutbox == []

    def test_a_row_sending_for_less_than_the_limit_is_left_alone(self, waiting, settings):
        message = self.stuck("reminder_digest", {"digest_id": 1}, settings, minutes=5)
        assert outbox.release_stale() == []
        message.refresh_from_db()
        assert message.status == Status.SENDING


class TestTheUsersActionStands:
    """Neither a mail server nor a broker that is down reaches the user: the change is saved."""

    def test_a_failing_mail_server_does_not_undo_a_return(
        self, client_as, waiting, mailoutbox, django_capture_on_commit_callbacks
    ):
        with mock.patch(SEND, failing_send), django_capture_on_commit_callbacks(execute=True):
            response = client_as("pokja_kalteng").post(
                reverse("update_return", args=[waiting.pk]), {"reason": "Lampirkan SK UPTD."}
            )
        assert response.status_code == 302
        assert MilestoneUpdate.objects.get(pk=waiting.pk).status == "returned"
        message = message_of("update_decided")
        assert message.status == Status.PENDING and "SMTPServerDisconnected" in message.last_error

    def test_a_broker_that_does_not_answer_leaves_the_message_pending(
        self, client_as, draft, mailoutbox, django_capture_on_commit_callbacks
    ):
        from milestones import tasks

        refused = OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")
        with (
            mock.patch.object(outbox, "_eager", return_value=False),  # a broker is configured…
            mock.patch.object(tasks.dispatch_outbox_message, "apply_async", side_effect=refused),  # …and down
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client_as("officer_bartim").post(reverse("update_submit", args=[draft.pk]))
        assert response.status_code == 302
        assert MilestoneUpdate.objects.get(pk=draft.pk).status == "submitted"
        message = message_of("update_submitted")
        assert (message.status, message.attempts) == (Status.PENDING, 0)
        assert mailoutbox == []
        assert outbox.dispatch_pending() == 1  # the sweep, once the broker is back (it runs on a worker)
        assert len(mailoutbox) == 1


class TestAdmin:
    def test_the_administrator_sees_a_failed_message_and_retries_it(
        self, client_as, waiting, mailoutbox, django_capture_on_commit_callbacks
    ):
        mailoutbox.clear()
        message = OutboxMessage.objects.create(
            kind="update_decided",
            payload={"update_id": waiting.pk},
            status=Status.FAILED,
            attempts=8,
            last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        )
        client = client_as("administrator")
        page = client.get(reverse("admin:milestones_outboxmessage_changelist") + "?status__exact=failed")
        assert page.status_code == 200 and "update_decided" in page.content.decode()
        assert "Kirim ulang pesan yang dipilih" in page.content.decode()
        assert 'value="delete_selected"' not in page.content.decode()  # the record is kept
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("admin:milestones_outboxmessage_changelist"),
                {"action": "retry", "_selected_action": [message.pk]},
            )
        assert response.status_code == 302
        message.refresh_from_db()
        assert message.status == Status.SENT
        assert [m.to for m in mailoutbox] == [["officer_bartim@example.test"]]


def test_the_sweep_runs_every_minute(settings):
    assert settings.CELERY_BEAT_SCHEDULE["dispatch-outbox"] == {
        "task": "milestones.tasks.dispatch_outbox",
        "schedule": 60.0,
    }


def test_notifications_module_is_the_handler_of_update_mails():
    # The registry points at functions that exist (a renamed handler would fail every message of its kind).
    from django.utils.module_loading import import_string

    for handler in outbox.HANDLERS.values():
        assert callable(import_string(handler.path))
    assert import_string(outbox.HANDLERS["update_submitted"].path) is notifications.send_update_submitted


def test_the_command_sweeps_without_a_broker(waiting, mailoutbox):
    from io import StringIO

    from django.core.management import call_command

    mailoutbox.clear()
    OutboxMessage.objects.create(kind="update_decided", payload={"update_id": waiting.pk})
    OutboxMessage.objects.create(kind="update_decided", payload={"update_id": 987654})
    out = StringIO()
    call_command("dispatch_outbox", stdout=out)
    assert out.getvalue().strip() == "sent 1; pending 0; failed 1"
    assert [m.to for m in mailoutbox] == [["officer_bartim@example.test"]]
