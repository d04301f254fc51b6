"""A milestone's status, progress, plan and lateness on a past date, read from its history (figures.with_state).

Barito Timur's M4 (2022 cohort, planned 30 November 2023) lives through 2023 with the clock frozen at
each step: the plan moves to 31 October, a draft at 60 %, a submission, a return, a resubmission at
100 %, an approval that verifies it, a reopening. The state is then read at dates between the steps.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from milestones.models import FollowUpAction, Milestone, MilestoneDefinition, MilestoneUpdate, NawasisSubmission
from milestones.selectors import figures
from milestones.services import milestones as services
from milestones.tests import builders
from milestones.tests import clinic_builders as clinics
from regencies.models import Regency
from ssk_tracker.lib.dates import end_of_day

WIB = ZoneInfo("Asia/Jakarta")


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=WIB)


@pytest.fixture
def story(bartim, officer_bartim, pokja_kalteng):
    """The milestone's 2023, step by step; returns it with its progress right after the reopening."""
    milestone = builders.milestone(bartim, 4, 2022)
    # The story is M4's alone: M1–M3 stay as they are, so M4 may be verified without them.
    MilestoneDefinition.objects.filter(number=4).update(requires_previous=False)
    steps = {}
    with time_machine.travel(at("2023-01-10"), tick=False):
        services.change_plan(milestone=milestone, actor=pokja_kalteng, planned_date=datetime.date(2023, 10, 31))
    with time_machine.travel(at("2023-03-01"), tick=False):
        update = builders.draft(milestone, officer_bartim, progress=60)
    with time_machine.travel(at("2023-03-05", 16), tick=False):
        services.submit_update(update=update, actor=officer_bartim, notify=False)
    with time_machine.travel(at("2023-03-10"), tick=False):
        services.return_update(update=update, reviewer=pokja_kalteng, reason="Lampirkan SK UPTD.", notify=False)
    with time_machine.travel(at("2023-04-01"), tick=False):
        requirements = list(milestone.definition.requirements.all())
        services.save_draft(
            milestone=milestone,
            author=officer_bartim,
            update=update,
            progress=100,
            narrative="x",
            requirements=requirements,
        )
        services.submit_update(update=update, actor=officer_bartim, notify=False)
    with time_machine.travel(at("2023-04-10"), tick=False):
        builders.accept_all(update, pokja_kalteng)
        services.approve_update(update=update, reviewer=pokja_kalteng, notify=False)
    with time_machine.travel(at("2023-06-01"), tick=False):
        services.reopen_milestone(milestone=milestone, actor=pokja_kalteng, reason="SK UPTD dicabut.", progress=80)
        steps["reopened_progress"] = Milestone.objects.get(pk=milestone.pk).progress
    return milestone, steps


def state(milestone, as_of):
    row = (
        figures.with_state(Milestone.objects.filter(pk=milestone.pk), datetime.date(2099, 1, 1), as_of)
        .values("status_as_of", "progress_as_of", "planned_as_of", "actual_as_of", "late")
        .get()
    )
    return (row["status_as_of"], row["progress_as_of"], row["planned_as_of"], row["actual_as_of"], row["late"])


OCT31, NOV30 = datetime.date(2023, 10, 31), datetime.date(2023, 11, 30)


def test_before_any_entry_it_had_not_started_with_the_plan_of_then(story):
    milestone, _ = story
    assert state(milestone, end_of_day(datetime.date(2022, 12, 31))) == ("not_started", 0, NOV30, None, False)


def test_after_the_plan_change_and_before_the_draft(story):
    milestone, _ = story
    assert state(milestone, at("2023-02-01")) == ("not_started", 0, OCT31, None, False)


def test_a_draft_starts_it_and_a_submission_waits_for_review(story):
    milestone, _ = story
    assert state(milestone, at("2023-03-03")) == ("in_progress", 0, OCT31, None, False)
    assert state(milestone, at("2023-03-07")) == ("submitted", 0, OCT31, None, False)


def test_after_the_return_it_needs_revision(story):
    milestone, _ = story
    assert state(milestone, at("2023-03-20")) == ("needs_revision", 0, OCT31, None, False)


def test_after_the_approval_at_100_it_is_verified_on_the_day_of_the_approval(story):
    milestone, _ = story
    assert state(milestone, at("2023-05-01")) == ("verified", 100, OCT31, datetime.date(2023, 4, 10), False)
    # Verified milestones are never late, past their plan or not.
    assert state(milestone, at("2023-05-30")) == ("verified", 100, OCT31, datetime.date(2023, 4, 10), False)


def test_after_the_reopening_it_is_in_progress_again_without_an_achieved_date(story):
    milestone, steps = story
    assert state(milestone, at("2023-06-15")) == ("in_progress", steps["reopened_progress"], OCT31, None, False)


def test_it_is_late_from_the_day_after_its_planned_date(story):
    milestone, _ = story
    assert state(milestone, end_of_day(OCT31))[4] is False
    assert state(milestone, at("2023-11-01", 0))[4] is True


def test_the_history_ends_where_the_live_columns_are(story):
    milestone, _ = story
    assert state(milestone, at("2026-01-01")) == state(milestone, None)[:4] + (True,)
    live = Milestone.objects.get(pk=milestone.pk)
    assert state(milestone, None)[:4] == (live.status, live.progress, live.planned_date, live.actual_date)


def test_programme_figures_count_the_status_lateness_and_wait_of_then(story, bartim):
    milestone, _ = story

    def read(as_of):
        found = figures.programme_figures(
            regencies=Regency.objects.filter(pk=bartim.pk),
            milestones=Milestone.objects.filter(regency=bartim),
            updates=MilestoneUpdate.objects.filter(milestone__regency=bartim),
            actions=None,
            today=datetime.date(2099, 1, 1),
            as_of=as_of,
        )["62"]
        m4 = found.milestones[4]
        return m4.statuses, m4.late, found.pending_reviews, found.oldest_wait_days

    assert read(at("2023-03-07")) == ({"submitted": 1}, 0, 1, 2)  # submitted 5 March 16.00: two days
    assert read(at("2023-03-20")) == ({"needs_revision": 1}, 0, 0, None)
    assert read(at("2023-11-15")) == ({"in_progress": 1}, 1, 0, None)
    # M1–M3 of the cohort never moved: not started all along, and late since their 2022 plans.
    assert read(at("2022-03-31", 12))[0] == {"not_started": 1}
    counts = figures.status_counts(
        Milestone.objects.filter(regency=bartim), datetime.date(2099, 1, 1), at("2023-11-15")
    )
    assert counts == {1: {"not_started": 1}, 2: {"not_started": 1}, 3: {"not_started": 1}, 4: {"in_progress": 1}}


def test_the_current_cohort_of_a_past_year_is_the_latest_one_begun_by_then(bartim):
    builders.cohort(bartim, 2022)
    builders.cohort(bartim, 2025)
    regencies = Regency.objects.filter(pk=bartim.pk)

    def cohort_year(as_of):
        current = figures.current_milestones(Milestone.objects.filter(regency=bartim), as_of)
        return set(current.values_list("cohort__year_m1_m3", flat=True))

    assert cohort_year(at("2024-12-31")) == {2022}
    assert cohort_year(at("2025-01-01", 0)) == {2025}
    assert cohort_year(None) == {2025}
    assert not regencies.filter(figures.in_programme("pk", at("2021-12-31"))).exists()


@pytest.fixture
def clinic_2023(kalteng, bartim, pokja_kalteng):
    with time_machine.travel(at("2023-07-03"), tick=False):
        return clinics.clinic(kalteng, pokja_kalteng, regencies=[bartim])


def test_follow_ups_stand_as_they_were_then(clinic_2023, bartim, pokja_kalteng):
    with time_machine.travel(at("2023-07-03"), tick=False):
        closed_in_august = clinics.action(clinic_2023, pokja_kalteng, owner=bartim, due_date=datetime.date(2023, 7, 31))
        dropped_in_october = clinics.action(clinic_2023, pokja_kalteng, owner=bartim)
        clinics.action(clinic_2023, pokja_kalteng, owner=bartim, due_date=datetime.date(2024, 3, 31))
    with time_machine.travel(at("2023-08-15"), tick=False):
        clinics.closed(closed_in_august, pokja_kalteng)
    with time_machine.travel(at("2023-10-15"), tick=False):
        clinics.dropped(dropped_in_october, pokja_kalteng)
    everything = FollowUpAction.objects.filter(regency=bartim)

    def read(as_of):
        f = figures.follow_ups(everything, datetime.date(2099, 1, 1), as_of)
        return f.total, f.done, f.dropped, f.overdue

    assert read(at("2023-06-22")) == (0, 0, 0, 0)  # the clinic (23 June) had not been held yet
    assert read(at("2023-08-01")) == (3, 0, 0, 1)  # the July action is open and overdue
    assert read(at("2023-09-01")) == (3, 1, 0, 0)
    assert read(at("2023-11-01")) == (3, 1, 1, 0)


def test_nawasis_entries_and_their_verification_as_they_stood(bartim, officer_bartim, pokja_kalteng):
    first = NawasisSubmission.objects.create(
        regency=bartim,
        module="ssk",
        submitted_on=datetime.date(2023, 2, 1),
        completeness=40,
        recorded_by=officer_bartim,
    )
    later = NawasisSubmission.objects.create(
        regency=bartim,
        module="ssk",
        submitted_on=datetime.date(2023, 9, 1),
        completeness=80,
        recorded_by=officer_bartim,
        verified_at=at("2023-10-02"),
        verified_by=pokja_kalteng,
    )
    everything = NawasisSubmission.objects.filter(regency=bartim)

    def read(as_of):
        return [(s.pk, s.verified_as_of is not None) for s in figures.latest_submissions(everything, as_of)]

    assert read(at("2023-01-31")) == []
    assert read(at("2023-08-31")) == [(first.pk, False)]
    assert read(at("2023-09-30")) == [(later.pk, False)]
    assert read(at("2023-10-31")) == [(later.pk, True)]
    assert read(None) == [(later.pk, True)]


def test_a_report_period_ending_today_or_later_reads_the_live_state():
    now = at("2023-12-02", 3)
    assert figures.as_of_moment(datetime.date(2023, 12, 31), now) is None
    assert figures.as_of_moment(datetime.date(2023, 12, 2), now) is None
    assert figures.as_of_moment(datetime.date(2023, 12, 1), now) == end_of_day(datetime.date(2023, 12, 1))
