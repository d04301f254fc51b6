"""The documented backup and restore (scripts/backup.sh, scripts/restore.sh) give back the same rows and files.

Each engine in turn: a scratch database is migrated and given regions, a regency officer's update with an
evidence file; it is backed up, restored into a fresh database and media folder, and the restored one has
the same rows per table and the same files (the scripts check their manifest; the test checks again and
reads a row and a file back through Django). The engine is the suite's: PostgreSQL in CI, SQLite otherwise.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

SEED = """
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from milestones import evidence
from milestones.models import MilestoneDefinition
from milestones.services import milestones as services
from regencies.models import Regency, Role, UserRole
regency = Regency.objects.get(code="62.13")
officer = get_user_model().objects.create_user("petugas.backup", password="x")
UserRole.objects.create(user=officer, role=Role.REGENCY_OFFICER, regency=regency)
cohort = services.create_cohort(regency=regency, year_m1_m3=2024)
upload = SimpleUploadedFile("Surat komitmen.pdf", b"%PDF-1.4\\n1 0 obj<<>>endobj\\ntrailer<<>>\\n%%EOF\\n")
m1 = cohort.milestones.get(definition__number=1)
services.save_draft(milestone=m1, author=officer, progress=40, narrative="Komitmen ditandatangani.",
                    files=[(upload, evidence.identify(upload))])
"""

CHECK = """
from milestones.models import Evidence
item = Evidence.objects.select_related("blob", "update__milestone__regency").get()
print(item.update.milestone.regency.name, item.original_name, item.blob.file.open("rb").read()[:8])
"""


def _manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _script(env: dict[str, str], name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", f"scripts/{name}", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def _engines() -> list[str]:
    """The suite's own engine: PostgreSQL in CI, SQLite on a developer's machine."""
    if connection.vendor == "postgresql":
        return ["postgresql"] if shutil.which("pg_dump") else []
    return ["sqlite"]


def _database(engine: str, tmp_path: Path, name: str) -> str:
    if engine == "sqlite":
        return f"sqlite:///{tmp_path / (name + '.sqlite3')}"
    settings = connection.settings_dict
    user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")  # CI may set one
    base = f"postgres://{user}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    database = f"ssk_{name}_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", "--dbname", f"{base}/postgres", "-qc", f"CREATE DATABASE {database}"], check=True)
    return f"{base}/{database}"


def _drop(url: str) -> None:
    if url.startswith("postgres://"):
        base, database = url.rsplit("/", 1)
        subprocess.run(["psql", "--dbname", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {database}"])


def _environment() -> dict[str, str]:
    """This process's environment without the test settings and without object storage (local disk)."""
    dropped = {"DJANGO_SETTINGS_MODULE", "STORAGE_BACKEND", "S3_BUCKET", "AWS_STORAGE_BUCKET_NAME"}
    return {k: v for k, v in os.environ.items() if k not in dropped}


@pytest.mark.parametrize("engine", _engines())
def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_and_files(engine, tmp_path):
    env = _environment()
    source = {**env, "DATABASE_URL": _database(engine, tmp_path, "source"), "MEDIA_ROOT": str(tmp_path / "m1")}
    target = {**env, "DATABASE_URL": _database(engine, tmp_path, "restored"), "MEDIA_ROOT": str(tmp_path / "m2")}
    try:
        _manage(source, "migrate", "-v0")
        _manage(source, "load_regions", "-v0")
        _manage(source, "shell", "--no-imports", stdin=SEED)
        backup = tmp_path / "backup"
        made = _script(source, "backup.sh", str(backup))
        assert made.returncode == 0, made.stderr
        manifest = json.loads((backup / "manifest.json").read_text())
        assert manifest["rows"]["milestones_evidence"] == 1 and manifest["rows"]["regencies_regency"] > 500
        assert len(manifest["media"]) == 1

        restored = _script(target, "restore.sh", str(backup))
        assert restored.returncode == 0, restored.stderr
        assert json.loads((backup / "restored.json").read_text()) == manifest
        assert _manage(target, "shell", "--no-imports", stdin=CHECK).split() == [
            "Kabupaten",
            "Barito",
            "Timur",
            "Surat",
            "komitmen.pdf",
            "b'%PDF-1.4'",
        ]

        again = _script(target, "restore.sh", str(backup))  # into a database that is no longer empty
        assert again.returncode != 0 and "empty" in again.stderr
    finally:
        _drop(source["DATABASE_URL"])
        _drop(target["DATABASE_URL"])


def test_with_object_storage_the_backup_holds_the_database_and_says_how_the_files_are_kept(tmp_path):
    env = {
        **_environment(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'source.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "m1"),
        "S3_BUCKET": "ssk-media",
        "S3_ENDPOINT_URL": "http://127.0.0.1:1",  # never contacted: the backup does not copy objects
    }
    _manage(env, "migrate", "-v0")
    backup = tmp_path / "backup"
    made = _script(env, "backup.sh", str(backup))
    assert made.returncode == 0, made.stderr
    assert not (backup / "media.tar.gz").exists()
    assert "object store (bucket ssk-media)" in (backup / "media.txt").read_text()
    assert "back it up by its own means" in made.stderr
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["object_store"] == {"backend": "S3Storage", "bucket": "ssk-media"}
    assert manifest["media"] == {} and manifest["rows"]["milestones_blob"] == 0
