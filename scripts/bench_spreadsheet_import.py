"""Time the planning workbook import (``planning_upload.read_upload``) on a normal filled-in template and
on hostile workbooks of about the same size on disk, in one run, as ratios to the normal import.

    DJANGO_SETTINGS_MODULE=ssk_tracker.settings_test .venv/bin/python scripts/bench_spreadsheet_import.py
"""

import io
import os
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssk_tracker.settings_test")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from milestones.forms import planning_upload  # noqa: E402
from milestones.selectors.planning_export import build_workbook  # noqa: E402
from milestones.tests.planning import workbooks  # noqa: E402
from milestones.tests.security.hostile_files import with_shared_strings  # noqa: E402
from regencies.models import Regency  # noqa: E402

REGENCY = Regency(code="62.13", name="Barito Timur")


def normal_workbook() -> bytes:
    empty = build_workbook(regency=REGENCY, activities=[], integrations=[], budget_lines=[], regional_budgets=[])
    workbook = workbooks.fill(
        load_workbook(io.BytesIO(empty)),
        Kegiatan=workbooks.ACTIVITIES,
        Integrasi=workbooks.INTEGRATION,
        Anggaran=workbooks.BUDGET,
        APBD=workbooks.APBD,
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(content: bytes, rounds: int = 1) -> tuple[float, str]:
    best, outcome = float("inf"), ""
    for _ in range(rounds):
        upload = SimpleUploadedFile("kegiatan.xlsx", content)
        started = time.process_time()
        try:
            planning_upload.read_upload(upload, regency=REGENCY)
            outcome = "read"
        except planning_upload.FileRefused as refused:
            outcome = "refused: " + refused.messages[0][:90]
        best = min(best, time.process_time() - started)
    return best, outcome


def main() -> None:
    normal = normal_workbook()
    floor, outcome = timed(normal, rounds=5)
    print(f"normal template import: {len(normal) / 1024:.0f} KB, {floor * 1000:.1f} ms CPU ({outcome})")
    cases = [(3_000_000, False), (300_000, True), (60_000, True), (40_000, True)]
    if len(sys.argv) > 1:
        cases = [(int(sys.argv[1]), len(sys.argv) > 2 and sys.argv[2] == "distinct")]
    for count, distinct in cases:
        hostile = with_shared_strings(normal, count, distinct)
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(hostile)).infolist())
        seconds, outcome = timed(hostile)
        print(
            f"{count} {'distinct' if distinct else 'repeated'} shared strings: {len(hostile) / 1024:.0f} KB "
            f"({unpacked / 1024 / 1024:.1f} MB unpacked), {seconds:.3f} s CPU = {seconds / floor:.1f}x the "
            f"normal import ({outcome})"
        )


if __name__ == "__main__":
    main()
