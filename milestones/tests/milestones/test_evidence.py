from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from milestones import evidence
from milestones.models import Blob, Evidence
from milestones.tests import builders
from milestones.tests.shared_rows import rolled_back
from regencies.models import Regency


@pytest.fixture(scope="class")
def bartim_evidence_for_the_class(module_db, django_db_blocker) -> Iterator[int]:
    """Barito Timur's M4, submitted with a PDF under an unsafe name; the evidence's pk."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            update = builders.submitted(
                builders.milestone(Regency.objects.get(code="62.13"), 4),
                get_user_model().objects.get(username="officer_bartim"),
                files=[builders.pdf("Laporan LLTT <Bartim>/../2023.pdf")],
            )
            pk = update.evidence.get().pk
        yield pk


@pytest.fixture
def bartim_evidence(bartim_evidence_for_the_class, db) -> Evidence:
    return Evidence.objects.get(pk=bartim_evidence_for_the_class)


class TestBartimsEvidence:
    """Barito Timur's submitted M4 with one PDF, built once for the class."""

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
    def test_evidence_download_checks_scope(self, client_as, bartim_evidence, persona, status):
        response = client_as(persona).get(reverse("evidence_download", args=[bartim_evidence.pk]))
        assert response.status_code == status

    def test_evidence_is_an_attachment_with_a_safe_name(self, client_as, bartim_evidence):
        response = client_as("officer_bartim").get(reverse("evidence_download", args=[bartim_evidence.pk]))
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="2023.pdf"'
        assert b"".join(response.streaming_content) == builders.PDF_BYTES

    def test_signed_out_visitors_cannot_download(self, client, bartim_evidence):
        assert client.get(reverse("evidence_download", args=[bartim_evidence.pk])).status_code == 302

    def test_evidence_is_stored_under_a_random_name_and_served_only_by_the_view(self, client_as, bartim_evidence):
        name = bartim_evidence.blob.file.name
        assert name.startswith("blobs/") and "Laporan" not in name and not name.endswith(".pdf")
        client = client_as("officer_bartim")
        for url in (f"/media/{name}", f"/static/{name}", f"/{name}"):
            assert client.get(url).status_code == 404

    def test_evidence_of_a_submitted_update_cannot_be_removed(self, client_as, bartim_evidence):
        client_as("officer_bartim").post(reverse("evidence_remove", args=[bartim_evidence.pk]))
        assert Evidence.objects.filter(pk=bartim_evidence.pk).exists()


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
        ("Pemutakhiran SSK – Kab. Barito Timur.docx", "docx", "Pemutakhiran SSK - Kab. Barito Timur.docx"),
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
