"""Tables as CSV and XLSX downloads, written one way everywhere.

A spreadsheet would run a text cell that starts like a formula, so such cells are quoted in CSV and
kept as text in XLSX (OWASP "CSV injection").
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO

from django.http import HttpResponse, HttpResponseBase
from django.utils import timezone

from ssk_tracker.lib import downloads

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CHUNK_ROWS = 500

Rows = Iterable[Iterable[object]]


def csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value.isoformat() if isinstance(value, date | time) else str(value)


def _csv_lines(header: Sequence[str], rows: Rows) -> Iterator[str]:
    """The table as CSV text, a few hundred rows per piece."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_value(v) for v in row])
        if count % CSV_CHUNK_ROWS == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def write_csv(header: Sequence[str], rows: Rows) -> bytes:
    return ("\ufeff" + "".join(_csv_lines(header, rows))).encode("utf-8")  # the BOM lets Excel read UTF-8


def stream_csv(header: Sequence[str], rows: Rows) -> Iterator[bytes]:
    """``write_csv`` in pieces, for a response that streams: memory stays flat however long the table."""
    yield "\ufeff".encode()
    for piece in _csv_lines(header, rows):
        yield piece.encode("utf-8")


def _cell_value(value: object) -> object:
    if isinstance(value, Decimal):  # whole rupiah as integers, the rest as numbers Excel can sum
        return int(value) if value == value.to_integral() else float(value)
    return value


def save_xlsx(header: Sequence[str], rows: Rows, sheet: str, out: IO[bytes]) -> None:
    """The table as one worksheet written row by row (openpyxl's write-only mode: flat memory, and no
    per-row scan of the sheet, which made 23,000 rows take minutes)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet.replace(".", "-")[:31])
    for index, name in enumerate(header, start=1):  # column widths before the first row (write-only)
        worksheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(name) + 2))
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def header_cell(name: str) -> object:
        cell = WriteOnlyCell(worksheet, value=name)
        cell.font = bold
        return cell

    def cell(value: object) -> object:
        if isinstance(value, str) and value.startswith("="):  # text that looks like a formula stays text
            text = WriteOnlyCell(worksheet, value=value)
            text.data_type = "s"
            return text
        if isinstance(value, datetime):  # shown as its day, like the dates (which openpyxl formats so)
            moment = WriteOnlyCell(worksheet, value=value)
            moment.number_format = "yyyy-mm-dd"
            return moment
        return _cell_value(value)

    worksheet.append([header_cell(name) for name in header])
    for row in rows:
        worksheet.append([cell(v) for v in row])
    workbook.save(out)


def write_xlsx(header: Sequence[str], rows: Rows, sheet: str) -> bytes:
    out = io.BytesIO()
    save_xlsx(header, rows, sheet, out)
    return out.getvalue()


def download(fmt: str, header: Sequence[str], rows: Rows, *, stem: str, sheet: str) -> HttpResponse:
    """The table as an attachment named ``<stem>-<today>.<fmt>``; ``fmt`` is "csv" or "xlsx"."""
    content = write_csv(header, rows) if fmt == "csv" else write_xlsx(header, rows, sheet)
    return downloads.attachment(content, _name(stem, fmt), CONTENT_TYPES[fmt])


def stream(fmt: str, header: Sequence[str], rows: Rows, *, stem: str, sheet: str) -> HttpResponseBase:
    """``download`` for tables of any length: CSV streamed as it is read, XLSX built in a temporary file
    (a zip cannot be streamed before it is complete) and sent from there."""
    name = _name(stem, fmt)
    if fmt == "csv":
        return downloads.streamed_attachment(stream_csv(header, rows), name, CONTENT_TYPES[fmt])
    handle = tempfile.TemporaryFile()  # closed (and so deleted) by the response once sent
    save_xlsx(header, rows, sheet, handle)
    handle.seek(0)
    return downloads.file_attachment(handle, name, CONTENT_TYPES[fmt])


def _name(stem: str, fmt: str) -> str:
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"
