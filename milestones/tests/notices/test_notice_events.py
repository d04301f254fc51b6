"""Each event that e-mails someone also leaves them a notice, written in the event's transaction."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from milestones.models import Notice, OutboxMessage, ReminderDigest
from milestones.services import milestones as services
from milestones.services import notices, outbox, reminders
from milestones.tests import builders
from milestones.tests.reminders.test_reminders import at, june
from reports import deliveries
from reports.models import ReportSchedule
from reports.tests.builders import done_report

Kind = Notice.Kind


@pytest.fixture(autouse=True)
def in_english():
    """The sentences below are read in English; notices are worded when read, so this is the reader's choice
    (test_notice_pages.py reads them in Indonesian too)."""
    with translation.override("en"):
        yield


def notices_of(user, kind=None):
    rows = Notice.objects.filter(recipient=user)
    return list(rows.filter(kind=kind) if kind else rows)


@pytest.fixture
def update(bartim, officer_bartim):
    return builders.draft(builders.milestone(bartim, 4), officer_bartim, progress=65)


def test_every_kind_that_e_mails_someone_has_a_notice():
    # report_job hands a compile to a worker and e-mails nobody; every other kind must tell someone in the app.
    silent = {kind for kind, handler in outbox.HANDLERS.items() if handler.notice is None}
    assert silent == {"report_job"}
    assert {kind for kind in outbox.HANDLERS if kind not in silent} == set(Kind.values)


class TestUpdateSubmitted:
    def test_the_provinces_reviewers_are_told(self, update, officer_bartim, pokja_kalteng, pokja_kalsel, national):
        services.submit_update(update=update, actor=officer_bartim)
        (notice,) = notices_of(pokja_kalteng)
        assert notice.kind == Kind.UPDATE_SUBMITTED and notice.is_unread
        assert notice.target_url == reverse("milestone", args=[update.milestone_id])
        assert notice.subject() == "Kabupaten Barito Timur submitted an update on M4 for review"
        assert notices_of(pokja_kalsel) == [] and notices_of(national) == [] and notices_of(officer_bartim) == []

    def test_a_reviewer_without_an_e_mail_address_is_told_too(self, update, officer_bartim, pokja_kalteng):
        pokja_kalteng.email = ""
        pokja_kalteng.save()
        services.submit_update(update=update, actor=officer_bartim)
        assert len(notices_of(pokja_kalteng, Kind.UPDATE_SUBMITTED)) == 1

    def test_an_inactive_reviewer_is_not(self, update, officer_bartim, pokja_kalteng):
        pokja_kalteng.is_active = False
        pokja_kalteng.save()
        services.submit_update(update=update, actor=officer_bartim)
        assert notices_of(pokja_kalteng) == []

    def test_replayed_history_tells_nobody(self, update, officer_bartim, pokja_kalteng):
        services.submit_update(update=update, actor=officer_bartim, notify=False)
        assert Notice.objects.count() == 0


class TestUpdateDecided:
    def test_a_return_tells_the_author_with_the_reason(self, bartim, officer_bartim, officer_mura, pokja_kalteng):
        update = builders.returned(
            builders.milestone(bartim, 4), officer_bartim, pokja_kalteng, reason="Lampirkan SK UPTD."
        )
        (notice,) = notices_of(officer_bartim)
        assert (notice.kind, notice.outcome) == (Kind.UPDATE_DECIDED, "returned")
        assert notice.subject() == "Your update on M4 (Kabupaten Barito Timur) was returned for revision"
        assert notice.detail() == "Reason: Lampirkan SK UPTD."
        assert notice.target_url == reverse("milestone", args=[update.milestone_id])
        assert notices_of(officer_mura) == []

    def test_the_return_keeps_its_reason_after_the_update_moves_on(self, bartim, officer_bartim, pokja_kalteng):
        update = builders.returned(builders.milestone(bartim, 4), officer_bartim, pokja_kalteng, reason="Kurang foto.")
        services.submit_update(update=update, actor=officer_bartim)
        services.approve_update(update=update, reviewer=pokja_kalteng)
        returned, approved = sorted(notices_of(officer_bartim, Kind.UPDATE_DECIDED), key=lambda n: n.pk)
        assert returned.detail() == "Reason: Kurang foto." and returned.outcome == "returned"
        assert approved.outcome == "approved" and approved.detail() == "The milestone now stands at 60%."
        assert approved.subject() == "Your update on M4 (Kabupaten Barito Timur) was approved"

    def test_an_inactive_author_is_not_told(self, bartim, officer_bartim, pokja_kalteng):
        update = builders.submitted(builders.milestone(bartim, 4), officer_bartim)
        officer_bartim.is_active = False
        officer_bartim.save()
        services.return_update(update=update, reviewer=pokja_kalteng, reason="Kurang foto.")
        assert notices_of(officer_bartim) == []


def test_an_event_rolled_back_leaves_no_notice(update, officer_bartim, pokja_kalteng):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.submit_update(update=update, actor=officer_bartim)
        assert len(notices_of(pokja_kalteng)) == 1  # written with the event …
        raise RuntimeError("the request fails after the submit")
    assert Notice.objects.count() == 0 and OutboxMessage.objects.count() == 0  # … and gone with it


class TestDigest:
    def test_one_notice_a_person_a_day_with_the_count(self, pokja_kalteng):
        digest = reminders.claim_digest(user=pokja_kalteng, day=datetime.date(2026, 12, 2), item_count=3)
        assert reminders.claim_digest(user=pokja_kalteng, day=datetime.date(2026, 12, 2), item_count=3) is None
        (notice,) = notices_of(pokja_kalteng)
        assert notice.kind == Kind.REMINDER_DIGEST and notice.params["digest_id"] == digest.pk
        assert notice.subject() == "3 tasks are waiting for you today"
        assert notice.target_url == reverse("my_tasks")

    def test_the_daily_run_tells_a_user_without_an_e_mail_address(
        self, bartim, officer_bartim, pokja_kalteng, mailoutbox
    ):
        with at(1):
            builders.submitted(builders.milestone(bartim, 4), officer_bartim)
        pokja_kalteng.email = ""
        pokja_kalteng.save()
        with at(20):  # waiting 19 days: past the review threshold
            reminders.send_daily_reminders(june(20))
        assert ReminderDigest.objects.filter(user=pokja_kalteng, day=june(20)).exists()
        (notice,) = notices_of(pokja_kalteng, Kind.REMINDER_DIGEST)
        assert notice.params["count"] >= 1
        assert all(message.to != [""] for message in mailoutbox)


class TestReports:
    def test_a_schedules_report_tells_the_users_among_its_addresses(self, kalteng, pokja_kalteng, national):
        schedule = ReportSchedule.objects.create(
            name="Laporan bulanan", audience="provincial", day_of_month=3, recipients="POKJA_KALTENG@example.test"
        )
        job = done_report(audience="provincial", province=kalteng)
        job.schedule = schedule
        job.save()
        with transaction.atomic():
            outbox.enqueue("scheduled_report", job_id=job.pk)
        (notice,) = notices_of(pokja_kalteng)
        assert notice.kind == Kind.SCHEDULED_REPORT
        assert notice.subject() == "The scheduled report “Laporan bulanan” for Kalimantan Tengah is ready"
        assert notice.target_url == reverse("report_download", args=[job.pk])
        assert notices_of(national) == []

    def test_a_delivery_tells_the_recipients_users(
        self, bartim, balai, officer_bartim, national, pokja_kalteng, pokja_kalsel, balai_kalteng
    ):
        job = done_report(audience="regency", regency=bartim)
        deliveries.send_report(job=job, recipients=["provincial:62"], sent_by=officer_bartim, cover_note="Mohon dicek.")
        (notice,) = notices_of(pokja_kalteng)
        assert notice.kind == Kind.REPORT_DELIVERY
        assert notice.subject() == "Officer_Bartim sent you the report of Kabupaten Barito Timur"
        assert notice.detail() == "Cover note: Mohon dicek."
        assert notice.target_url == reverse("reports") + "#report-inbox"
        assert notices_of(national) == notices_of(balai_kalteng) == notices_of(pokja_kalsel) == []
        deliveries.send_report(job=job, recipients=["provincial:62", "national"], sent_by=officer_bartim)
        assert len(notices_of(pokja_kalteng)) == 1 and len(notices_of(national)) == 1  # each delivery once


def test_pruning_deletes_old_read_notices_only(update, officer_bartim, pokja_kalteng, settings):
    settings.NOTICE_KEEP_READ_DAYS = 30
    services.submit_update(update=update, actor=officer_bartim)
    (notice,) = notices_of(pokja_kalteng)
    now = notice.created_at
    unread = Notice.objects.create(recipient=pokja_kalteng, kind=Kind.REMINDER_DIGEST, target_name="my_tasks")
    notices.mark_read(notice=notice, now=now - datetime.timedelta(days=31))
    assert notices.prune(now) == 1
    assert list(Notice.objects.all()) == [unread]
