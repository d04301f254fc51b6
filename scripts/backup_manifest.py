"""Print, as JSON, what a backup must give back: rows per table and the SHA-256 of every media file.

Used by scripts/backup.sh (written beside the dump) and scripts/restore.sh (compared after restoring).
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


def media() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    files = sorted(path for path in root.rglob("*") if path.is_file()) if root.is_dir() else []
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


if __name__ == "__main__":
    json.dump({"rows": dict(sorted(rows().items())), "media": media()}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
