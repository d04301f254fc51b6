"""The upload attacks on milestone evidence (the other forms share evidence.identify and the limits):
each is answered with a message on the form and stores nothing, or, when the bytes really are an
accepted kind, is served so that it cannot run."""

import zipfile
from unittest import mock

import pytest
from django.urls import reverse

from milestones import evidence
from milestones.models import MilestoneUpdate
from milestones.tests import builders
from milestones.tests.security import hostile_files as hostile


def post_evidence(client, milestone, *files):
    data = {"progress": "70", "narrative": "LLTT berjalan.", "files": list(files), "save": ""}
    return client.submit(reverse("update_create", args=[milestone.pk]), data)  # with the form's one-time token


def refused(client_as, bartim, *files):
    milestone = builders.milestone(bartim, 4)
    response = post_evidence(client_as("officer_bartim"), milestone, *files)
    assert response.status_code == 200
    assert not MilestoneUpdate.objects.filter(milestone=milestone).exists()
    return " ".join(response.context["form"].errors["files"])


@pytest.mark.parametrize(
    "upload",
    [
        hostile.named("laporan.pdf", hostile.ELF),
        hostile.named("laporan.pdf", hostile.PE),
        hostile.named("laporan.pdf", hostile.HTML_THEN_PDF),
        hostile.named("peta.svg", hostile.SVG),
        hostile.named("peta.pdf", hostile.SVG),
    ],
    ids=["elf-named-pdf", "pe-named-pdf", "html-pdf-polyglot", "svg-with-script", "svg-named-pdf"],
)
def test_a_file_that_is_not_an_accepted_kind_is_refused_by_its_content(client_as, bartim, stores_nothing, upload):
    message = refused(client_as, bartim, upload)
    assert upload.name in message and "PDF, JPEG, PNG, DOCX, XLSX" in message


def test_an_oversize_file_is_refused_naming_the_limit(client_as, bartim, stores_nothing, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    message = refused(client_as, bartim, builders.pdf("besar.pdf", builders.PDF_BYTES + b"0" * 2000))
    assert "besar.pdf" in message and "1,0\xa0KB" in message


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_zip_bomb_is_refused_without_inflating_it(client_as, bartim, stores_nothing, kind):
    bomb = hostile.zip_bomb(kind)
    assert bomb.size < 1024 * 1024  # 120 MB inside
    with mock.patch.object(zipfile.ZipExtFile, "read", side_effect=AssertionError("inflated")):
        message = refused(client_as, bartim, bomb)
    assert f"laporan.{kind}" in message and "100,0\xa0MB" in message


def test_a_part_compressed_beyond_the_ratio_is_refused(client_as, bartim, stores_nothing):
    message = refused(client_as, bartim, hostile.zip_bomb("docx", size=20 * hostile.MB))
    assert "100" in message and "bom ZIP" in message


def test_a_pdf_html_polyglot_is_served_as_a_pdf_download_that_cannot_run(client_as, bartim):
    # It begins like a PDF, so it is one; served as an attachment, typed, never sniffed, it stays inert.
    milestone = builders.milestone(bartim, 4)
    client = client_as("officer_bartim")
    assert post_evidence(client, milestone, hostile.named("laporan.html", hostile.PDF_THEN_HTML)).status_code == 302
    item = MilestoneUpdate.objects.get(milestone=milestone).evidence.get()
    response = client.get(reverse("evidence_download", args=[item.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="laporan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


MULTIPART = "multipart/form-data; boundary=BOUNDARY"


def raw_multipart(disposition: str, content: bytes, marks: dict[str, str]) -> bytes:
    """A multipart body with the file part's header exactly as given; ``marks``: the form's hidden token."""
    values = [(b"progress", b"70"), (b"narrative", b"LLTT"), (b"save", b"")]
    values += [(name.encode(), value.encode()) for name, value in marks.items()]
    fields = b"".join(
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (name, value)
        for name, value in values
    )
    file_part = b'--BOUNDARY\r\nContent-Disposition: form-data; name="files"; %s\r\n' % disposition.encode()
    return fields + file_part + b"Content-Type: application/pdf\r\n\r\n" + content + b"\r\n--BOUNDARY--\r\n"


@pytest.mark.parametrize(
    ("disposition", "kept"),
    [
        ('filename="../../etc/passwd.pdf"', "passwd.pdf"),
        ('filename="..\\\\..\\\\windows\\\\win.ini.pdf"', "win.ini.pdf"),
        ("filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1%0D%0Ab.pdf", "aSet-Cookie: x=1b.pdf"),
    ],
    ids=["path-traversal", "windows-path", "crlf"],
)
def test_a_hostile_file_name_is_stored_safely_and_named_safely(client_as, bartim, disposition, kept):
    milestone = builders.milestone(bartim, 4)
    client = client_as("officer_bartim")
    url = reverse("update_create", args=[milestone.pk])
    assert (
        client.post(
            url, raw_multipart(disposition, builders.PDF_BYTES, client.marks(url)), content_type=MULTIPART
        ).status_code
        == 302
    )
    item = MilestoneUpdate.objects.get(milestone=milestone).evidence.get()
    assert item.original_name == kept
    assert item.blob.file.name.startswith("blobs/") and ".." not in item.blob.file.name
    header = client.get(reverse("evidence_download", args=[item.pk]))["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and "/" not in header and ".." not in header
    assert header.startswith('attachment; filename="') and header.endswith('.pdf"')


def test_a_crlf_name_handed_to_the_service_is_cleaned(bartim, officer_bartim):
    upload = builders.pdf("a\r\nb\x00c.pdf")
    update = builders.draft(builders.milestone(bartim, 4), officer_bartim, files=[upload])
    assert update.evidence.get().original_name == "abc.pdf"
    assert evidence.safe_download_name("a\r\nb.pdf", "pdf") == "a b.pdf"  # downloads.safe_filename's rule
