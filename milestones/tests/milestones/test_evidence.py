import pytest
from django.urls import reverse

from milestones import evidence
from milestones.models import Blob, Evidence
from milestones.tests import builders


@pytest.fixture
def bartim_evidence(bartim, officer_bartim):
    update = builders.submitted(
        builders.milestone(bartim, 4), officer_bartim, files=[builders.pdf("Laporan LLTT <Bartim>/../2023.pdf")]
    )
    return update.evidence.get()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_bartim", 200),
        ("pokja_kalteng", 200),
        ("national", 200),
        ("balai_kalteng", 200),
        ("coordinator_kalteng", 200),
        ("administrator", 200),
        ("officer_mura", 404),
        ("pokja_kalsel", 404),
        ("nobody", 404),
    ],
)
def test_evidence_download_checks_scope(client_as, bartim_evidence, persona, status):
    response = client_as(persona).get(reverse("evidence_download", args=[bartim_evidence.pk]))
    assert response.status_code == status


def test_evidence_is_an_attachment_with_a_safe_name(client_as, bartim_evidence):
    response = client_as("officer_bartim").get(reverse("evidence_download", args=[bartim_evidence.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="2023.pdf"'
    assert b"".join(response.streaming_content) == builders.PDF_BYTES


def test_signed_out_visitors_cannot_download(client, bartim_evidence):
    assert client.get(reverse("evidence_download", args=[bartim_evidence.pk])).status_code == 302


def test_evidence_is_stored_under_a_random_name_and_served_only_by_the_view(client_as, bartim_evidence):
    name = bartim_evidence.blob.file.name
    assert name.startswith("blobs/") and "Laporan" not in name and not name.endswith(".pdf")
    client = client_as("officer_bartim")
    for url in (f"/media/{name}", f"/static/{name}", f"/{name}"):
        assert client.get(url).status_code == 404


def test_the_same_file_uploaded_twice_is_stored_once(bartim, mura, officer_bartim, officer_mura):
    builders.draft(builders.milestone(bartim, 4), officer_bartim, files=[builders.pdf("a.pdf")])
    builders.draft(builders.milestone(mura, 4), officer_mura, files=[builders.pdf("b.pdf")])
    assert Evidence.objects.count() == 2
    assert Blob.objects.count() == 1
    blob = Blob.objects.get()
    import hashlib

    assert blob.sha256 == hashlib.sha256(builders.PDF_BYTES).hexdigest()


def test_the_name_does_not_decide_the_type(db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert evidence.identify(SimpleUploadedFile("scan.jpg", builders.PDF_BYTES)).extension == "pdf"


@pytest.mark.parametrize(
    ("original", "extension", "expected"),
    [
        ("Laporan Akhir.pdf", "pdf", "Laporan Akhir.pdf"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ('bad"name;.exe', "png", "bad_name.png"),
        ("Pemutakhiran SSK – Kab. Barito Timur.docx", "docx", "Pemutakhiran SSK Kab. Barito Timur.docx"),
        ("...", "pdf", "berkas.pdf"),
    ],
)
def test_safe_download_name(original, extension, expected):
    assert evidence.safe_download_name(original, extension) == expected


def test_the_officer_removes_evidence_from_a_draft(client_as, bartim, officer_bartim):
    update = builders.draft(builders.milestone(bartim, 4), officer_bartim, files=[builders.pdf()])
    item = update.evidence.get()
    assert client_as("officer_mura").post(reverse("evidence_remove", args=[item.pk])).status_code == 404
    assert client_as("pokja_kalteng").post(reverse("evidence_remove", args=[item.pk])).status_code == 403
    client_as("officer_bartim").post(reverse("evidence_remove", args=[item.pk]))
    assert not update.evidence.exists()


def test_evidence_of_a_submitted_update_cannot_be_removed(client_as, bartim_evidence):
    client_as("officer_bartim").post(reverse("evidence_remove", args=[bartim_evidence.pk]))
    assert Evidence.objects.filter(pk=bartim_evidence.pk).exists()
