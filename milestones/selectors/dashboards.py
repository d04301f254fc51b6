"""Reads for the province dashboard and the national overview.

Every read starts from the user's scope (regencies.scoping) and runs a fixed number of queries however
many regencies, milestones or updates there are: counts are aggregated in the database and a page's
milestones come in one prefetch.

The figures' rules (current milestone, late, days waited, follow-up completion and overdue, the status
chart's counts) live in ``milestones.selectors.figures``, which the PDF reports read through too: a
regency's *current* milestones are those of its most recent cohort; older cohorts stay on the regency
page. Both pages roll up the coaching clinics' follow-up actions, per regency on the province dashboard
and per province on the national overview, each in one grouped query.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TypedDict

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from milestones.models import Cohort, Milestone, MilestoneDefinition, MilestoneUpdate
from milestones.selectors import clinics as clinic_selectors
from milestones.selectors import figures
from milestones.selectors.figures import NUMBERS, FollowUpFigures, ProgrammeFigures
from milestones.selectors.milestones import updates_in_scope
from regencies import scoping
from regencies.models import Province, Regency
from ssk_tracker.lib.users import AnyUser


def current_milestones(user: AnyUser) -> QuerySet[Milestone]:
    """Milestones of each regency's most recent cohort, in the user's scope."""
    return figures.current_milestones(scoping.filter_by_scope(user, Milestone.objects.all(), "regency"))


def definitions() -> list[MilestoneDefinition]:
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
            q &= figures.late_q(today)
        if self.number:
            q &= Q(definition__number=self.number)
        return q

    def matches(self, milestone: Milestone, today: datetime.date) -> bool:
        return (
            self.is_active
            and (not self.status or milestone.status == self.status)
            and (not self.late_only or figures.is_late(milestone, today))
            and (not self.number or milestone.definition.number == self.number)
        )


class PendingReviews(TypedDict):
    pending_reviews: int


type MatrixMilestone = WithAnnotations[Milestone, PendingReviews]  # `type`: WithAnnotations[...] fails at run time


class CurrentMilestones(TypedDict):
    current_milestones: list[MatrixMilestone]


type MatrixRegency = WithAnnotations[Regency, CurrentMilestones]


def province_regencies(
    user: AnyUser, province: Province, *, matrix_filter: MatrixFilter, today: datetime.date
) -> QuerySet[MatrixRegency]:
    """The province's regencies in the user's scope, by code, each with ``current_milestones`` (a list,
    M1 first, each annotated with ``pending_reviews``) prefetched when the queryset (or a slice of it)
    is evaluated. With a filter, only regencies with a current milestone that matches it."""
    regencies = scoping.visible_regencies(user).filter(province=province).order_by("code")
    if matrix_filter.is_active:
        wanted = figures.current_milestones(Milestone.objects.filter(matrix_filter.q(today), regency=OuterRef("pk")))
        regencies = regencies.filter(Exists(wanted))
    milestones = (
        figures.current_milestones(Milestone.objects.all())
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
    regency: Regency
    cohort: Cohort | None
    cells: list[Cell]
    follow_ups: FollowUpFigures = field(default_factory=FollowUpFigures)

    @property
    def in_programme(self) -> bool:
        return self.cohort is not None


def matrix_rows(
    regencies: Iterable[MatrixRegency],
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
                late=bool(m and figures.is_late(m, today)),
                matches=bool(m and matrix_filter.matches(m, today)),
            )
            for n in NUMBERS
            for m in [by_number.get(n)]
        ]
        cohort = regency.current_milestones[0].cohort if regency.current_milestones else None
        regency_follow_ups = follow_ups.get(regency.code) or FollowUpFigures()
        rows.append(MatrixRow(regency=regency, cohort=cohort, cells=cells, follow_ups=regency_follow_ups))
    return rows


def province_follow_ups(
    user: AnyUser, province: Province, *, today: datetime.date
) -> dict[str | None, FollowUpFigures]:
    """Follow-up figures by regency code (None: the province's own actions): one query."""
    return clinic_selectors.province_follow_ups(user, province, today=today)


def _figures(
    user: AnyUser, *, today: datetime.date, province: Province | None = None, with_follow_ups: bool = True
) -> dict[str, ProgrammeFigures]:
    """``figures.programme_figures`` of the user's scope (or of one province in it), by province code."""
    regencies = scoping.visible_regencies(user)
    milestones = scoping.filter_by_scope(user, Milestone.objects.all(), "regency")
    updates = updates_in_scope(user)
    actions = clinic_selectors.actions_in_scope(user) if with_follow_ups else None
    if province is not None:
        regencies = regencies.filter(province=province)
        milestones = milestones.filter(regency__province=province)
        updates = updates.filter(milestone__regency__province=province)
        actions = actions.filter(province=province) if actions is not None else None
    return figures.programme_figures(
        regencies=regencies, milestones=milestones, updates=updates, actions=actions, today=today
    )


def province_summary(
    user: AnyUser,
    province: Province,
    *,
    today: datetime.date,
    follow_ups: dict[str | None, FollowUpFigures] | None = None,
) -> ProgrammeFigures:
    """The figures above the matrix and the chart's counts (``status_counts``), for the whole province (not
    the filter): three queries, four without ``follow_ups`` (from ``province_follow_ups``). Updates waiting
    for review are all the province's submitted updates, an older cohort's included."""
    found = _figures(user, today=today, province=province, with_follow_ups=follow_ups is None)
    summary = found.get(province.code) or ProgrammeFigures()
    if follow_ups is not None:
        summary.follow_ups = FollowUpFigures.summed(follow_ups.values())
    return replace(summary, province=province)


def province_status_counts(user: AnyUser, province: Province) -> dict[int, dict[str, int]]:
    """For the chart alone: ``counts[number][status]``, one query."""
    milestones = scoping.filter_by_scope(user, Milestone.objects.filter(regency__province=province), "regency")
    return figures.status_counts(milestones, timezone.localdate())


# --- The national overview --------------------------------------------------------------------------


def national_provinces(user: AnyUser, *, late_only: bool, today: datetime.date) -> QuerySet[Province]:
    """The provinces in the user's scope, by code; with ``late_only``, those with a late current milestone."""
    provinces = scoping.visible_provinces(user).order_by("code")
    if late_only:
        late = current_milestones(user).filter(figures.late_q(today), regency__province=OuterRef("pk"))
        provinces = provinces.filter(Exists(late))
    return provinces


def province_figures(user: AnyUser, *, today: datetime.date) -> dict[str, ProgrammeFigures]:
    """Figures for every province in the user's scope, by province code: four grouped queries."""
    return _figures(user, today=today)


def national_rows(
    user: AnyUser, provinces: Iterable[Province], *, today: datetime.date
) -> tuple[list[ProgrammeFigures], ProgrammeFigures]:
    """The overview's rows for ``provinces`` (a page of ``national_provinces``), each with its ``province``,
    and the total of every province in the user's scope, whatever the page and the filter: four queries."""
    found = province_figures(user, today=today)
    rows = [replace(found.get(province.code) or ProgrammeFigures(), province=province) for province in provinces]
    return rows, ProgrammeFigures.summed(found.values())
