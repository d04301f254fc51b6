"""Tables as CSV and XLSX downloads, written one way everywhere.

A spreadsheet would run a text cell that starts like a formula, so such cells are quoted in CSV and
kept as text in XLSX (OWASP "CSV injection").
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, time
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

from ssk_tracker.lib import downloads

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Rows = Iterable[Iterable[object]]


def csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value.isoformat() if isinstance(value, date | time) else str(value)


def write_csv(header: Sequence[str], rows: Rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([csv_value(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel read UTF-8


def _cell_value(value: object) -> object:
    if isinstance(value, Decimal):  # whole rupiah as integers, the rest as numbers Excel can sum
        return int(value) if value == value.to_integral() else float(value)
    return value


def write_xlsx(header: Sequence[str], rows: Rows, sheet: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook()
    worksheet = workbook.active
    assert isinstance(worksheet, Worksheet)  # a new workbook starts with one worksheet
    worksheet.title = sheet.replace(".", "-")[:31]
    worksheet.append(list(header))
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        worksheet.append([_cell_value(v) for v in row])
        for cell in worksheet[worksheet.max_row]:
            if cell.data_type == "f":  # text that looks like a formula stays text
                cell.data_type = "s"
            elif hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"
    worksheet.freeze_panes = "A2"
    for index, (_, name) in enumerate(zip(worksheet.columns, header, strict=True), start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(name) + 2))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def download(fmt: str, header: Sequence[str], rows: Rows, *, stem: str, sheet: str) -> HttpResponse:
    """The table as an attachment named ``<stem>-<today>.<fmt>``; ``fmt`` is "csv" or "xlsx"."""
    content = write_csv(header, rows) if fmt == "csv" else write_xlsx(header, rows, sheet)
    return downloads.attachment(content, f"{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}", CONTENT_TYPES[fmt])
