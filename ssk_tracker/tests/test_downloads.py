"""Downloads: safe Content-Disposition names, a file gone from disk (404 page, logged), a full disk on save."""

import errno
import logging
import os
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from milestones import evidence
from milestones.models import ActionEvidence, Blob, CoachingClinic, Evidence, SSKDocument
from milestones.services import ActionRefused
from milestones.tests import builders
from milestones.tests import clinic_builders as clinic_build
from milestones.tests import document_builders as document_build
from reports.tests.builders import done_report
from ssk_tracker.lib.downloads import ascii_filename, content_disposition, safe_filename

# --- the one Content-Disposition helper ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("Laporan Akhir.pdf", 'attachment; filename="Laporan Akhir.pdf"'),
        ('SSK "Barito" Timur.pdf', 'attachment; filename="SSK _Barito_ Timur.pdf"'),
        ("a.pdf\r\nSet-Cookie: x=1", 'attachment; filename="a.pdf Set-Cookie_ x_1"'),
        ("../../etc/passwd", 'attachment; filename="passwd"'),
        ("..\\..\\boot.ini", 'attachment; filename="boot.ini"'),
        ("a;b=c.pdf", 'attachment; filename="a_b_c.pdf"'),
        ("", 'attachment; filename="berkas"'),
        ("\x00\x01", 'attachment; filename="berkas"'),
        (
            "Kota Palangka Raya – Señor.pdf",
            'attachment; filename="Kota Palangka Raya - Senor.pdf"; '
            "filename*=UTF-8''Kota%20Palangka%20Raya%20-%20Se%C3%B1or.pdf",
        ),
        (
            "بيانات.xlsx",
            "attachment; filename=\"berkas.xlsx\"; filename*=UTF-8''%D8%A8%D9%8A%D8%A7%D9%86%D8%A7%D8%AA.xlsx",
        ),
        ("100%.csv", 'attachment; filename="100_.csv"'),
    ],
)
def test_content_disposition_carries_only_safe_characters(name, header):
    assert content_disposition(name) == header


@pytest.mark.parametrize("name", ['x"y', "x\ry", "x\ny", "x\\y", "x/y", "x;y", "x\x7fy", "x\u202ey", "x\u2028y"])
def test_no_header_syntax_survives(name):
    for safe in (safe_filename(name), ascii_filename(name)):
        assert not set(safe) & set('"\r\n\\/;\x7f\u202e\u2028')


def test_a_long_name_keeps_its_extension():
    name = safe_filename("x" * 500 + ".docx")
    assert len(name) == 120 and name.endswith(".docx")


def test_exports_go_through_the_helper(client_as, kalteng):
    response = client_as("national").get(reverse("report_export", args=["milestones", "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ssk-milestones-cakupan-')


# --- a stored file missing from disk ------------------------------------------------------------------


def _gone() -> Blob:
    return Blob.objects.create(
        sha256="0" * 64, size=10, content_type="application/pdf", extension="pdf", file="evidence/gone"
    )


def _assert_missing_page(response, caplog):
    assert response.status_code == 404
    page = response.content.decode()
    assert "Berkasnya tidak ditemukan" in page
    assert "administrator" in page
    assert "/tmp" not in page and "evidence/" not in page
    assert any("Stored file missing" in record.getMessage() for record in caplog.records)


def test_missing_milestone_evidence(client_as, bartim, officer_bartim, caplog):
    update = builders.submitted(builders.milestone(bartim, 4), officer_bartim, files=[builders.pdf("Bukti.pdf")])
    Evidence.objects.filter(update=update).update(blob=_gone())
    item = update.evidence.get()
    with caplog.at_level(logging.ERROR):
        _assert_missing_page(client_as("pokja_kalteng").get(reverse("evidence_download", args=[item.pk])), caplog)


def test_missing_ssk_document(client_as, bartim, officer_bartim, caplog):
    document = document_build.draft(bartim, officer_bartim)
    SSKDocument.objects.filter(pk=document.pk).update(file=_gone())
    with caplog.at_level(logging.ERROR):
        _assert_missing_page(client_as("pokja_kalteng").get(reverse("document_download", args=[document.pk])), caplog)


def test_missing_clinic_minutes(client_as, kalteng, bartim, pokja_kalteng, caplog):
    clinic = clinic_build.clinic(kalteng, pokja_kalteng, regencies=[bartim])
    CoachingClinic.objects.filter(pk=clinic.pk).update(minutes=_gone(), minutes_name="BA CC6.pdf")
    with caplog.at_level(logging.ERROR):
        _assert_missing_page(client_as("pokja_kalteng").get(reverse("clinic_minutes", args=[clinic.pk])), caplog)


def test_missing_follow_up_evidence(client_as, kalteng, bartim, pokja_kalteng, officer_bartim, caplog):
    clinic = clinic_build.clinic(kalteng, pokja_kalteng, regencies=[bartim])
    action = clinic_build.action(clinic, pokja_kalteng, owner=bartim)
    clinic_build.closed(action, officer_bartim, files=[builders.pdf("Bukti APBD.pdf")])
    ActionEvidence.objects.update(blob=_gone())
    item = ActionEvidence.objects.get()
    with caplog.at_level(logging.ERROR):
        _assert_missing_page(client_as("pokja_kalteng").get(reverse("follow_up_evidence", args=[item.pk])), caplog)


def test_missing_report_file(client_as, kalteng, caplog):
    job = done_report(audience="provincial", province=kalteng)
    job.file.storage.delete(job.file.name)
    with caplog.at_level(logging.ERROR):
        _assert_missing_page(client_as("national").get(reverse("report_download", args=[job.pk])), caplog)


# --- a full disk when storing ---------------------------------------------------------------------------


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_refuses_the_upload_and_saves_nothing(bartim, officer_bartim):
    milestone = builders.milestone(bartim, 4)
    with mock.patch.object(FileSystemStorage, "_save", _disk_full), pytest.raises(ActionRefused) as refused:
        builders.draft(milestone, officer_bartim, files=[builders.pdf("Bukti.pdf")])
    assert "penyimpanan" in refused.value.message and "Bukti.pdf" in refused.value.message
    assert not milestone.updates.exists()
    assert not Blob.objects.exists() and not Evidence.objects.exists()


def test_a_partly_written_file_is_removed(db):
    written = []

    def write_then_fail(storage, name, content):
        written.append(storage.path(name))
        with open(written[-1], "wb") as half:
            half.write(b"%PDF-")
        raise OSError(errno.ENOSPC, "No space left on device")

    with mock.patch.object(FileSystemStorage, "_save", write_then_fail), pytest.raises(ActionRefused):
        evidence.store(builders.pdf("Bukti.pdf"), evidence.PDF)
    assert written and not os.path.exists(written[0])
    assert not Blob.objects.exists()


def test_a_full_disk_on_a_document_upload_is_a_message_on_the_form(client_as, bartim):
    data = {"period_start": 2022, "period_end": 2026, "kind": "new", "file": builders.pdf("SSK.pdf")}
    with mock.patch.object(FileSystemStorage, "_save", _disk_full):
        response = client_as("officer_bartim").submit(reverse("document_create", args=[bartim.code]), data)
    assert response.status_code == 200
    assert "penyimpanan" in response.content.decode()
    assert not SSKDocument.objects.filter(regency=bartim).exists()
