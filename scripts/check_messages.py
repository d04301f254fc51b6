"""Fail when a translatable string in the source is missing from locale/id/LC_MESSAGES/django.po.

Runs `makemessages` into a scratch copy of the tree's locale folder and compares the message ids,
so a developer who forgot `makemessages -l id` finds out before users see English.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"


def msgids(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {"".join(re.findall(r'"(.*)"', m)) for m in re.findall(r'^msgid ((?:".*"\n)+)', text, re.M)} - {""}


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "django.po"
        shutil.copy(PO, copy)
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "id",
                "--no-obsolete",
                "-i",
                ".venv/*",
                "-i",
                "staticfiles/*",
                "-i",
                "media/*",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        fresh = msgids(PO)
        known = msgids(copy)
        shutil.copy(copy, PO)  # leave the tree as it was
    missing = sorted(fresh - known)
    if missing:
        print("Not in locale/id/LC_MESSAGES/django.po (run makemessages -l id and translate):")
        for msgid in missing:
            print(f"  {msgid!r}")
        return 1
    print(f"All {len(fresh)} messages are in the Indonesian catalogue.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
