"""The demo ends on the day it is seeded (``seed_demo --today``): seeded as of two different days, its
recent story is the same number of days old, its history up to Coaching Clinic 6 keeps its dates, and
nothing is dated after the day."""

import contextlib
import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from milestones.management.commands.seed_demo import demo_extensions
from milestones.models import (
    ActionEvidence,
    CoachingClinic,
    Evidence,
    EvidenceVerdict,
    FollowUpAction,
    HistoryEntry,
    Milestone,
    MilestoneUpdate,
    MonitoringRecord,
    NawasisSubmission,
    Notice,
    QualityReview,
    SSKDocument,
)
from milestones.tests.demo_fixtures import seeded, snapshot
from regencies.models import Regency, Role, UserRole
from reports import deliveries
from reports.demo import YEARLY_FROM

pytestmark = pytest.mark.empty_database

WIB = ZoneInfo("Asia/Jakarta")
CC6 = datetime.date(2023, 6, 23)


# The demo's day, and the real clock while it is seeded and read (None: the real one). Seeded as of
# 2 December 2026 when the real day is already later (CI running past midnight WIB, or any later day),
# the demo still ends on its own day: the last case moves the clock past the year's end.
DAYS = [
    (datetime.date(2026, 12, 2), None),
    (datetime.date(2027, 3, 10), None),
    (datetime.date(2026, 12, 2), datetime.datetime(2027, 1, 5, 2, 0, tzinfo=WIB)),
]


@pytest.fixture(
    scope="module",
    params=DAYS,
    ids=lambda case: f"{case[0]}" + (f"-seen-{case[1]:%Y-%m-%d}" if case[1] else ""),
)
def today(request, django_db_setup, django_db_blocker):
    day, clock = request.param
    with contextlib.ExitStack() as stack:
        if clock is not None:
            stack.enter_context(time_machine.travel(clock, tick=True))
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(seeded(demo_extensions(), day))
        yield day


def wib_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(WIB).date()


def test_the_reviews_waiting_wait_days_oldest_past_the_escalation(today, db):
    waiting = MilestoneUpdate.objects.filter(status=MilestoneUpdate.Status.SUBMITTED).order_by("submitted_at")
    days = [(today - wib_day(update.submitted_at)).days for update in waiting]
    assert days == [16, 9, 5, 2]
    assert [update.milestone.regency_id for update in waiting] == ["62.03", "62.05", "62.10", "62.06"]


def test_a_returned_update_waits_for_its_officer_who_can_sign_in(today, db):
    returned = MilestoneUpdate.objects.select_related("author").get(status=MilestoneUpdate.Status.RETURNED)
    assert returned.author.username == "petugas.seruyan" and returned.author.has_usable_password()
    assert (today - wib_day(returned.decided_at)).days == 3
    assert returned.return_reason and returned.verdicts.filter(verdict="rejected").exists()


def test_the_last_weeks_events_wait_unread_in_the_bell(today, db):
    """The demo mails nobody, but the officer's bell holds the return with its reason, the Pokja's the
    updates waiting; older history leaves no notice."""
    returned = MilestoneUpdate.objects.get(status=MilestoneUpdate.Status.RETURNED)
    [notice] = Notice.objects.filter(recipient=returned.author, read_at__isnull=True)
    assert notice.params["outcome"] == "returned" and notice.params["reason"] == returned.return_reason
    assert wib_day(notice.created_at) == wib_day(returned.decided_at)
    waiting = Notice.objects.filter(recipient__username="pokja.kalteng", kind=Notice.Kind.UPDATE_SUBMITTED)
    assert sorted((today - wib_day(n.created_at)).days for n in waiting) == [2, 5, 9, 16]
    assert not Notice.objects.filter(created_at__date__lt=today - datetime.timedelta(days=22)).exists()


def test_an_officer_saved_a_draft_yesterday(today, db):
    draft = MilestoneUpdate.objects.get(status=MilestoneUpdate.Status.DRAFT)
    assert wib_day(draft.updated_at) == today - datetime.timedelta(days=1)


def test_seruyans_m4_is_late_with_no_update(today, db):
    m4 = Milestone.objects.get(regency="62.07", definition__number=4)
    assert m4.is_late(today=today) and not m4.updates.exists()


def test_cc6_keeps_its_date_and_m4_of_both_regencies_was_decided_after_it(today, db):
    cc6 = CoachingClinic.objects.get(number=6, regencies="62.13")
    assert cc6.date == CC6
    for code in ("62.13", "62.12"):
        m4 = Milestone.objects.get(regency=code, cohort__year_m1_m3=2022, definition__number=4)
        assert m4.status == Milestone.Status.VERIFIED and CC6 < m4.actual_date < datetime.date(2024, 1, 1)
    murung_raya = Milestone.objects.get(regency="62.12", cohort__year_m1_m3=2022, definition__number=4)
    actions = list(murung_raya.history.filter(at__date__gt=CC6).order_by("at").values_list("action", flat=True))
    assert actions[0] == HistoryEntry.Action.RETURNED and actions[-1] == HistoryEntry.Action.APPROVED


def test_the_years_that_have_ended_are_monitored(today, db):
    records = MonitoringRecord.objects.all()
    assert records.count() == (16 if today.year == 2026 else 20)
    assert all(record.year < today.year and wib_day(record.recorded_at) <= today for record in records)
    assert set(records.values_list("cohort__year_m1_m3", flat=True)) == {2021, 2022, 2024}


def test_the_later_clinics_have_follow_ups_overdue_by_days(today, db):
    later = CoachingClinic.objects.filter(date__gt=CC6)
    assert sorted(later.values_list("number", flat=True)) == [4, 6, 7]
    overdue = FollowUpAction.objects.filter(FollowUpAction.overdue_q(today=today), recommendation__clinic__in=later)
    days = sorted((today - action.due_date).days for action in overdue)
    assert days == [1, 4, 9]
    assert FollowUpAction.objects.filter(recommendation__clinic__in=later, status="done").count() >= 3
    assert FollowUpAction.objects.filter(recommendation__clinic__in=later, due_date__gt=today).exists()


def test_an_ssk_document_and_nawasis_entries_wait_days(today, db):
    document = SSKDocument.objects.get(status=SSKDocument.Status.QUALITY_ASSURANCE)
    assert (today - wib_day(document.updated_at)).days == 8
    waiting = NawasisSubmission.objects.filter(verified_at=None)
    assert sorted((today - entry.submitted_on).days for entry in waiting) == [6, 11]


def test_nothing_is_dated_after_the_demos_day(today, db):
    end = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(), tzinfo=WIB)
    moments = [
        (HistoryEntry, "at"),
        (MilestoneUpdate, "created_at"),
        (MilestoneUpdate, "submitted_at"),
        (MilestoneUpdate, "decided_at"),
        (MilestoneUpdate, "updated_at"),
        (Milestone, "updated_at"),
        (Evidence, "uploaded_at"),
        (EvidenceVerdict, "judged_at"),
        (CoachingClinic, "created_at"),
        (FollowUpAction, "closed_at"),
        (FollowUpAction, "updated_at"),
        (ActionEvidence, "uploaded_at"),
        (MonitoringRecord, "recorded_at"),
        (NawasisSubmission, "verified_at"),
        (QualityReview, "reviewed_at"),
        (SSKDocument, "created_at"),
        (SSKDocument, "updated_at"),
    ]
    for model, name in moments:
        assert not model.objects.filter(**{f"{name}__gte": end}).exists(), f"{model.__name__}.{name}"
    for model, name in [(CoachingClinic, "date"), (Milestone, "actual_date"), (NawasisSubmission, "submitted_on")]:
        assert not model.objects.filter(**{f"{name}__gt": today}).exists(), f"{model.__name__}.{name}"


def test_seeding_again_goes_on_as_of_the_demos_day_and_changes_nothing(today, db):
    """``seed_demo`` run again (without ``--today``, on whatever the real day is) finds the demo's day in the
    database: what is dated back from it is found again, nothing is added for a later day."""
    before = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == before


def test_seeding_again_as_of_another_day_is_refused(today, db):
    before = snapshot()
    other = today + datetime.timedelta(days=1)
    with pytest.raises(CommandError, match=f"holds the demo as of {today:%Y-%m-%d}: it cannot end on {other:%Y-%m-%d}"):
        call_command("seed_demo", "--today", f"{other:%Y-%m-%d}", stdout=StringIO())
    call_command("seed_demo", "--today", f"{today:%Y-%m-%d}", stdout=StringIO())
    assert snapshot() == before


LONGEST = 60  # days: nothing in the demo is overdue or waits longer on its day


def test_nothing_is_overdue_or_waiting_longer_than_two_months(today, db):
    oldest = today - datetime.timedelta(days=LONGEST)
    overdue = FollowUpAction.objects.filter(FollowUpAction.overdue_q(today=today))
    assert overdue.exists() and not overdue.filter(due_date__lt=oldest).exists()
    since = datetime.datetime.combine(oldest, datetime.time(), tzinfo=WIB)
    waiting = [
        MilestoneUpdate.objects.filter(status=MilestoneUpdate.Status.SUBMITTED, submitted_at__lt=since),
        MilestoneUpdate.objects.filter(status=MilestoneUpdate.Status.RETURNED, decided_at__lt=since),
        SSKDocument.objects.filter(status=SSKDocument.Status.QUALITY_ASSURANCE, updated_at__lt=since),
        NawasisSubmission.objects.filter(verified_at=None, submitted_on__lt=oldest),
    ]
    assert not any(query.exists() for query in waiting), [list(query) for query in waiting]


def test_every_due_years_report_is_delivered_within_two_months(today, db):
    """From 2025 (the years before are the story's, partly undelivered) every regency with an officer and
    the province have sent each due year's report to all recipients, or it fell due under 60 days ago."""
    codes = UserRole.objects.filter(role=Role.REGENCY_OFFICER).values_list("regency_id", flat=True)
    regencies = list(Regency.objects.select_related("province").filter(code__in=codes, province="62"))
    assert len(regencies) == 10
    undelivered = []
    assert YEARLY_FROM <= deliveries.due_year(today)
    for year in range(YEARLY_FROM, deliveries.due_year(today) + 1):
        rows = [*deliveries.regency_rows(regencies, year), *deliveries.own_report_rows(["62"], year)]
        missing = [(year, row.name) for row in rows if row.missing]
        assert not missing or (today - deliveries.due_since(year)).days <= LONGEST, missing
        undelivered += missing
    # Seeded in March 2027, the 2026 reports fell due on 15 January: Barito Timur's alone is still to send.
    assert undelivered == ([(2026, "Kabupaten Barito Timur")] if today.year == 2027 else [])
