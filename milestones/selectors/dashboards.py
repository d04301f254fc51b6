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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TypedDict, cast

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from milestones.models import Milestone, MilestoneDefinition, MilestoneUpdate
from milestones.selectors import clinics as clinic_selectors
from milestones.selectors import figures
from milestones.selectors.figures import NUMBERS, FollowUpFigures, ProgrammeFigures
from milestones.selectors.milestones import updates_in_scope
from regencies import scoping
from regencies.models import Province, Regency
from ssk_tracker.lib import formatting
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

    def matches(self, milestone: "MatrixMilestone") -> bool:
        return (
            self.is_active
            and (not self.status or milestone["status"] == self.status)
            and (not self.late_only or milestone["late"])
            and (not self.number or milestone["number"] == self.number)
        )


class MatrixMilestone(TypedDict):
    """A current milestone as the matrix reads it (``matrix_milestones``): values, not a model instance."""

    pk: int
    regency_id: str
    number: int
    status: str
    progress: int
    planned_date: datetime.date | None
    late: bool  # figures' late rule, asked in the query
    pending_reviews: int
    year_m1_m3: int
    year_m4: int


def province_regencies(
    user: AnyUser, province: Province, *, matrix_filter: MatrixFilter, today: datetime.date
) -> QuerySet[Regency]:
    """The province's regencies in the user's scope, by code; with a filter, only those with a current
    milestone that matches it. Their milestones come from ``matrix_rows`` (one query for a page)."""
    regencies = scoping.visible_regencies(user).filter(province=province).order_by("code")
    if matrix_filter.is_active:
        wanted = figures.current_milestones(Milestone.objects.filter(matrix_filter.q(today), regency=OuterRef("pk")))
        regencies = regencies.filter(Exists(wanted))
    return regencies


def matrix_milestones(regencies: Iterable[Regency], *, today: datetime.date) -> dict[str, list[MatrixMilestone]]:
    """The current milestones of ``regencies`` by regency code, M1 first, with the updates waiting for
    review counted and lateness asked of the database: one query, rows as values (no model instances)."""
    codes = [regency.code for regency in regencies]
    found: dict[str, list[MatrixMilestone]] = {code: [] for code in codes}
    if not codes:
        return found
    milestones = (
        figures.with_state(figures.current_milestones(Milestone.objects.filter(regency__in=codes)), today)
        .annotate(pending_reviews=Count("updates", filter=Q(updates__status=MilestoneUpdate.Status.SUBMITTED)))
        .order_by("regency_id", "definition__number")  # the column: ordering by "regency" joins its table
        .values(
            "pk",
            "regency_id",
            "status",
            "progress",
            "planned_date",
            "late",
            "pending_reviews",
            number=F("definition__number"),
            year_m1_m3=F("cohort__year_m1_m3"),
            year_m4=F("cohort__year_m4"),
        )
    )
    for milestone in milestones:
        found[milestone["regency_id"]].append(cast(MatrixMilestone, milestone))
    return found


@dataclass(frozen=True)
class Cell:
    """One matrix cell, with what it shows worked out here rather than by template tags (a province page
    draws up to 100 of them): the link, the status and its label, the progress, the late flag's title."""

    number: int
    key: str  # "62.13:1": the regency and the number
    status: str = ""  # "": the cohort has no record of this milestone
    late: bool = False
    matches: bool = False
    url: str = ""
    label: str = ""
    progress: str = ""
    late_title: str = ""  # "Planned for 28 March 2022" when late
    pending: str = ""  # "1 to review"; "": none waits


@dataclass(frozen=True)
class FollowUpCell:
    """A regency's follow-up figures as the matrix shows them (text: the template localises no number)."""

    total: str
    rate: str  # "67", or "" without actions
    rate_text: str  # "67%"
    overdue: str
    overdue_text: str  # "1 overdue", or "" when none is

    @classmethod
    def of(cls, figures: FollowUpFigures) -> "FollowUpCell":
        rate = figures.completion_rate
        return cls(
            total=str(figures.total),
            rate="" if rate is None else str(rate),
            rate_text=formatting.percent(rate),
            overdue=str(figures.overdue),
            overdue_text=(
                ngettext("%(counter)s overdue", "%(counter)s overdue", figures.overdue) % {"counter": figures.overdue}
                if figures.overdue
                else ""
            ),
        )


@dataclass(frozen=True)
class MatrixRow:
    regency: Regency
    cells: list[Cell]
    follow_ups: FollowUpCell
    delivery: str = ""  # the regency's report for the year: "all", "some", "none" recipients ("": not shown)
    url: str = ""
    cohort_label: str = ""  # "cohort 2022/2023"; "": not in the programme

    @property
    def in_programme(self) -> bool:
        return bool(self.cohort_label)


_STATUS_LABELS = dict(Milestone.Status.choices)


def _cell(
    regency: Regency,
    number: int,
    milestone: MatrixMilestone | None,
    *,
    matrix_filter: MatrixFilter,
    url_prefix: str,
    late_titles: dict[datetime.date, str],
) -> Cell:
    key = f"{regency.code}:{number}"
    if milestone is None:
        return Cell(number=number, key=key)
    late, pending, planned = milestone["late"], milestone["pending_reviews"], milestone["planned_date"]
    return Cell(
        number=number,
        key=key,
        status=milestone["status"],
        late=late,
        matches=matrix_filter.matches(milestone),
        url=f"{url_prefix}{milestone['pk']}/",
        label=str(_STATUS_LABELS[milestone["status"]]),
        progress=f"{milestone['progress']}%",  # 0–100 (a constraint): formatting.percent's text, without its lookups
        # Late means planned before today, so a late milestone has a plan.
        late_title=_late_title(planned, late_titles) if late and planned else "",
        pending=ngettext("%(counter)s to review", "%(counter)s to review", pending) % {"counter": pending}
        if pending
        else "",
    )


def _late_title(planned: datetime.date, known: dict[datetime.date, str]) -> str:
    """ "Planned for 28 March 2022": a cohort's milestones share their plans, so a page formats each date
    once (``known``: this page's, in its language)."""
    if planned not in known:
        known[planned] = _("Planned for %(date)s") % {"date": date_format(planned)}
    return known[planned]


def matrix_rows(
    regencies: Iterable[Regency],
    *,
    matrix_filter: MatrixFilter,
    today: datetime.date,
    follow_ups: dict[str | None, FollowUpFigures] | None = None,
    deliveries: Mapping[str, str] | None = None,
) -> list[MatrixRow]:
    """One row per regency (a page of ``province_regencies``), one cell per milestone number M1–M4 (one
    query, ``matrix_milestones``), the regency's follow-up figures from ``follow_ups``
    (``province_follow_ups``) and its report's delivery state from ``deliveries`` (by regency code)."""
    regencies = list(regencies)
    follow_ups = follow_ups or {}
    deliveries = deliveries or {}
    milestones = matrix_milestones(regencies, today=today)
    # Links are a prefix and a key: one reverse() for the page's (up to 100) milestone links.
    milestone_prefix = reverse("milestone", args=[0]).removesuffix("0/")
    regency_prefix = reverse("regency", args=["0"]).removesuffix("0/")
    rows = []
    late_titles: dict[datetime.date, str] = {}
    for regency in regencies:
        current = milestones[regency.code]
        by_number = {m["number"]: m for m in current}
        cells = [
            _cell(
                regency,
                n,
                by_number.get(n),
                matrix_filter=matrix_filter,
                url_prefix=milestone_prefix,
                late_titles=late_titles,
            )
            for n in NUMBERS
        ]
        cohort_label = (
            _("cohort %(m1_m3)s/%(m4)s") % {"m1_m3": current[0]["year_m1_m3"], "m4": current[0]["year_m4"]}
            if current
            else ""
        )
        rows.append(
            MatrixRow(
                regency=regency,
                cells=cells,
                follow_ups=FollowUpCell.of(follow_ups.get(regency.code) or FollowUpFigures()),
                delivery=deliveries.get(regency.code, ""),
                url=f"{regency_prefix}{regency.code}/",
                cohort_label=cohort_label,
            )
        )
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


def national_provinces(
    user: AnyUser, *, late_only: bool, figures: dict[str, ProgrammeFigures] | None = None
) -> QuerySet[Province]:
    """The provinces in the user's scope, by code; with ``late_only``, those with a late current milestone,
    read from their ``figures`` (``province_figures``: the counts the rows show, so the filter and the
    late column cannot disagree, and no second pass over the nation's milestones)."""
    provinces = scoping.visible_provinces(user).order_by("code")
    if late_only:
        late = sorted(code for code, found in (figures or {}).items() if found.late)
        provinces = provinces.filter(code__in=late)
    return provinces


def province_figures(user: AnyUser, *, today: datetime.date) -> dict[str, ProgrammeFigures]:
    """Figures for every province in the user's scope, by province code: four grouped queries."""
    return _figures(user, today=today)


def national_rows(
    user: AnyUser,
    provinces: Iterable[Province],
    *,
    today: datetime.date,
    figures: dict[str, ProgrammeFigures] | None = None,
) -> tuple[list[ProgrammeFigures], ProgrammeFigures]:
    """The overview's rows for ``provinces`` (a page of ``national_provinces``), each with its ``province``,
    and the total of every province in the user's scope, whatever the page and the filter: four queries,
    none when given the scope's ``figures`` (``province_figures``)."""
    found = figures if figures is not None else province_figures(user, today=today)
    rows = [replace(found.get(province.code) or ProgrammeFigures(), province=province) for province in provinces]
    return rows, ProgrammeFigures.summed(found.values())


@dataclass(frozen=True)
class OverviewCell:
    """A figure of the overview's table as shown: its text, flagged when it counts something late."""

    figure: str  # its name in data-figure, which the tests (and the page/report agreement tests) read
    text: str
    flagged: bool = False
    note: str = ""  # shown small after the figure: the oldest wait, "(9 days)"

    @property
    def html(self) -> SafeString:
        """The cell's ``<td>``: built here, the table's 25 rows of 17 would cost the template 8 tags each."""
        text = conditional_escape(self.text)
        if self.flagged:
            text = format_html('<span class="late-flag">{}</span>', text)
        note = format_html(' <span class="small text-muted">{}</span>', self.note) if self.note else ""
        return format_html('<td data-figure="{}">{}{}</td>', self.figure, text, note)


def cells_html(cells: Iterable[OverviewCell]) -> SafeString:
    """A row's cells as one string (``OverviewCell.html`` each)."""
    return mark_safe("".join(cell.html for cell in cells))  # each part built by format_html


def overview_cells(row: ProgrammeFigures, *, flag: bool = True) -> list[OverviewCell]:
    """The figures of a national overview row (or, with ``flag=False``, its total) in the table's column
    order, as text worked out here: 17 a row, which the template would otherwise localise one by one."""
    cells = [OverviewCell("regencies", str(row.regencies)), OverviewCell("in_programme", str(row.in_programme))]
    for n, m in zip(NUMBERS, row.by_number, strict=True):
        cells += [
            OverviewCell(f"m{n}_verified", str(m.verified)),
            OverviewCell(f"m{n}_in_progress", str(m.in_progress)),
            OverviewCell(f"m{n}_late", str(m.late), flagged=flag and m.late > 0),
        ]
    waited = (
        "("
        + ngettext("%(counter)s day", "%(counter)s days", row.oldest_wait_days) % {"counter": row.oldest_wait_days}
        + ")"
        if flag and row.oldest_wait_days
        else ""
    )
    cells += [
        OverviewCell("pending_reviews", str(row.pending_reviews), note=waited),
        OverviewCell("follow_up_rate", formatting.percent(row.follow_ups.completion_rate)),
        OverviewCell("follow_up_overdue", str(row.follow_ups.overdue), flagged=flag and row.follow_ups.overdue > 0),
    ]
    return cells
