"""Import regions from a CSV in the format of the national list shipped in regencies/data/.

Columns: code, level (province|regency), province_code, name, kind (kabupaten|kota), population,
area_km2. The whole file is checked before anything is written; one bad row loads nothing (all or
nothing), and every bad line is reported with its number and what is wrong.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from regencies.models import Province, Regency
from ssk_tracker.lib import audit

# The national list (38 provinces, 514 regencies; attribution in data/README.md). A newer list is
# loaded by giving its path.
NATIONAL_LIST = Path(__file__).resolve().parent / "data" / "wilayah_indonesia.csv"
REQUIRED_COLUMNS = ["code", "level", "province_code", "name", "kind", "population", "area_km2"]
_PROVINCE_CODE = re.compile(r"[0-9]{2}")
_REGENCY_CODE = re.compile(r"[0-9]{2}\.[0-9]{2}")


class RegionFileError(Exception):
    """The file cannot be loaded; ``errors`` lists each problem with its line number."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class LoadResult:
    provinces: Counts = field(default_factory=Counts)
    regencies: Counts = field(default_factory=Counts)
    changes: list[str] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    code: str
    level: str
    province_code: str
    name: str
    kind: str
    population: int | None
    area_km2: Decimal | None


# A line of the national list is under 100 bytes: anything far longer is not a region.
MAX_LINE_BYTES = 1000
MAX_FILE_BYTES = 5_000_000
_MAX_POPULATION_DIGITS = 10  # 10 000 000 000 people would already be wrong
_MAX_AREA = Decimal("999999999.999")  # what area_km2 (12 digits, 3 decimals) holds


def read_rows(path: Path) -> list[_Row]:
    """Every row of the file, or a RegionFileError that lists every bad line (the file is never half-read)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise RegionFileError([f"Cannot open {path}: {exc.strerror}."]) from None
    if len(data) > MAX_FILE_BYTES:
        raise RegionFileError([f"The file is larger than {MAX_FILE_BYTES:,} bytes; a region list is far smaller."])
    data = data.removeprefix(b"\xef\xbb\xbf")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RegionFileError(["Line 1: the file is UTF-16; save it as UTF-8 (CSV UTF-8)."])
    errors = _physical_line_errors(data)
    bad_lines = {number for number, _message in errors}
    text = data.decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append((line, f"Line {line}: unreadable CSV ({exc})."))
            cells = None
        first_line, line = line, reader.line_num + 1
        if cells is not None and first_line not in bad_lines and any(c.strip() for c in cells):
            records.append((first_line, cells))
    messages = [message for _number, message in sorted(errors, key=lambda error: error[0])]
    if not records:
        raise RegionFileError(messages or ["The file is empty: the first line must be " + ",".join(REQUIRED_COLUMNS)])
    header_line, header = records[0]
    header = [cell.strip() for cell in header]
    if header != REQUIRED_COLUMNS:
        raise RegionFileError(messages + [_header_error(header_line, header)])
    rows: list[_Row] = []
    for number, cells in records[1:]:
        row, row_errors = _parse(number, dict(zip(REQUIRED_COLUMNS, cells, strict=False)), len(cells))
        messages.extend(row_errors)
        if row:
            rows.append(row)
    messages.extend(_check_consistency(rows))
    if messages:
        raise RegionFileError(messages)
    return rows


def _physical_line_errors(data: bytes) -> list[tuple[int, str]]:
    """Lines that are not UTF-8 text or far too long, found on the raw bytes (before CSV quoting)."""
    errors = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if len(raw) > MAX_LINE_BYTES:
            errors.append((number, f"Line {number}: {len(raw):,} bytes long; a line holds at most {MAX_LINE_BYTES}."))
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(
                (
                    number,
                    f"Line {number}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                    "save the file as CSV UTF-8.",
                )
            )
    return errors


def _header_error(line: int, header: list[str]) -> str:
    expected = ", ".join(REQUIRED_COLUMNS)
    if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        return f"Line {line}: the columns are not separated by commas; expected {expected}."
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return f"Line {line}: missing column(s) {', '.join(missing)}; expected {expected}."
    return f"Line {line}: the columns must be exactly {expected}, in this order (got {', '.join(header)})."


def _control_characters(value: str) -> str:
    """The control characters (line breaks, tabs, NUL, bidi and zero-width marks) in a cell, as code points."""
    found = sorted({c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") or c == "\ufffd"})
    return ", ".join(f"U+{ord(c):04X}" for c in found)


def _parse(line: int, record: dict[str, str], width: int) -> tuple[_Row | None, list[str]]:
    if width != len(REQUIRED_COLUMNS):
        return None, [
            f"Line {line}: {width} column(s); expected {len(REQUIRED_COLUMNS)} ({', '.join(REQUIRED_COLUMNS)})."
        ]
    errors = []
    for column in REQUIRED_COLUMNS:
        control = _control_characters(record[column])
        if control:
            errors.append(f"Line {line}: {column} contains control characters ({control}); remove them.")
    if errors:
        return None, errors
    code, level = record["code"].strip(), record["level"].strip()
    province_code, name, kind = record["province_code"].strip(), record["name"].strip(), record["kind"].strip()
    if level == "province":
        if not _PROVINCE_CODE.fullmatch(code):
            errors.append(f"Line {line}: province code {code!r} must be two digits, e.g. 62.")
        if province_code != code:
            errors.append(f"Line {line}: province_code {province_code!r} must equal the code {code!r}.")
        if kind:
            errors.append(f"Line {line}: a province has no kind (got {kind!r}).")
    elif level == "regency":
        if not _REGENCY_CODE.fullmatch(code):
            errors.append(f"Line {line}: regency code {code!r} must look like PP.KK, e.g. 62.13.")
        elif code[:2] != province_code:
            errors.append(f"Line {line}: regency {code} does not belong to province {province_code!r}.")
        if kind not in Regency.Kind.values:
            errors.append(f"Line {line}: kind {kind!r} must be kabupaten or kota.")
        elif _REGENCY_CODE.fullmatch(code):
            is_kota = int(code[3:]) >= 71
            if is_kota != (kind == Regency.Kind.KOTA):
                errors.append(
                    f"Line {line}: code {code} is a {'kota' if is_kota else 'kabupaten'} code but kind is {kind!r}."
                )
    else:
        errors.append(f"Line {line}: level {level!r} must be province or regency.")
    if not name:
        errors.append(f"Line {line}: name is empty.")
    elif len(name) > 100:
        errors.append(f"Line {line}: name is longer than 100 characters.")
    elif "  " in name:
        errors.append(f"Line {line}: name {name!r} has a double space.")
    population = area = None
    raw_population = record["population"].strip()
    if raw_population:
        # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
        if raw_population.isascii() and raw_population.isdigit() and len(raw_population) <= _MAX_POPULATION_DIGITS:
            population = int(raw_population)
        else:
            errors.append(f"Line {line}: population {raw_population[:20]!r} is not a whole number of people.")
    raw_area = record["area_km2"].strip()
    if raw_area:
        try:
            if not raw_area.isascii() or len(raw_area) > 20:
                raise InvalidOperation
            area = Decimal(raw_area).quantize(Decimal("0.001"))
            if not area.is_finite() or area < 0 or area > _MAX_AREA:
                raise InvalidOperation
        except InvalidOperation:
            errors.append(f"Line {line}: area_km2 {raw_area[:20]!r} is not a number between 0 and {_MAX_AREA}.")
    if errors:
        return None, errors
    return _Row(line, code, level, province_code, name, kind, population, area), []


def _check_consistency(rows: list[_Row]) -> list[str]:
    errors: list[str] = []
    seen: dict[str, int] = {}
    for row in rows:
        if row.code in seen:
            errors.append(f"Line {row.line}: code {row.code} already appears on line {seen[row.code]}.")
        seen[row.code] = row.line
    province_codes = {r.code for r in rows if r.level == "province"}
    known = province_codes | set(Province.objects.values_list("code", flat=True))
    for row in rows:
        if row.level == "regency" and row.province_code not in known:
            errors.append(f"Line {row.line}: province {row.province_code} is neither in the file nor loaded.")
    return errors


def load_regions(path: Path | None = None, *, update_existing: bool = True) -> LoadResult:
    """Create missing regions and (unless told not to) update changed ones, all in one transaction.

    Without a path, the national list shipped with the tracker."""
    rows = read_rows(path or NATIONAL_LIST)
    result = LoadResult()
    with transaction.atomic():
        _upsert(
            Province,
            [r for r in rows if r.level == "province"],
            ["name", "population", "area_km2"],
            lambda r: Province(code=r.code, name=r.name, population=r.population, area_km2=r.area_km2),
            result.provinces,
            result.changes,
            update_existing,
        )
        _upsert(
            Regency,
            [r for r in rows if r.level == "regency"],
            ["province_id", "name", "kind", "population", "area_km2"],
            lambda r: Regency(
                code=r.code,
                province_id=r.province_code,
                name=r.name,
                kind=r.kind,
                population=r.population,
                area_km2=r.area_km2,
            ),
            result.regencies,
            result.changes,
            update_existing,
        )
    return result


def _upsert[M: (Province, Regency)](
    model: type[M],
    rows: list[_Row],
    fields: list[str],
    build: Callable[[_Row], M],
    result: Counts,
    changes: list[str],
    update_existing: bool,
) -> None:
    existing = model.objects.in_bulk([r.code for r in rows])
    to_create, to_update = [], []
    for row in rows:
        wanted = build(row)
        current = existing.get(row.code)
        if current is None:
            to_create.append(wanted)
            changes.append(f"+ {row.code} {row.name}")
            continue
        changed = [f for f in fields if getattr(current, f) != getattr(wanted, f)]
        if not changed or not update_existing:
            result.unchanged += 1
            continue
        for f in changed:
            setattr(current, f, getattr(wanted, f))
        to_update.append(current)
        changes.append(f"~ {row.code} {row.name}: {', '.join(changed)}")
    audit.bulk_created(model.objects.bulk_create(to_create, batch_size=500))
    if to_update:
        audit.bulk_update(model.objects, to_update, fields, batch_size=500)
    result.created += len(to_create)
    result.updated += len(to_update)
