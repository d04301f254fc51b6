"""SSK document pages: who may read and act (200 / 403 / 404), the forms, and the QA path through the views."""

from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext

from milestones.forms.documents import EnactForm
from milestones.models import Blob, QualityReview, QualityReviewItem, SSKDocument
from milestones.tests import document_builders as build
from milestones.tests.builders import pdf
from milestones.tests.shared_rows import rolled_back
from regencies.models import Regency

Status = SSKDocument.Status
CHAPTERS = QualityReviewItem.Chapter.values

READERS = ["national", "administrator", "pokja_kalteng", "balai_kalteng", "coordinator_kalteng", "officer_bartim"]
OUTSIDERS = ["officer_mura", "pokja_kalsel", "nobody"]
READ_ONLY_FOR_DOCUMENTS = ["national", "administrator", "pokja_kalteng", "balai_kalteng", "coordinator_kalteng"]


def expected(allowed, forbidden):
    return [(name, 200) for name in allowed] + [(name, 403) for name in forbidden] + [(n, 404) for n in OUTSIDERS]


def review_data(outcome="accepted", gaps=None, summary=""):
    gaps = gaps or {}
    data = {"outcome": outcome, "summary": summary}
    for chapter in CHAPTERS:
        data[f"adequate_{chapter}"] = "no" if chapter in gaps else "yes"
        data[f"finding_{chapter}"] = gaps.get(chapter, "")
    return data


def document_data(**overrides):
    return {"period_start": 2022, "period_end": 2026, "kind": "new", "file": pdf("SSK Bartim.pdf"), **overrides}


# Barito Timur's documents for the access matrices, each built once for a class of tests: a draft, one
# in QA and a final one.


def barito_timurs_document(
    django_db_blocker, make: Callable[[Regency, AbstractUser, AbstractUser], SSKDocument]
) -> Iterator[int]:
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            users = get_user_model().objects
            officer_bartim, pokja_kalteng = users.get(username="officer_bartim"), users.get(username="pokja_kalteng")
            document = make(Regency.objects.get(code="62.13"), officer_bartim, pokja_kalteng)
        yield document.pk


@pytest.fixture(scope="class")
def draft_pk(module_db, django_db_blocker) -> Iterator[int]:
    yield from barito_timurs_document(django_db_blocker, lambda regency, officer, _: build.draft(regency, officer))


@pytest.fixture(scope="class")
def in_qa_pk(module_db, django_db_blocker) -> Iterator[int]:
    yield from barito_timurs_document(django_db_blocker, lambda regency, officer, _: build.in_qa(regency, officer))


@pytest.fixture(scope="class")
def final_pk(module_db, django_db_blocker) -> Iterator[int]:
    yield from barito_timurs_document(django_db_blocker, build.final)


@pytest.fixture
def draft(db, draft_pk) -> SSKDocument:
    return SSKDocument.objects.get(pk=draft_pk)


@pytest.fixture
def in_qa(db, in_qa_pk) -> SSKDocument:
    return SSKDocument.objects.get(pk=in_qa_pk)


@pytest.fixture
def final(db, final_pk) -> SSKDocument:
    return SSKDocument.objects.get(pk=final_pk)


# --- Who may see and do what ----------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), expected(["officer_bartim"], READ_ONLY_FOR_DOCUMENTS))
def test_create_form_access(client_as, bartim, persona, status):
    assert client_as(persona).get(reverse("document_create", args=["62.13"])).status_code == status


def test_officer_of_barito_timur_gets_404_on_murung_rayas_pages(client_as, mura, officer_mura):
    document = build.draft(mura, officer_mura)
    client = client_as("officer_bartim")
    assert client.get(reverse("document_create", args=["62.12"])).status_code == 404
    for name in ("document", "document_edit", "document_download"):
        assert client.get(reverse(name, args=[document.pk])).status_code == 404
    assert client.post(reverse("document_submit", args=[document.pk])).status_code == 404


@pytest.mark.usefixtures("draft_pk")
class TestADraft:
    @pytest.mark.parametrize(("persona", "status"), expected(READERS, []))
    def test_document_page_access(self, client_as, draft, persona, status):
        assert client_as(persona).get(reverse("document", args=[draft.pk])).status_code == status

    @pytest.mark.parametrize(("persona", "status"), expected(["officer_bartim"], READ_ONLY_FOR_DOCUMENTS))
    def test_edit_form_access(self, client_as, draft, persona, status):
        assert client_as(persona).get(reverse("document_edit", args=[draft.pk])).status_code == status

    def test_signed_out_visitors_are_sent_to_login(self, client, draft):
        response = client.get(reverse("document", args=[draft.pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.usefixtures("in_qa_pk")
class TestADocumentInQA:
    @pytest.mark.parametrize(
        ("persona", "status"),
        expected(
            ["pokja_kalteng"], ["officer_bartim", "national", "administrator", "balai_kalteng", "coordinator_kalteng"]
        ),
    )
    def test_review_form_access(self, client_as, in_qa, persona, status):
        assert client_as(persona).get(reverse("document_review", args=[in_qa.pk])).status_code == status


@pytest.mark.usefixtures("final_pk")
class TestAFinalDocument:
    @pytest.mark.parametrize(
        ("persona", "status"),
        expected(
            ["officer_bartim", "pokja_kalteng"], ["national", "administrator", "balai_kalteng", "coordinator_kalteng"]
        ),
    )
    def test_enact_form_access(self, client_as, final, persona, status):
        assert client_as(persona).get(reverse("document_enact", args=[final.pk])).status_code == status


# --- Creating and editing -------------------------------------------------------------------------


def test_officer_creates_a_draft_with_a_pdf(client_as, bartim):
    response = client_as("officer_bartim").submit(reverse("document_create", args=["62.13"]), document_data())
    document = SSKDocument.objects.get()
    assert response.status_code == 302 and response.url == reverse("document", args=[document.pk])
    assert (document.regency, document.status, document.file_name) == (bartim, Status.DRAFT, "SSK Bartim.pdf")


def test_officer_may_upload_a_word_document(client_as, bartim):
    client_as("officer_bartim").submit(reverse("document_create", args=["62.13"]), document_data(file=build.docx()))
    assert SSKDocument.objects.get().file.extension == "docx"


@pytest.mark.parametrize(
    "upload",
    [
        build.png(),
        SimpleUploadedFile("SSK.pdf", b"just text pretending to be a PDF"),
        SimpleUploadedFile("SSK.pdf", b""),
    ],
    ids=["image", "text-named-pdf", "empty"],
)
def test_a_file_that_is_not_pdf_or_docx_is_rejected_and_nothing_saved(client_as, bartim, upload):
    response = client_as("officer_bartim").submit(
        reverse("document_create", args=["62.13"]), document_data(file=upload)
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("file")
    assert not SSKDocument.objects.exists() and not Blob.objects.exists()


@pytest.mark.parametrize("period_end", [2022, 2020])
def test_a_period_that_does_not_end_after_it_starts_is_rejected(client_as, bartim, period_end):
    response = client_as("officer_bartim").submit(
        reverse("document_create", args=["62.13"]), document_data(period_end=period_end)
    )
    form = response.context["form"]
    assert form.has_error("period_end")
    assert form.has_error("file")  # the officer is told to choose the file again
    assert not SSKDocument.objects.exists() and not Blob.objects.exists()


def test_a_second_document_for_the_same_period_is_rejected(client_as, bartim, officer_bartim):
    build.draft(bartim, officer_bartim)
    response = client_as("officer_bartim").submit(reverse("document_create", args=["62.13"]), document_data())
    assert response.context["form"].has_error("period_start")
    assert SSKDocument.objects.count() == 1


def test_editing_a_draft_keeps_the_file_when_none_is_chosen(client_as, bartim, officer_bartim):
    document = build.draft(bartim, officer_bartim)
    data = {"period_start": 2022, "period_end": 2027, "kind": "update"}
    client_as("officer_bartim").submit(reverse("document_edit", args=[document.pk]), data)
    document.refresh_from_db()
    assert (document.period_end, document.kind, document.file_name) == (2027, "update", "SSK 2022-2026.pdf")


def test_a_document_in_quality_assurance_cannot_be_edited(client_as, bartim, officer_bartim):
    document = build.in_qa(bartim, officer_bartim)
    client = client_as("officer_bartim")
    response = client.submit(reverse("document_edit", args=[document.pk]), document_data(period_end=2030))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.period_end == 2026


# --- Sending, reviewing, enacting ----------------------------------------------------------------


def test_officer_sends_a_draft_to_quality_assurance(client_as, bartim, officer_bartim):
    document = build.draft(bartim, officer_bartim)
    response = client_as("officer_bartim").post(reverse("document_submit", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.QUALITY_ASSURANCE


def test_sending_needs_post(client_as, bartim, officer_bartim):
    document = build.draft(bartim, officer_bartim)
    assert client_as("officer_bartim").get(reverse("document_submit", args=[document.pk])).status_code == 405


def test_province_may_not_send_the_regencys_draft(client_as, bartim, officer_bartim):
    document = build.draft(bartim, officer_bartim)
    assert client_as("pokja_kalteng").post(reverse("document_submit", args=[document.pk])).status_code == 403


def test_a_draft_without_file_is_not_sent(client_as, bartim, officer_bartim):
    document = build.draft(bartim, officer_bartim, file=False)
    client_as("officer_bartim").post(reverse("document_submit", args=[document.pk]))
    document.refresh_from_db()
    assert document.status == Status.DRAFT


def test_province_accepts_a_document(client_as, bartim, officer_bartim):
    document = build.in_qa(bartim, officer_bartim)
    response = client_as("pokja_kalteng").post(reverse("document_review", args=[document.pk]), review_data())
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.FINAL
    assert QualityReview.objects.get().items.filter(adequate=True).count() == len(CHAPTERS)


def test_province_asks_for_a_revision(client_as, bartim, officer_bartim):
    document = build.in_qa(bartim, officer_bartim)
    data = review_data("revise", gaps={"swot": "Analisis SWOT belum memuat aspek pendanaan."})
    client_as("pokja_kalteng").post(reverse("document_review", args=[document.pk]), data)
    document.refresh_from_db()
    assert document.status == Status.DRAFT
    assert QualityReviewItem.objects.get(adequate=False).finding == "Analisis SWOT belum memuat aspek pendanaan."


def test_an_inadequate_chapter_without_a_finding_is_rejected(client_as, bartim, officer_bartim):
    document = build.in_qa(bartim, officer_bartim)
    data = review_data("revise", gaps={"strategy": "   "})
    response = client_as("pokja_kalteng").post(reverse("document_review", args=[document.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].has_error("finding_strategy")
    assert not QualityReview.objects.exists()
    document.refresh_from_db()
    assert document.status == Status.QUALITY_ASSURANCE


def test_a_chapter_left_unjudged_is_rejected(client_as, bartim, officer_bartim):
    document = build.in_qa(bartim, officer_bartim)
    data = review_data()
    del data["adequate_logframe"]
    response = client_as("pokja_kalteng").post(reverse("document_review", args=[document.pk]), data)
    assert response.context["form"].has_error("adequate_logframe")
    assert not QualityReview.objects.exists()


def test_accepting_with_an_inadequate_chapter_is_rejected(client_as, bartim, officer_bartim):
    document = build.in_qa(bartim, officer_bartim)
    data = review_data("accepted", gaps={"strategy": "Strategi belum terukur."})
    response = client_as("pokja_kalteng").post(reverse("document_review", args=[document.pk]), data)
    assert response.context["form"].has_error("outcome")
    assert not QualityReview.objects.exists()


def test_the_review_form_of_a_draft_sends_the_reviewer_back(client_as, bartim, officer_bartim):
    document = build.draft(bartim, officer_bartim)
    response = client_as("pokja_kalteng").get(reverse("document_review", args=[document.pk]))
    assert response.status_code == 302 and response.url == reverse("document", args=[document.pk])


def test_pokja_of_another_province_gets_404_on_the_review(client_as, bartim, officer_bartim):
    document = build.in_qa(bartim, officer_bartim)
    response = client_as("pokja_kalsel").post(reverse("document_review", args=[document.pk]), review_data())
    assert response.status_code == 404
    assert not QualityReview.objects.exists()


def test_officer_records_the_enactment(client_as, bartim, officer_bartim, pokja_kalteng):
    document = build.final(bartim, officer_bartim, pokja_kalteng)
    data = {"instrument": "perbup", "instrument_number": "DEMO/Perbup/12/2022", "instrument_date": "2022-08-15"}
    client_as("officer_bartim").post(reverse("document_enact", args=[document.pk]), data)
    document.refresh_from_db()
    assert document.status == Status.ENACTED
    assert str(document.instrument_date) == "2022-08-15"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"instrument": "sk", "instrument_number": "", "instrument_date": "2022-08-15"}, "instrument_number"),
        ({"instrument": "sk", "instrument_number": "   ", "instrument_date": "2022-08-15"}, "instrument_number"),
        ({"instrument": "sk", "instrument_number": "12", "instrument_date": ""}, "instrument_date"),
        ({"instrument": "", "instrument_number": "12", "instrument_date": "2022-08-15"}, "instrument"),
        ({"instrument": "sk", "instrument_number": "12", "instrument_date": "2999-01-01"}, "instrument_date"),
    ],
    ids=["no-number", "blank-number", "no-date", "no-instrument", "future-date"],
)
def test_enacting_without_number_or_date_is_rejected(client_as, bartim, officer_bartim, pokja_kalteng, data, field):
    document = build.final(bartim, officer_bartim, pokja_kalteng)
    response = client_as("pokja_kalteng").post(reverse("document_enact", args=[document.pk]), data)
    assert response.context["form"].has_error(field)
    document.refresh_from_db()
    assert document.status == Status.FINAL


@pytest.mark.parametrize("number", ["", "   "], ids=["no-number", "blank-number"])
def test_a_missing_instrument_number_says_what_to_give(number):
    form = EnactForm({"instrument": "sk", "instrument_number": number, "instrument_date": "2022-08-15"})
    assert form.errors["instrument_number"] == [gettext("Give the instrument's number.")]


def test_the_revision_findings_show_only_the_inadequate_chapters(client_as, bartim, officer_bartim, pokja_kalteng):
    document = build.in_qa(bartim, officer_bartim)
    build.reviewed(document, pokja_kalteng, QualityReview.Outcome.REVISE)
    client = client_as("officer_bartim")
    for url in (reverse("document", args=[document.pk]), reverse("document_edit", args=[document.pk])):
        html = client.get(url).content.decode()
        box = html[html.index('data-testid="inadequate-findings"') :].split("</ul>")[0]
        assert "Indikasi pendanaan belum lengkap." in box
        assert box.count("<li>") == 1  # the programmes chapter; the five adequate ones are not findings


def test_the_whole_path_through_the_pages(client_as, bartim, officer_bartim, pokja_kalteng, client):
    client.force_login(officer_bartim)
    client.submit(reverse("document_create", args=["62.13"]), document_data())
    document = SSKDocument.objects.get()
    client.post(reverse("document_submit", args=[document.pk]))

    client.force_login(pokja_kalteng)
    finding = "Program air limbah belum memuat indikasi pendanaan DAK."
    client.post(reverse("document_review", args=[document.pk]), review_data("revise", gaps={"programmes": finding}))

    client.force_login(officer_bartim)
    assert finding in client.get(reverse("document", args=[document.pk])).content.decode()
    assert finding in client.get(reverse("document_edit", args=[document.pk])).content.decode()
    revised = document_data(file=pdf("SSK Bartim revisi.pdf", b"%PDF-1.4 revisi"))
    client.submit(reverse("document_edit", args=[document.pk]), revised)
    client.post(reverse("document_submit", args=[document.pk]))

    client.force_login(pokja_kalteng)
    client.post(reverse("document_review", args=[document.pk]), review_data("accepted", summary="Siap ditetapkan."))
    data = {"instrument": "perbup", "instrument_number": "DEMO/Perbup/12/2022", "instrument_date": "2022-08-15"}
    client.post(reverse("document_enact", args=[document.pk]), data)

    document.refresh_from_db()
    assert document.status == Status.ENACTED
    assert document.file_name == "SSK Bartim revisi.pdf"
    html = client.get(reverse("document", args=[document.pk])).content.decode()
    assert html.index("Siap ditetapkan.") < html.index(finding)  # reviews newest first, the old finding kept
    assert "DEMO/Perbup/12/2022" in html


# --- Download -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), expected(READERS, []))
def test_download_access(client_as, bartim, officer_bartim, persona, status):
    document = build.draft(bartim, officer_bartim)
    response = client_as(persona).get(reverse("document_download", args=[document.pk]))
    assert response.status_code == status


def test_download_is_an_attachment_with_a_safe_name(client_as, bartim, officer_bartim):
    document = build.draft(bartim, officer_bartim)
    SSKDocument.objects.filter(pk=document.pk).update(file_name='../SSK "Barito" Timur.exe')
    response = client_as("pokja_kalteng").get(reverse("document_download", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="SSK _Barito_ Timur.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_document_without_file_has_nothing_to_download(client_as, bartim, officer_bartim):
    document = build.draft(bartim, officer_bartim, file=False)
    assert client_as("officer_bartim").get(reverse("document_download", args=[document.pk])).status_code == 404
