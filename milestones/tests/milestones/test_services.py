import datetime

import pytest

from milestones.models import HistoryEntry, Milestone, MilestoneUpdate
from milestones.services import milestones as services
from milestones.tests import builders


@pytest.fixture(autouse=True)
def in_english():
    """Messages are matched in English here; the pages' tests check the Indonesian."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_a_cohort_opens_four_milestones_with_planned_dates(bartim):
    cohort = builders.cohort(bartim, 2022)
    milestones = list(cohort.milestones.order_by("definition__number"))
    assert [m.definition.number for m in milestones] == [1, 2, 3, 4]
    assert cohort.year_m4 == 2023
    assert milestones[0].planned_date == datetime.date(2022, 3, 31)
    assert milestones[3].planned_date == datetime.date(2023, 11, 30)
    assert {m.status for m in milestones} == {"not_started"}


def test_a_first_draft_starts_the_milestone(bartim, officer_bartim):
    milestone = builders.milestone(bartim, 1)
    builders.draft(milestone, officer_bartim, progress=30)
    milestone.refresh_from_db()
    assert milestone.status == "in_progress"
    assert milestone.progress == 0  # progress follows only approved updates


def test_only_one_open_update_per_milestone(bartim, officer_bartim):
    milestone = builders.milestone(bartim, 1)
    builders.draft(milestone, officer_bartim)
    with pytest.raises(services.ActionRefused, match="already has an update in progress"):
        builders.draft(milestone, officer_bartim)


def test_submit_marks_the_milestone_submitted(bartim, officer_bartim):
    milestone = builders.milestone(bartim, 2)
    update = builders.submitted(milestone, officer_bartim)
    milestone.refresh_from_db()
    assert update.status == "submitted" and update.submitted_at
    assert milestone.status == "submitted"


def test_approval_moves_progress_and_verifies_at_100(bartim, officer_bartim, pokja_kalteng):
    milestone = builders.milestone(bartim, 1)
    builders.approved(milestone, officer_bartim, pokja_kalteng, progress=40)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.progress, milestone.actual_date) == ("in_progress", 40, None)
    builders.approved(milestone, officer_bartim, pokja_kalteng, progress=100)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.progress) == ("verified", 100)
    assert milestone.actual_date is not None


def test_return_needs_a_reason(bartim, officer_bartim, pokja_kalteng):
    update = builders.submitted(builders.milestone(bartim, 2), officer_bartim)
    with pytest.raises(services.ActionRefused, match="Say why"):
        services.return_update(update=update, reviewer=pokja_kalteng, reason="   ")
    assert MilestoneUpdate.objects.get(pk=update.pk).status == "submitted"


def test_return_keeps_the_reason_and_the_officer_can_resubmit(bartim, officer_bartim, pokja_kalteng):
    milestone = builders.milestone(bartim, 2)
    update = builders.returned(milestone, officer_bartim, pokja_kalteng, reason="Lampirkan Perbup.")
    milestone.refresh_from_db()
    assert milestone.status == "needs_revision"
    services.save_draft(
        milestone=milestone, author=officer_bartim, update=update, progress=80, narrative="Perbup dilampirkan."
    )
    services.submit_update(update=update, actor=officer_bartim)
    update.refresh_from_db()
    assert update.status == "submitted"
    assert update.return_reason == "Lampirkan Perbup."  # kept for the record
    returned = HistoryEntry.objects.get(update=update, action="returned")
    assert returned.comment == "Lampirkan Perbup."


def test_every_transition_is_recorded(bartim, officer_bartim, pokja_kalteng):
    milestone = builders.milestone(bartim, 3)
    update = builders.returned(milestone, officer_bartim, pokja_kalteng)
    services.submit_update(update=update, actor=officer_bartim)
    services.approve_update(update=update, reviewer=pokja_kalteng, comment="Baik.")
    actions = list(
        HistoryEntry.objects.filter(milestone=milestone)
        .order_by("at", "pk")
        .values_list("action", "from_status", "to_status", "actor__username")
    )
    assert actions == [
        ("created", "", "draft", "officer_bartim"),
        ("submitted", "draft", "submitted", "officer_bartim"),
        ("returned", "submitted", "returned", "pokja_kalteng"),
        ("submitted", "returned", "submitted", "officer_bartim"),
        ("approved", "submitted", "approved", "pokja_kalteng"),
    ]


def test_a_decided_update_cannot_be_decided_again(bartim, officer_bartim, pokja_kalteng):
    update = builders.submitted(builders.milestone(bartim, 1), officer_bartim)
    stale = MilestoneUpdate.objects.get(pk=update.pk)
    services.approve_update(update=update, reviewer=pokja_kalteng)
    with pytest.raises(services.ActionRefused, match="already decided"):
        services.return_update(update=stale, reviewer=pokja_kalteng, reason="Terlambat.")
    assert MilestoneUpdate.objects.get(pk=update.pk).status == "approved"


def test_a_submitted_update_cannot_be_edited(bartim, officer_bartim):
    milestone = builders.milestone(bartim, 1)
    update = builders.submitted(milestone, officer_bartim)
    with pytest.raises(services.ActionRefused, match="can no longer be edited"):
        services.save_draft(milestone=milestone, author=officer_bartim, update=update, progress=10, narrative="x")


def test_a_verified_milestone_is_locked_until_reopened(bartim, officer_bartim, pokja_kalteng):
    milestone = builders.milestone(bartim, 1)
    builders.approved(milestone, officer_bartim, pokja_kalteng, progress=100)
    milestone.refresh_from_db()
    with pytest.raises(services.ActionRefused, match="locked"):
        builders.draft(milestone, officer_bartim)
    services.reopen_milestone(
        milestone=milestone, actor=pokja_kalteng, reason="Bukti komitmen perlu diperbarui.", progress=80
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.progress) == ("in_progress", 80)
    assert HistoryEntry.objects.filter(
        milestone=milestone, action="reopened", comment="Bukti komitmen perlu diperbarui."
    ).exists()
    builders.draft(milestone, officer_bartim)


def test_reopening_needs_a_reason_and_a_verified_milestone(bartim, pokja_kalteng):
    milestone = builders.milestone(bartim, 1)
    with pytest.raises(services.ActionRefused, match="Say why"):
        services.reopen_milestone(milestone=milestone, actor=pokja_kalteng, reason="", progress=50)
    with pytest.raises(services.ActionRefused, match="not verified"):
        services.reopen_milestone(milestone=milestone, actor=pokja_kalteng, reason="x", progress=50)


def test_lateness(bartim):
    milestone = builders.milestone(bartim, 1)
    assert milestone.is_late(today=datetime.date(2022, 4, 1))
    assert not milestone.is_late(today=datetime.date(2022, 3, 31))
    Milestone.objects.filter(pk=milestone.pk).update(status="verified")
    milestone.refresh_from_db()
    assert not milestone.is_late(today=datetime.date(2030, 1, 1))


def test_the_database_refuses_progress_over_100(bartim):
    from django.db import IntegrityError

    milestone = builders.milestone(bartim, 1)
    with pytest.raises(IntegrityError):
        Milestone.objects.filter(pk=milestone.pk).update(progress=101)
