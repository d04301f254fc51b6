"""The daily reminder job: one digest e-mail per person per day, however often or concurrently it runs."""

import datetime
from collections.abc import Iterator

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from milestones import tasks
from milestones.models import MilestoneUpdate, Notice, ReminderDigest
from milestones.services import notifications, reminders
from milestones.tests import builders
from milestones.tests.reminders.test_reminders import at, follow_up, june
from milestones.tests.shared_rows import rolled_back
from regencies.models import Regency

# The other rules' tests: the late rule is tested on its own (test_day_work.py).
pytestmark = pytest.mark.usefixtures("without_late_rule", "balai_not_reminded")

MY_TASKS_LINK = "http://127.0.0.1:8000/tugas-saya/"


@pytest.fixture(scope="class")
def waiting_update_for_the_class(module_db, django_db_blocker) -> Iterator[int]:
    """Barito Timur's M4 update, submitted on 1 June and still waiting: built once for the class, its pk."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            officer = get_user_model().objects.get(username="officer_bartim")
            with at(1):
                update = builders.submitted(builders.milestone(Regency.objects.get(code="62.13"), 4), officer)
        yield update.pk


@pytest.fixture
def waiting_update(waiting_update_for_the_class, db) -> MilestoneUpdate:
    return MilestoneUpdate.objects.get(pk=waiting_update_for_the_class)


def run_job(day, capture):
    with at(day.day, hour=7), capture(execute=True):
        return reminders.send_daily_reminders(day)


def test_a_second_claim_for_the_same_person_and_day_is_refused(pokja_kalteng, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = reminders.claim_digest(user=pokja_kalteng, day=june(20), item_count=1)
        second = reminders.claim_digest(user=pokja_kalteng, day=june(20), item_count=1)
    assert first is not None and second is None
    assert len(callbacks) == 1  # only the winner queued an e-mail


def test_nobody_with_nothing_pending_gets_an_e_mail(personas, mailoutbox, django_capture_on_commit_callbacks):
    assert run_job(june(20), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == [] and not ReminderDigest.objects.exists()


def test_the_digest_lists_the_items_and_links_to_my_tasks(
    kalteng, bartim, officer_bartim, pokja_kalteng, mailoutbox, django_capture_on_commit_callbacks
):
    with at(1):
        builders.draft(builders.milestone(bartim, 1), officer_bartim)
        builders.returned(builders.milestone(bartim, 2), officer_bartim, pokja_kalteng)
    follow_up(kalteng, pokja_kalteng, due=june(18), assigned_regency=bartim)
    run_job(june(20), django_capture_on_commit_callbacks)
    [mail] = [m for m in mailoutbox if m.to == ["officer_bartim@example.test"]]
    assert "3" in mail.subject
    for text in ("M1", "M2", "Laporkan hasil implementasi ke NAWASIS.", "CC6", MY_TASKS_LINK):
        assert text in mail.body
    html = mail.alternatives[0].content
    assert f'href="{MY_TASKS_LINK}"' in html and "M2" in html


def claimed_digest(user, capture):
    """A digest claimed by the daily job whose e-mail task has not run yet."""
    with capture(execute=False):
        return reminders.claim_digest(user=user, day=june(20), item_count=1)


def test_the_job_is_scheduled_daily_at_seven_in_jakarta():
    entry = settings.CELERY_BEAT_SCHEDULE["send-daily-reminders"]
    assert entry["task"] == tasks.send_daily_reminders.name
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert settings.CELERY_TIMEZONE == "Asia/Jakarta"


class TestAWaitingUpdate:
    """Barito Timur's M4 update, submitted on 1 June and still waiting (built once for the class)."""

    def test_each_person_with_something_pending_gets_one_digest(
        self, personas, waiting_update, mailoutbox, django_capture_on_commit_callbacks
    ):
        assert run_job(june(20), django_capture_on_commit_callbacks) == 2
        assert sorted(m.to[0] for m in mailoutbox) == ["national@example.test", "pokja_kalteng@example.test"]

    def test_running_the_job_twice_a_day_sends_one_digest_per_person(
        self, personas, waiting_update, mailoutbox, django_capture_on_commit_callbacks
    ):
        run_job(june(20), django_capture_on_commit_callbacks)
        assert run_job(june(20), django_capture_on_commit_callbacks) == 0
        assert len(mailoutbox) == 2
        assert ReminderDigest.objects.filter(day=june(20)).count() == 2

    def test_the_next_day_brings_a_new_digest(
        self, personas, waiting_update, mailoutbox, django_capture_on_commit_callbacks
    ):
        run_job(june(20), django_capture_on_commit_callbacks)
        run_job(june(21), django_capture_on_commit_callbacks)
        assert len(mailoutbox) == 4

    def test_a_day_claimed_by_a_concurrent_run_is_skipped(
        self, pokja_kalteng, national, waiting_update, mailoutbox, django_capture_on_commit_callbacks
    ):
        ReminderDigest.objects.create(user=pokja_kalteng, day=june(20), item_count=1)  # the other worker won
        assert run_job(june(20), django_capture_on_commit_callbacks) == 1
        assert [m.to for m in mailoutbox] == [["national@example.test"]]

    def test_the_e_mail_waits_for_the_claim_to_commit(
        self, pokja_kalteng, national, waiting_update, mailoutbox, django_capture_on_commit_callbacks
    ):
        with at(20), django_capture_on_commit_callbacks(execute=False) as callbacks:
            reminders.send_daily_reminders(june(20))
        assert len(callbacks) == 2 and mailoutbox == []  # pokja_kalteng's and national's, neither sent yet

    def test_users_without_a_role_an_address_or_an_active_account_get_no_e_mail(
        self, pokja_kalteng, national, nobody, waiting_update, mailoutbox, django_capture_on_commit_callbacks
    ):
        pokja_kalteng.email = ""
        pokja_kalteng.save()
        # Both claimed: pokja_kalteng (no address) for the in-app notice only (issue 12), national for both.
        assert run_job(june(20), django_capture_on_commit_callbacks) == 2
        assert Notice.objects.filter(recipient=pokja_kalteng, kind=Notice.Kind.REMINDER_DIGEST).count() == 1
        ReminderDigest.objects.filter(user=pokja_kalteng).delete()
        pokja_kalteng.email, pokja_kalteng.is_active = "pokja@example.test", False
        pokja_kalteng.save()
        assert run_job(june(20), django_capture_on_commit_callbacks) == 0
        assert [m.to for m in mailoutbox] == [["national@example.test"]]

    def test_a_sent_digest_is_marked_sent(
        self, pokja_kalteng, waiting_update, mailoutbox, django_capture_on_commit_callbacks
    ):
        run_job(june(20), django_capture_on_commit_callbacks)
        digest = ReminderDigest.objects.get(user=pokja_kalteng, day=june(20))
        assert digest.item_count == 1
        assert digest.sent_at == datetime.datetime(2023, 6, 20, 0, 0, tzinfo=datetime.UTC)  # 07:00 WIB

    def test_a_digest_is_not_sent_twice_when_its_task_is_redelivered(
        self, pokja_kalteng, waiting_update, mailoutbox, django_capture_on_commit_callbacks
    ):
        run_job(june(20), django_capture_on_commit_callbacks)
        digest = ReminderDigest.objects.get(user=pokja_kalteng, day=june(20))
        assert reminders.send_digest(digest.pk) == 0
        assert [m.to for m in mailoutbox].count(["pokja_kalteng@example.test"]) == 1

    def test_a_task_that_finds_the_send_claimed_by_another_delivery_sends_nothing(
        self, pokja_kalteng, waiting_update, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
    ):
        digest = claimed_digest(pokja_kalteng, django_capture_on_commit_callbacks)
        read_pending = reminders.tasks

        def other_delivery_claims_meanwhile(user, day):
            # This task has read the digest unsent; the other delivery claims it before this one sends.
            ReminderDigest.objects.filter(pk=digest.pk).update(sent_at=timezone.now())
            return read_pending(user, day)

        monkeypatch.setattr(reminders, "tasks", other_delivery_claims_meanwhile)
        assert reminders.send_digest(digest.pk) == 0
        assert mailoutbox == []

    def test_two_overlapping_deliveries_of_the_task_send_one_e_mail(
        self, pokja_kalteng, waiting_update, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
    ):
        digest = claimed_digest(pokja_kalteng, django_capture_on_commit_callbacks)
        send = notifications._send
        second = []

        def send_while_the_other_delivery_runs(*args):
            if not second:  # the redelivered task starts while the first is still sending
                second.append(reminders.send_digest(digest.pk))
            return send(*args)

        monkeypatch.setattr(notifications, "_send", send_while_the_other_delivery_runs)
        assert reminders.send_digest(digest.pk) == 1
        assert second == [0] and len(mailoutbox) == 1

    def test_a_failed_send_releases_its_claim_so_the_retry_sends(
        self, pokja_kalteng, waiting_update, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
    ):
        digest = claimed_digest(pokja_kalteng, django_capture_on_commit_callbacks)
        send = notifications._send

        def mail_server_down(*args):
            raise ConnectionRefusedError

        monkeypatch.setattr(notifications, "_send", mail_server_down)
        with pytest.raises(ConnectionRefusedError):  # an OSError: the task's autoretry_for retries it
            reminders.send_digest(digest.pk)
        assert ReminderDigest.objects.get(pk=digest.pk).sent_at is None
        monkeypatch.setattr(notifications, "_send", send)
        assert reminders.send_digest(digest.pk) == 1 and len(mailoutbox) == 1

    def test_a_digest_whose_items_were_done_meanwhile_sends_nothing(
        self, pokja_kalteng, waiting_update, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            digest = reminders.claim_digest(user=pokja_kalteng, day=june(20), item_count=1)
        waiting_update.milestone.updates.update(status="approved")
        assert reminders.send_digest(digest.pk) == 0 and mailoutbox == []

    def test_the_celery_task_takes_an_iso_day(
        self, pokja_kalteng, national, waiting_update, mailoutbox, django_capture_on_commit_callbacks
    ):
        with at(20, hour=7), django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_daily_reminders.delay("2023-06-20").get() == 2
        assert sorted(m.to[0] for m in mailoutbox) == ["national@example.test", "pokja_kalteng@example.test"]
