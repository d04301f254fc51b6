"""The workbook format of the planning exchange: a regency's activities, planning integration, budget lines
and APBD totals in four sheets (SPREADSHEETS.md describes it).

One format serves as the template, the upload and the XLSX export. Its sheet names, column headers and
codes are fixed Indonesian words: they are the file format, read back on upload, so they are never
translated. This module says what the sheets hold and what a cell of each kind means;
``forms.planning_upload`` reads and checks an upload, ``selectors.planning_export`` writes the workbook,
``selectors.planning_import`` compares an upload with the database.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from milestones import evidence
from milestones.models import FundingSource, PlanningDocument, Subsector
from ssk_tracker.lib.amounts import ZERO, ValueProblem, parse_amount

XLSX_CONTENT_TYPE = evidence.XLSX.content_type
# Data rows per sheet: more are refused on upload; the template's cell lists cover as many.
MAX_ROWS = settings.SPREADSHEET_MAX_ROWS
YEAR_MIN, YEAR_MAX = 2000, 2100

# A cell as read from the file (JSON-safe, so the session can keep it) and as cleaned for the database.
RawValue = str | int | float | bool | None
CleanValue = str | int | bool | Decimal | None

# --- The codes used in the workbook (data-validation lists) --------------------------------------

SUBSECTOR_CODES: dict[str, str] = {
    "AIR_LIMBAH": Subsector.WASTEWATER,
    "PERSAMPAHAN": Subsector.SOLID_WASTE,
    "DRAINASE": Subsector.DRAINAGE,
    "HIGIENE": Subsector.HYGIENE,
}
DOCUMENT_CODES: dict[str, str] = {
    "RPJMD": PlanningDocument.RPJMD,
    "RKPD": PlanningDocument.RKPD,
    "Renstra-PD": PlanningDocument.RENSTRA_PD,
    "Renja-PD": PlanningDocument.RENJA_PD,
}
SOURCE_CODES: dict[str, str] = {
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


def code_for(codes: Mapping[str, str], model_value: str) -> str:
    """The workbook code of a model value: code_for(SOURCE_CODES, "dak") → "DAK"."""
    for code, value in codes.items():
        if value == model_value:
            return code
    raise KeyError(model_value)


def _lookup(codes: Mapping[str, str]) -> dict[str, str]:
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
    codes: Mapping[str, str] | None = None
    blank: CleanValue = None  # the value of an empty optional cell
    width: int = 16


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the fields that identify a row

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)


ACTIVITY_CODE = Column("activity", "Kode kegiatan", TEXT, max_length=30, width=14)

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
        ACTIVITY_CODE,
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
        ACTIVITY_CODE,
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


@dataclass(frozen=True)
class CleanRow:
    """A valid row of a sheet: its number in the file and its clean values by field."""

    number: int
    values: dict[str, CleanValue]


def key_words(sheet: Sheet, key: tuple[CleanValue, ...]) -> list[str]:
    """A row's key as the workbook writes it: ["AL-01", "RPJMD", "2024"]."""
    words = []
    for name, value in zip(sheet.key, key, strict=True):
        column = sheet.column(name)
        words.append(code_for(column.codes, str(value)) if column.codes else str(value))
    return words


# --- What a cell means (amounts: ssk_tracker.lib.amounts) ---------------------------------------


def parse_year(raw: object) -> int:
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


def parse_yes_no(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    word = _normal_code(str(raw))
    if word in _YES_WORDS:
        return True
    if word in _NO_WORDS:
        return False
    raise ValueProblem("not_yes_no")


def clean_text(raw: object) -> str:
    """Text as stored: whitespace (line breaks included) collapsed to single spaces."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return " ".join(str(raw).split())


def clean_cell(column: Column, raw: RawValue) -> CleanValue:
    """The cell's clean value, or ValueProblem (its code names the problem)."""
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
        value = _lookup(column.codes or {}).get(_normal_code(clean_text(raw)))
        if value is None:
            raise ValueProblem("not_code")
        return str(value)
    if column.kind == YEAR:
        return parse_year(raw)
    if column.kind == YESNO:
        return parse_yes_no(raw)
    amount = parse_amount(raw)
    if amount is None:  # "Rp" alone
        if column.required:
            raise ValueProblem("required")
        return column.blank
    return amount
