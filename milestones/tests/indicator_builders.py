"""Builders for outcome indicators (no tests here): through the services, like a real entry."""

from decimal import Decimal

from milestones.models import IndicatorDefinition
from milestones.services import indicators as services
from milestones.tests import document_builders


def ssk(regency, officer):
    return document_builders.draft(regency, officer, period_start=2022, period_end=2026, file=False)


def indicator(regency, actor, code="akses_layak", *, baseline=("2021", "60"), targets=None):
    return services.save_indicator(
        regency=regency,
        definition=IndicatorDefinition.objects.get(code=code),
        actor=actor,
        baseline_year=int(baseline[0]),
        baseline_value=Decimal(baseline[1]),
        targets={int(y): Decimal(v) for y, v in (targets or {"2024": "70", "2026": "80"}).items()},
    )


def actual(indicator, actor, year=2023, value="65", *, submit=True, source="Susenas"):
    return services.save_actual(
        indicator=indicator, actor=actor, year=year, value=Decimal(value), source=source, submit=submit
    )
