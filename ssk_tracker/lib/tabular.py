"""Tables as CSV and XLSX downloads, written one way everywhere.

A spreadsheet would run a text cell that starts like a formula, so such cells are quoted in CSV and
kept as text in XLSX (OWASP "CSV injection").
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, time
from decimal import Decimal
from typing import IO

from django.http import HttpResponse, HttpResponseBase
from django.utils import timezone

from ssk_tracker.lib import downloads, xlsx

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CHUNK_ROWS = 500
_NUMBERS = {int, float, Decimal, bool}

Rows = Iterable[Iterable[object]]


def csv_value(value: object) -> object:
    """A cell as the CSV writer should get it (numbers as they are: the writer writes them as str() does).
    Called for every cell of exports of 2.5 million cells, so the common case comes first."""
    if type(value) is str:
        return f"'{value}" if value.startswith(FORMULA_STARTS) else value
    if type(value) in _NUMBERS:
        return value
    if value is None:
        return ""
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, str):  # a str subclass (a safe or translated string)
        return f"'{value}" if value.startswith(FORMULA_STARTS) else str(value)
    return value


def _csv_lines(header: Sequence[str], rows: Rows) -> Iterator[str]:
    """The table as CSV text, a few hundred rows per piece."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow(map(csv_value, row))
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


def save_xlsx(header: Sequence[str], rows: Rows, sheet: str, out: IO[bytes]) -> None:
    """The table as one worksheet, written row by row (ssk_tracker.lib.xlsx: flat memory, and many
    times faster than openpyxl, whose per-row sheet scan made 23,000 rows take minutes)."""
    xlsx.write(out, header, rows, sheet)


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
