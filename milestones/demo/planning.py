"""Demo SSK programme activities, their planning integration and budgets, and the total APBD.

The activities are data (``data/planning.toml``): the SSK 2022–2026 activities of Barito Timur
(62.13) and Murung Raya (62.12), whether they reached RPJMD, RKPD, Renstra-PD and Renja-PD in the
budget years (2022–2024), their money per funding source and each regency's total APBD. The amounts
follow from each activity's indication and the shares in the file, by the rule in ``_seed_activity``.
Call ``seed_planning()`` after the regions exist; it is safe to run again (everything is looked up by
its natural key first).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from milestones.demo.loader import DemoDataError, build, choices, read, tables
from milestones.models import (
    BudgetLine,
    FundingSource,
    PlanningDocument,
    PlanningIntegration,
    ProgrammeActivity,
    RegionalBudget,
    Subsector,
)
from regencies.models import Regency

Source = FundingSource

PLANNING_DOCUMENTS = (
    PlanningDocument.RPJMD,
    PlanningDocument.RKPD,
    PlanningDocument.RENSTRA_PD,
    PlanningDocument.RENJA_PD,
)


@dataclass(frozen=True)
class Activity:
    """An SSK activity. ``funding``: indicative millions of rupiah a year per source (2022 level, rising 8% a
    year). ``gaps``: where it did not reach a planning document, "rpjmd" (every year) or "rkpd:2022"."""

    regency: str
    code: str
    subsector: str = field(metadata=choices(Subsector))
    name: str
    agency: str
    location: str
    year_start: int
    year_end: int
    funding: dict[str, int] = field(metadata=choices(Source))
    gaps: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.year_start <= self.year_end:
            raise ValueError(f"year_start {self.year_start} is after year_end {self.year_end}")
        if not self.code[-2:].isdigit():
            raise ValueError(f"code {self.code!r} does not end in two digits (AL-01)")
        for gap in self.gaps:
            document, _, year = gap.partition(":")
            if document not in PlanningDocument.values or (year and not year.isdigit()):
                raise ValueError(
                    f"gap {gap!r} is not a planning document ({', '.join(PlanningDocument.values)}), "
                    "optionally with a year (rkpd:2022)"
                )


@dataclass(frozen=True)
class ApbdTotal:
    regency: str
    year: int
    total_apbd: int


@dataclass(frozen=True)
class Planning:
    """``allocated_pct``: share of the indication allocated by source and year (%); ``realised_pct``: share
    of the allocation realised by year (%); ``nomenclature``: sub-activity names by subsector."""

    budget_years: tuple[int, ...]
    allocated_pct: dict[str, dict[int, int]] = field(metadata=choices(Source))
    realised_pct: dict[int, int]
    nomenclature: dict[str, str] = field(metadata=choices(Subsector))
    activities: tuple[Activity, ...]
    regional_budgets: tuple[ApbdTotal, ...]


def load_planning() -> Planning:
    name = "planning.toml"
    data = read(name, *(field.name for field in Planning.__dataclass_fields__.values()))
    activities = tuple(
        build(Activity, row, f"{name}: activity {number} ({row.get('regency', '?')} {row.get('code', '?')})")
        for number, row in enumerate(tables(data.pop("activities"), f"{name}: activities"), start=1)
    )
    budgets = tuple(
        build(ApbdTotal, row, f"{name}: regional budget {number}")
        for number, row in enumerate(tables(data.pop("regional_budgets"), f"{name}: regional_budgets"), start=1)
    )
    planning = build(Planning, data, name, activities=activities, regional_budgets=budgets)
    for activity in activities:
        missing = [year for year in _budget_years(planning, activity) if year not in planning.realised_pct]
        missing += [
            f"{source} {year}"
            for source in activity.funding
            for year in _budget_years(planning, activity)
            if year not in planning.allocated_pct.get(source, {})
        ]
        if activity.subsector not in planning.nomenclature:
            missing.append(f"the nomenclature of {activity.subsector}")
        if missing:
            raise DemoDataError(f"{name}: activity {activity.regency} {activity.code} needs shares for {missing}")
    return planning


def seed_planning() -> list[ProgrammeActivity]:
    """Create the demo activities, integrations, budget lines and APBD totals; returns the new activities."""
    planning = load_planning()
    created = []
    with transaction.atomic():
        regencies = Regency.objects.in_bulk(
            {spec.regency for spec in [*planning.activities, *planning.regional_budgets]}
        )
        for spec in planning.activities:
            activity, is_new = _seed_activity(regencies[spec.regency], spec, planning)
            if is_new:
                created.append(activity)
        for budget in planning.regional_budgets:
            RegionalBudget.objects.get_or_create(
                regency=regencies[budget.regency], year=budget.year, defaults={"total_apbd": Decimal(budget.total_apbd)}
            )
    return created


def _budget_years(planning: Planning, activity: Activity) -> list[int]:
    return [year for year in planning.budget_years if activity.year_start <= year <= activity.year_end]


def _thousands(amount: int) -> Decimal:
    return Decimal(amount // 1000 * 1000)


def _seed_activity(regency: Regency, spec: Activity, planning: Planning) -> tuple[ProgrammeActivity, bool]:
    activity, is_new = ProgrammeActivity.objects.get_or_create(
        regency=regency,
        code=spec.code,
        defaults={
            "subsector": spec.subsector,
            "name": spec.name,
            "agency": spec.agency,
            "location": spec.location,
            "year_start": spec.year_start,
            "year_end": spec.year_end,
        },
    )
    # The activity's number varies the shares a little, so the activities do not all look alike.
    index = int(spec.code[-2:])
    for year in _budget_years(planning, spec):
        regional = {"indicative": Decimal(0), "allocated": Decimal(0)}
        for source, millions in spec.funding.items():
            indicative = millions * 1_000_000 * (100 + 8 * (year - 2022)) // 100
            allocated = indicative * (planning.allocated_pct[source][year] - 3 * (index % 3)) // 100
            realised = allocated * (planning.realised_pct[year] - 2 * (index % 4)) // 100
            amounts = {
                "indicative": _thousands(indicative),
                "allocated": _thousands(allocated),
                "realised": _thousands(realised),
            }
            BudgetLine.objects.get_or_create(activity=activity, year=year, source=source, defaults=amounts)
            if source in (Source.APBD_REGENCY, Source.DAK):
                regional["indicative"] += amounts["indicative"]
                regional["allocated"] += amounts["allocated"]
        for document in PLANNING_DOCUMENTS:
            included = document not in spec.gaps and f"{document}:{year}" not in spec.gaps
            # The 5-year documents carry the SSK's indication; the annual ones the year's allocation.
            five_year = document in (PlanningDocument.RPJMD, PlanningDocument.RENSTRA_PD)
            amount = regional["indicative"] if five_year else regional["allocated"]
            PlanningIntegration.objects.get_or_create(
                activity=activity,
                document=document,
                year=year,
                defaults={
                    "included": included,
                    "nomenclature": planning.nomenclature[spec.subsector] if included else "",
                    "amount": amount if included and amount else None,
                },
            )
    return activity, is_new
