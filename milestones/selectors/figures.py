"""The rules behind every figure that a page and a PDF report both show: one source for each.

The pages' selectors and the reports (``reports.data``) read their figures through these functions, so
a page and its report cannot disagree. Every function takes querysets the caller has already narrowed
to a scope (``regencies.scoping``) and runs a fixed number of queries however many rows there are.

- Rounding is ``ssk_tracker.lib.numbers.rounded`` (half up: 67.5 → 68); days are calendar days in WIB,
  ``ssk_tracker.lib.dates.days_since`` (submitted at 16.00 yesterday: one day waited this morning).
- A regency's current milestones are those of its most recent cohort; it is in the programme once it
  has a cohort. Late: the planned date has passed unverified (``Milestone.late_q``).
- As of a past moment (``as_of``, a report's period end): each milestone stands as its latest history
  entry up to then left it (``HistoryEntry.status_after`` …); before its first entry it had not started,
  at 0 %, planned as the first later entry found it (today's plan if nothing happened since); verified
  on the day of the approval that verified it. A cohort counts from 1 January of its first year, so the
  current cohort then is the most recent one whose first year has begun. Updates waiting for review:
  those whose latest entry then was their submission, waiting since it. Follow-ups: the actions of
  clinics held by then, done or dropped if closed by then, else open (no start date is recorded).
  NAWASIS: the entries made by then, verified if verified by then. ``as_of=None`` reads the live
  columns (the pages, and a report whose period ends today): the same rules on today's state.
- Follow-ups: completion = done ÷ (all − dropped), a whole percentage, where done means the organising
  province ACCEPTED the closing (``FollowUpAction.Status.DONE``; a closing waiting for acceptance counts
  as not done, ``waiting``; as of a past moment, done from the acceptance on); overdue = open or in
  progress past the due date. An action belongs to the regency it concerns, else to the one it is assigned to
  (directly, through its Pokja or an agency), else to the province (``action_regency``).
- Budget by source and by subsector: exact Decimal sums; realisation rate and coverage to one decimal.
  Planning integration: the share of activities each planning document includes, whole percent.
- NAWASIS: per regency and module the latest submission (the later record on a tie); completeness of a
  set is their average, a whole percentage. The status chart: regencies per status for M1–M4.
- A regency's stage (the maps): not in the programme (no cohort), else the highest number of its current
  milestones that is verified (0: none is), as of ``as_of`` like every figure here (``milestone_stages``).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict, cast

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django_stubs_ext import StrOrPromise, WithAnnotations

from milestones.models import (
    BudgetLine,
    Cohort,
    FollowUpAction,
    FundingSource,
    HistoryEntry,
    Milestone,
    MilestoneUpdate,
    NawasisSubmission,
    PlanningDocument,
    ProgrammeActivity,
)
from regencies.models import Province, Regency
from ssk_tracker.lib.amounts import ZERO
from ssk_tracker.lib.dates import days_since, end_of_day, local_day
from ssk_tracker.lib.numbers import average, percentage

NUMBERS = (1, 2, 3, 4)
Status = Milestone.Status
STARTED_NOT_VERIFIED = (Status.IN_PROGRESS, Status.SUBMITTED, Status.NEEDS_REVISION)

# --- Current milestones, the programme, late ----------------------------------------------------


def as_of_moment(day: datetime.date, now: datetime.datetime) -> datetime.datetime | None:
    """The moment a report for a period ending on ``day`` reads: the end of that day in WIB, or None (the
    live state) when that moment has not passed by ``now``."""
    end = end_of_day(day)
    return end if end < now else None


def day_of(as_of: datetime.datetime | None, today: datetime.date) -> datetime.date:
    """The day lateness and waits are counted on: ``as_of``'s day in WIB, or ``today`` for the live state."""
    return local_day(as_of) if as_of is not None else today


def _cohorts(as_of: datetime.datetime | None) -> QuerySet[Cohort]:
    cohorts = Cohort.objects.all()
    return cohorts if as_of is None else cohorts.filter(year_m1_m3__lte=local_day(as_of).year)


def current_cohort(regency_ref: str = "regency", as_of: datetime.datetime | None = None) -> Subquery:
    """The pk of the most recent cohort of the regency at ``regency_ref`` (an OuterRef path), as of ``as_of``."""
    return Subquery(_cohorts(as_of).filter(regency=OuterRef(regency_ref)).order_by("-year_m1_m3").values("pk")[:1])


def current_milestones(milestones: QuerySet[Milestone], as_of: datetime.datetime | None = None) -> QuerySet[Milestone]:
    """Of ``milestones``, those of each regency's most recent cohort (as of ``as_of``): the milestone's cohort
    has begun and no newer cohort of the same regency has.

    The same rows as ``cohort = current_cohort()``, asked as NOT EXISTS: PostgreSQL estimates an anti-join
    well, while the correlated "pk of the latest cohort" subquery made it guess a handful of rows and loop
    over every regency for each milestone (514 × 2,056 rows, ~100–300 ms at national scale). A milestone's
    regency is its cohort's (``open_milestones`` copies it, the admin cannot change it), so it is not asked
    again: comparing the two columns made PostgreSQL expect 4 rows of 2,056 and nest every join (2 → 15 ms)."""
    newer = _cohorts(as_of).filter(regency=OuterRef("regency"), year_m1_m3__gt=OuterRef("cohort__year_m1_m3"))
    begun = Q() if as_of is None else Q(cohort__year_m1_m3__lte=local_day(as_of).year)
    return milestones.filter(begun, ~Exists(newer))


def in_programme(regency_ref: str = "pk", as_of: datetime.datetime | None = None) -> Exists:
    """For a queryset of regencies: the regency has a cohort (as of ``as_of``)."""
    return Exists(_cohorts(as_of).filter(regency=OuterRef(regency_ref)))


def late_q(today: datetime.date) -> Q:
    return Milestone.late_q(today)


def is_late(milestone: Milestone, today: datetime.date) -> bool:
    return milestone.is_late(today)


def overdue_q(today: datetime.date) -> Q:
    """Follow-up actions still open or in progress after their due date (``FollowUpAction.is_overdue``)."""
    return FollowUpAction.overdue_q(today)


class _StateColumns(TypedDict):
    status_as_of: str
    progress_as_of: int
    planned_as_of: datetime.date | None
    actual_as_of: datetime.date | None


class MilestoneState(_StateColumns):
    """A milestone's state on a date (``with_state``): live, or read from its history."""

    late: bool


type _StateMilestone = WithAnnotations[Milestone, _StateColumns]  # `type`: WithAnnotations[...] fails at run time
type StatedMilestone = WithAnnotations[Milestone, MilestoneState]

# The late rule (``Milestone.late_q``) on the state ``with_state`` annotates.
_LATE_AS_OF = {"planned": "planned_as_of", "status": "status_as_of"}


def _state(milestones: QuerySet[Milestone], as_of: datetime.datetime | None) -> QuerySet[_StateMilestone]:
    if as_of is None:
        return milestones.annotate(
            status_as_of=F("status"),
            progress_as_of=F("progress"),
            planned_as_of=F("planned_date"),
            actual_as_of=F("actual_date"),
        )
    history = HistoryEntry.objects.filter(milestone=OuterRef("pk"))
    latest = history.filter(at__lte=as_of).order_by("-at", "-pk")
    first_later = history.filter(at__gt=as_of).order_by("at", "pk")
    # Only an approval verifies, and a verified milestone leaves that state only by a reopening (after
    # which another approval is needed): so the latest verifying approval is the one that verified it.
    verified_on = (
        latest.filter(action=HistoryEntry.Action.APPROVED, status_after=Status.VERIFIED)
        .annotate(day=TruncDate("at"))
        .values("day")[:1]
    )
    stated = milestones.annotate(
        status_as_of=Coalesce(Subquery(latest.values("status_after")[:1]), Value(Status.NOT_STARTED)),
        progress_as_of=Coalesce(Subquery(latest.values("progress_after")[:1]), Value(0)),
        # A plan may be empty (NULL), so "has an entry" is asked rather than coalesced over.
        planned_as_of=Case(
            When(Exists(latest), then=Subquery(latest.values("planned_after")[:1])),
            default=Coalesce(Subquery(first_later.values("planned_before")[:1]), F("planned_date")),
        ),
    )
    return stated.annotate(actual_as_of=Case(When(status_as_of=Status.VERIFIED, then=Subquery(verified_on))))


def with_state(
    milestones: QuerySet[Milestone], today: datetime.date, as_of: datetime.datetime | None = None
) -> QuerySet[StatedMilestone]:
    """``milestones`` annotated with their state as of ``as_of`` (live when None): ``status_as_of``,
    ``progress_as_of``, ``planned_as_of``, ``actual_as_of`` and ``late`` (on ``as_of``'s day, or ``today``)."""
    late = Milestone.late_q(day_of(as_of, today), **_LATE_AS_OF)
    return _state(milestones, as_of).annotate(
        late=Case(When(late, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def waiting_for_review(
    updates: QuerySet[MilestoneUpdate], as_of: datetime.datetime | None = None
) -> QuerySet[MilestoneUpdate]:
    """Of ``updates``, those waiting for a decision as of ``as_of``, annotated with ``waiting_since``."""
    if as_of is None:
        return updates.filter(status=MilestoneUpdate.Status.SUBMITTED).annotate(waiting_since=F("submitted_at"))
    latest = HistoryEntry.objects.filter(update=OuterRef("pk"), at__lte=as_of).order_by("-at", "-pk")
    return updates.annotate(
        last_action=Subquery(latest.values("action")[:1]), waiting_since=Subquery(latest.values("at")[:1])
    ).filter(last_action=HistoryEntry.Action.SUBMITTED)


# --- Follow-up actions --------------------------------------------------------------------------


def action_regency() -> Coalesce:
    """The code of the regency an action belongs to, or NULL for the province's own actions."""
    return Coalesce(
        "regency",
        "assigned_regency",
        "assigned_working_group__regency",
        "assigned_agency__regency",
        output_field=CharField(),
    )


class FollowUpCounts(TypedDict):
    """The counts ``_follow_up_counts`` names, as a grouped row holds them."""

    total: int
    done: int
    dropped: int
    overdue: int
    waiting: int


@dataclass
class FollowUpFigures:
    """Counts of follow-up actions; the completion rate leaves dropped actions out. ``done``: closings the
    province accepted; ``waiting``: closings submitted and not yet accepted (not done)."""

    total: int = 0
    done: int = 0
    dropped: int = 0
    overdue: int = 0
    waiting: int = 0

    @property
    def active(self) -> int:
        return self.total - self.done - self.dropped

    @property
    def counted(self) -> int:
        return self.total - self.dropped

    @property
    def completion_rate(self) -> Decimal | None:
        """Accepted closings as a whole percentage of the actions not dropped; None when there are none."""
        return percentage(self.done, self.counted)

    def add(self, other: "FollowUpFigures") -> None:
        self.total += other.total
        self.done += other.done
        self.dropped += other.dropped
        self.overdue += other.overdue
        self.waiting += other.waiting

    @classmethod
    def of(cls, counts: FollowUpCounts) -> "FollowUpFigures":
        return cls(
            total=counts["total"],
            done=counts["done"],
            dropped=counts["dropped"],
            overdue=counts["overdue"],
            waiting=counts["waiting"],
        )

    @classmethod
    def summed(cls, figures: Iterable["FollowUpFigures"]) -> "FollowUpFigures":
        total = cls()
        for item in figures:
            total.add(item)
        return total


class _RegencyCounts(FollowUpCounts):
    belongs_to: str | None


class _ProvinceCounts(FollowUpCounts):
    province: str


class _ActionState(TypedDict):
    status_as_of: str


type StatedAction = WithAnnotations[FollowUpAction, _ActionState]  # `type`: WithAnnotations[...] fails at run time


def follow_ups_as_of(
    actions: QuerySet[FollowUpAction], as_of: datetime.datetime | None = None
) -> QuerySet[StatedAction]:
    """Of ``actions``, those that existed as of ``as_of`` (their clinic had been held), annotated with
    ``status_as_of``: live when None. Done or dropped if closed by then, else open: an action's start
    leaves no date, and reading "in progress" from what has not changed since would change the past
    the day the action is closed (a past period must read the same whenever it is compiled)."""
    if as_of is None:
        return actions.annotate(status_as_of=F("status"))
    Action = FollowUpAction.Status
    return actions.filter(recommendation__clinic__date__lte=local_day(as_of)).annotate(
        status_as_of=Case(
            When(closed_at__lte=as_of, status__in=[Action.DONE, Action.DROPPED], then=F("status")),
            default=Value(Action.OPEN),
            output_field=CharField(),
        )
    )


def _follow_up_counts(today: datetime.date) -> dict[str, Count]:
    return {
        "total": Count("pk"),
        "done": Count("pk", filter=Q(status_as_of=FollowUpAction.Status.DONE)),
        "dropped": Count("pk", filter=Q(status_as_of=FollowUpAction.Status.DROPPED)),
        "overdue": Count("pk", filter=FollowUpAction.overdue_q(today, status="status_as_of")),
        "waiting": Count("pk", filter=Q(status_as_of=FollowUpAction.Status.CLOSING)),
    }


def follow_ups(
    actions: QuerySet[FollowUpAction], today: datetime.date, as_of: datetime.datetime | None = None
) -> FollowUpFigures:
    """The figures of a queryset of actions (as of ``as_of``): one query."""
    counts = follow_ups_as_of(actions, as_of).order_by().aggregate(**_follow_up_counts(day_of(as_of, today)))
    return FollowUpFigures(**counts)


def follow_ups_of_rows(actions: Iterable[FollowUpAction], today: datetime.date) -> FollowUpFigures:
    """``follow_ups`` (live) counted from actions already read, without a query: the same rules, the
    model's ``is_overdue`` being ``overdue_q`` in Python."""
    figures = FollowUpFigures()
    for action in actions:
        figures.total += 1
        figures.done += action.status == FollowUpAction.Status.DONE
        figures.dropped += action.status == FollowUpAction.Status.DROPPED
        figures.overdue += action.is_overdue(today)
        figures.waiting += action.status == FollowUpAction.Status.CLOSING
    return figures


def follow_ups_by_regency(
    actions: QuerySet[FollowUpAction], today: datetime.date, as_of: datetime.datetime | None = None
) -> dict[str | None, FollowUpFigures]:
    """{regency code (None for the province's own actions): figures}: one grouped query."""
    rows = (
        follow_ups_as_of(actions, as_of)
        .order_by()
        .annotate(belongs_to=action_regency())
        .values("belongs_to")
        .annotate(**_follow_up_counts(day_of(as_of, today)))
    )
    # The counts come in through **, which the django-stubs plugin does not read: name the rows' shape.
    return {row["belongs_to"]: FollowUpFigures.of(row) for row in cast(Iterable[_RegencyCounts], rows)}


class _RecommendationCounts(FollowUpCounts):
    recommendation: int


def follow_ups_by_recommendation(actions: QuerySet[FollowUpAction], today: datetime.date) -> dict[int, FollowUpFigures]:
    """{recommendation id: figures} (live): one grouped query."""
    rows = follow_ups_as_of(actions).order_by().values("recommendation").annotate(**_follow_up_counts(today))
    # As in follow_ups_by_regency: the plugin does not see the counts.
    return {row["recommendation"]: FollowUpFigures.of(row) for row in cast(Iterable[_RecommendationCounts], rows)}


def follow_ups_by_province(
    actions: QuerySet[FollowUpAction], today: datetime.date, as_of: datetime.datetime | None = None
) -> dict[str, FollowUpFigures]:
    """{province code: figures}: one grouped query."""
    counted = follow_ups_as_of(actions, as_of).order_by().values("province")
    rows = counted.annotate(**_follow_up_counts(day_of(as_of, today)))
    # As in follow_ups_by_regency: the plugin does not see the counts.
    return {row["province"]: FollowUpFigures.of(row) for row in cast(Iterable[_ProvinceCounts], rows)}


# --- The programme's figures for a set of regencies ---------------------------------------------


@dataclass
class MilestoneFigures:
    """Of the regencies' current milestone M<n>: how many are in each status, and how many are late."""

    statuses: dict[str, int] = field(default_factory=dict)
    late: int = 0

    @property
    def verified(self) -> int:
        return self.statuses.get(Status.VERIFIED, 0)

    @property
    def in_progress(self) -> int:
        """Started but not verified (submitted and returned included)."""
        return sum(self.statuses.get(status, 0) for status in STARTED_NOT_VERIFIED)

    @property
    def count(self) -> int:
        return sum(self.statuses.values())

    def add(self, other: "MilestoneFigures") -> None:
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n
        self.late += other.late


@dataclass
class ProgrammeFigures:
    """The figures of a set of regencies (a province, the nation, one regency): the province dashboard's
    summary, a national overview row and total, a report's summary and its status chart."""

    province: Province | None = None
    regencies: int = 0
    in_programme: int = 0
    milestones: dict[int, MilestoneFigures] = field(default_factory=lambda: {n: MilestoneFigures() for n in NUMBERS})
    pending_reviews: int = 0
    oldest_wait_days: int | None = None
    follow_ups: FollowUpFigures = field(default_factory=FollowUpFigures)

    @property
    def by_number(self) -> list[MilestoneFigures]:
        return [self.milestones[n] for n in NUMBERS]

    @property
    def milestone_count(self) -> int:
        """Current milestones, M1–M4 of every regency in the programme."""
        return sum(m.count for m in self.milestones.values())

    @property
    def verified(self) -> int:
        return sum(m.verified for m in self.milestones.values())

    @property
    def late(self) -> int:
        return sum(m.late for m in self.milestones.values())

    @property
    def status_counts(self) -> dict[int, dict[str, int]]:
        """The status chart's counts: ``status_counts[number][status]`` = regencies."""
        return {n: dict(self.milestones[n].statuses) for n in NUMBERS}

    def add(self, other: "ProgrammeFigures") -> None:
        self.regencies += other.regencies
        self.in_programme += other.in_programme
        self.pending_reviews += other.pending_reviews
        if other.oldest_wait_days is not None:
            self.oldest_wait_days = max(self.oldest_wait_days or 0, other.oldest_wait_days)
        for n in NUMBERS:
            self.milestones[n].add(other.milestones[n])
        self.follow_ups.add(other.follow_ups)

    @classmethod
    def summed(cls, figures: Iterable["ProgrammeFigures"]) -> "ProgrammeFigures":
        total = cls()
        for item in figures:
            total.add(item)
        return total


def programme_figures(
    *,
    regencies: QuerySet[Regency],
    milestones: QuerySet[Milestone],
    updates: QuerySet[MilestoneUpdate],
    actions: QuerySet[FollowUpAction] | None,
    today: datetime.date,
    as_of: datetime.datetime | None = None,
) -> dict[str, ProgrammeFigures]:
    """By province code, the figures of the (scoped) querysets as of ``as_of`` (live when None):
    regencies and those in the programme; each current milestone's status and lateness; the updates
    waiting for review (an older cohort's included: each still waits for a decision) and the days the
    oldest has waited; the follow-ups of ``actions`` (left at zero when None). Four grouped queries,
    three without actions."""
    day = day_of(as_of, today)
    figures: dict[str, ProgrammeFigures] = defaultdict(ProgrammeFigures)
    for counted in (
        regencies.order_by()
        .values("province")
        .annotate(regencies=Count("pk"), in_programme=Count("pk", filter=in_programme("pk", as_of)))
    ):
        figures[counted["province"]].regencies = counted["regencies"]
        figures[counted["province"]].in_programme = counted["in_programme"]
    for row in milestone_counts(milestones, today, as_of):
        if row["number"] in NUMBERS:
            m = figures[row["province"]].milestones[row["number"]]
            m.statuses[row["status_as_of"]] = m.statuses.get(row["status_as_of"], 0) + row["n"]
            m.late += row["late"]
    waiting = waiting_for_review(updates, as_of).order_by()
    for waited in waiting.values(province=F("milestone__regency__province")).annotate(
        n=Count("pk"), oldest=Min("waiting_since")
    ):
        figures[waited["province"]].pending_reviews = waited["n"]
        if waited["oldest"]:
            figures[waited["province"]].oldest_wait_days = days_since(waited["oldest"], day)
    if actions is not None:
        for code, follow_up_figures in follow_ups_by_province(actions, today, as_of).items():
            figures[code].follow_ups = follow_up_figures
    return dict(figures)


class MilestoneCount(TypedDict):
    """A row of ``milestone_counts``: how many current milestones of a province, number and status (and late)."""

    status_as_of: str
    province: str
    number: int
    n: int
    late: int


def milestone_counts(
    milestones: QuerySet[Milestone], today: datetime.date, as_of: datetime.datetime | None = None
) -> QuerySet[Milestone, MilestoneCount]:
    """The current ones of ``milestones`` (as of ``as_of``) grouped by province, number and status as of
    then: ``n`` and ``late``."""
    late = Milestone.late_q(day_of(as_of, today), **_LATE_AS_OF)
    return (
        _state(current_milestones(milestones, as_of), as_of)
        .order_by()
        .values("status_as_of", province=F("regency__province"), number=F("definition__number"))
        .annotate(n=Count("pk"), late=Count("pk", filter=late))
    )


def status_counts(
    milestones: QuerySet[Milestone], today: datetime.date, as_of: datetime.datetime | None = None
) -> dict[int, dict[str, int]]:
    """For the status chart alone: ``counts[number][status]`` over the current ones of ``milestones``."""
    counts: dict[int, dict[str, int]] = {}
    for row in milestone_counts(milestones, today, as_of):
        counts.setdefault(row["number"], {})
        counts[row["number"]][row["status_as_of"]] = counts[row["number"]].get(row["status_as_of"], 0) + row["n"]
    return counts


def milestone_stages(
    regencies: QuerySet[Regency], milestones: QuerySet[Milestone], as_of: datetime.datetime | None = None
) -> dict[str, int | None]:
    """{regency code: stage} for every one of the (scoped) ``regencies``: None when it is not in the
    programme as of ``as_of``, else the highest number of its current milestones (of ``milestones``)
    verified then, 0 when none is. Two queries."""
    joined = regencies.order_by().annotate(joined=in_programme("pk", as_of)).values_list("pk", "joined")
    stages: dict[str, int | None] = {code: 0 if is_in else None for code, is_in in joined}
    verified = (
        _state(current_milestones(milestones.filter(regency__in=regencies.values("pk")), as_of), as_of)
        .filter(status_as_of=Status.VERIFIED, definition__number__in=NUMBERS)
        .order_by()
        .values("regency_id")
        .annotate(top=Max("definition__number"))
    )
    for row in verified:
        if stages.get(row["regency_id"]) is not None:
            stages[row["regency_id"]] = row["top"]
    return stages


# --- Budget and planning integration ------------------------------------------------------------


@dataclass(frozen=True)
class SourceBudget:
    source: str
    label: StrOrPromise  # the funding source's name, translated when shown
    indicative: Decimal
    allocated: Decimal
    realised: Decimal

    @property
    def coverage(self) -> Decimal | None:
        """Allocated as a share of the SSK's indicative funding."""
        return percentage(self.allocated, self.indicative, 1)

    @property
    def realisation(self) -> Decimal | None:
        """Realised as a share of the allocation (the realisation rate)."""
        return percentage(self.realised, self.allocated, 1)


@dataclass(frozen=True)
class BudgetTable:
    rows: list[SourceBudget]
    total: SourceBudget

    @property
    def is_empty(self) -> bool:
        return not (self.total.indicative or self.total.allocated or self.total.realised)


def budget_by_source(
    lines: QuerySet[BudgetLine], *, years: tuple[int, int] | None = None, sources: Sequence[str] | None = None
) -> BudgetTable:
    """Indicative, allocated and realised money of the budget ``lines`` per funding source (every source,
    or ``sources``), in the years ``years`` (first, last) if given, with totals: one query."""
    if years:
        lines = lines.filter(year__gte=years[0], year__lte=years[1])
    if sources:
        chosen = [FundingSource(s) for s in sources]
        lines = lines.filter(source__in=[s.value for s in chosen])
    else:
        chosen = list(FundingSource)
    sums = {
        row["source"]: (row["sum_indicative"], row["sum_allocated"], row["sum_realised"])
        for row in lines.order_by()
        .values("source")
        .annotate(sum_indicative=Sum("indicative"), sum_allocated=Sum("allocated"), sum_realised=Sum("realised"))
    }
    rows = []
    for source in chosen:
        indicative, allocated, realised = sums.get(source.value, (None, None, None))
        rows.append(SourceBudget(source.value, source.label, indicative or ZERO, allocated or ZERO, realised or ZERO))
    total = SourceBudget(
        "",
        "",
        sum((r.indicative for r in rows), ZERO),
        sum((r.allocated for r in rows), ZERO),
        sum((r.realised for r in rows), ZERO),
    )
    return BudgetTable(rows, total)


@dataclass
class SubsectorBudget:
    """A subsector's activities with budget lines of the chosen sources, and (allocated, realised) per source."""

    activities: int = 0
    sources: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)


def budget_by_subsector(
    lines: QuerySet[BudgetLine], *, years: tuple[int, int], sources: Sequence[str]
) -> dict[str, SubsectorBudget]:
    """{subsector: its activities with lines of ``sources`` in ``years``, and their sums}: one query."""
    lines = lines.filter(year__gte=years[0], year__lte=years[1], source__in=list(sources))
    sums: dict[str, Sum] = {}
    for source in sources:
        sums[f"{source}_allocated"] = Sum("allocated", filter=Q(source=source))
        sums[f"{source}_realised"] = Sum("realised", filter=Q(source=source))
    rows = lines.order_by().values("activity__subsector").annotate(n=Count("activity", distinct=True), **sums)
    result = {}
    # The sums' names are made at run time, so a row is a plain mapping to the type checker.
    for row in cast(Iterable[Mapping[str, Any]], rows):
        result[row["activity__subsector"]] = SubsectorBudget(
            row["n"],
            {s: (row[f"{s}_allocated"] or ZERO, row[f"{s}_realised"] or ZERO) for s in sources},
        )
    return result


@dataclass(frozen=True)
class DocumentShare:
    document: str
    label: str
    integrated: int
    total: int
    recorded: int = 0  # activities with a row for this document (in the year(s) asked), included or not

    @property
    def percent(self) -> Decimal | None:
        return percentage(self.integrated, self.total)


def integration_shares(
    activities: QuerySet[ProgrammeActivity], year: int | None = None, *, years: tuple[int, int] | None = None
) -> list[DocumentShare]:
    """For each planning document, how many of ``activities`` it includes (one query).

    An activity counts as integrated in a document when a row says it is included (in ``year`` if
    given; the caller then passes only the activities that run in that year). With ``years`` (first,
    last: a report's period) only the activities running in those years count, and the rows of them.
    """
    if years:
        activities = activities.filter(year_start__lte=years[1], year_end__gte=years[0])

    def rows(document: str) -> Q:
        condition = Q(integrations__document=document)
        if year:
            condition &= Q(integrations__year=year)
        if years:
            condition &= Q(integrations__year__gte=years[0], integrations__year__lte=years[1])
        return condition

    counts = activities.order_by().aggregate(
        total=Count("pk", distinct=True),
        **{
            d.value: Count("pk", filter=rows(d.value) & Q(integrations__included=True), distinct=True)
            for d in PlanningDocument
        },
        **{f"{d.value}_recorded": Count("pk", filter=rows(d.value), distinct=True) for d in PlanningDocument},
    )
    return [
        DocumentShare(d.value, d.label, counts[d.value], counts["total"], counts[f"{d.value}_recorded"])
        for d in PlanningDocument
    ]


# --- NAWASIS ------------------------------------------------------------------------------------


class _Verification(TypedDict):
    verified_as_of: datetime.datetime | None


type VerifiedSubmission = WithAnnotations[NawasisSubmission, _Verification]  # `type`: as above


def latest_submissions(
    submissions: QuerySet[NawasisSubmission], as_of: datetime.datetime | None = None
) -> QuerySet[VerifiedSubmission]:
    """Of ``submissions``, each regency's latest per module: the latest date of entry, the later record
    on a tie, whatever its verification; as of ``as_of``, of the entries made by its day. Annotated with
    ``verified_as_of``: the verification if it had happened by then (live when None)."""
    entries = NawasisSubmission.objects.all()
    if as_of is not None:
        entries = entries.filter(submitted_on__lte=local_day(as_of))
        submissions = submissions.filter(submitted_on__lte=local_day(as_of))
    newest = (
        entries.filter(regency=OuterRef("regency"), module=OuterRef("module"))
        .order_by("-submitted_on", "-pk")
        .values("pk")[:1]
    )
    verified = F("verified_at") if as_of is None else Case(When(verified_at__lte=as_of, then=F("verified_at")))
    return submissions.filter(pk=Subquery(newest)).annotate(verified_as_of=verified)


def nawasis_completeness(completeness: Iterable[Decimal]) -> Decimal | None:
    """The completeness of a set of latest submissions: their average, a whole percentage."""
    return average(completeness)
