"""Find the files in storage that no row refers to, and the rows whose file is gone.

    manage.py remove_orphan_files            # lists them (a dry run: nothing is changed)
    manage.py remove_orphan_files --delete   # deletes the orphan files; rows are only reported

Orphans come from writes that rolled back where ``evidence.files_kept_on_commit`` could not see it (a
killed process, an outer transaction) and from a report job's file that was replaced. A file younger
than ``--older-than`` minutes is left alone: its row may belong to a transaction still running.
Every FileField of every model counts as a reference, so this is safe for report files too.
"""

import datetime
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.files.storage import Storage
from django.core.management.base import CommandParser
from django.db import models
from django.utils import timezone

from ssk_tracker.lib.audit import AuditedCommand


def _file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}" if folder else directory)


class Command(AuditedCommand):
    help = "Lists (or with --delete removes) stored files no row refers to, and reports rows whose file is missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help="Delete the orphan files (default: list only).")
        parser.add_argument(
            "--older-than",
            type=int,
            default=60,
            metavar="MINUTES",
            help="Only files last written more than this many minutes ago (default 60).",
        )

    def handle(self, *args: Any, delete: bool, older_than: int, **options: Any) -> None:
        cutoff = timezone.now() - datetime.timedelta(minutes=older_than)
        storages: dict[int, Storage] = {}
        referenced: dict[int, set[str]] = {}
        missing: list[str] = []
        for model, field in _file_fields():
            storage = field.storage
            storages[id(storage)] = storage
            names = referenced.setdefault(id(storage), set())
            label = model._meta.label
            for pk, name in model._default_manager.exclude(**{field.name: ""}).values_list("pk", field.name):
                if not name:
                    continue
                names.add(name)
                if not storage.exists(name):
                    missing.append(f"{label} {pk}: {field.name} {name}")
        orphans: list[tuple[Storage, str]] = []
        for key, storage in storages.items():
            try:
                stored = list(_walk(storage))
            except FileNotFoundError:  # nothing was ever stored
                continue
            for name in sorted(stored):
                if name in referenced[key]:
                    continue
                if storage.get_modified_time(name) > cutoff:
                    continue
                orphans.append((storage, name))
        for storage, name in orphans:
            self.stdout.write(f"orphan file: {name} ({storage.size(name)} bytes)")
            if delete:
                storage.delete(name)
        for line in missing:
            self.stdout.write(f"missing file: {line}")
        verb = "deleted" if delete else "found (run with --delete to remove them)"
        self.stdout.write(f"{len(orphans)} orphan file(s) {verb}; {len(missing)} row(s) whose file is missing.")
