"""Reads for the regency page, the milestone page and the review queue; all start from the user's scope."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import WithAnnotations

from milestones.models import (
    Cohort,
    Evidence,
    EvidenceRequirement,
    EvidenceVerdict,
    HistoryEntry,
    Milestone,
    MilestoneUpdate,
)
from regencies import scoping
from regencies.models import Regency
from ssk_tracker.lib.dates import days_since
from ssk_tracker.lib.users import AnyUser


class EvidenceCount(TypedDict):
    evidence_count: int


type CountedUpdate = WithAnnotations[MilestoneUpdate, EvidenceCount]  # `type`: WithAnnotations[...] fails at run time


def milestones_in_scope(user: AnyUser) -> QuerySet[Milestone]:
    return scoping.filter_by_scope(user, Milestone.objects.all(), "regency")


def updates_in_scope(user: AnyUser) -> QuerySet[MilestoneUpdate]:
    return scoping.filter_by_scope(user, MilestoneUpdate.objects.all(), "milestone__regency")


def regency_cohorts(regency: Regency) -> QuerySet[Cohort]:
    """The regency's cohorts, newest first, each with its milestones, their open update and evidence counts."""
    open_updates = MilestoneUpdate.objects.filter(status__in=MilestoneUpdate.OPEN_STATUSES)
    milestones = (
        Milestone.objects.select_related("definition")
        .annotate(
            update_count=Count("updates", distinct=True),
            pending_reviews=Count("updates", filter=Q(updates__status=MilestoneUpdate.Status.SUBMITTED), distinct=True),
        )
        .prefetch_related(Prefetch("updates", queryset=open_updates, to_attr="open_updates"))
        .order_by("definition__number")
    )
    return (
        Cohort.objects.filter(regency=regency)
        .prefetch_related(Prefetch("milestones", queryset=milestones))
        .order_by("-year_m1_m3")
    )


def recent_updates(regency: Regency, limit: int = 10) -> QuerySet[CountedUpdate]:
    return (
        MilestoneUpdate.objects.filter(milestone__regency=regency)
        .exclude(status=MilestoneUpdate.Status.DRAFT)
        .select_related("milestone__definition", "author", "decided_by")
        .annotate(evidence_count=Count("evidence"))
        .order_by("-updated_at")[:limit]
    )


def milestone_for_user(user: AnyUser, pk: int) -> Milestone:
    queryset = milestones_in_scope(user).select_related("definition", "cohort", "regency__province")
    return scoping.get_or_404(queryset, pk=pk)


def update_for_user(user: AnyUser, pk: int) -> MilestoneUpdate:
    queryset = updates_in_scope(user).select_related("milestone__definition", "milestone__regency__province", "author")
    return scoping.get_or_404(queryset, pk=pk)


def evidence_for_user(user: AnyUser, pk: int) -> Evidence:
    queryset = scoping.filter_by_scope(user, Evidence.objects.all(), "update__milestone__regency")
    return scoping.get_or_404(queryset.select_related("blob", "update__milestone"), pk=pk)


def milestone_updates(milestone: Milestone) -> QuerySet[MilestoneUpdate]:
    evidence = Evidence.objects.select_related("blob").order_by("uploaded_at", "pk")
    return (
        milestone.updates.select_related("author", "decided_by")
        .prefetch_related(
            "requirements_met",
            Prefetch("evidence", queryset=evidence),
            Prefetch("verdicts", queryset=EvidenceVerdict.objects.select_related("judged_by")),
        )
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class ItemReview:
    """One required evidence item as it stands on one update: the officer's claim and the reviewer's verdict."""

    requirement: EvidenceRequirement
    claimed: bool
    verdict: EvidenceVerdict | None
    # The latest acceptance of this item on an earlier approved update of the milestone: a hint, not a verdict.
    earlier: EvidenceVerdict | None = None


def evidence_review(
    update: MilestoneUpdate | None,
    requirements: Sequence[EvidenceRequirement],
    earlier_updates: Sequence[MilestoneUpdate] = (),
) -> list[ItemReview]:
    """Every required item with the update's claim and verdict (None: no update yet); uses prefetched rows."""
    claimed = {r.pk for r in update.requirements_met.all()} if update else set()
    verdicts = {v.requirement_id: v for v in update.verdicts.all()} if update else {}
    earlier: dict[int, EvidenceVerdict] = {}
    for other in earlier_updates:  # newest first: keep the first acceptance found
        if (update is None or other.pk != update.pk) and other.is_approved:
            for verdict in other.verdicts.all():
                if verdict.is_accepted:
                    earlier.setdefault(verdict.requirement_id, verdict)
    return [ItemReview(r, r.pk in claimed, verdicts.get(r.pk), earlier.get(r.pk)) for r in requirements]


@dataclass(frozen=True)
class VerificationGaps:
    """What stops an update at 100 % from verifying its milestone: items not accepted, an unverified predecessor."""

    missing: list[EvidenceRequirement]
    previous: Milestone | None

    def __bool__(self) -> bool:
        return bool(self.missing or self.previous)

    def reasons(self) -> list[str]:
        """Each gap in words, as the approve button and the service's refusal say it."""
        reasons = []
        if self.missing:
            reasons.append(
                _("Required evidence not yet accepted: %(items)s.")
                % {"items": "; ".join(r.label for r in self.missing)}
            )
        if self.previous:
            reasons.append(
                _("%(previous)s must be verified first (now: %(status)s).")
                % {"previous": self.previous.definition.code, "status": self.previous.get_status_display()}
            )
        return reasons


def previous_unverified(milestone: Milestone) -> Milestone | None:
    """The previous-numbered milestone of the cohort when the definition requires it and it is not verified."""
    definition = milestone.definition
    if not definition.requires_previous:
        return None
    return (
        Milestone.objects.filter(cohort_id=milestone.cohort_id, definition__number=definition.number - 1)
        .exclude(status=Milestone.Status.VERIFIED)
        .select_related("definition")
        .first()
    )


def verification_gaps(update: MilestoneUpdate) -> VerificationGaps:
    """Read fresh from the database (not the prefetch), so the service can rely on it inside its transaction."""
    milestone = update.milestone
    accepted = EvidenceVerdict.objects.filter(update=update, verdict=EvidenceVerdict.Verdict.ACCEPTED)
    missing = list(
        EvidenceRequirement.objects.filter(definition_id=milestone.definition_id)
        .exclude(pk__in=accepted.values("requirement_id"))
        .order_by("order", "pk")
    )
    return VerificationGaps(missing=missing, previous=previous_unverified(milestone))


def milestone_history(milestone: Milestone) -> QuerySet[HistoryEntry]:
    return HistoryEntry.objects.filter(milestone=milestone).select_related("actor", "update").order_by("-at", "-pk")


def review_queue(
    user: AnyUser, *, milestone_number: int | None = None, regency_code: str | None = None
) -> QuerySet[CountedUpdate]:
    """Submitted updates in the user's scope, oldest first, with how long each has waited."""
    queryset = (
        updates_in_scope(user)
        .filter(status=MilestoneUpdate.Status.SUBMITTED)
        .select_related("milestone__definition", "milestone__regency", "author")
        .annotate(evidence_count=Count("evidence"))
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )
    if milestone_number:
        queryset = queryset.filter(milestone__definition__number=milestone_number)
    if regency_code:
        queryset = queryset.filter(milestone__regency=regency_code)
    return queryset


def waiting_days(update: MilestoneUpdate, now: datetime.datetime | None = None) -> int:
    """Calendar days the update has waited for review (``days_since``), as on every page and report."""
    today = timezone.localdate(now) if now else timezone.localdate()
    return days_since(update.submitted_at, today) if update.submitted_at else 0
