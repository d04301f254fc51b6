"""The demo's SSK documents, reviews and policy packages: what seed_documents() gives, twice over."""

import pytest

from milestones.demo.documents import seed_documents
from milestones.models import Blob, PolicyItem, PolicyPackage, QualityReview, QualityReviewItem, SSKDocument
from regencies import demo


@pytest.fixture
def demo_users(db):
    demo.seed_users(demo.seed_organisations())


def counts():
    return [
        model.objects.count()
        for model in (SSKDocument, QualityReview, QualityReviewItem, PolicyPackage, PolicyItem, Blob)
    ]


def test_seed_documents_runs_twice_without_duplicates(demo_users):
    seed_documents()
    first = counts()
    seed_documents()
    assert counts() == first
    assert first[:5] == [3, 3, 18, 2, 10]


def test_barito_timur_and_murung_raya_have_an_enacted_ssk_with_an_accepted_review(demo_users):
    seed_documents()
    for code in ("62.13", "62.12"):
        document = SSKDocument.objects.get(regency=code)
        assert (document.period_start, document.period_end, document.status) == (2022, 2026, "enacted")
        assert document.instrument == "perbup" and document.instrument_number.startswith("DEMO/")
        assert list(document.reviews.values_list("outcome", flat=True)) == ["accepted"]
        assert document.file.extension == "pdf"


def test_kapuas_is_in_quality_assurance_after_a_revise_review(demo_users):
    seed_documents()
    document = SSKDocument.objects.get(regency="62.03")
    assert document.status == "quality_assurance"
    review = document.reviews.get()
    assert review.outcome == "revise"
    assert review.items.filter(adequate=False, finding__gt="").count() == 2


def test_the_policy_packages_have_an_item_of_every_kind(demo_users):
    seed_documents()
    for package in PolicyPackage.objects.all():
        assert sorted(package.items.values_list("kind", flat=True)) == sorted(PolicyItem.Kind.values)


def test_the_demo_pages_render(demo_users, client):
    from django.contrib.auth import get_user_model

    seed_documents()
    client.force_login(get_user_model().objects.get(username="pokja.kalteng"))
    for code in ("62.13", "62.12", "62.03"):
        assert client.get(f"/kabkota/{code}/").status_code == 200
    kapuas = SSKDocument.objects.get(regency="62.03")
    assert client.get(f"/ssk/{kapuas.pk}/").status_code == 200
