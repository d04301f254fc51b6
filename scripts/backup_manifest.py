"""Print, as JSON, what a backup must give back: rows per table and the SHA-256 of every media file.

Used by scripts/backup.sh (written beside the dump) and scripts/restore.sh (compared after restoring).
With object storage the files are not listed (the object store is backed up by its own means): the
manifest names the store instead.
"""

import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssk_tracker.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402


def rows() -> dict[str, int]:
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def object_store() -> dict[str, str] | None:
    """The object store holding the files (backed up by its own means), or None for the local disk."""
    from ssk_tracker.storage_settings import describe_storage, storage_kind

    if storage_kind(os.environ) != "s3":
        return None
    from django.core.files.storage import default_storage

    return describe_storage(default_storage)


def media() -> dict[str, str]:
    if object_store() is not None:
        return {}  # in the object store: not listed here (that would download every object)
    root = Path(settings.MEDIA_ROOT)
    files = sorted(path for path in root.rglob("*") if path.is_file()) if root.is_dir() else []
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


if __name__ == "__main__":
    manifest: dict[str, object] = {"rows": dict(sorted(rows().items())), "media": media()}
    store = object_store()
    if store is not None:
        manifest["object_store"] = store
    json.dump(manifest, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
