"""Reads for the regency page, the milestone page and the review queue; all start from the user's scope."""

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.db.models import Count, F, Min, OuterRef, Prefetch, QuerySet, Subquery, Value, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.urls import reverse
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
from milestones.selectors import service_records
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


class RecentUpdate(TypedDict):
    pk: int
    milestone_id: int
    url: str
    code: str
    status: str
    status_label: str
    progress: int
    return_reason: str
    author: str
    updated_at: datetime.datetime


@dataclass(frozen=True)
class RegencyMilestones:
    """The regency page's milestone section: the cohorts, newest first, each with ``rows`` (its milestones
    by number, each with ``update_count``, ``pending_reviews``, ``open_update_id`` and ``open_update_status``),
    and the latest non-draft updates as plain rows."""

    cohorts: list[Cohort]
    recent_updates: list[RecentUpdate]


def regency_milestones(regency: Regency, *, recent: int = 5, today: datetime.date | None = None) -> RegencyMilestones:
    """Two queries however many updates: the milestones with their cohorts (a cohort is created with its
    milestones, ``services.create_cohort``), and the regency's updates as plain rows, from which the counts,
    the open update and the latest ones are read (a regency has tens of updates, not thousands)."""
    milestones = list(
        Milestone.objects.filter(cohort__regency=regency)
        .select_related("definition", "cohort")
        .order_by("-cohort__year_m1_m3", "cohort_id", "definition__number")
    )
    updates = list(
        MilestoneUpdate.objects.filter(milestone__regency=regency)
        .order_by("-updated_at", "-pk")
        .values(
            "pk",
            "milestone_id",
            "status",
            "progress",
            "return_reason",
            "created_at",
            "updated_at",
            "milestone__definition__number",
            "author__username",
            "author__first_name",
            "author__last_name",
        )
    )
    by_milestone: dict[int, list[Any]] = {}
    for row in updates:
        by_milestone.setdefault(row["milestone_id"], []).append(row)
    today = today or timezone.localdate()
    # Each row's link and lateness settled once here rather than by a reverse() and a clock read per row.
    prefix = reverse("milestone", args=[0]).removesuffix("0/")
    cohorts: dict[int, Cohort] = {}
    for milestone in milestones:
        milestone.url = f"{prefix}{milestone.pk}/"  # type: ignore[attr-defined]
        milestone.late = milestone.is_late(today)  # type: ignore[attr-defined]
        rows = by_milestone.get(milestone.pk, [])
        # At most one open update per milestone (a constraint); the newest wins should data ever disagree.
        open_rows = sorted(
            (r for r in rows if r["status"] in MilestoneUpdate.OPEN_STATUSES), key=lambda r: r["created_at"]
        )
        milestone.update_count = len(rows)  # type: ignore[attr-defined]
        milestone.pending_reviews = any(r["status"] == MilestoneUpdate.Status.SUBMITTED for r in rows)  # type: ignore[attr-defined]
        milestone.open_update_id = open_rows[-1]["pk"] if open_rows else None  # type: ignore[attr-defined]
        milestone.open_update_status = open_rows[-1]["status"] if open_rows else None  # type: ignore[attr-defined]
        cohort = cohorts.setdefault(milestone.cohort_id, milestone.cohort)
        cohort.__dict__.setdefault("rows", []).append(milestone)
    labels = dict(MilestoneUpdate.Status.choices)
    latest = [
        RecentUpdate(
            pk=row["pk"],
            milestone_id=row["milestone_id"],
            url=f"{prefix}{row['milestone_id']}/#update-{row['pk']}",
            code=f"M{row['milestone__definition__number']}",
            status=row["status"],
            status_label=str(labels.get(row["status"], row["status"])),
            progress=row["progress"],
            return_reason=row["return_reason"],
            author=f"{row['author__first_name']} {row['author__last_name']}".strip() or row["author__username"],
            updated_at=row["updated_at"],
        )
        for row in updates
        if row["status"] != MilestoneUpdate.Status.DRAFT
    ][:recent]
    return RegencyMilestones(list(cohorts.values()), latest)


def regency_cohorts(regency: Regency) -> QuerySet[Cohort]:
    """The regency's cohorts, newest first (the regency page's order)."""
    return Cohort.objects.filter(regency=regency).order_by("-year_m1_m3", "-pk")


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
    """Every update with its verdicts (earlier acceptances need them all); the claims come from
    ``claimed_requirements`` and the files from ``attach_evidence``, for the shown page only."""
    return (
        milestone.updates.select_related("author", "decided_by")
        .prefetch_related(Prefetch("verdicts", queryset=EvidenceVerdict.objects.select_related("judged_by")))
        .order_by("-created_at")
    )


def claimed_requirements(updates: Sequence[MilestoneUpdate]) -> dict[int, set[int]]:
    """The ids of the items each update claims, from the link table's ids alone (no requirement rows built:
    the page has them already); no query without updates."""
    claimed: dict[int, set[int]] = {update.pk: set() for update in updates}
    if claimed:
        links = MilestoneUpdate.requirements_met.through.objects.filter(milestoneupdate_id__in=claimed)
        for update_id, requirement_id in links.values_list("milestoneupdate_id", "evidencerequirement_id"):
            claimed[update_id].add(requirement_id)
    return claimed


def attach_evidence(updates: Sequence[MilestoneUpdate]) -> None:
    """Each update's files with their blobs (``update.evidence.all()``), in one query: only the shown updates',
    so a milestone with many updates reads a page of files, not all of them."""
    evidence = Evidence.objects.select_related("blob").order_by("uploaded_at", "pk")
    prefetch_related_objects(list(updates), Prefetch("evidence", queryset=evidence))


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
    claimed_ids: Collection[int] | None = None,
) -> list[ItemReview]:
    """Every required item with the update's claim and verdict (None: no update yet); uses prefetched rows.
    ``claimed_ids``: the update's claimed items when already read (``claimed_requirements``)."""
    if claimed_ids is not None:
        claimed = set(claimed_ids)
    else:
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
    # M4's required item "coverage reaches the full scale the province set": why not yet (service_records).
    coverage: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.previous or self.coverage)

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
        reasons.extend(self.coverage)
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
    return VerificationGaps(
        missing=missing, previous=previous_unverified(milestone), coverage=service_records.full_scale_gap(milestone)
    )


def milestone_history(milestone: Milestone) -> QuerySet[HistoryEntry]:
    # Only who acted: the page shows no field of the entry's update (joining it built a full update per row).
    return HistoryEntry.objects.filter(milestone=milestone).select_related("actor").order_by("-at", "-pk")


def _submitted_in_scope(user: AnyUser, milestone_number: int | None) -> QuerySet[MilestoneUpdate]:
    queryset = updates_in_scope(user).filter(status=MilestoneUpdate.Status.SUBMITTED)
    if milestone_number:
        queryset = queryset.filter(milestone__definition__number=milestone_number)
    return queryset


def review_queue(
    user: AnyUser,
    *,
    milestone_number: int | None = None,
    regency_code: str | None = None,
    province_code: str | None = None,
) -> QuerySet[CountedUpdate]:
    """Submitted updates in the user's scope, oldest first, with how many files each carries."""
    evidence = Evidence.objects.filter(update=OuterRef("pk")).order_by().values("update")
    queryset = (
        _submitted_in_scope(user, milestone_number)
        .select_related("milestone__definition", "milestone__regency", "author")
        # A subquery, not Count over a join: PostgreSQL then walks the (status, submitted_at) index and
        # stops after a page instead of grouping every submitted update of the nation first.
        .annotate(evidence_count=Coalesce(Subquery(evidence.annotate(n=Count("pk")).values("n")), Value(0)))
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )
    if regency_code:
        queryset = queryset.filter(milestone__regency=regency_code)
    if province_code:
        queryset = queryset.filter(milestone__regency__province=province_code)
    return queryset


class QueueGroup(TypedDict):
    code: str
    name: str
    count: int
    oldest: datetime.datetime | None


def review_queue_by_province(user: AnyUser, *, milestone_number: int | None = None) -> list[QueueGroup]:
    """How many submitted updates wait in each province of the user's scope and since when, the longest
    waiting first (one query): the nation's reviewers pick a province before the long list."""
    rows = (
        _submitted_in_scope(user, milestone_number)
        .order_by()
        .values("milestone__regency__province", "milestone__regency__province__name")
        .annotate(count=Count("pk"), oldest=Min("submitted_at"))
        .order_by(F("oldest").asc(nulls_last=True), "milestone__regency__province")
    )
    return [
        {
            "code": row["milestone__regency__province"],
            "name": row["milestone__regency__province__name"],
            "count": row["count"],
            "oldest": row["oldest"],
        }
        for row in rows
    ]


def waiting_days(update: MilestoneUpdate, now: datetime.datetime | None = None) -> int:
    """Calendar days the update has waited for review (``days_since``), as on every page and report."""
    today = timezone.localdate(now) if now else timezone.localdate()
    return days_since(update.submitted_at, today) if update.submitted_at else 0
