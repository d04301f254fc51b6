"""The spreadsheet exchange of a regency's activities, planning integration, budget lines and APBD totals.

One workbook format serves as the template, the upload and the XLSX export (SPREADSHEETS.md describes
it). Its sheet names, column headers and codes are fixed Indonesian words: they are the file format,
read back on upload, so they are never translated. Messages about the file are (gettext).

Reading happens in two steps so that the view can keep an upload between preview and confirm:
``read_upload`` checks the file and returns its raw cell values (a ``RawWorkbook``, JSON-safe for the
session), and ``validate`` turns raw values into clean rows plus every invalid cell. The service
(activity_services) compares the clean rows with the database and writes.
"""

import csv
import hashlib
import io
import math
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from milestones.models import FundingSource, PlanningDocument, Subsector
from ssk_tracker.lib import tabular

# Limits: the file as uploaded, its unpacked XML (guards against ZIP bombs), and rows per sheet.
MAX_BYTES = getattr(settings, "SPREADSHEET_MAX_BYTES", 5 * 1024 * 1024)
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 5000
YEAR_MIN, YEAR_MAX = 2000, 2100
CENT = Decimal("0.01")
AMOUNT_LIMIT = Decimal("10000000000000000")  # DecimalField(max_digits=18, decimal_places=2)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- The codes used in the workbook (data-validation lists) --------------------------------------

SUBSECTOR_CODES = {
    "AIR_LIMBAH": Subsector.WASTEWATER,
    "PERSAMPAHAN": Subsector.SOLID_WASTE,
    "DRAINASE": Subsector.DRAINAGE,
    "HIGIENE": Subsector.HYGIENE,
}
DOCUMENT_CODES = {
    "RPJMD": PlanningDocument.RPJMD,
    "RKPD": PlanningDocument.RKPD,
    "Renstra-PD": PlanningDocument.RENSTRA_PD,
    "Renja-PD": PlanningDocument.RENJA_PD,
}
SOURCE_CODES = {
    "APBD_KABKOTA": FundingSource.APBD_REGENCY,
    "APBD_PROVINSI": FundingSource.APBD_PROVINCE,
    "APBN": FundingSource.APBN,
    "DAK": FundingSource.DAK,
    "DANA_DESA": FundingSource.DANA_DESA,
    "SWASTA_CSR": FundingSource.PRIVATE,
    "MASYARAKAT": FundingSource.COMMUNITY,
}
YES, NO = "Ya", "Tidak"
_YES_WORDS = {"YA", "Y", "YES", "TRUE", "BENAR", "1"}
_NO_WORDS = {"TIDAK", "T", "NO", "N", "FALSE", "SALAH", "0"}


def _normal_code(value: str) -> str:
    return re.sub(r"[\s\-/]+", "_", value.strip()).upper()


def code_for(codes: dict, model_value: str) -> str:
    """The workbook code of a model value: code_for(SOURCE_CODES, "dak") → "DAK"."""
    for code, value in codes.items():
        if value == model_value:
            return code
    raise KeyError(model_value)


def _lookup(codes: dict) -> dict:
    """Normalised workbook codes and model values → model value ("renstra pd", "dak" are accepted)."""
    table = {_normal_code(code): value for code, value in codes.items()}
    table.update({_normal_code(str(value)): value for value in codes.values()})
    return table


# --- The sheets ----------------------------------------------------------------------------------

TEXT, CHOICE, YEAR, AMOUNT, YESNO = "text", "choice", "year", "amount", "yesno"


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # fixed Indonesian header, read back on upload
    kind: str
    required: bool = True
    max_length: int = 0
    codes: dict | None = None
    blank: object = None  # the value of an empty optional cell
    width: int = 16


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the fields that identify a row

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)


_ACTIVITY_CODE = Column("activity", "Kode kegiatan", TEXT, max_length=30, width=14)
ZERO = Decimal("0.00")

ACTIVITIES = Sheet(
    "Kegiatan",
    (
        Column("code", "Kode kegiatan", TEXT, max_length=30, width=14),
        Column("subsector", "Subsektor", CHOICE, codes=SUBSECTOR_CODES, width=16),
        Column("name", "Nama kegiatan", TEXT, max_length=400, width=50),
        Column("agency", "OPD penanggung jawab", TEXT, max_length=200, width=30),
        Column("location", "Lokasi", TEXT, required=False, max_length=300, blank="", width=30),
        Column("year_start", "Tahun mulai", YEAR, width=12),
        Column("year_end", "Tahun selesai", YEAR, width=12),
    ),
    key=("code",),
)
INTEGRATION = Sheet(
    "Integrasi",
    (
        _ACTIVITY_CODE,
        Column("document", "Dokumen", CHOICE, codes=DOCUMENT_CODES, width=14),
        Column("year", "Tahun", YEAR, width=10),
        Column("included", "Masuk dokumen", YESNO, width=16),
        Column("nomenclature", "Nomenklatur", TEXT, required=False, max_length=400, blank="", width=50),
        Column("amount", "Pagu", AMOUNT, required=False, width=20),
    ),
    key=("activity", "document", "year"),
)
BUDGET = Sheet(
    "Anggaran",
    (
        _ACTIVITY_CODE,
        Column("year", "Tahun", YEAR, width=10),
        Column("source", "Sumber dana", CHOICE, codes=SOURCE_CODES, width=18),
        Column("indicative", "Indikatif SSK", AMOUNT, required=False, blank=ZERO, width=20),
        Column("allocated", "Dialokasikan", AMOUNT, required=False, blank=ZERO, width=20),
        Column("realised", "Realisasi", AMOUNT, required=False, blank=ZERO, width=20),
    ),
    key=("activity", "year", "source"),
)
APBD = Sheet(
    "APBD",
    (Column("year", "Tahun", YEAR, width=10), Column("total", "Total APBD", AMOUNT, width=24)),
    key=("year",),
)
SHEETS = (ACTIVITIES, INTEGRATION, BUDGET, APBD)
GUIDE = "Petunjuk"
GUIDE_REGENCY_LABEL = "Kode kabupaten/kota"  # cell A2 of the guide; B2 holds the regency's code


# --- Amounts, years, yes/no ----------------------------------------------------------------------

_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$")  # 1.250.000 or 1.250.000,50
_PLAIN_COMMA = re.compile(r"^\d+(?:,\d{1,2})?$")  # 1250000 or 1250000,5
_PLAIN_POINT = re.compile(r"^\d+\.\d{1,2}$")  # 1250000.50 (one dot, one or two digits after it)


class ValueProblem(ValueError):
    """A cell value that cannot be used; ``code`` says why (the caller words the message)."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


def parse_amount(raw) -> Decimal | None:
    """A rupiah amount from a number cell or from text; None when empty.

    Text may be written the Indonesian way: dots group thousands, a comma starts at most two decimals
    ("1.250.000", "1.250.000,50", "1250000,5"); "Rp" and spaces are ignored. A single dot followed by
    one or two digits is a decimal point ("1250000.50"), so a dot followed by three digits always
    groups thousands ("1.250" is one thousand two hundred and fifty). Numbers are rounded to the sen.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueProblem("not_number")
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueProblem("not_number")
        value = Decimal(repr(raw))
    elif isinstance(raw, Decimal):
        value = raw
    else:
        text = re.sub(r"^rp\.?", "", str(raw).strip(), flags=re.IGNORECASE)
        text = re.sub(r"\s+", "", text)
        if not text:
            return None
        negative = text.startswith("-")
        text = text.removeprefix("-")
        if _GROUPED.match(text) or _PLAIN_COMMA.match(text):
            value = Decimal(text.replace(".", "").replace(",", "."))
        elif _PLAIN_POINT.match(text):
            value = Decimal(text)
        else:
            raise ValueProblem("not_number")
        if negative and value:
            raise ValueProblem("negative")
    if not value.is_finite():
        raise ValueProblem("not_number")
    if value < 0:
        raise ValueProblem("negative")
    if value >= AMOUNT_LIMIT:
        raise ValueProblem("too_large")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(value) -> str:
    """An amount the way parse_amount reads it back, Indonesian style: 1.250.000 or 1.250.000,50."""
    if value is None or value == "":
        return ""
    value = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    whole, cents = divmod(value, 1)
    text = f"{int(whole):,}".replace(",", ".")
    return f"{text},{int(cents * 100):02d}" if cents else text


def parse_year(raw) -> int:
    if isinstance(raw, bool):
        raise ValueProblem("not_year")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str) and re.fullmatch(r"\s*\d{4}\s*", raw):
        raw = int(raw)
    if not isinstance(raw, int):
        raise ValueProblem("not_year")
    if not YEAR_MIN <= raw <= YEAR_MAX:
        raise ValueProblem("year_range")
    return raw


def parse_yes_no(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    word = _normal_code(str(raw))
    if word in _YES_WORDS:
        return True
    if word in _NO_WORDS:
        return False
    raise ValueProblem("not_yes_no")


def clean_text(raw) -> str:
    """Text as stored: whitespace (line breaks included) collapsed to single spaces."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return " ".join(str(raw).split())


# --- Reading an upload ---------------------------------------------------------------------------


class FileRefused(Exception):
    """The upload cannot be read as our workbook at all; ``messages`` say why, in full sentences."""

    def __init__(self, *messages: str):
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


@dataclass
class RawWorkbook:
    """The raw cell values of the four sheets, JSON-safe so the session can keep them until confirm."""

    rows: dict[str, list[tuple[int, dict]]]  # sheet → [(row number, {field: raw value})]
    letters: dict[str, dict[str, str]]  # sheet → {field: column letter in this file}
    sha256: str = ""
    file_name: str = ""

    def to_session(self) -> dict:
        return {"rows": self.rows, "letters": self.letters, "sha256": self.sha256, "file_name": self.file_name}

    @classmethod
    def from_session(cls, data: dict) -> "RawWorkbook":
        rows = {
            sheet: [(int(number), dict(values)) for number, values in items] for sheet, items in data["rows"].items()
        }
        return cls(rows=rows, letters=data["letters"], sha256=data["sha256"], file_name=data.get("file_name", ""))


def _json_safe(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") and hasattr(value, "day") else value.isoformat()
    return str(value)


def _normal_header(value) -> str:
    text = " ".join(str(value or "").split()).casefold()
    return re.sub(r"\s*\(rp\)$", "", text)


def _check_package(uploaded) -> None:
    name = uploaded.name
    if uploaded.size == 0:
        raise FileRefused(_("%(name)s is empty.") % {"name": name})
    if uploaded.size > MAX_BYTES:
        raise FileRefused(
            _("%(name)s is %(size)s; the largest workbook accepted is %(limit)s.")
            % {"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(MAX_BYTES)}
        )
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            _("%(name)s is an old Excel file (.xls). Open it in Excel and save it as an Excel workbook (.xlsx).")
            % {"name": name}
        )
    not_xlsx = _("%(name)s is not an Excel workbook (.xlsx). Download the template and fill it in.") % {"name": name}
    if not head.startswith(b"PK\x03\x04"):
        raise FileRefused(not_xlsx)
    try:
        with zipfile.ZipFile(uploaded) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(not_xlsx) from None
    finally:
        uploaded.seek(0)
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise FileRefused(not_xlsx)
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise FileRefused(_("%(name)s holds too much data to be read here.") % {"name": name})


def read_upload(uploaded, *, regency) -> RawWorkbook:
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
        raw = _read_workbook(workbook, regency)
    finally:
        workbook.close()
    raw.sha256 = digest.hexdigest()
    raw.file_name = uploaded.name.rsplit("/", 1)[-1][:200]
    return raw


def _read_workbook(workbook, regency) -> RawWorkbook:
    problems = []
    missing = [sheet.name for sheet in SHEETS if sheet.name not in workbook.sheetnames]
    if missing:
        problems.append(
            _("The workbook lacks the sheet(s) %(sheets)s. Download the template and copy your data into it.")
            % {"sheets": ", ".join(f"“{name}”" for name in missing)}
        )
    _check_regency(workbook, regency, problems)
    rows, letters = {}, {}
    for sheet in SHEETS:
        if sheet.name in missing:
            continue
        worksheet = workbook[sheet.name]
        iterator = worksheet.iter_rows(values_only=True)
        header = next(iterator, ())
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
        sheet_rows = []
        for number, values in enumerate(iterator, start=2):
            cells = {name: (values[position] if position < len(values) else None) for name, position in index.items()}
            cells = {name: (None if isinstance(v, str) and not v.strip() else v) for name, v in cells.items()}
            if all(value is None for value in cells.values()):
                continue
            if len(sheet_rows) >= MAX_ROWS:
                problems.append(
                    _("The sheet “%(sheet)s” has more than %(limit)s rows; split the data over several uploads.")
                    % {"sheet": sheet.name, "limit": MAX_ROWS}
                )
                break
            sheet_rows.append((number, {name: _json_safe(value) for name, value in cells.items()}))
        rows[sheet.name] = sheet_rows
    if problems:
        raise FileRefused(*problems)
    return RawWorkbook(rows=rows, letters=letters)


def _check_regency(workbook, regency, problems) -> None:
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
    """Clean rows per sheet (each a dict of field → value, plus "_row") and every invalid cell."""

    rows: dict[str, list[dict]] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)


def _shown(raw) -> str:
    text = clean_text(raw)
    return text if len(text) <= 60 else text[:57] + "…"


def _problem_message(problem: str, raw, column: Column) -> str:
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
        return _("'%(value)s' is not one of the codes %(codes)s.") % {"value": value, "codes": ", ".join(column.codes)}
    if problem == "too_long":
        return _("the text has %(length)s characters; at most %(limit)s fit.") % {
            "length": len(clean_text(raw)),
            "limit": column.max_length,
        }
    raise ValueError(problem)


def _clean_cell(column: Column, raw):
    """The cell's clean value, or ValueProblem."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            raise ValueProblem("required")
        return column.blank
    if column.kind == TEXT:
        text = clean_text(raw)
        if column.max_length and len(text) > column.max_length:
            raise ValueProblem("too_long")
        return text
    if column.kind == CHOICE:
        value = _lookup(column.codes).get(_normal_code(clean_text(raw)))
        if value is None:
            raise ValueProblem("not_code")
        return str(value)
    if column.kind == YEAR:
        return parse_year(raw)
    if column.kind == YESNO:
        return parse_yes_no(raw)
    value = parse_amount(raw)
    if value is None:  # "Rp" alone
        if column.required:
            raise ValueProblem("required")
        return column.blank
    return value


def validate(raw: RawWorkbook) -> CheckedWorkbook:
    """Clean every cell and check rows against each other; collect every problem, stop at none."""
    checked = CheckedWorkbook()
    for sheet in SHEETS:
        letters = raw.letters.get(sheet.name, {})
        seen: dict[tuple, int] = {}
        clean_rows = []
        for number, cells in raw.rows.get(sheet.name, []):
            row_errors = []

            def fail(column: Column, message: str, sheet=sheet, letters=letters, number=number, row_errors=row_errors):
                letter = letters.get(column.field, "?")
                row_errors.append(CellError(sheet.name, number, letter, column.header, message))

            clean = {"_row": number}
            for column in sheet.columns:
                value = cells.get(column.field)
                try:
                    clean[column.field] = _clean_cell(column, value)
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
            if row_errors:
                checked.errors.extend(row_errors)
            else:
                clean_rows.append(clean)
        checked.rows[sheet.name] = clean_rows
    _check_references(raw, checked)
    return checked


def key_words(sheet: Sheet, key: tuple) -> list[str]:
    words = []
    for name, value in zip(sheet.key, key, strict=True):
        column = sheet.column(name)
        words.append(code_for(column.codes, value) if column.codes else str(value))
    return words


def _check_row(sheet: Sheet, clean: dict, fail) -> None:
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
            if clean["activity"] in codes:
                kept.append(clean)
                continue
            checked.errors.append(
                CellError(
                    sheet.name,
                    clean["_row"],
                    letter,
                    _ACTIVITY_CODE.header,
                    _("the activity code '%(code)s' is not in the sheet %(sheet)s.")
                    % {"code": clean["activity"], "sheet": ACTIVITIES.name},
                )
            )
        checked.rows[sheet.name] = kept
    order = {sheet.name: n for n, sheet in enumerate(SHEETS)}
    checked.errors.sort(key=lambda e: (order[e.sheet], e.row, e.column))


# --- Writing -------------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="198754")


def activity_cells(activity) -> list:
    return [
        activity.code,
        code_for(SUBSECTOR_CODES, activity.subsector),
        activity.name,
        activity.agency,
        activity.location,
        activity.year_start,
        activity.year_end,
    ]


def integration_cells(integration) -> list:
    return [
        integration.activity.code,
        code_for(DOCUMENT_CODES, integration.document),
        integration.year,
        YES if integration.included else NO,
        integration.nomenclature,
        integration.amount,
    ]


def budget_cells(line) -> list:
    return [
        line.activity.code,
        line.year,
        code_for(SOURCE_CODES, line.source),
        line.indicative,
        line.allocated,
        line.realised,
    ]


def apbd_cells(budget) -> list:
    return [budget.year, budget.total_apbd]


def _money_format(value) -> str:
    return "#,##0.00" if isinstance(value, Decimal) and value != value.to_integral_value() else "#,##0"


def _write_sheet(worksheet, sheet: Sheet, rows) -> None:
    worksheet.append([c.header for c in sheet.columns])
    for cell in worksheet[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    worksheet.freeze_panes = "A2"
    for position, column in enumerate(sheet.columns, start=1):
        worksheet.column_dimensions[get_column_letter(position)].width = column.width
    for values in rows:
        worksheet.append(values)
        for column, cell in zip(sheet.columns, worksheet[worksheet.max_row], strict=False):
            if column.kind == AMOUNT:
                cell.number_format = _money_format(cell.value)
            elif column.kind == TEXT:
                cell.number_format = "@"
                if cell.data_type == "f":  # openpyxl takes text starting with "=" for a formula: keep it text
                    cell.data_type = "s"
    last = MAX_ROWS + 1
    for position, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(position)
        if column.kind in (CHOICE, YESNO):
            choices = list(column.codes) if column.codes else [YES, NO]
            validation = DataValidation(
                type="list", formula1='"' + ",".join(choices) + '"', allow_blank=not column.required
            )
            validation.error = _("Choose one of: %(codes)s") % {"codes": ", ".join(choices)}
        elif column.kind == YEAR:
            validation = DataValidation(
                type="whole", operator="between", formula1=str(YEAR_MIN), formula2=str(YEAR_MAX)
            )
            validation.error = _("A year between %(first)s and %(last)s.") % {"first": YEAR_MIN, "last": YEAR_MAX}
        else:
            continue
        validation.showErrorMessage = True
        worksheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{last}")


def _write_guide(worksheet, regency) -> None:
    worksheet.column_dimensions["A"].width = 26
    worksheet.column_dimensions["B"].width = 60
    worksheet.column_dimensions["C"].width = 40
    worksheet.append([_("SSK programme activities, planning integration and budget")])
    worksheet["A1"].font = Font(bold=True, size=13)
    worksheet.append([GUIDE_REGENCY_LABEL, regency.code, regency.name])
    worksheet["A2"].font = worksheet["B2"].font = Font(bold=True)
    worksheet.append([_("Made on"), timezone.localdate().isoformat()])
    worksheet.append([])
    lines = [
        _("Fill in the sheets Kegiatan, Integrasi, Anggaran and APBD; keep their names and the headers in row 1."),
        _("One row per activity in Kegiatan; its code (e.g. AL-01) links the rows of Integrasi and Anggaran."),
        _("Integrasi: one row per activity, planning document and year; say Ya or Tidak, with its name and pagu."),
        _("Anggaran: one row per activity, year and funding source: indicative (SSK), allocated and realised."),
        _("APBD: the regency's total APBD of each year, to compute the sanitation share."),
        _("Amounts in rupiah: a number, or text such as 1.250.000 or 1.250.000,50. An empty amount is zero."),
        _("Rows are added or changed after you check the preview and confirm; an upload never deletes anything."),
        _("Use the codes listed below; the cells offer them in a list."),
    ]
    for line in lines:
        worksheet.append(["", line])
        worksheet.cell(worksheet.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    for title, codes in (
        ("Subsektor", {code: Subsector(value).label for code, value in SUBSECTOR_CODES.items()}),
        ("Dokumen", {code: PlanningDocument(value).label for code, value in DOCUMENT_CODES.items()}),
        ("Sumber dana", {code: FundingSource(value).label for code, value in SOURCE_CODES.items()}),
        ("Masuk dokumen", {YES: _("included in the document"), NO: _("not included")}),
    ):
        worksheet.append([])
        worksheet.append([title])
        worksheet.cell(worksheet.max_row, 1).font = Font(bold=True)
        for code, label in codes.items():
            worksheet.append([code, str(label)])


def build_workbook(*, regency, activities, integrations, budget_lines, regional_budgets) -> bytes:
    """The workbook (template and export alike): a guide sheet and the four data sheets, pre-filled."""
    workbook = Workbook()
    _write_guide(workbook.active, regency)
    workbook.active.title = GUIDE
    for sheet, rows in (
        (ACTIVITIES, (activity_cells(a) for a in activities)),
        (INTEGRATION, (integration_cells(i) for i in integrations)),
        (BUDGET, (budget_cells(b) for b in budget_lines)),
        (APBD, (apbd_cells(r) for r in regional_budgets)),
    ):
        _write_sheet(workbook.create_sheet(sheet.name), sheet, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- CSV export ----------------------------------------------------------------------------------

CSV_FILES = {  # file name → (header, the cells of one item)
    "kegiatan.csv": (
        [
            "kode_wilayah",
            "kode_kegiatan",
            "subsektor",
            "nama_kegiatan",
            "opd",
            "lokasi",
            "tahun_mulai",
            "tahun_selesai",
        ],
        activity_cells,
    ),
    "integrasi.csv": (
        ["kode_wilayah", "kode_kegiatan", "dokumen", "tahun", "masuk_dokumen", "nomenklatur", "pagu"],
        integration_cells,
    ),
    "anggaran.csv": (
        ["kode_wilayah", "kode_kegiatan", "tahun", "sumber_dana", "indikatif", "dialokasikan", "realisasi"],
        budget_cells,
    ),
    "apbd.csv": (["kode_wilayah", "tahun", "total_apbd"], apbd_cells),
}


def _csv_value(value) -> str:
    """Amounts as 1250000.50; text that starts like a formula (= + - @) gets a leading ' (tabular's guard)."""
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT):f}"
    return tabular.csv_value(value)


def build_csv_zip(*, regency, activities, integrations, budget_lines, regional_budgets) -> bytes:
    """A ZIP of four CSV files (UTF-8 with BOM, comma-separated, amounts as 1250000.50)."""
    sources = {
        "kegiatan.csv": activities,
        "integrasi.csv": integrations,
        "anggaran.csv": budget_lines,
        "apbd.csv": regional_budgets,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, (header, cells) in CSV_FILES.items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(header)
            for item in sources[name]:
                writer.writerow([regency.code, *(_csv_value(v) for v in cells(item))])
            package.writestr(name, "\ufeff" + text.getvalue())
    return buffer.getvalue()
