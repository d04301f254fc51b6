"""Reading an uploaded planning workbook (forms.planning_workbook is its format) and checking its cells.

Reading happens in two steps so that the view can keep an upload between preview and confirm:
``read_upload`` checks the file and returns its raw cell values (a ``RawWorkbook``, JSON-safe for the
session), and ``validate`` turns raw values into clean rows plus every invalid cell. The import plan
(``selectors.planning_import``) compares the clean rows with the database; ``services.planning`` writes.
Messages about the file are translated; the sheet names and headers they quote are not.
"""

import datetime
import hashlib
import math
import re
import time
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from milestones import evidence
from milestones.forms.planning_workbook import (
    ACTIVITIES,
    ACTIVITY_CODE,
    APBD,
    BUDGET,
    GUIDE,
    GUIDE_REGENCY_LABEL,
    INTEGRATION,
    NO,
    SHEETS,
    YEAR_MAX,
    YEAR_MIN,
    YES,
    CleanRow,
    CleanValue,
    Column,
    RawValue,
    Sheet,
    clean_cell,
    clean_text,
    key_words,
)
from regencies.models import Regency
from ssk_tracker.lib.amounts import ZERO, ValueProblem

# The limits are settings (SPREADSHEET_*), read at each upload.
_OLD_EXCEL = b"\xd0\xcf\x11\xe0"  # an OLE compound file: the .xls of Excel 97–2003

RawRow = tuple[int, dict[str, RawValue]]  # (row number, {field: raw value})


# --- Reading an upload ---------------------------------------------------------------------------


class FileRefused(Exception):
    """The upload cannot be read as our workbook at all; ``messages`` say why, in full sentences."""

    def __init__(self, *messages: str) -> None:
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


@dataclass
class RawWorkbook:
    """The raw cell values of the four sheets, JSON-safe so the session can keep them until confirm."""

    rows: dict[str, list[RawRow]]  # sheet → [(row number, {field: raw value})]
    letters: dict[str, dict[str, str]]  # sheet → {field: column letter in this file}
    sha256: str = ""
    file_name: str = ""

    def to_session(self) -> dict[str, Any]:
        return {"rows": self.rows, "letters": self.letters, "sha256": self.sha256, "file_name": self.file_name}

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> "RawWorkbook":
        rows = {
            sheet: [(int(number), dict(values)) for number, values in items] for sheet, items in data["rows"].items()
        }
        return cls(rows=rows, letters=data["letters"], sha256=data["sha256"], file_name=data.get("file_name", ""))


def _json_safe(value: object) -> RawValue:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _normal_header(value: object) -> str:
    text = " ".join(str(value or "").split()).casefold()
    return re.sub(r"\s*\(rp\)$", "", text)


def _check_package(uploaded: "UploadedFile[bytes]") -> None:
    name = uploaded.name
    size = uploaded.size or 0
    max_bytes = settings.SPREADSHEET_MAX_BYTES
    if size == 0:
        raise FileRefused(_("%(name)s is empty.") % {"name": name})
    if size > max_bytes:
        raise FileRefused(
            _("%(name)s is %(size)s; the largest workbook accepted is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(max_bytes)}
        )
    uploaded.seek(0)
    old_excel = uploaded.read(len(_OLD_EXCEL)) == _OLD_EXCEL
    uploaded.seek(0)
    if old_excel:
        raise FileRefused(
            _("%(name)s is an old Excel file (.xls). Open it in Excel and save it as an Excel workbook (.xlsx).")
            % {"name": name}
        )
    if evidence.sniff(uploaded) is not evidence.XLSX:
        raise FileRefused(
            _("%(name)s is not an Excel workbook (.xlsx). Download the template and fill it in.") % {"name": name}
        )
    problem = evidence.check_package(uploaded, max_unpacked=settings.SPREADSHEET_MAX_UNPACKED_BYTES)
    if problem:
        raise FileRefused(problem)
    try:
        with zipfile.ZipFile(uploaded) as package:
            _check_parts(package, name or "")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):  # a CRC error, a truncated part
        raise FileRefused(
            _("%(name)s could not be opened as an Excel workbook; it may be damaged.") % {"name": name}
        ) from None
    finally:
        uploaded.seek(0)


# What openpyxl would spend its time on, counted in the raw XML (namespace prefixes allowed): entries of
# the shared-strings table (all parsed when the workbook opens) and cells. Counting bytes is a few
# hundred times cheaper than parsing them; the package's unpacked size (checked first) bounds the scan.
# The dimension a sheet declares costs nothing: rows are read with explicit bounds (``_read_workbook``).
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CHUNK = 1024 * 1024


class _Damaged(Exception):
    pass


def _scan(package: zipfile.ZipFile, part: str, strings_left: int, cells_left: int) -> tuple[int, int]:
    """The shared-string entries and cells in one part, streamed a chunk at a time; it stops once either
    limit is passed (the counts are then lower bounds). A DTD (OOXML has none) marks the file damaged."""
    strings = cells = 0
    tail = b""
    with package.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            if _DOCTYPE.search(window):
                raise _Damaged
            # A match wholly inside the kept tail is counted with the next window instead.
            tail = window[-64:]
            strings += len(_SHARED_STRING.findall(window)) - len(_SHARED_STRING.findall(tail))
            cells += len(_CELL.findall(window)) - len(_CELL.findall(tail))
            if strings > strings_left or cells > cells_left:
                break
    return strings + len(_SHARED_STRING.findall(tail)), cells + len(_CELL.findall(tail))


def _check_parts(package: zipfile.ZipFile, name: str) -> None:
    max_strings, max_cells = settings.SPREADSHEET_MAX_SHARED_STRINGS, settings.SPREADSHEET_MAX_CELLS
    strings = cells = 0
    try:
        # Every part is scanned, whatever its name: [Content_Types].xml may give any part the role of a
        # sheet or of the shared-strings table.
        for info in package.infolist():
            found_strings, found_cells = _scan(package, info.filename, max_strings - strings, max_cells - cells)
            strings, cells = strings + found_strings, cells + found_cells
            if strings > max_strings:
                raise FileRefused(
                    _(
                        "%(name)s has more than %(limit)s entries in its shared-strings table, the most "
                        "read. Copy the data into a fresh template."
                    )
                    % {"name": name, "limit": max_strings}
                )
            if cells > max_cells:
                raise FileRefused(
                    _("%(name)s has more than %(limit)s cells, the most read. Split the data over several uploads.")
                    % {"name": name, "limit": max_cells}
                )
    except _Damaged:
        raise FileRefused(
            _("%(name)s could not be opened as an Excel workbook; it may be damaged.") % {"name": name}
        ) from None


def read_upload(uploaded: "UploadedFile[bytes]", *, regency: Regency) -> RawWorkbook:
    """Check that the upload is our workbook for this regency and return its raw cell values.

    Raises FileRefused when it is not an XLSX, is too big, cannot be opened, lacks a sheet or a
    column, belongs to another regency, or has too many rows. Cell values are checked by ``validate``.
    """
    _check_package(uploaded)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; they do not matter here
            workbook = load_workbook(uploaded, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a damaged file
        raise FileRefused(
            _("%(name)s could not be opened as an Excel workbook; it may be damaged.") % {"name": uploaded.name}
        ) from None
    try:
        raw = _read_workbook(workbook, regency, deadline=time.monotonic() + settings.SPREADSHEET_MAX_SECONDS)
    except FileRefused:
        raise
    except Exception:  # read-only mode parses a sheet as it goes: bad XML or a missing part shows up here
        raise FileRefused(
            _("%(name)s could not be opened as an Excel workbook; it may be damaged.") % {"name": uploaded.name}
        ) from None
    finally:
        workbook.close()
    raw.sha256 = digest.hexdigest()
    raw.file_name = (uploaded.name or "").rsplit("/", 1)[-1][:200]
    return raw


def _read_workbook(workbook: Workbook, regency: Regency, *, deadline: float) -> RawWorkbook:
    problems: list[str] = []
    max_rows, max_columns = settings.SPREADSHEET_MAX_ROWS, settings.SPREADSHEET_MAX_COLUMNS
    missing = [sheet.name for sheet in SHEETS if sheet.name not in workbook.sheetnames]
    if missing:
        problems.append(
            _("The workbook lacks the sheet(s) %(sheets)s. Download the template and copy your data into it.")
            % {"sheets": ", ".join(f"“{name}”" for name in missing)}
        )
    _check_regency(workbook, regency, problems)
    rows: dict[str, list[RawRow]] = {}
    letters: dict[str, dict[str, str]] = {}
    for sheet in SHEETS:
        if sheet.name in missing:
            continue
        worksheet = workbook[sheet.name]
        # The dimension a sheet declares is not trusted: too small, openpyxl would drop the rows past it;
        # too large, it would pad every row and the gaps between them up to it.
        worksheet.reset_dimensions()
        header = next(worksheet.iter_rows(min_row=1, max_row=1, max_col=max_columns, values_only=True), ())
        positions = {_normal_header(value): index for index, value in enumerate(header or ()) if value is not None}
        absent = [c.header for c in sheet.columns if _normal_header(c.header) not in positions]
        if absent:
            problems.append(
                _("The sheet “%(sheet)s” lacks the column(s) %(columns)s in row 1.")
                % {"sheet": sheet.name, "columns": ", ".join(f"“{header}”" for header in absent)}
            )
            continue
        index = {c.field: positions[_normal_header(c.header)] for c in sheet.columns}
        letters[sheet.name] = {name: get_column_letter(position + 1) for name, position in index.items()}
        sheet_rows: list[RawRow] = []
        # Only our columns are read, and a sheet may leave blank rows but not reach past twice the row
        # limit (openpyxl yields a row for every gap).
        last_row = 2 * max_rows + 1
        iterator = worksheet.iter_rows(min_row=2, max_col=max(index.values()) + 1, values_only=True)
        for number, values in enumerate(iterator, start=2):
            if time.monotonic() > deadline:
                raise FileRefused(
                    _("Reading the workbook took more than %(limit)s seconds, the most allowed; split the data.")
                    % {"limit": settings.SPREADSHEET_MAX_SECONDS}
                )
            if number > last_row:
                problems.append(
                    _("The sheet “%(sheet)s” goes on past row %(limit)s; delete the rows after your data.")
                    % {"sheet": sheet.name, "limit": last_row}
                )
                break
            cells = {name: (values[position] if position < len(values) else None) for name, position in index.items()}
            cells = {name: (None if isinstance(v, str) and not v.strip() else v) for name, v in cells.items()}
            if all(value is None for value in cells.values()):
                continue
            if len(sheet_rows) >= max_rows:
                problems.append(
                    _("The sheet “%(sheet)s” has more than %(limit)s rows; split the data over several uploads.")
                    % {"sheet": sheet.name, "limit": max_rows}
                )
                break
            sheet_rows.append((number, {name: _json_safe(value) for name, value in cells.items()}))
        rows[sheet.name] = sheet_rows
    if problems:
        raise FileRefused(*problems)
    return RawWorkbook(rows=rows, letters=letters)


def _check_regency(workbook: Workbook, regency: Regency, problems: list[str]) -> None:
    """A workbook made from our template names its regency; refuse one made for another regency."""
    if GUIDE not in workbook.sheetnames:
        return
    for values in workbook[GUIDE].iter_rows(min_row=2, max_row=2, max_col=2, values_only=True):
        label, code = (tuple(values) + (None, None))[:2]
        if clean_text(label) == GUIDE_REGENCY_LABEL and code and clean_text(code) != regency.code:
            problems.append(
                _("This workbook was made for the regency %(other)s, not for %(name)s (%(code)s).")
                % {"other": clean_text(code), "name": regency.name, "code": regency.code}
            )


# --- Validating the raw values -------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str  # the column letter in the uploaded file
    label: str  # the column's Indonesian header
    message: str

    def __str__(self) -> str:
        return _("%(sheet)s, row %(row)s, column %(column)s (%(label)s): %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "label": self.label,
            "message": self.message,
        }


@dataclass
class CheckedWorkbook:
    """The valid rows of each sheet and every invalid cell."""

    rows: dict[str, list[CleanRow]] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)


def _shown(raw: RawValue) -> str:
    text = clean_text(raw)
    return text if len(text) <= 60 else text[:57] + "…"


def _problem_message(problem: str, raw: RawValue, column: Column) -> str:
    value = _shown(raw)
    if problem == "required":
        return _("the cell is empty but must be filled in.")
    if problem == "not_number":
        return _("'%(value)s' is not a number.") % {"value": value}
    if problem == "negative":
        return _("'%(value)s' is negative; amounts cannot be below zero.") % {"value": value}
    if problem == "too_large":
        return _("'%(value)s' is too large for an amount.") % {"value": value}
    if problem == "not_year":
        return _("'%(value)s' is not a year (write four digits, for example 2024).") % {"value": value}
    if problem == "year_range":
        return _("%(value)s is not a year between %(first)s and %(last)s.") % {
            "value": value,
            "first": YEAR_MIN,
            "last": YEAR_MAX,
        }
    if problem == "not_yes_no":
        return _("'%(value)s' is not %(yes)s or %(no)s.") % {"value": value, "yes": YES, "no": NO}
    if problem == "not_code":
        codes = ", ".join(column.codes or ())
        return _("'%(value)s' is not one of the codes %(codes)s.") % {"value": value, "codes": codes}
    if problem == "too_long":
        return _("the text has %(length)s characters; at most %(limit)s fit.") % {
            "length": len(clean_text(raw)),
            "limit": column.max_length,
        }
    raise ValueError(problem)


Fail = Callable[[Column, str], None]  # records a problem with a column of the row being checked


def validate(raw: RawWorkbook) -> CheckedWorkbook:
    """Clean every cell and check rows against each other; collect every problem, stop at none."""
    checked = CheckedWorkbook()
    for sheet in SHEETS:
        letters = raw.letters.get(sheet.name, {})
        seen: dict[tuple[CleanValue, ...], int] = {}
        clean_rows = []
        for number, cells in raw.rows.get(sheet.name, []):
            clean, row_errors = _check_cells(sheet, number, cells, letters, seen)
            if row_errors:
                checked.errors.extend(row_errors)
            else:
                clean_rows.append(clean)
        checked.rows[sheet.name] = clean_rows
    _check_references(raw, checked)
    return checked


def _check_cells(
    sheet: Sheet,
    number: int,
    cells: dict[str, RawValue],
    letters: dict[str, str],
    seen: dict[tuple[CleanValue, ...], int],
) -> tuple[CleanRow, list[CellError]]:
    """One row's clean values and its problems; ``seen`` (key → first row) finds repeated rows."""
    errors: list[CellError] = []

    def fail(column: Column, message: str) -> None:
        errors.append(CellError(sheet.name, number, letters.get(column.field, "?"), column.header, message))

    clean: dict[str, CleanValue] = {}
    for column in sheet.columns:
        value = cells.get(column.field)
        try:
            clean[column.field] = clean_cell(column, value)
        except ValueProblem as problem:
            fail(column, _problem_message(problem.code, value, column))
    _check_row(sheet, clean, fail)
    key = tuple(clean.get(name) for name in sheet.key)
    if None not in key:
        if key in seen:
            fail(
                sheet.column(sheet.key[0]),
                _("this row repeats row %(row)s (the same %(key)s).")
                % {"row": seen[key], "key": " · ".join(key_words(sheet, key))},
            )
        else:
            seen[key] = number
    return CleanRow(number, clean), errors


def _check_row(sheet: Sheet, clean: dict[str, CleanValue], fail: Fail) -> None:
    if sheet is ACTIVITIES:
        start, end = clean.get("year_start"), clean.get("year_end")
        if isinstance(start, int) and isinstance(end, int) and end < start:
            fail(
                sheet.column("year_end"),
                _("the end year %(end)s is before the start year %(start)s.") % {"end": end, "start": start},
            )
    if sheet is APBD and clean.get("total") == ZERO:
        fail(sheet.column("total"), _("the total APBD must be more than zero."))


def _check_references(raw: RawWorkbook, checked: CheckedWorkbook) -> None:
    """Rows of Integrasi and Anggaran name an activity code that the sheet Kegiatan lists."""
    codes = {clean_text(cells.get("code")) for _number, cells in raw.rows.get(ACTIVITIES.name, [])}
    for sheet in (INTEGRATION, BUDGET):
        letter = raw.letters.get(sheet.name, {}).get("activity", "A")
        kept = []
        for clean in checked.rows.get(sheet.name, []):
            if clean.values["activity"] in codes:
                kept.append(clean)
                continue
            checked.errors.append(
                CellError(
                    sheet.name,
                    clean.number,
                    letter,
                    ACTIVITY_CODE.header,
                    _("the activity code '%(code)s' is not in the sheet %(sheet)s.")
                    % {"code": clean.values["activity"], "sheet": ACTIVITIES.name},
                )
            )
        checked.rows[sheet.name] = kept
    order = {sheet.name: n for n, sheet in enumerate(SHEETS)}
    checked.errors.sort(key=lambda e: (order[e.sheet], e.row, e.column))
