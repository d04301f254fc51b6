"""The demo's programme activities, planning integration, budgets and total APBD: seed_planning(), seeded once."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from milestones.demo.planning import seed_planning
from milestones.models import (
    BudgetLine,
    FundingSource,
    PlanningIntegration,
    ProgrammeActivity,
    RegionalBudget,
    Subsector,
)
from milestones.tests.demo_fixtures import seed_once, snapshot

# The demo seeds a database as a fresh migration leaves it (run.sh seeds one just migrated).
pytestmark = pytest.mark.empty_database

BOTH = ("62.12", "62.13")

demo = seed_once(seed_planning)


def test_running_it_twice_creates_nothing_new(demo, db):
    assert len(demo.created["seed_planning"]) == 20
    for model in (BudgetLine, PlanningIntegration, RegionalBudget):
        assert model.objects.exists()
    before = snapshot()
    assert seed_planning() == []
    assert snapshot() == before


@pytest.mark.parametrize("code", BOTH)
def test_activities_integrations_and_budgets(demo, db, code):
    activities = ProgrammeActivity.objects.filter(regency=code)
    assert 8 <= activities.count() <= 10
    assert set(activities.values_list("subsector", flat=True)) == set(Subsector.values)
    assert all(2022 <= a.year_start <= a.year_end <= 2026 for a in activities)

    integrations = PlanningIntegration.objects.filter(activity__regency=code)
    share = integrations.filter(included=True).count() / integrations.count()
    assert 0.7 <= share <= 0.9
    assert set(integrations.values_list("document", flat=True)) == {"rpjmd", "rkpd", "renstra_pd", "renja_pd"}
    assert not integrations.filter(included=False, amount__isnull=False).exists()

    lines = BudgetLine.objects.filter(activity__regency=code)
    assert set(lines.values_list("year", flat=True)) == {2022, 2023, 2024}
    assert len(set(lines.values_list("source", flat=True))) >= 6
    ordered = [line for line in lines if line.indicative >= line.allocated >= line.realised]
    assert len(ordered) / lines.count() > 0.8
    assert all(line.realised <= line.allocated for line in lines)
    assert all(amount == amount.to_integral_value() for line in lines for amount in (line.indicative,))

    budgets = dict(RegionalBudget.objects.filter(regency=code).values_list("year", "total_apbd"))
    assert set(budgets) == {2022, 2023, 2024}
    assert all(Decimal(10**12) <= total <= Decimal(2 * 10**12) for total in budgets.values())
    apbd_share = (
        lines.filter(year=2023, source=FundingSource.APBD_REGENCY).aggregate(s=Sum("allocated"))["s"] / budgets[2023]
    )
    assert 0 < apbd_share < Decimal("0.05")


def test_the_amounts_follow_the_indication_and_the_shares(demo, db):
    # Barito Timur AL-01, APBN 2022: 6,500 million indicated; 100% allocated less 3% for activity 01;
    # 93% realised less 2% for activity 01.
    line = BudgetLine.objects.get(activity__regency="62.13", activity__code="AL-01", year=2022, source="apbn")
    assert (line.indicative, line.allocated, line.realised) == (6_500_000_000, 6_305_000_000, 5_737_550_000)
    # The RKPD carries the year's allocation of the regency's APBD and DAK only: 850 million at 85% less 3%.
    integration = PlanningIntegration.objects.get(activity=line.activity, document="rkpd", year=2022)
    assert integration.included and integration.amount == 697_000_000
