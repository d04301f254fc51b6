"""The demo's DAK verification (data/dak.toml): Barito Timur's readiness documents, one verified by BPPW
Kalimantan Tengah and one returned with its reason; seeding twice adds nothing."""

import pytest

from milestones.demo.dak import seed_dak
from milestones.demo.planning import seed_planning
from milestones.models import DakReadiness, ReviewState
from milestones.selectors import dak as selectors
from milestones.tests.demo_fixtures import seed_once
from regencies import scoping
from regencies.models import Role

pytestmark = pytest.mark.empty_database

demo = seed_once(seed_planning, seed_dak)


def test_one_verified_and_one_returned_by_the_balai(demo, db):
    assert len(demo.created["seed_dak"]) == 2
    states = dict(DakReadiness.objects.values_list("budget_line__activity__code", "review_state"))
    assert states == {"AL-03": ReviewState.VERIFIED, "PS-03": ReviewState.RETURNED}
    verified = DakReadiness.objects.get(review_state=ReviewState.VERIFIED)
    assert verified.decided_by.ssk_role.role == Role.BALAI_STAFF
    assert verified.files.count() == 2
    assert [s.action for s in selectors.history(verified)] == ["submitted", "verified"]
    returned = DakReadiness.objects.get(review_state=ReviewState.RETURNED)
    assert "UKL-UPL" in returned.return_reason
    figures = selectors.dak_figures(scoping.Scope(province_codes=frozenset({"62"})), years=(2024, 2024))
    bartim = next(r for r in figures.regencies if r.code == "62.13")
    assert 0 < bartim.verified < bartim.allocated
    assert seed_dak() == []
