"""Import regions from a CSV in the format of the national list shipped in regencies/data/.

Columns: code, level (province|regency), province_code, name, kind (kabupaten|kota), population,
area_km2. The whole file is checked before anything is written; one bad row loads nothing.
"""

import csv
import re
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
_PROVINCE_CODE = re.compile(r"^\d{2}$")
_REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")


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


def read_rows(path: Path) -> list[_Row]:
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise RegionFileError([f"Cannot open {path}: {exc.strerror}."]) from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise RegionFileError(
                [f"Line 1: missing column(s) {', '.join(missing)}; expected {', '.join(REQUIRED_COLUMNS)}."]
            )
        rows: list[_Row] = []
        errors: list[str] = []
        try:
            for record in reader:
                row, row_errors = _parse(reader.line_num, record)
                errors.extend(row_errors)
                if row:
                    rows.append(row)
        except (csv.Error, UnicodeDecodeError) as exc:
            errors.append(f"Line {reader.line_num}: unreadable CSV ({exc}).")
    errors.extend(_check_consistency(rows))
    if errors:
        raise RegionFileError(errors)
    return rows


def _parse(line: int, record: dict[str, str]) -> tuple[_Row | None, list[str]]:
    # csv gives a missing cell as None and extra cells under the key None: both are refused first.
    if None in record or any(record.get(c) is None for c in REQUIRED_COLUMNS):
        return None, [f"Line {line}: expected {len(REQUIRED_COLUMNS)} columns."]
    code, level = record["code"].strip(), record["level"].strip()
    province_code, name, kind = record["province_code"].strip(), record["name"].strip(), record["kind"].strip()
    errors = []
    if level == "province":
        if not _PROVINCE_CODE.match(code):
            errors.append(f"Line {line}: province code {code!r} must be two digits, e.g. 62.")
        if province_code != code:
            errors.append(f"Line {line}: province_code {province_code!r} must equal the code {code!r}.")
        if kind:
            errors.append(f"Line {line}: a province has no kind (got {kind!r}).")
    elif level == "regency":
        if not _REGENCY_CODE.match(code):
            errors.append(f"Line {line}: regency code {code!r} must look like PP.KK, e.g. 62.13.")
        elif code[:2] != province_code:
            errors.append(f"Line {line}: regency {code} does not belong to province {province_code!r}.")
        if kind not in Regency.Kind.values:
            errors.append(f"Line {line}: kind {kind!r} must be kabupaten or kota.")
        elif _REGENCY_CODE.match(code):
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
    population = area = None
    raw_population = record["population"].strip()
    if raw_population:
        if raw_population.isdigit():
            population = int(raw_population)
        else:
            errors.append(f"Line {line}: population {raw_population!r} is not a whole number.")
    raw_area = record["area_km2"].strip()
    if raw_area:
        try:
            area = Decimal(raw_area).quantize(Decimal("0.001"))
            if area < 0 or not area.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(f"Line {line}: area_km2 {raw_area!r} is not a positive number.")
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
