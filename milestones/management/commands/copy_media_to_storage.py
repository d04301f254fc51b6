"""Copy the files of a local media folder into the configured storage (the object store), verified.

    manage.py copy_media_to_storage                  # MEDIA_ROOT into STORAGES["default"]
    manage.py copy_media_to_storage --source DIR     # another folder (a restored backup's media)
    manage.py copy_media_to_storage --dry-run        # says what it would copy, copies nothing

Each file keeps its name (its path under the folder), so the rows that refer to it need no change. A
copy is read back from the storage and compared by SHA-256. A file already in the storage with the same
SHA-256 is skipped, so the command can be run again (a second run copies nothing and says so); a
different object already under the same name is reported as failed and left as it is, never
overwritten. Prints the counts; exits non-zero when any file failed.
"""

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management.base import CommandError, CommandParser

from ssk_tracker.lib.audit import AuditedCommand
from ssk_tracker.lib.storage import STORAGE_ERRORS, error_reason

CHUNK_BYTES = 1024 * 1024


def sha256_of(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
        digest.update(chunk)
    return digest.hexdigest()


def stored_sha256(storage: Storage, name: str) -> str:
    """The SHA-256 of the object as the storage gives it back (read through the storage, not a path)."""
    with storage.open(name, "rb") as stored:
        return sha256_of(stored)


def local_files(source: Path) -> Iterator[tuple[str, Path]]:
    """(storage name, path) of every file under ``source``, in name order; names use forward slashes."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            yield path.relative_to(source).as_posix(), path


class Command(AuditedCommand):
    help = (
        "Copies every file under a local folder (default MEDIA_ROOT) into the configured default storage "
        "under the same names, verified by SHA-256; skips files already there with the same content."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", metavar="DIR", help="The folder to copy from (default: MEDIA_ROOT).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be copied; copy nothing.")

    def handle(self, *args: Any, source: str | None, dry_run: bool, **options: Any) -> None:
        folder = Path(source or settings.MEDIA_ROOT).expanduser().resolve()
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder: nothing to copy from (give --source DIR).")
        storage: Storage = default_storage
        self.stdout.write(f"Copying {folder} into {storage.__class__.__name__}{_bucket(storage)}.")
        copied, present, failed = self._copy(storage, local_files(folder), dry_run=dry_run)
        verb = "would be copied" if dry_run else "copied"
        self.stdout.write(f"{copied} {verb}, {present} already there, {failed} failed.")
        if failed:
            raise CommandError(f"{failed} file(s) failed; see the lines above. Nothing was overwritten.")
        if not copied and not dry_run:
            self.stdout.write("Nothing to copy: every file is already in the storage.")

    def _copy(self, storage: Storage, files: Iterable[tuple[str, Path]], *, dry_run: bool) -> tuple[int, int, int]:
        copied = present = failed = 0
        for name, path in files:
            with path.open("rb") as handle:
                local = sha256_of(handle)
            try:
                if storage.exists(name):
                    if stored_sha256(storage, name) == local:
                        present += 1
                    else:
                        failed += 1
                        self.stderr.write(
                            f"different: {name}: the storage holds other content under this name (left as is)"
                        )
                    continue
                if dry_run:
                    copied += 1
                    self.stdout.write(f"would copy: {name}")
                    continue
                with path.open("rb") as handle:
                    saved = storage.save(name, File(handle, name=name))
                if saved != name:  # written meanwhile by someone else: ours went under another name
                    storage.delete(saved)
                    failed += 1
                    self.stderr.write(f"failed: {name}: appeared in the storage while copying (left as is)")
                    continue
                if stored_sha256(storage, name) != local:
                    storage.delete(name)  # a bad copy must not pass for the file on a later run
                    failed += 1
                    self.stderr.write(f"failed: {name}: the copy read back differs from the file (removed)")
                    continue
            except STORAGE_ERRORS as error:
                failed += 1
                self.stderr.write(f"failed: {name}: {error_reason(error)}")
                continue
            copied += 1
            self.stdout.write(f"copied: {name}")
        return copied, present, failed


def _bucket(storage: Storage) -> str:
    bucket = getattr(storage, "bucket_name", None)
    return f" (bucket {bucket})" if bucket else ""
