"""Reads for programme activities, their planning integration and budget lines, and the regency's APBD.

Every summary is aggregated in the database (Count and Sum, with conditional filters), so a page costs
the same number of queries however many activities, rows and years a regency has. Money stays Decimal
from the database to the page; percentages are Decimal too, rounded half up. The rules of the budget by
source and of the integration shares live in ``milestones.selectors.figures`` (the reports use them too).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict, cast

from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django_stubs_ext import WithAnnotations

from milestones.models import (
    BudgetLine,
    FundingSource,
    PlanningDocument,
    PlanningIntegration,
    ProgrammeActivity,
    RegionalBudget,
)
from milestones.models.planning import MONEY
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
    totals = dict(RegionalBudget.objects.filter(regency=regency).values_list("year", "total_apbd"))
    shares = []
    for year in sorted(set(sums) | set(totals)):
        allocated, allocated_own = sums.get(year, (None, None))
        shares.append(ApbdYear(year, totals.get(year), allocated or ZERO, allocated_own or ZERO))
    return shares


def regency_years(regency: Regency) -> list[int]:
    """Every year that has a budget line, a planning-document row or an APBD total (one query)."""
    budget = BudgetLine.objects.filter(activity__regency=regency).order_by().values_list("year")
    planning = PlanningIntegration.objects.filter(activity__regency=regency).order_by().values_list("year")
    apbd = RegionalBudget.objects.filter(regency=regency).order_by().values_list("year")
    return sorted({year for (year,) in budget.union(planning, apbd).order_by()})


class PlanningSummary(TypedDict):
    activity_count: int
    shares: list[DocumentShare]
    budget: BudgetTable
    apbd_years: list[ApbdYear]
    year: int | None


def regency_summary(regency: Regency, year: int | None = None) -> PlanningSummary:
    """What the regency-page section and the activities page show above the list (four queries)."""
    shares = integration_shares(regency, year)
    return {
        "activity_count": shares[0].total if shares else 0,
        "shares": shares,
        "budget": budget_by_source(regency, year),
        "apbd_years": apbd_shares(regency),
        "year": year,
    }


# --- The activity list ---------------------------------------------------------------------------


def _budget_sum(name: str, year: int | None) -> Coalesce:
    lines = BudgetLine.objects.filter(activity=OuterRef("pk"))
    if year:
        lines = lines.filter(year=year)
    total = lines.order_by().values("activity").annotate(total=Sum(name)).values("total")
    money = DecimalField(max_digits=MONEY["max_digits"], decimal_places=MONEY["decimal_places"])
    return Coalesce(Subquery(total, output_field=money), Value(ZERO), output_field=money)


class ActivityFigures(TypedDict):
    indicative_total: Decimal
    allocated_total: Decimal
    realised_total: Decimal
    documents: list[tuple[str, bool]]  # (planning document, included): set after the query


type ListedActivity = WithAnnotations[
    ProgrammeActivity, ActivityFigures
]  # `type`: WithAnnotations[...] fails at run time


def regency_activities(regency: Regency, year: int | None = None) -> list[ListedActivity]:
    """The regency's activities by code, each with ``documents`` [(label, included)] and budget totals.

    One query: whether each planning document includes the activity (Exists) and its indicative,
    allocated and realised totals (Sum subqueries), in ``year`` if given.
    """
    annotations: dict[str, Exists] = {}
    for document in DOCUMENTS:
        rows = PlanningIntegration.objects.filter(activity=OuterRef("pk"), document=document.value, included=True)
        if year:
            rows = rows.filter(year=year)
        annotations[f"in_{document.value}"] = Exists(rows)
    queryset = (
        _activities(regency, year)
        .annotate(
            **annotations,
            indicative_total=_budget_sum("indicative", year),
            allocated_total=_budget_sum("allocated", year),
            realised_total=_budget_sum("realised", year),
        )
        .order_by("code")
    )
    activities = cast(list[ListedActivity], list(queryset))  # each gets its ``documents`` here, after the query
    for activity in activities:
        activity.documents = [(d.label, getattr(activity, f"in_{d.value}")) for d in DOCUMENTS]
    return activities


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
