"""Reads for the province dashboard and the national overview.

Every read starts from the user's scope (regencies.scoping) and runs a fixed number of queries however
many regencies, milestones or updates there are: counts are aggregated in the database and a page's
milestones come in one prefetch.

A regency's *current* milestones are those of its most recent cohort (the highest year of M1–M3); older
cohorts stay on the regency page.

Both pages also roll up the coaching clinics' follow-up actions (milestones.selectors.clinics): the
completion rate (done / (all − dropped)) and the overdue count, per regency on the province dashboard and
per province on the national overview, each in one grouped query.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from milestones.models import Cohort, Milestone, MilestoneDefinition, MilestoneUpdate
from milestones.selectors import clinics as clinic_selectors
from milestones.selectors.clinics import FollowUpFigures
from milestones.selectors.milestones import updates_in_scope
from regencies import scoping

NUMBERS = (1, 2, 3, 4)
STARTED_NOT_VERIFIED = [
    Milestone.Status.IN_PROGRESS,
    Milestone.Status.SUBMITTED,
    Milestone.Status.NEEDS_REVISION,
]


def _current_cohort(regency_ref: str) -> Subquery:
    """The pk of the most recent cohort of the regency at ``regency_ref`` (an OuterRef path)."""
    return Subquery(Cohort.objects.filter(regency=OuterRef(regency_ref)).order_by("-year_m1_m3").values("pk")[:1])


def current_milestones(user):
    """Milestones of each regency's most recent cohort, in the user's scope."""
    milestones = Milestone.objects.filter(cohort=_current_cohort("regency"))
    return scoping.filter_by_scope(user, milestones, "regency")


def _in_programme() -> Exists:
    return Exists(Cohort.objects.filter(regency=OuterRef("pk")))


def definitions():
    return list(MilestoneDefinition.objects.order_by("number"))


# --- The province dashboard -------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixFilter:
    status: str = ""
    late_only: bool = False
    number: int | None = None

    @property
    def is_active(self) -> bool:
        return bool(self.status or self.late_only or self.number)

    def q(self, today: datetime.date) -> Q:
        q = Q()
        if self.status:
            q &= Q(status=self.status)
        if self.late_only:
            q &= Milestone.late_q(today)
        if self.number:
            q &= Q(definition__number=self.number)
        return q

    def matches(self, milestone: Milestone, today: datetime.date) -> bool:
        return (
            self.is_active
            and (not self.status or milestone.status == self.status)
            and (not self.late_only or milestone.is_late(today))
            and (not self.number or milestone.definition.number == self.number)
        )


def province_regencies(user, province, *, matrix_filter: MatrixFilter, today: datetime.date):
    """The province's regencies in the user's scope, by code, each with ``current_milestones`` (a list,
    M1 first, each annotated with ``pending_reviews``) prefetched when the queryset (or a slice of it)
    is evaluated. With a filter, only regencies with a current milestone that matches it."""
    regencies = scoping.visible_regencies(user).filter(province=province).order_by("code")
    if matrix_filter.is_active:
        wanted = Milestone.objects.filter(
            matrix_filter.q(today), cohort=_current_cohort("regency"), regency=OuterRef("pk")
        )
        regencies = regencies.filter(Exists(wanted))
    milestones = (
        Milestone.objects.filter(cohort=_current_cohort("regency"))
        .select_related("definition", "cohort")
        .annotate(pending_reviews=Count("updates", filter=Q(updates__status=MilestoneUpdate.Status.SUBMITTED)))
        .order_by("definition__number")
    )
    return regencies.prefetch_related(Prefetch("milestones", queryset=milestones, to_attr="current_milestones"))


@dataclass(frozen=True)
class Cell:
    number: int
    milestone: Milestone | None
    late: bool = False
    matches: bool = False


@dataclass(frozen=True)
class MatrixRow:
    regency: object
    cohort: Cohort | None
    cells: list[Cell]
    follow_ups: FollowUpFigures = field(default_factory=FollowUpFigures)

    @property
    def in_programme(self) -> bool:
        return self.cohort is not None


def matrix_rows(
    regencies,
    *,
    matrix_filter: MatrixFilter,
    today: datetime.date,
    follow_ups: dict[str | None, FollowUpFigures] | None = None,
) -> list[MatrixRow]:
    """One row per regency (from ``province_regencies``), one cell per milestone number M1–M4, and the
    regency's follow-up figures from ``follow_ups`` (``province_follow_ups``)."""
    follow_ups = follow_ups or {}
    rows = []
    for regency in regencies:
        by_number = {m.definition.number: m for m in regency.current_milestones}
        cells = [
            Cell(
                number=n,
                milestone=m,
                late=bool(m and m.is_late(today)),
                matches=bool(m and matrix_filter.matches(m, today)),
            )
            for n in NUMBERS
            for m in [by_number.get(n)]
        ]
        cohort = regency.current_milestones[0].cohort if regency.current_milestones else None
        figures = follow_ups.get(regency.code) or FollowUpFigures()
        rows.append(MatrixRow(regency=regency, cohort=cohort, cells=cells, follow_ups=figures))
    return rows


@dataclass
class ProvinceSummary:
    regencies: int = 0
    in_programme: int = 0
    milestones: int = 0
    verified: int = 0
    late: int = 0
    pending_reviews: int = 0
    oldest_wait_days: int | None = None
    # status_counts[number][status] = how many regencies' current milestone M<number> has that status
    status_counts: dict[int, dict[str, int]] = field(default_factory=dict)
    # the clinics' follow-up actions of the whole province, its own (no regency) included
    follow_ups: FollowUpFigures = field(default_factory=FollowUpFigures)


def province_follow_ups(user, province, *, today: datetime.date) -> dict[str | None, FollowUpFigures]:
    """Follow-up figures by regency code (None: the province's own actions): one query."""
    return clinic_selectors.province_follow_ups(user, province, today=today)


def province_summary(
    user,
    province,
    *,
    today: datetime.date,
    now: datetime.datetime | None = None,
    follow_ups: dict[str | None, FollowUpFigures] | None = None,
):
    """The figures above the matrix and the chart's counts, for the whole province (not the filter):
    three queries, four without ``follow_ups`` (from ``province_follow_ups``). Updates waiting for review
    are all the province's submitted updates, an older cohort's included: each still waits for a
    decision."""
    now = now or timezone.now()
    summary = ProvinceSummary(**_regency_counts(user, province_codes=[province.code]).get(province.code, {}))
    if follow_ups is None:
        follow_ups = province_follow_ups(user, province, today=today)
    summary.follow_ups = FollowUpFigures.summed(follow_ups.values())
    for row in _milestone_counts(user, [province.code], today):
        summary.status_counts.setdefault(row["number"], {})[row["status"]] = row["n"]
        summary.milestones += row["n"]
        summary.late += row["late"]
        if row["status"] == Milestone.Status.VERIFIED:
            summary.verified += row["n"]
    pending = _pending_reviews(user, [province.code]).get(province.code)
    if pending:
        summary.pending_reviews = pending["n"]
        summary.oldest_wait_days = (now - pending["oldest"]).days if pending["oldest"] else None
    return summary


def province_status_counts(user, province) -> dict[int, dict[str, int]]:
    """For the chart alone: ``counts[number][status]``, one query."""
    counts: dict[int, dict[str, int]] = {}
    for row in _milestone_counts(user, [province.code], timezone.localdate()):
        counts.setdefault(row["number"], {})[row["status"]] = row["n"]
    return counts


def _regency_counts(user, province_codes=None) -> dict[str, dict[str, int]]:
    regencies = scoping.visible_regencies(user)
    if province_codes is not None:
        regencies = regencies.filter(province__in=province_codes)
    rows = (
        regencies.order_by()
        .values("province")
        .annotate(regencies=Count("pk"), in_programme=Count("pk", filter=_in_programme()))
    )
    return {row.pop("province"): row for row in rows}


def _milestone_counts(user, province_codes, today):
    milestones = current_milestones(user)
    if province_codes is not None:
        milestones = milestones.filter(regency__province__in=province_codes)
    return (
        milestones.order_by()
        .values("status", province=F("regency__province"), number=F("definition__number"))
        .annotate(n=Count("pk"), late=Count("pk", filter=Milestone.late_q(today)))
    )


def _pending_reviews(user, province_codes=None) -> dict[str, dict]:
    updates = updates_in_scope(user).filter(status=MilestoneUpdate.Status.SUBMITTED)
    if province_codes is not None:
        updates = updates.filter(milestone__regency__province__in=province_codes)
    rows = (
        updates.order_by()
        .values(province=F("milestone__regency__province"))
        .annotate(n=Count("pk"), oldest=Min("submitted_at"))
    )
    return {row["province"]: row for row in rows}


# --- The national overview --------------------------------------------------------------------------


@dataclass
class MilestoneFigures:
    """How many regencies' current milestone M<n> is verified, started but not verified, late."""

    verified: int = 0
    in_progress: int = 0
    late: int = 0


@dataclass
class ProvinceFigures:
    province: object = None
    regencies: int = 0
    in_programme: int = 0
    pending_reviews: int = 0
    oldest_wait_days: int | None = None
    milestones: dict[int, MilestoneFigures] = field(default_factory=lambda: {n: MilestoneFigures() for n in NUMBERS})
    follow_ups: FollowUpFigures = field(default_factory=FollowUpFigures)

    @property
    def by_number(self) -> list[MilestoneFigures]:
        return [self.milestones[n] for n in NUMBERS]

    @property
    def late(self) -> int:
        return sum(m.late for m in self.milestones.values())

    def add(self, other: "ProvinceFigures") -> None:
        self.regencies += other.regencies
        self.in_programme += other.in_programme
        self.pending_reviews += other.pending_reviews
        if other.oldest_wait_days is not None:
            self.oldest_wait_days = max(self.oldest_wait_days or 0, other.oldest_wait_days)
        for n in NUMBERS:
            mine, theirs = self.milestones[n], other.milestones[n]
            mine.verified += theirs.verified
            mine.in_progress += theirs.in_progress
            mine.late += theirs.late
        self.follow_ups.add(other.follow_ups)


def national_provinces(user, *, late_only: bool, today: datetime.date):
    """The provinces in the user's scope, by code; with ``late_only``, those with a late current milestone."""
    provinces = scoping.visible_provinces(user).order_by("code")
    if late_only:
        late = current_milestones(user).filter(Milestone.late_q(today), regency__province=OuterRef("pk"))
        provinces = provinces.filter(Exists(late))
    return provinces


def province_figures(user, *, today: datetime.date, now: datetime.datetime | None = None):
    """Figures for every province in the user's scope, by province code: four grouped queries."""
    now = now or timezone.now()
    figures: dict[str, ProvinceFigures] = defaultdict(ProvinceFigures)
    for code, counts in _regency_counts(user).items():
        figures[code].regencies = counts["regencies"]
        figures[code].in_programme = counts["in_programme"]
    for row in _milestone_counts(user, None, today):
        if row["number"] not in NUMBERS:
            continue
        m = figures[row["province"]].milestones[row["number"]]
        m.late += row["late"]
        if row["status"] == Milestone.Status.VERIFIED:
            m.verified += row["n"]
        elif row["status"] in STARTED_NOT_VERIFIED:
            m.in_progress += row["n"]
    for code, pending in _pending_reviews(user).items():
        figures[code].pending_reviews = pending["n"]
        if pending["oldest"]:
            figures[code].oldest_wait_days = (now - pending["oldest"]).days
    for code, follow_ups in clinic_selectors.national_follow_ups(user, today=today).items():
        figures[code].follow_ups = follow_ups
    return figures


def national_rows(
    user, provinces, *, today: datetime.date, now: datetime.datetime | None = None
) -> tuple[list[ProvinceFigures], ProvinceFigures]:
    """The overview's rows for ``provinces`` (a page of ``national_provinces``), each with its ``province``,
    and the total of every province in the user's scope, whatever the page and the filter: four queries."""
    figures = province_figures(user, today=today, now=now)
    rows = [replace(figures.get(province.code) or ProvinceFigures(), province=province) for province in provinces]
    total = ProvinceFigures()
    for figure in figures.values():
        total.add(figure)
    return rows, total
