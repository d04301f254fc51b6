import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from milestones.models import Evidence, MilestoneUpdate
from milestones.tests import builders


def form_data(**overrides):
    return {
        "progress": "70",
        "narrative": "LLTT berjalan di 10 kecamatan.",
        "obstacles": "Truk tinja kurang.",
        "next_steps": "Tambah armada.",
        **overrides,
    }


def office_file(name, part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<x/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def test_the_officer_drafts_with_a_pdf(client_as, bartim):
    milestone = builders.milestone(bartim, 4)
    client = client_as("officer_bartim")
    response = client.submit(
        reverse("update_create", args=[milestone.pk]),
        {**form_data(), "files": [builders.pdf("Laporan LLTT.pdf")], "save": ""},
    )
    assert response.status_code == 302
    update = MilestoneUpdate.objects.get(milestone=milestone)
    assert (update.status, update.progress) == ("draft", 70)
    assert update.evidence.get().original_name == "Laporan LLTT.pdf"


def test_save_and_submit_in_one_step(client_as, bartim, mailoutbox):
    milestone = builders.milestone(bartim, 4)
    client_as("officer_bartim").submit(reverse("update_create", args=[milestone.pk]), {**form_data(), "submit": ""})
    assert MilestoneUpdate.objects.get(milestone=milestone).status == "submitted"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00 this is a program"), "bukan jenis berkas yang diterima"),
        (SimpleUploadedFile("kosong.pdf", b""), "kosong"),
        (SimpleUploadedFile("arsip.zip", b"PK\x03\x04not really a zip"), "bukan jenis berkas yang diterima"),
        (office_file("presentasi.docx", "ppt/presentation.xml"), "bukan jenis berkas yang diterima"),
        (SimpleUploadedFile("foto.gif", b"GIF89a\x01\x00\x01\x00"), "bukan jenis berkas yang diterima"),
        (SimpleUploadedFile("lama.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "bukan jenis berkas yang diterima"),
    ],
    ids=["exe-named-pdf", "empty", "broken-zip", "pptx-named-docx", "gif", "legacy-doc"],
)
def test_a_rejected_file_is_named_and_the_rest_of_the_form_is_kept(client_as, bartim, upload, message):
    milestone = builders.milestone(bartim, 4)
    response = client_as("officer_bartim").submit(
        reverse("update_create", args=[milestone.pk]), {**form_data(), "files": [builders.pdf(), upload]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert upload.name in html and message in html
    assert "LLTT berjalan di 10 kecamatan." in html  # the narrative is still in the form
    assert "pilih berkasnya lagi" in html
    assert not MilestoneUpdate.objects.exists() and not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused(client_as, bartim, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    milestone = builders.milestone(bartim, 4)
    big = builders.pdf("besar.pdf", builders.PDF_BYTES + b"0" * 200)
    html = (
        client_as("officer_bartim")
        .submit(reverse("update_create", args=[milestone.pk]), {**form_data(), "files": [big]})
        .content.decode()
    )
    assert "besar.pdf" in html and "100" in html
    assert not MilestoneUpdate.objects.exists()


def test_docx_xlsx_png_jpeg_are_accepted(client_as, bartim):
    milestone = builders.milestone(bartim, 4)
    files = [
        office_file("notulen.docx", "word/document.xml"),
        office_file("anggaran.xlsx", "xl/workbook.xml"),
        SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
    ]
    client_as("officer_bartim").submit(reverse("update_create", args=[milestone.pk]), {**form_data(), "files": files})
    kinds = sorted(Evidence.objects.values_list("blob__extension", flat=True))
    assert kinds == ["docx", "jpg", "png", "xlsx"]


def test_progress_must_be_0_to_100(client_as, bartim):
    milestone = builders.milestone(bartim, 4)
    response = client_as("officer_bartim").submit(
        reverse("update_create", args=[milestone.pk]), form_data(progress="120")
    )
    assert response.status_code == 200
    assert "100" in response.content.decode()
    assert not MilestoneUpdate.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_mura", 404),
        ("pokja_kalsel", 404),
        ("pokja_kalteng", 403),
        ("national", 403),
        ("balai_kalteng", 403),
        ("coordinator_kalteng", 403),
        ("administrator", 403),
    ],
)
def test_only_the_regencys_officer_may_write(client_as, bartim, persona, status):
    milestone = builders.milestone(bartim, 4)
    client = client_as(persona)
    assert client.get(reverse("update_create", args=[milestone.pk])).status_code == status
    assert client.submit(reverse("update_create", args=[milestone.pk]), form_data()).status_code == status
    assert not MilestoneUpdate.objects.exists()


def test_the_officer_of_murung_raya_cannot_edit_barito_timurs_draft(client_as, bartim, officer_bartim):
    update = builders.draft(builders.milestone(bartim, 4), officer_bartim)
    client = client_as("officer_mura")
    assert client.submit(reverse("update_edit", args=[update.pk]), form_data(narrative="diubah")).status_code == 404
    assert client.post(reverse("update_submit", args=[update.pk])).status_code == 404
    update.refresh_from_db()
    assert update.narrative != "diubah" and update.status == "draft"


def test_a_returned_update_is_revised_and_resubmitted(client_as, bartim, officer_bartim, pokja_kalteng):
    milestone = builders.milestone(bartim, 4)
    update = builders.returned(milestone, officer_bartim, pokja_kalteng, reason="Lampirkan SK UPTD.")
    client = client_as("officer_bartim")
    page = client.get(reverse("update_edit", args=[update.pk])).content.decode()
    assert "Lampirkan SK UPTD." in page
    client.submit(
        reverse("update_edit", args=[update.pk]),
        {**form_data(narrative="SK UPTD terlampir."), "files": [builders.pdf("SK UPTD.pdf")], "submit": ""},
    )
    update.refresh_from_db()
    assert update.status == "submitted" and update.narrative == "SK UPTD terlampir."


def test_a_verified_milestone_offers_no_new_update(client_as, bartim, officer_bartim, pokja_kalteng):
    milestone = builders.milestone(bartim, 1)
    builders.approved(milestone, officer_bartim, pokja_kalteng, progress=100)
    response = client_as("officer_bartim").get(reverse("update_create", args=[milestone.pk]), follow=True)
    assert "terkunci" in response.content.decode()


def test_a_second_draft_goes_to_the_open_one(client_as, bartim, officer_bartim):
    update = builders.draft(builders.milestone(bartim, 4), officer_bartim)
    response = client_as("officer_bartim").get(reverse("update_create", args=[update.milestone_id]))
    assert response.url == reverse("update_edit", args=[update.pk])
