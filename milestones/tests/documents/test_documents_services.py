"""document_services: each transition, its guards, and the whole QA path."""

import datetime

import pytest

from milestones.models import Blob, QualityReview, QualityReviewItem, SSKDocument
from milestones.selectors import documents as selectors
from milestones.services import documents as services
from milestones.tests import document_builders as build
from milestones.tests.builders import pdf

Status = SSKDocument.Status
Outcome = QualityReview.Outcome


def test_a_new_document_is_a_draft_with_its_file(bartim, officer_bartim):
    document = build.draft(bartim, officer_bartim)
    assert document.status == Status.DRAFT
    assert document.file.extension == "pdf"
    assert document.file_name == "SSK 2022-2026.pdf"


def test_the_same_file_uploaded_twice_is_stored_once(bartim, mura, officer_bartim, officer_mura):
    build.draft(bartim, officer_bartim)
    build.draft(mura, officer_mura)
    assert Blob.objects.count() == 1


def test_a_period_that_does_not_end_after_it_starts_is_refused(bartim, officer_bartim):
    with pytest.raises(services.ActionRefused):
        build.draft(bartim, officer_bartim, period_start=2026, period_end=2022)
    assert not SSKDocument.objects.exists()


def test_a_second_document_for_the_same_period_is_refused(bartim, officer_bartim):
    build.draft(bartim, officer_bartim)
    with pytest.raises(services.ActionRefused):
        build.draft(bartim, officer_bartim)
    assert SSKDocument.objects.count() == 1


def test_an_image_is_not_accepted_as_the_document(bartim, officer_bartim):
    with pytest.raises(services.ActionRefused):
        services.save_document(
            regency=bartim,
            actor=officer_bartim,
            period_start=2022,
            period_end=2026,
            kind="new",
            upload=build.png(),
            file_kind=services.evidence.PNG,
        )
    assert not SSKDocument.objects.exists() and not Blob.objects.exists()


def test_a_draft_can_be_edited_and_its_file_replaced(bartim, officer_bartim):
    document = build.draft(bartim, officer_bartim)
    upload = build.docx()
    services.save_document(
        regency=bartim,
        actor=officer_bartim,
        document=document,
        period_start=2022,
        period_end=2027,
        kind="update",
        upload=upload,
        file_kind=services.evidence.DOCX,
    )
    document.refresh_from_db()
    assert (document.period_end, document.kind, document.file.extension) == (2027, "update", "docx")


def test_a_document_in_quality_assurance_can_no_longer_be_edited(bartim, officer_bartim):
    document = build.in_qa(bartim, officer_bartim)
    with pytest.raises(services.ActionRefused):
        services.save_document(
            regency=bartim, actor=officer_bartim, document=document, period_start=2022, period_end=2030, kind="new"
        )
    document.refresh_from_db()
    assert document.period_end == 2026


def test_a_draft_without_a_file_cannot_be_sent_to_quality_assurance(bartim, officer_bartim):
    document = build.draft(bartim, officer_bartim, file=False)
    with pytest.raises(services.ActionRefused):
        services.submit_document_for_qa(document=document, actor=officer_bartim)
    document.refresh_from_db()
    assert document.status == Status.DRAFT


def test_sending_twice_has_one_winner(bartim, officer_bartim):
    document = build.draft(bartim, officer_bartim)
    stale = SSKDocument.objects.get(pk=document.pk)
    services.submit_document_for_qa(document=document, actor=officer_bartim)
    with pytest.raises(services.ActionRefused):
        services.submit_document_for_qa(document=stale, actor=officer_bartim)


def test_an_accepted_review_makes_the_document_final(bartim, officer_bartim, pokja_kalteng):
    document = build.in_qa(bartim, officer_bartim)
    review = build.reviewed(document, pokja_kalteng)
    document.refresh_from_db()
    assert document.status == Status.FINAL
    assert review.items.count() == len(QualityReviewItem.Chapter.values)


def test_a_revise_review_sends_the_document_back_to_draft_with_the_finding(bartim, officer_bartim, pokja_kalteng):
    document = build.in_qa(bartim, officer_bartim)
    review = build.reviewed(document, pokja_kalteng, Outcome.REVISE)
    document.refresh_from_db()
    assert document.status == Status.DRAFT
    gap = review.items.get(adequate=False)
    assert (gap.chapter, gap.finding) == ("programmes", "Indikasi pendanaan belum lengkap.")


def test_an_inadequate_chapter_needs_a_finding(bartim, officer_bartim, pokja_kalteng):
    document = build.in_qa(bartim, officer_bartim)
    with pytest.raises(services.ActionRefused):
        build.reviewed(document, pokja_kalteng, Outcome.REVISE, findings=build.findings_with_gap(finding=" "))
    document.refresh_from_db()
    assert document.status == Status.QUALITY_ASSURANCE
    assert not QualityReview.objects.exists()


def test_a_document_with_an_inadequate_chapter_cannot_be_accepted(bartim, officer_bartim, pokja_kalteng):
    document = build.in_qa(bartim, officer_bartim)
    with pytest.raises(services.ActionRefused):
        build.reviewed(document, pokja_kalteng, Outcome.ACCEPTED, findings=build.findings_with_gap())
    assert not QualityReview.objects.exists()


def test_every_chapter_must_be_judged(bartim, officer_bartim, pokja_kalteng):
    document = build.in_qa(bartim, officer_bartim)
    with pytest.raises(services.ActionRefused):
        build.reviewed(document, pokja_kalteng, findings=build.all_adequate()[:-1])


def test_two_reviewers_at_once_get_one_winner(bartim, officer_bartim, pokja_kalteng):
    document = build.in_qa(bartim, officer_bartim)
    stale = SSKDocument.objects.get(pk=document.pk)
    build.reviewed(document, pokja_kalteng)
    with pytest.raises(services.ActionRefused):
        build.reviewed(stale, pokja_kalteng, Outcome.REVISE)
    assert QualityReview.objects.count() == 1


def test_a_draft_cannot_be_reviewed(bartim, officer_bartim, pokja_kalteng):
    document = build.draft(bartim, officer_bartim)
    with pytest.raises(services.ActionRefused):
        build.reviewed(document, pokja_kalteng)


def test_enacting_records_the_instrument(bartim, officer_bartim, pokja_kalteng):
    document = build.enacted(bartim, officer_bartim, pokja_kalteng)
    document.refresh_from_db()
    assert document.status == Status.ENACTED
    assert (document.instrument, document.instrument_number) == ("perbup", "DEMO/Perbup/12/2022")


@pytest.mark.parametrize(
    ("number", "date"), [("", datetime.date(2022, 8, 15)), ("  ", datetime.date(2022, 8, 15)), ("12", None)]
)
def test_enacting_without_number_or_date_is_refused(bartim, officer_bartim, pokja_kalteng, number, date):
    document = build.final(bartim, officer_bartim, pokja_kalteng)
    with pytest.raises(services.ActionRefused):
        services.enact_document(
            document=document, actor=officer_bartim, instrument="perbup", instrument_number=number, instrument_date=date
        )
    document.refresh_from_db()
    assert document.status == Status.FINAL


def test_a_document_still_in_quality_assurance_cannot_be_enacted(bartim, officer_bartim):
    document = build.in_qa(bartim, officer_bartim)
    with pytest.raises(services.ActionRefused):
        services.enact_document(
            document=document,
            actor=officer_bartim,
            instrument="sk",
            instrument_number="12",
            instrument_date=datetime.date(2022, 8, 15),
        )


def test_the_whole_path_keeps_every_review(bartim, officer_bartim, pokja_kalteng):
    document = build.in_qa(bartim, officer_bartim)
    build.reviewed(document, pokja_kalteng, Outcome.REVISE)
    services.save_document(
        regency=bartim,
        actor=officer_bartim,
        document=document,
        period_start=2022,
        period_end=2026,
        kind="new",
        upload=pdf("SSK revisi.pdf", b"%PDF-1.4 revisi"),
        file_kind=services.evidence.PDF,
    )
    services.submit_document_for_qa(document=document, actor=officer_bartim)
    build.reviewed(document, pokja_kalteng, Outcome.ACCEPTED)
    services.enact_document(
        document=document,
        actor=pokja_kalteng,
        instrument="perbup",
        instrument_number="DEMO/Perbup/12/2022",
        instrument_date=datetime.date(2022, 8, 15),
    )
    document.refresh_from_db()
    assert document.status == Status.ENACTED
    assert document.file_name == "SSK revisi.pdf"
    assert list(document.reviews.values_list("outcome", flat=True)) == ["accepted", "revise"]


# --- The latest review ----------------------------------------------------------------------------


def revised_then_accepted(bartim, officer_bartim, pokja_kalteng):
    document = build.in_qa(bartim, officer_bartim)
    build.reviewed(document, pokja_kalteng, Outcome.REVISE)
    services.submit_document_for_qa(document=document, actor=officer_bartim)
    return document, build.reviewed(document, pokja_kalteng, Outcome.ACCEPTED)


def test_the_latest_review_is_the_newest_one(bartim, officer_bartim, pokja_kalteng):
    document, accepted = revised_then_accepted(bartim, officer_bartim, pokja_kalteng)
    assert SSKDocument.objects.get(pk=document.pk).latest_review == accepted


def test_the_latest_review_reads_the_prefetched_reviews_without_a_query(
    bartim, officer_bartim, pokja_kalteng, django_assert_num_queries
):
    document, accepted = revised_then_accepted(bartim, officer_bartim, pokja_kalteng)
    prefetched = selectors.document_for_user(officer_bartim, document.pk)
    with django_assert_num_queries(0):
        assert prefetched.latest_review == accepted
        assert prefetched.latest_review.outcome == Outcome.ACCEPTED


def test_a_document_without_a_review_has_no_latest_review(bartim, officer_bartim, django_assert_num_queries):
    document = build.draft(bartim, officer_bartim)
    assert document.latest_review is None
    prefetched = selectors.document_for_user(officer_bartim, document.pk)
    with django_assert_num_queries(0):
        assert prefetched.latest_review is None
