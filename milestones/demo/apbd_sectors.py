"""Demo APBD sector totals (``data/apbd_sectors.toml``): housing, settlements, drinking water and sanitation
for Barito Timur and Murung Raya. Call ``seed_apbd_sectors()`` after ``seed_planning`` (the APBD totals
exist); it only fills sectors not entered yet, so it is safe to run again."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from milestones.demo.loader import DemoDataError, build, read, tables
from milestones.models import RegionalBudget


@dataclass(frozen=True)
class Sectors:
    regency: str
    year: int
    housing: int
    settlements: int
    drinking_water: int
    sanitation: int


def seed_apbd_sectors() -> list[RegionalBudget]:
    name = "apbd_sectors.toml"
    rows = [
        build(Sectors, row, f"{name}: entry {n}")
        for n, row in enumerate(tables(read(name, "sectors")["sectors"], name), 1)
    ]
    changed = []
    with transaction.atomic():
        for row in rows:
            budget = RegionalBudget.objects.filter(regency=row.regency, year=row.year).first()
            if budget is None:
                raise DemoDataError(f"{name}: {row.regency} has no APBD total for {row.year} in planning.toml")
            values = {field: Decimal(getattr(row, field)) for field in RegionalBudget.SECTORS}
            if sum(values.values()) > budget.total_apbd:
                raise DemoDataError(f"{name}: {row.regency} {row.year}: the sectors exceed the total APBD")
            if budget.housing is None:
                RegionalBudget.objects.filter(pk=budget.pk).update(**values)
                changed.append(budget)
    return changed
