"""The import plan of an uploaded planning workbook: what it would create, change and leave alone.

``plan_import`` checks the raw workbook (``forms.planning_upload.validate``) and compares it with the
regency's data, sheet by sheet through one table (``SHEET_IMPORTS``: which model a sheet fills); the
plan has a fingerprint of what the user saw. ``services.planning.apply_import`` recomputes the plan
inside its transaction and writes it only if the fingerprint is still the one the user confirmed.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

from django.db.models import Model, QuerySet

from milestones.forms.planning_upload import CellError, RawWorkbook, validate
from milestones.forms.planning_workbook import (
    ACTIVITIES,
    APBD,
    BUDGET,
    INTEGRATION,
    NO,
    SHEETS,
    YES,
    CleanRow,
    CleanValue,
    Sheet,
    clean_text,
    code_for,
    key_words,
)
from milestones.models import BudgetLine, PlanningIntegration, ProgrammeActivity, RegionalBudget
from regencies.models import Regency
from ssk_tracker.lib.amounts import format_amount

CREATE, CHANGE, SAME = "create", "change", "same"
Key = tuple[CleanValue, ...]


# --- Which table each sheet fills ----------------------------------------------------------------


@dataclass(frozen=True)
class SheetImport:
    """A sheet and the model its rows become. Integrasi and Anggaran rows belong to an activity (their
    "activity" column holds its code); Kegiatan and APBD rows belong to the regency."""

    sheet: Sheet
    model: type[Model]
    renames: Mapping[str, str] = field(default_factory=dict)  # sheet field → model field, where they differ

    def model_field(self, name: str) -> str:
        return self.renames.get(name, name)

    @property
    def of_activity(self) -> bool:
        return "activity" in self.sheet.key

    @property
    def update_fields(self) -> tuple[str, ...]:
        """What an upload may change in an existing row: every column but those naming the row."""
        return tuple(self.model_field(c.field) for c in self.sheet.columns if c.field not in self.sheet.key)

    def values(self, clean: CleanRow) -> dict[str, CleanValue]:
        """The model fields of a row, in column order (the activity is set apart: ``RowPlan.activity_code``)."""
        return {self.model_field(c.field): clean.values[c.field] for c in self.sheet.columns if c.field != "activity"}

    def key_of(self, row: Model) -> Key:
        paths = ("activity.code" if name == "activity" else self.model_field(name) for name in self.sheet.key)
        return tuple(attrgetter(path)(row) for path in paths)

    def existing(self, regency: Regency) -> dict[Key, Model]:
        """The regency's rows of this table by key (one query)."""
        rows: QuerySet[Model]
        if self.of_activity:
            rows = self.model._default_manager.filter(activity__regency=regency).select_related("activity")
        else:
            rows = self.model._default_manager.filter(regency=regency)
        return {self.key_of(row): row for row in rows}

    @property
    def labels(self) -> dict[str, str]:
        """Model field → the column's Indonesian header."""
        return {self.model_field(c.field): c.header for c in self.sheet.columns}


# In the order they are written: activities first, so that the rows of their integration and budget
# can name them.
SHEET_IMPORTS = (
    SheetImport(ACTIVITIES, ProgrammeActivity),
    SheetImport(INTEGRATION, PlanningIntegration),
    SheetImport(BUDGET, BudgetLine),
    SheetImport(APBD, RegionalBudget, renames={"total": "total_apbd"}),
)

# --- The plan ------------------------------------------------------------------------------------

_SHOWN_CODES = {c.field: c.codes for sheet in SHEETS for c in sheet.columns if c.codes}


def shown_value(name: str, value: object) -> str:
    """A value as the workbook writes it (codes, Ya/Tidak, 1.250.000,50), the same in every language."""
    if value is None or value == "":
        return "–"
    codes = _SHOWN_CODES.get(name)
    if codes:
        return code_for(codes, str(value))
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, Decimal):
        return format_amount(value)
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str  # the column's Indonesian header
    old: object
    new: CleanValue

    @property
    def shown_old(self) -> str:
        return shown_value(self.field, self.old)

    @property
    def shown_new(self) -> str:
        return shown_value(self.field, self.new)


@dataclass
class RowPlan:
    sheet: str
    row: int
    key: str  # how the row is named on the preview: "AL-01 · RPJMD · 2024"
    status: str  # create, change, same
    values: dict[str, CleanValue]  # the model fields to write
    changes: list[FieldChange] = field(default_factory=list)
    instance: Model | None = None  # the existing row, when there is one
    activity_code: str = ""

    @property
    def is_new(self) -> bool:
        return self.status == "create"

    @property
    def is_unchanged(self) -> bool:
        return self.status == "same"


@dataclass
class SheetPlan:
    name: str
    rows: list[RowPlan] = field(default_factory=list)
    kept: int = 0  # rows in the tracker that the file does not mention (left alone)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def created(self) -> int:
        return self.count(CREATE)

    @property
    def changed(self) -> int:
        return self.count(CHANGE)

    @property
    def unchanged(self) -> int:
        return self.count(SAME)

    @property
    def to_write(self) -> list[RowPlan]:
        return [row for row in self.rows if row.status != SAME]


@dataclass
class ImportPlan:
    sheets: list[SheetPlan]
    errors: list[CellError]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return any(sheet.to_write for sheet in self.sheets)

    @property
    def created(self) -> int:
        return sum(sheet.created for sheet in self.sheets)

    @property
    def changed(self) -> int:
        return sum(sheet.changed for sheet in self.sheets)

    def sheet(self, name: str) -> SheetPlan:
        return next(sheet for sheet in self.sheets if sheet.name == name)

    def errors_by_sheet(self) -> list[tuple[str, list[CellError]]]:
        grouped: dict[str, list[CellError]] = {}
        for error in self.errors:
            grouped.setdefault(error.sheet, []).append(error)
        return list(grouped.items())

    @property
    def fingerprint(self) -> str:
        """What the user saw: every row's status with old and new values (independent of language)."""
        summary = [
            [row.sheet, row.row, row.key, row.status, [[c.field, c.shown_old, c.shown_new] for c in row.changes]]
            for sheet in self.sheets
            for row in sheet.rows
        ]
        return hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()


def _same(old: object, new: CleanValue) -> bool:
    if isinstance(old, str) or isinstance(new, str):
        return clean_text(old) == clean_text(new)
    return old == new


def _row_plan(target: SheetImport, clean: CleanRow, existing: Mapping[Key, Model]) -> RowPlan:
    key = tuple(clean.values[name] for name in target.sheet.key)
    shown = " · ".join(key_words(target.sheet, key))
    values = target.values(clean)
    activity_code = str(clean.values.get("activity") or "")
    instance = existing.get(key)
    if instance is None:
        return RowPlan(target.sheet.name, clean.number, shown, CREATE, values, activity_code=activity_code)
    labels = target.labels
    changes = [
        FieldChange(name, labels[name], getattr(instance, name), value)
        for name, value in values.items()
        if not _same(getattr(instance, name), value)
    ]
    status = CHANGE if changes else SAME
    return RowPlan(target.sheet.name, clean.number, shown, status, values, changes, instance, activity_code)


def plan_import(*, regency: Regency, raw: RawWorkbook) -> ImportPlan:
    """Check the raw workbook and compare it with the regency's data (four queries, however many rows)."""
    checked = validate(raw)
    plans = []
    for target in SHEET_IMPORTS:
        existing = target.existing(regency)
        clean_rows = checked.rows[target.sheet.name]
        plan = SheetPlan(target.sheet.name, [_row_plan(target, clean, existing) for clean in clean_rows])
        in_file = {tuple(clean.values[name] for name in target.sheet.key) for clean in clean_rows}
        plan.kept = len(set(existing) - in_file)
        plans.append(plan)
    return ImportPlan(sheets=plans, errors=checked.errors)
