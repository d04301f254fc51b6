"""Each history entry keeps the milestone as it stood after it; the migration fills old entries by replaying."""

import datetime
import importlib
from pathlib import Path

from django.apps import apps

from milestones.models import HistoryEntry, MilestoneDefinition
from milestones.services import milestones as services
from milestones.tests import builders

SNAPSHOT = ("action", "status_after", "progress_after", "planned_before", "planned_after")


def _migration():
    """The migration by its name, whatever number it was given when merged."""
    (path,) = Path(importlib.import_module("milestones.migrations").__file__).parent.glob("*_history_snapshots.py")
    return importlib.import_module(f"milestones.migrations.{path.stem}")


def snapshots(milestone):
    return list(HistoryEntry.objects.filter(milestone=milestone).order_by("at", "pk").values_list(*SNAPSHOT))


def test_each_entry_records_the_milestone_after_it(bartim, officer_bartim, pokja_kalteng):
    milestone = builders.milestone(bartim, 4)
    MilestoneDefinition.objects.filter(number=4).update(requires_previous=False)
    nov30 = datetime.date(2023, 11, 30)
    update = builders.draft(
        milestone, officer_bartim, progress=100, requirements=list(milestone.definition.requirements.all())
    )
    services.submit_update(update=update, actor=officer_bartim, notify=False)
    builders.accept_all(update, pokja_kalteng)
    services.approve_update(update=update, reviewer=pokja_kalteng, notify=False)
    services.change_plan(milestone=milestone, actor=pokja_kalteng, planned_date=datetime.date(2023, 12, 15))
    assert snapshots(milestone) == [
        ("created", "in_progress", 0, nov30, nov30),  # recorded after the milestone started
        ("submitted", "submitted", 0, nov30, nov30),  # recorded after the milestone took the submission
        ("approved", "verified", 100, nov30, nov30),
        ("planned", "verified", 100, nov30, datetime.date(2023, 12, 15)),
    ]


def test_replaying_the_history_gives_what_the_services_recorded(bartim, officer_bartim, pokja_kalteng):
    milestone = builders.milestone(bartim, 3)
    MilestoneDefinition.objects.filter(number=3).update(requires_previous=False)
    services.change_plan(milestone=milestone, actor=pokja_kalteng, planned_date=datetime.date(2022, 10, 31))
    builders.returned(milestone, officer_bartim, pokja_kalteng)
    update = milestone.updates.get()
    services.save_draft(
        milestone=milestone,
        author=officer_bartim,
        update=update,
        progress=100,
        narrative="x",
        requirements=list(milestone.definition.requirements.all()),
    )
    services.submit_update(update=update, actor=officer_bartim, notify=False)
    builders.accept_all(update, pokja_kalteng)
    services.approve_update(update=update, reviewer=pokja_kalteng, notify=False)
    # No reopening here: the rows the backfill meets come from before reopening took a stated progress
    # (it kept the milestone's); test_replay covers how it replays those.
    services.change_plan(milestone=milestone, actor=pokja_kalteng, planned_date=datetime.date(2022, 12, 31))
    recorded = snapshots(milestone)
    HistoryEntry.objects.filter(milestone=milestone).update(
        status_after="not_started", progress_after=0, planned_before=None, planned_after=None
    )
    _migration().backfill(apps, None)
    assert snapshots(milestone) == recorded
    assert [row[1] for row in recorded] == [
        "not_started",  # the plan changed before anything else happened
        "in_progress",
        "submitted",
        "needs_revision",
        "needs_revision",  # the revision's edit
        "submitted",
        "verified",
        "verified",  # the plan changed after the verification
    ]


def test_replay_starts_from_the_plan_before_the_first_change():
    replay = _migration().replay
    states = replay(
        [
            ("created", "", "draft", 40),
            ("planned", "2023-11-30", "2023-10-31", None),
            ("submitted", "draft", "submitted", 40),
            ("approved", "submitted", "approved", 40),
            ("submitted", "draft", "submitted", 100),
            ("approved", "submitted", "approved", 100),
        ],
        datetime.date(2023, 10, 31),
    )
    nov30, oct31 = datetime.date(2023, 11, 30), datetime.date(2023, 10, 31)
    assert states == [
        ("in_progress", 0, nov30, nov30),
        ("in_progress", 0, nov30, oct31),
        ("submitted", 0, oct31, oct31),
        ("in_progress", 40, oct31, oct31),  # approved below 100 %: in progress at the update's progress
        ("submitted", 40, oct31, oct31),
        ("verified", 100, oct31, oct31),
    ]


def test_replay_of_a_milestone_without_a_plan_change_keeps_todays_plan():
    (state,) = _migration().replay([("created", "", "draft", 10)], None)
    assert state == ("in_progress", 0, None, None)


def test_replay_of_a_reopening_keeps_the_progress_it_had():
    """Before reopening took a stated progress, it left the milestone's progress as it was."""
    states = _migration().replay(
        [
            ("submitted", "draft", "submitted", 100),
            ("approved", "submitted", "approved", 100),
            ("reopened", "verified", "in_progress", None),
        ],
        None,
    )
    assert [state[:2] for state in states] == [("submitted", 0), ("verified", 100), ("in_progress", 100)]
