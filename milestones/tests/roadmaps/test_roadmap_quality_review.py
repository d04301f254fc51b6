"""The national Pokja's quality-assurance review of a province's roadmap: the SSK's QualityReview (a finding
per chapter, an outcome) recorded by the same service, its outcome verifying or returning the roadmap through
the shared review workflow in one transaction; the form and the past reviews on the roadmap page; who may."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from milestones.audit import regions_of
from milestones.models import ProvincialRoadmap, QualityReview, ReviewStep
from milestones.services import ActionRefused
from milestones.services import documents as document_services
from milestones.services import roadmaps as services
from milestones.tests import document_builders
from milestones.tests.roadmaps.test_roadmaps import all_adequate, qa_review, roadmap

GAP = "Target akses aman per kabupaten/kota belum ada."


@pytest.fixture
def submitted(kalteng, pokja_kalteng):
    return services.submit_roadmap(roadmap=roadmap(kalteng, pokja_kalteng), actor=pokja_kalteng)


def test_an_inadequate_chapter_returns_it_with_the_finding_as_reason(client_as, submitted):
    national = client_as("national")
    data = all_adequate(adequate_strategy="no", finding_strategy=GAP, outcome="revise", summary="Perlu revisi.")
    assert national.post(reverse("roadmap_review", args=[submitted.pk]), data).status_code == 302
    submitted.refresh_from_db()
    assert submitted.is_returned
    assert GAP in submitted.return_reason and submitted.return_reason.startswith("Perlu revisi.")
    [review] = submitted.quality_reviews.all()
    assert review.outcome == "revise" and review.document is None and review.items.count() == 6
    assert review.items.get(chapter="strategy").finding == GAP
    [step] = ReviewStep.objects.filter(object_id=submitted.pk, action="returned")
    assert step.comment == submitted.return_reason
    page = client_as("pokja_kalteng").get(reverse("province_documents", args=["62"])).content.decode()
    assert f'data-testid="review-{review.pk}"' in page and GAP in page
    assert 'data-testid="roadmap-qa-form"' not in page  # the province does not review its own roadmap


def test_all_adequate_verifies_it(client_as, submitted):
    national = client_as("national")
    page = national.get(reverse("province_documents", args=["62"])).content.decode()
    assert 'data-testid="roadmap-qa-form"' in page and page.count('data-testid="chapter"') == 6
    data = all_adequate(summary="Sesuai Permendagri 87/2022.")
    assert national.post(reverse("roadmap_review", args=[submitted.pk]), data).status_code == 302
    submitted.refresh_from_db()
    assert submitted.is_verified and submitted.return_reason == ""
    [review] = submitted.quality_reviews.all()
    assert review.outcome == "accepted" and all(i.adequate for i in review.items.all())
    assert ReviewStep.objects.get(object_id=submitted.pk, action="verified").comment == "Sesuai Permendagri 87/2022."
    page = national.get(reverse("province_documents", args=["62"])).content.decode()
    assert 'data-testid="roadmap-qa-form"' not in page and f'data-testid="review-{review.pk}"' in page


def test_an_inadequate_chapter_cannot_be_accepted_nor_left_without_a_finding(client_as, submitted, national):
    client = client_as("national")
    url = reverse("roadmap_review", args=[submitted.pk])
    assert client.post(url, all_adequate(adequate_swot="no", finding_swot="Kurang.")).status_code == 400
    assert client.post(url, all_adequate(adequate_swot="no", outcome="revise")).status_code == 400
    with pytest.raises(ActionRefused):
        qa_review(submitted, national, inadequate={"swot": "  "})
    assert not QualityReview.objects.exists() and ProvincialRoadmap.objects.get(pk=submitted.pk).is_submitted


@pytest.mark.parametrize(
    ("persona", "status"), [("officer_bartim", 404), ("pokja_kalsel", 404), ("pokja_kalteng", 403)]
)
def test_others_cannot_record_one(client_as, submitted, persona, status):
    response = client_as(persona).post(reverse("roadmap_review", args=[submitted.pk]), all_adequate())
    assert response.status_code == status
    assert not QualityReview.objects.exists() and ProvincialRoadmap.objects.get(pk=submitted.pk).is_submitted


def test_a_review_needs_a_submitted_roadmap_and_leaves_nothing_when_refused(
    client_as, kalteng, pokja_kalteng, national
):
    draft = roadmap(kalteng, pokja_kalteng)
    with pytest.raises(ActionRefused):
        qa_review(draft, national)
    assert not QualityReview.objects.exists()
    response = client_as("national").post(reverse("roadmap_review", args=[draft.pk]), all_adequate())
    assert response.status_code == 302 and not QualityReview.objects.exists()


def test_a_review_is_of_exactly_one_document_or_roadmap(submitted, bartim, officer_bartim, national):
    document = document_builders.in_qa(bartim, officer_bartim)
    findings = document_builders.all_adequate()
    with pytest.raises(ValueError):
        document_services.record_quality_review(
            document=document, roadmap=submitted, reviewer=national, outcome="accepted", findings=findings
        )
    with pytest.raises(ValueError):
        document_services.record_quality_review(reviewer=national, outcome="accepted", findings=findings)
    for both_or_neither in ({"document": document, "roadmap": submitted}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            QualityReview.objects.create(
                reviewer=national, reviewed_at=timezone.now(), outcome="accepted", **both_or_neither
            )
    # The SSK's QA is unchanged by the roadmap's: the document becomes final, the roadmap stays submitted.
    review = document_builders.reviewed(document, national)
    assert review.roadmap is None and document.status == "final"
    assert ProvincialRoadmap.objects.get(pk=submitted.pk).is_submitted


def test_the_audit_trail_files_a_roadmap_review_under_its_province(submitted, national, bartim, officer_bartim):
    review = qa_review(submitted, national, inadequate={"strategy": GAP})
    assert regions_of(review) == (None, "62")
    assert regions_of(review.items.first()) == (None, "62")
    ssk_review = document_builders.reviewed(document_builders.in_qa(bartim, officer_bartim), national)
    assert regions_of(ssk_review) == ("62.13", "62")
    assert regions_of(ssk_review.items.first()) == ("62.13", "62")
