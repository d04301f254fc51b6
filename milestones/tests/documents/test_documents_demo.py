"""The demo's SSK documents, reviews and policy packages: what seed_documents() gives, seeded once."""

import pytest
from django.contrib.auth import get_user_model

from milestones.demo.documents import seed_documents
from milestones.demo.milestones import seed_milestones
from milestones.models import Cohort, PolicyItem, PolicyPackage, QualityReview, QualityReviewItem, SSKDocument
from milestones.tests.demo_fixtures import seed_once, snapshot

# The demo seeds a database as a fresh migration leaves it (run.sh seeds one just migrated).
pytestmark = pytest.mark.empty_database

demo = seed_once(seed_milestones, seed_documents)


def test_seed_documents_runs_twice_without_duplicates(demo, db):
    first = [
        model.objects.count() for model in (SSKDocument, QualityReview, QualityReviewItem, PolicyPackage, PolicyItem)
    ]
    assert first == [3, 3, 18, 2, 10]
    assert len(demo.created["seed_documents"]) == 3
    before = snapshot()
    assert seed_documents() == []
    assert snapshot() == before


def test_barito_timur_and_murung_raya_have_an_enacted_ssk_with_an_accepted_review(demo, db):
    for code in ("62.13", "62.12"):
        document = SSKDocument.objects.get(regency=code)
        assert (document.period_start, document.period_end, document.status) == (2022, 2026, "enacted")
        assert document.instrument == "perbup" and document.instrument_number.startswith("DEMO/")
        assert list(document.reviews.values_list("outcome", flat=True)) == ["accepted"]
        assert document.file.extension == "pdf"


def test_kapuas_is_in_quality_assurance_after_a_revise_review(demo, db):
    document = SSKDocument.objects.get(regency="62.03")
    assert document.status == "quality_assurance"
    assert (document.instrument, document.instrument_number, document.instrument_date) == ("", "", None)
    review = document.reviews.get()
    assert review.outcome == "revise"
    assert review.items.filter(adequate=False, finding__gt="").count() == 2


def test_the_policy_packages_have_an_item_of_every_kind_and_belong_to_the_2022_cohort(demo, db):
    for package in PolicyPackage.objects.select_related("regency"):
        assert sorted(package.items.values_list("kind", flat=True)) == sorted(PolicyItem.Kind.values)
        assert package.title == f"Paket Kebijakan Sanitasi {package.regency.name} 2022"
        assert package.cohort == Cohort.objects.get(regency=package.regency, year_m1_m3=2022)


def test_the_demo_pages_render(demo, db, client):
    client.force_login(get_user_model().objects.get(username="pokja.kalteng"))
    for code in ("62.13", "62.12", "62.03"):
        assert client.get(f"/kabkota/{code}/").status_code == 200
    kapuas = SSKDocument.objects.get(regency="62.03")
    assert client.get(f"/ssk/{kapuas.pk}/").status_code == 200
