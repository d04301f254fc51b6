"""manage.py remove_orphan_files: lists stored files no row refers to (a dry run unless --delete), leaves
young files alone, and reports rows whose file is missing without touching them."""

import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from milestones import evidence
from milestones.models import Blob
from milestones.tests import builders


@pytest.fixture(autouse=True)
def own_media_root(settings, tmp_path):
    # The test session's media folder holds files of other tests' rolled-back rows: orphans too.
    settings.MEDIA_ROOT = str(tmp_path)


def orphan(storage, name, age_minutes=120):
    name = storage.save(name, ContentFile(b"left behind by a killed process"))
    then = time.time() - age_minutes * 60
    os.utime(storage.path(name), (then, then))
    return name


def run(*args):
    out = io.StringIO()
    call_command("remove_orphan_files", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_lists_orphans_and_missing_files_and_changes_nothing(db, tmp_path):
    kept = evidence.store(builders.pdf("tetap.pdf", builders.PDF_BYTES + b"% tetap\n"), evidence.PDF)
    storage = kept.file.storage
    assert storage.path(kept.file.name).startswith(str(tmp_path))
    old = orphan(storage, "blobs/zz/orphan-old")
    young = orphan(storage, "blobs/zz/orphan-young", age_minutes=5)
    gone = evidence.store(builders.pdf("hilang.pdf", builders.PDF_BYTES + b"% hilang\n"), evidence.PDF)
    storage.delete(gone.file.name)
    output = run()
    assert f"orphan file: {old}" in output
    assert young not in output and kept.file.name not in output
    assert f"missing file: milestones.Blob {gone.pk}: file {gone.file.name}" in output
    assert "run with --delete" in output
    assert storage.exists(old) and storage.exists(young) and Blob.objects.filter(pk=gone.pk).exists()


def test_delete_removes_only_old_orphans(db):
    kept = evidence.store(builders.pdf("tetap.pdf", builders.PDF_BYTES + b"% tetap 2\n"), evidence.PDF)
    storage = kept.file.storage
    old = orphan(storage, "blobs/zz/orphan-old-2")
    young = orphan(storage, "blobs/zz/orphan-young-2", age_minutes=5)
    output = run("--delete")
    assert f"orphan file: {old}" in output and "deleted" in output
    assert not storage.exists(old)
    assert storage.exists(young) and storage.exists(kept.file.name)
    assert run("--delete", "--older-than", "0").count(young) == 1
    assert not storage.exists(young)
