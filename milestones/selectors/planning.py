"""Reads for programme activities, their planning integration and budget lines, and the regency's APBD.

Every summary is aggregated in the database (Count and Sum, with conditional filters), so a page costs
the same number of queries however many activities, rows and years a regency has. Money stays Decimal
from the database to the page; percentages are Decimal too, rounded half up. The rules of the budget by
source and of the integration shares live in ``milestones.selectors.figures`` (the reports use them too).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.db.models import Prefetch, Q, QuerySet, Sum

from milestones.models import (
    BudgetLine,
    FundingSource,
    PlanningDocument,
    PlanningIntegration,
    ProgrammeActivity,
    RegionalBudget,
    Subsector,
)
from milestones.selectors import figures
from milestones.selectors.figures import BudgetTable, DocumentShare
from regencies import scoping
from regencies.models import Regency
from ssk_tracker.lib.amounts import ZERO
from ssk_tracker.lib.numbers import percentage
from ssk_tracker.lib.users import AnyUser

DOCUMENTS = list(PlanningDocument)
SOURCES = list(FundingSource)


# --- Access --------------------------------------------------------------------------------------


def activities_in_scope(user: AnyUser) -> QuerySet[ProgrammeActivity]:
    return scoping.filter_by_scope(user, ProgrammeActivity.objects.all(), "regency")


def may_edit(user: AnyUser, regency: Regency) -> bool:
    """Activities, planning integration, budgets and APBD totals: the regency's officer or the province's Pokja."""
    return scoping.can_act_for_regency(user, regency)


def activity_for_user(user: AnyUser, pk: int) -> ProgrammeActivity:
    """One activity the user may see (404 otherwise), with its regency and province."""
    return scoping.get_or_404(activities_in_scope(user).select_related("regency__province"), pk=pk)


# --- Summaries -----------------------------------------------------------------------------------


def _activities(regency: Regency, year: int | None = None) -> QuerySet[ProgrammeActivity]:
    activities = ProgrammeActivity.objects.filter(regency=regency)
    if year:
        activities = activities.filter(year_start__lte=year, year_end__gte=year)
    return activities


def integration_shares(regency: Regency, year: int | None = None) -> list[DocumentShare]:
    """For each planning document, how many of the regency's activities it includes (one query); with
    ``year``, only the activities that run in that year and the rows of that year count."""
    return figures.integration_shares(_activities(regency, year), year)


def budget_by_source(regency: Regency, year: int | None = None) -> BudgetTable:
    """Indicative, allocated and realised money per funding source, with totals (one query)."""
    lines = BudgetLine.objects.filter(activity__regency=regency)
    return figures.budget_by_source(lines, years=(year, year) if year else None)


@dataclass(frozen=True)
class ApbdYear:
    year: int
    total_apbd: Decimal | None
    allocated: Decimal  # every funding source
    allocated_own: Decimal  # the regency's own APBD (APBD kabupaten/kota) only
    # The APBD's totals for housing, settlements, drinking water and sanitation (RegionalBudget.SECTORS),
    # None where not entered.
    sectors: tuple[Decimal | None, ...] = (None, None, None, None)

    @property
    def sector_shares(self) -> list[tuple[Decimal | None, Decimal | None]]:
        """Each sector's total and its share of the total APBD (two decimals), in SECTORS' order."""
        return [
            (amount, percentage(amount, self.total_apbd, 2) if amount is not None else None) for amount in self.sectors
        ]

    @property
    def share(self) -> Decimal | None:
        return percentage(self.allocated, self.total_apbd, 2)

    @property
    def share_own(self) -> Decimal | None:
        return percentage(self.allocated_own, self.total_apbd, 2)


def apbd_shares(regency: Regency) -> list[ApbdYear]:
    """Per year: allocated sanitation money (all sources, and APBD kab/kota alone) ÷ the total APBD."""
    sums = {
        row["year"]: (row["sum_allocated"], row["sum_allocated_own"])
        for row in BudgetLine.objects.filter(activity__regency=regency)
        .order_by()
        .values("year")
        .annotate(
            sum_allocated=Sum("allocated"),
            sum_allocated_own=Sum("allocated", filter=Q(source=FundingSource.APBD_REGENCY)),
        )
    }
    rows = RegionalBudget.objects.filter(regency=regency).order_by()
    totals = {row[0]: row[1:] for row in rows.values_list("year", "total_apbd", *RegionalBudget.SECTORS)}
    shares = []
    for year in sorted(set(sums) | set(totals)):
        allocated, allocated_own = sums.get(year, (None, None))
        total, *sectors = totals.get(year, (None, None, None, None, None))
        shares.append(ApbdYear(year, total, allocated or ZERO, allocated_own or ZERO, tuple(sectors)))
    return shares


def regency_years(regency: Regency) -> list[int]:
    """Every year that has a budget line, a planning-document row or an APBD total (one query)."""
    budget = BudgetLine.objects.filter(activity__regency=regency).order_by().values_list("year")
    planning = PlanningIntegration.objects.filter(activity__regency=regency).order_by().values_list("year")
    apbd = RegionalBudget.objects.filter(regency=regency).order_by().values_list("year")
    return sorted({year for (year,) in budget.union(planning, apbd).order_by()})


@dataclass(frozen=True)
class PlanningRows:
    """The regency's planning-document rows as (activity, document, year, included), read once for the year
    filter and the list's marks (the activities page would otherwise ask for each)."""

    rows: list[tuple[int, str, int, bool]]

    @property
    def years(self) -> set[int]:
        return {year for _activity, _document, year, _included in self.rows}

    def included(self, year: int | None = None) -> set[tuple[int, str]]:
        """(activity, document) of every row that includes the activity (in ``year`` if given)."""
        return {
            (activity, document)
            for activity, document, row_year, included in self.rows
            if included and (year is None or row_year == year)
        }


def planning_rows(regency: Regency) -> PlanningRows:
    """Every planning-document row of the regency's activities (one query)."""
    rows = PlanningIntegration.objects.filter(activity__regency=regency).order_by()
    return PlanningRows(list(rows.values_list("activity_id", "document", "year", "included")))


def years_of(apbd_years: list[ApbdYear], planning: PlanningRows) -> list[int]:
    """regency_years from rows already read: apbd_shares has a row for every year with a budget line or an
    APBD total, the planning rows give the rest."""
    return sorted(planning.years | {row.year for row in apbd_years})


class PlanningSummary(TypedDict):
    activity_count: int
    shares: list[DocumentShare]
    budget: BudgetTable
    apbd_years: list[ApbdYear]
    year: int | None


def regency_summary(
    regency: Regency, year: int | None = None, *, apbd_years: list[ApbdYear] | None = None
) -> PlanningSummary:
    """What the regency-page section and the activities page show above the list (four queries; two when
    given ``apbd_years``, apbd_shares(regency), which every year shows)."""
    shares = integration_shares(regency, year)
    return {
        "activity_count": shares[0].total if shares else 0,
        "shares": shares,
        "budget": budget_by_source(regency, year),
        "apbd_years": apbd_shares(regency) if apbd_years is None else apbd_years,
        "year": year,
    }


# --- The activity list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ListedActivity:
    """One row of the activities page: the activity's fields to show, whether each planning document
    includes it (in DOCUMENTS order) and its budget totals (in the year asked, if any)."""

    pk: int
    code: str
    name: str
    details: str  # subsector · agency · location · years, joined once here rather than per row in the template
    documents: list[bool]
    indicative_total: Decimal
    allocated_total: Decimal
    realised_total: Decimal


# A page of the list stays under the page-size budget (60 KB) at about 0.8 KB a row; most SSKs fit on one.
ACTIVITIES_PER_PAGE = 40


class ActivityValues(TypedDict):
    pk: int
    code: str
    name: str
    subsector: str
    agency: str
    location: str
    year_start: int
    year_end: int
    indicative_total: Decimal | None
    allocated_total: Decimal | None
    realised_total: Decimal | None


def activity_rows(regency: Regency, year: int | None = None) -> QuerySet[ProgrammeActivity, ActivityValues]:
    """The regency's activities by code as plain values with their budget sums (in ``year`` if given): one
    LEFT JOIN, grouped, so the list can be paged in the database. Before, one query with seven correlated
    subqueries per activity cost more to build in the ORM than to run."""
    lines = Q(budget_lines__year=year) if year else Q()
    return (
        _activities(regency, year)
        .order_by("code")
        .values("pk", "code", "name", "subsector", "agency", "location", "year_start", "year_end")
        .annotate(
            indicative_total=Sum("budget_lines__indicative", filter=lines),
            allocated_total=Sum("budget_lines__allocated", filter=lines),
            realised_total=Sum("budget_lines__realised", filter=lines),
        )
    )


def listed_activities(
    rows: Iterable[ActivityValues], year: int | None = None, *, included: set[tuple[int, str]] | None = None
) -> list[ListedActivity]:
    """``rows`` of activity_rows (a page of them) with whether each planning document includes each: from
    ``included`` (PlanningRows.included) if given, else one query."""
    rows = list(rows)
    if included is None:
        integrations = PlanningIntegration.objects.filter(activity__in=[row["pk"] for row in rows], included=True)
        if year:
            integrations = integrations.filter(year=year)
        included = set(integrations.order_by().values_list("activity_id", "document").distinct())
    subsectors = dict(Subsector.choices)
    listed = []
    for row in rows:
        place = [str(subsectors.get(row["subsector"], row["subsector"])), row["agency"]]
        if row["location"]:
            place.append(row["location"])
        place.append(f"{row['year_start']}–{row['year_end']}")
        listed.append(
            ListedActivity(
                pk=row["pk"],
                code=row["code"],
                name=row["name"],
                details=" · ".join(place),
                documents=[(row["pk"], d.value) in included for d in DOCUMENTS],
                indicative_total=row["indicative_total"] or ZERO,
                allocated_total=row["allocated_total"] or ZERO,
                realised_total=row["realised_total"] or ZERO,
            )
        )
    return listed


def regency_activities(regency: Regency, year: int | None = None) -> list[ListedActivity]:
    """Every activity of the regency by code, with its documents and budget totals (two queries)."""
    return listed_activities(activity_rows(regency, year), year)


def activity_page(activity: ProgrammeActivity) -> int:
    """The page of the (unfiltered) list that shows ``activity``: where a save sends the editor back to."""
    before = ProgrammeActivity.objects.filter(regency_id=activity.regency_id, code__lt=activity.code).count()
    return before // ACTIVITIES_PER_PAGE + 1


# --- The exchange (template, export) -------------------------------------------------------------

_DOCUMENT_ORDER = {d.value: n for n, d in enumerate(DOCUMENTS)}
_SOURCE_ORDER = {s.value: n for n, s in enumerate(SOURCES)}


class ExchangeData(TypedDict):
    """A regency's rows for ``planning_export.build_workbook`` and ``build_csv_zip``."""

    activities: list[ProgrammeActivity]
    integrations: list[PlanningIntegration]
    budget_lines: list[BudgetLine]
    regional_budgets: list[RegionalBudget]


def exchange_data(regency: Regency) -> ExchangeData:
    """The regency's rows for a workbook or CSV export, in the order a person reads them (four queries)."""
    integrations = PlanningIntegration.objects.filter(activity__regency=regency).select_related("activity")
    budget_lines = BudgetLine.objects.filter(activity__regency=regency).select_related("activity")
    return {
        "activities": list(ProgrammeActivity.objects.filter(regency=regency).order_by("code")),
        "integrations": sorted(integrations, key=lambda i: (i.activity.code, _DOCUMENT_ORDER[i.document], i.year)),
        "budget_lines": sorted(budget_lines, key=lambda b: (b.activity.code, b.year, _SOURCE_ORDER[b.source])),
        "regional_budgets": list(RegionalBudget.objects.filter(regency=regency).order_by("year")),
    }


def activities_with_rows(regency: Regency) -> QuerySet[ProgrammeActivity]:
    """The regency's activities by code, each with its planning-document rows and budget lines (the REST
    API's list: three queries a page, however many rows)."""
    return (
        ProgrammeActivity.objects.filter(regency=regency)
        .order_by("code", "pk")
        .prefetch_related(
            Prefetch("integrations", queryset=PlanningIntegration.objects.order_by("year", "document", "pk")),
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("year", "source", "pk")),
        )
    )
