"""A refused or failed write leaves no file behind: ``evidence.files_kept_on_commit`` deletes what
``evidence.store`` wrote when its transaction rolls back, and keeps what a committed one wrote."""

from unittest import mock

import pytest
from django.db import transaction

from milestones import evidence
from milestones.models import Blob, Evidence
from milestones.services import ActionRefused
from milestones.services import documents as document_services
from milestones.tests import builders
from milestones.tests import document_builders as build
from milestones.tests.security.conftest import stored_files


def test_a_refused_document_edit_removes_the_file_it_stored(bartim, officer_bartim):
    document = build.in_qa(bartim, officer_bartim)
    blobs, before = Blob.objects.count(), stored_files()
    upload = builders.pdf("SSK baru.pdf", builders.PDF_BYTES + b"% revisi\n")
    with pytest.raises(ActionRefused):
        document_services.save_document(
            regency=bartim,
            actor=officer_bartim,
            period_start=2022,
            period_end=2026,
            kind="new",
            upload=upload,
            file_kind=evidence.PDF,
            document=document,
        )
    assert (Blob.objects.count(), stored_files()) == (blobs, before)


def test_a_duplicate_document_removes_the_file_it_stored(bartim, officer_bartim):
    build.draft(bartim, officer_bartim)
    blobs, before = Blob.objects.count(), stored_files()
    upload = builders.pdf("SSK kedua.pdf", builders.PDF_BYTES + b"% kedua\n")
    with pytest.raises(ActionRefused):  # the same period start: the unique constraint refuses it
        build.draft(bartim, officer_bartim) if False else document_services.save_document(
            regency=bartim,
            actor=officer_bartim,
            period_start=2022,
            period_end=2026,
            kind="new",
            upload=upload,
            file_kind=evidence.PDF,
        )
    assert (Blob.objects.count(), stored_files()) == (blobs, before)


def test_a_failure_after_storing_evidence_removes_every_file_of_the_update(bartim, officer_bartim, stores_nothing):
    files = [builders.pdf(f"bukti-{n}.pdf", builders.PDF_BYTES + b"%" + bytes([65 + n])) for n in range(3)]
    real_create = Evidence.objects.create
    calls = []

    def fail_third(**fields):
        calls.append(fields)
        if len(calls) == 3:
            raise OSError("disk full")
        return real_create(**fields)

    with mock.patch.object(Evidence.objects, "create", side_effect=fail_third), pytest.raises(OSError):
        builders.draft(builders.milestone(bartim, 4), officer_bartim, files=files)
    assert len(calls) == 3


def test_a_committed_write_keeps_its_file(bartim, officer_bartim):
    before = stored_files()
    update = builders.draft(builders.milestone(bartim, 4), officer_bartim, files=[builders.pdf("tetap.pdf")])
    assert update.evidence.get().blob.file.storage.exists(update.evidence.get().blob.file.name)
    assert len(stored_files() - before) <= 1  # one file, or none when these bytes were stored already


def test_a_file_stored_before_is_not_deleted_by_a_rollback_that_reused_it(bartim, officer_bartim):
    content = builders.PDF_BYTES + b"% dipakai lagi\n"
    first = evidence.store(builders.pdf("a.pdf", content), evidence.PDF)
    with pytest.raises(RuntimeError), evidence.files_kept_on_commit():
        assert evidence.store(builders.pdf("b.pdf", content), evidence.PDF) == first
        raise RuntimeError
    assert first.file.storage.exists(first.file.name)


def test_an_inner_block_s_files_go_when_the_outer_block_rolls_back(db, stores_nothing):
    with pytest.raises(RuntimeError), evidence.files_kept_on_commit():
        with evidence.files_kept_on_commit():
            evidence.store(builders.pdf("dalam.pdf", builders.PDF_BYTES + b"% dalam\n"), evidence.PDF)
        raise RuntimeError


def test_outside_a_tracking_block_a_stored_file_stays(db):
    # Nothing is tracked outside files_kept_on_commit: the orphan command is the safety net there.
    with transaction.atomic():
        blob = evidence.store(builders.pdf("luar.pdf", builders.PDF_BYTES + b"% luar\n"), evidence.PDF)
    assert blob.file.storage.exists(blob.file.name)
