"""The demo's NAWASIS records: seed_nawasis(), seeded once (after the regency officers)."""

import pytest

from milestones.demo.milestones import seed_officers
from milestones.demo.nawasis import seed_nawasis
from milestones.models import NawasisSubmission
from milestones.tests.demo_fixtures import DEMO_TODAY, seed_once, snapshot

# The demo seeds a database as a fresh migration leaves it (run.sh seeds one just migrated).
pytestmark = pytest.mark.empty_database

BOTH = ("62.12", "62.13")

demo = seed_once(seed_officers, seed_nawasis)


def test_running_it_twice_creates_nothing_new(demo, db):
    assert len(demo.created["seed_nawasis"]) == 20
    before = snapshot()
    assert seed_nawasis() == []
    assert snapshot() == before


def test_nawasis_submissions_rise_and_some_are_verified(demo, db):
    for code in BOTH:
        submissions = NawasisSubmission.objects.filter(regency=code).order_by("submitted_on")
        assert submissions.count() >= 5
        completeness = [s.completeness for s in submissions]
        assert completeness == sorted(completeness)
        assert {2022, 2023} <= {s.submitted_on.year for s in submissions} <= {2022, 2023, DEMO_TODAY.year}
        assert all(s.recorded_by.ssk_role.regency_id == code for s in submissions)
        verified = submissions.filter(verified_at__isnull=False)
        assert verified.exists()
        # What waits for verification is recent, not an entry of 2023 (the demo is alive on its day).
        assert all((DEMO_TODAY - s.submitted_on).days < 14 for s in submissions.filter(verified_at__isnull=True))
        assert set(verified.values_list("verified_by__username", flat=True)) == {"pokja.kalteng"}
    assert NawasisSubmission.objects.exclude(regency__in=BOTH).values("regency").distinct().count() == 3
    assert NawasisSubmission.objects.filter(verified_at__isnull=True).count() == 2
    modules = set(NawasisSubmission.objects.values_list("module", flat=True))
    assert modules == set(NawasisSubmission.Module.values)


def test_each_entry_is_recorded_by_its_regencys_officer(demo, db):
    for submission in NawasisSubmission.objects.select_related("recorded_by__ssk_role"):
        assert submission.recorded_by.ssk_role.regency_id == submission.regency_id
