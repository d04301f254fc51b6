"""Each history entry keeps the milestone as it stood after it; existing entries get it by replaying
each milestone's history in order (``replay``), so a past date's status can be read from the history."""

import datetime

import django.core.validators
from django.db import migrations, models

# The milestone statuses and history actions as they are at this migration (not imported from the app,
# which may change them later).
NOT_STARTED, IN_PROGRESS, SUBMITTED, NEEDS_REVISION, VERIFIED = (
    "not_started",
    "in_progress",
    "submitted",
    "needs_revision",
    "verified",
)


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def replay(entries, planned_now):
    """The milestone after each of ``entries`` (in (at, pk) order), from a milestone not started at 0 %.

    ``entries`` are (action, from_status, to_status, progress of the entry's update or None);
    ``planned_now`` is the milestone's planned date today. A plan change holds the dates before and
    after it in from_status and to_status, so the plan before the first change is that change's
    "before". Returns (status, progress, planned_before, planned_after) per entry.
    """
    changes = [(before, after) for action, before, after, _ in entries if action == "planned"]
    planned = _date(changes[0][0]) if changes else planned_now
    status, progress = NOT_STARTED, 0
    states = []
    for action, before, after, update_progress in entries:
        planned_before = planned
        if action == "created" and status == NOT_STARTED:
            status = IN_PROGRESS
        elif action == "submitted":
            status = SUBMITTED
        elif action == "returned":
            status = NEEDS_REVISION
        elif action == "approved":
            progress = update_progress if update_progress is not None else progress
            status = VERIFIED if progress == 100 else IN_PROGRESS
        elif action == "reopened":
            status = IN_PROGRESS
        elif action == "planned":
            planned = _date(after)
        states.append((status, progress, planned_before, planned))
    return states


def backfill(apps, schema_editor):
    Milestone = apps.get_model("milestones", "Milestone")
    HistoryEntry = apps.get_model("milestones", "HistoryEntry")
    for milestone in Milestone.objects.filter(history__isnull=False).distinct().iterator():
        entries = list(HistoryEntry.objects.filter(milestone=milestone).select_related("update").order_by("at", "pk"))
        replayed = replay(
            [(e.action, e.from_status, e.to_status, e.update.progress if e.update else None) for e in entries],
            milestone.planned_date,
        )
        for entry, (status, progress, before, after) in zip(entries, replayed, strict=True):
            entry.status_after, entry.progress_after = status, progress
            entry.planned_before, entry.planned_after = before, after
        HistoryEntry.objects.bulk_update(
            entries, ["status_after", "progress_after", "planned_before", "planned_after"], batch_size=500
        )


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0003_clinics_activities_nawasis"),
    ]

    operations = [
        migrations.AddField(
            model_name="historyentry",
            name="status_after",
            field=models.CharField(
                choices=[
                    ("not_started", "Not started"),
                    ("in_progress", "In progress"),
                    ("submitted", "Submitted"),
                    ("needs_revision", "Needs revision"),
                    ("verified", "Verified"),
                ],
                default="not_started",
                max_length=20,
                verbose_name="milestone status after",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historyentry",
            name="progress_after",
            field=models.PositiveSmallIntegerField(
                default=0,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(100),
                ],
                verbose_name="milestone progress after (%)",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historyentry",
            name="planned_before",
            field=models.DateField(blank=True, null=True, verbose_name="planned date before"),
        ),
        migrations.AddField(
            model_name="historyentry",
            name="planned_after",
            field=models.DateField(blank=True, null=True, verbose_name="planned date after"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="historyentry",
            index=models.Index(fields=["milestone", "at"], name="milestones__milesto_96b375_idx"),
        ),
        migrations.AddConstraint(
            model_name="historyentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("progress_after__gte", 0), ("progress_after__lte", 100)),
                name="history_progress_after_0_100",
            ),
        ),
    ]
