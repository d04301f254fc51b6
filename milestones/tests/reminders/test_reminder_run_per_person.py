"""The daily reminder run handles each person on their own: one failure is recorded, the others get theirs."""

from unittest import mock

import pytest

from milestones.models import OutboxMessage, ReminderDigest
from milestones.selectors import reminders as reminder_selectors
from milestones.services import notifications, outbox, reminders
from milestones.tests.reminders import test_reminder_digest as digest_tests
from milestones.tests.reminders.test_reminder_digest import MY_TASKS_LINK, run_job
from milestones.tests.reminders.test_reminders import at, june

# The other rules' tests: the late rule is tested on its own (test_day_work.py).
pytestmark = pytest.mark.usefixtures("without_late_rule", "balai_not_reminded")

# Barito Timur's M4 update waiting for review, built once for the module (the digest tests' fixtures).
waiting_update_for_the_class = digest_tests.waiting_update_for_the_class
waiting_update = digest_tests.waiting_update
real_send = notifications._send
real_tasks = reminder_selectors.tasks


class TestOnePersonFails:
    """Barito Timur's M4 update waits for review: pokja_kalteng and national each have a digest due."""

    def test_a_mail_server_refusing_one_person_does_not_stop_the_others(
        self, pokja_kalteng, national, waiting_update, mailoutbox, django_capture_on_commit_callbacks, settings
    ):
        settings.OUTBOX_BACKOFF_SECONDS = 30

        def refuse_pokja(template, context, recipients):
            if recipients == ["pokja_kalteng@example.test"]:
                raise ConnectionRefusedError(111, "Connection refused")
            return real_send(template, context, recipients)

        with mock.patch.object(notifications, "_send", refuse_pokja):
            assert run_job(june(20), django_capture_on_commit_callbacks) == 2
        assert [m.to for m in mailoutbox] == [["national@example.test"]]
        digest = ReminderDigest.objects.get(user=pokja_kalteng, day=june(20))
        assert digest.sent_at is None  # the claim was released for the retry
        message = OutboxMessage.objects.get(kind="reminder_digest", payload={"digest_id": digest.pk})
        assert (message.status, message.attempts) == ("pending", 1)
        assert "Connection refused" in message.last_error
        with at(20, hour=7, minute=1):  # the sweep a minute later, the mail server back
            outbox.dispatch_pending()
            outbox.dispatch_pending()
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("sent", 2)
        digests = [m.to[0] for m in mailoutbox if MY_TASKS_LINK in m.body]  # not the fixture's own messages
        assert sorted(digests) == ["national@example.test", "pokja_kalteng@example.test"]

    def test_an_error_listing_one_persons_items_is_logged_and_the_run_goes_on(
        self, pokja_kalteng, national, waiting_update, mailoutbox, django_capture_on_commit_callbacks, caplog
    ):
        def broken_for_pokja(user, today):
            if user.pk == pokja_kalteng.pk:
                raise ValueError("a malformed row")
            return real_tasks(user, today)

        with mock.patch.object(reminders, "tasks", broken_for_pokja):
            assert run_job(june(20), django_capture_on_commit_callbacks) == 1
        assert [m.to for m in mailoutbox] == [["national@example.test"]]
        assert f"Reminder digest of user {pokja_kalteng.pk}" in caplog.text and "a malformed row" in caplog.text
        # Nothing was claimed for them, so the next run of the day sends theirs.
        assert run_job(june(20), django_capture_on_commit_callbacks) == 1
        assert sorted(m.to[0] for m in mailoutbox) == ["national@example.test", "pokja_kalteng@example.test"]
