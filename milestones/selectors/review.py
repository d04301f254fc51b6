"""Reads of the shared review workflow: a record's history, and what waits for review."""

from collections import defaultdict
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet

from milestones.models.review import Reviewed, ReviewState, ReviewStep


def history(record: Reviewed) -> QuerySet[ReviewStep]:
    """The record's steps, oldest first, with their actors (one query)."""
    return ReviewStep.objects.filter(
        content_type=ContentType.objects.get_for_model(record, for_concrete_model=True), object_id=record.pk
    ).select_related("actor")


def histories(records: Sequence[Reviewed]) -> dict[int, list[ReviewStep]]:
    """The steps of several records of one model by record id, in one query (for a list page)."""
    if not records:
        return {}
    steps: dict[int, list[ReviewStep]] = defaultdict(list)
    content_type = ContentType.objects.get_for_model(records[0], for_concrete_model=True)
    for step in ReviewStep.objects.filter(
        content_type=content_type, object_id__in=[r.pk for r in records]
    ).select_related("actor"):
        steps[step.object_id].append(step)
    return dict(steps)


def waiting[M: Reviewed](queryset: QuerySet[M]) -> QuerySet[M]:
    """The records of ``queryset`` waiting for a decision, oldest submission first."""
    return queryset.filter(review_state=ReviewState.SUBMITTED).order_by("submitted_at", "pk")


def state_counts(queryset: QuerySet[Reviewed]) -> dict[str, int]:
    """How many records are in each review state (every state present, zero when none)."""
    counts = dict.fromkeys(ReviewState.values, 0)
    for row in queryset.order_by().values("review_state").annotate(n=Count("pk")):
        counts[row["review_state"]] = row["n"]
    return counts
