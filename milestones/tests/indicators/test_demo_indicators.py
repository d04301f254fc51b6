"""The demo's outcome indicators: seed_indicators() after the SSK documents, seeded once."""

from decimal import Decimal

import pytest

from milestones.demo.documents import seed_documents
from milestones.demo.indicators import seed_indicators
from milestones.models import IndicatorActual, RegencyIndicator, ReviewState
from milestones.selectors import indicators as selectors
from milestones.selectors import review as review_selectors
from milestones.tests.demo_fixtures import seed_once, snapshot

pytestmark = pytest.mark.empty_database

demo = seed_once(seed_documents, seed_indicators)


def test_running_it_twice_creates_nothing_new(demo, db):
    assert len(demo.created["seed_indicators"]) == 7
    before = snapshot()
    assert seed_indicators() == []
    assert snapshot() == before


def test_barito_timur_and_murung_raya_have_a_baseline_and_two_years(demo, db):
    for code in ("62.13", "62.12"):
        indicator = RegencyIndicator.objects.get(regency=code, definition__code="akses_layak")
        assert indicator.targets.count() == 5
        states = dict(indicator.actuals.values_list("year", "review_state"))
        assert states[2023] == ReviewState.VERIFIED
        assert states[2024] == (ReviewState.SUBMITTED if code == "62.13" else ReviewState.RETURNED)
    assert selectors.latest_verified("akses_layak", ["62.13", "62.12", "62.03"]) == {
        "62.13": Decimal("76.8"),
        "62.12": Decimal("68.4"),
        "62.03": Decimal("72.1"),
    }


def test_each_actual_has_its_history(demo, db):
    returned = IndicatorActual.objects.filter(review_state=ReviewState.RETURNED).first()
    steps = [s.action for s in review_selectors.history(returned)]
    assert steps == ["submitted", "returned"] and returned.return_reason
