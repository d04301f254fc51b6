"""Writes for a regency's programme activities, their planning integration and budget lines, and its APBD.

Views check who may act (``regencies.scoping``: the regency's officer or the province's Pokja staff);
these functions check that the act makes sense and write in one transaction. Every write first locks
the regency's row, so a form save and a spreadsheet import of the same regency never interleave.

The spreadsheet import is two steps: ``plan_import`` compares a checked workbook with the database
(what would be created, changed, left alone, and every invalid cell) and gives the plan a fingerprint;
``apply_import`` re-reads and re-checks the same raw values inside the transaction, and writes only if
the workbook is valid and the plan still has the fingerprint the user confirmed. An upload adds and
changes rows; it never deletes.

There is no audit model for these tables yet; writes are logged (``milestones.activities`` logger).
"""

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from milestones.forms import planning_workbook as sheets
from milestones.models import BudgetLine, PlanningIntegration, ProgrammeActivity, RegionalBudget
from milestones.services import ActionRefused
from regencies.models import Regency

logger = logging.getLogger("milestones.activities")

__all__ = [
    "ActionRefused",
    "BudgetLineInput",
    "ImportPlan",
    "IntegrationInput",
    "RegionalBudgetInput",
    "apply_import",
    "delete_activity",
    "plan_import",
    "save_activity",
    "save_regional_budgets",
]

ACTIVITY_FIELDS = ("subsector", "name", "agency", "location", "year_start", "year_end")
INTEGRATION_FIELDS = ("included", "nomenclature", "amount")
BUDGET_FIELDS = ("indicative", "allocated", "realised")


def _lock(regency: Regency) -> None:
    """Serialise writes to one regency's activities and budgets (a no-op on SQLite, which locks the file)."""
    Regency.objects.select_for_update().filter(pk=regency.pk).first()


def _text(value) -> str:
    return sheets.clean_text(value)


# --- Form writes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntegrationInput:
    """One planning-document row of an activity as entered; ``pk`` for an existing one."""

    document: str
    year: int
    included: bool
    nomenclature: str = ""
    amount: Decimal | None = None
    pk: int | None = None
    delete: bool = False


@dataclass(frozen=True)
class BudgetLineInput:
    year: int
    source: str
    indicative: Decimal = Decimal(0)
    allocated: Decimal = Decimal(0)
    realised: Decimal = Decimal(0)
    pk: int | None = None
    delete: bool = False


@dataclass(frozen=True)
class RegionalBudgetInput:
    year: int
    total_apbd: Decimal
    pk: int | None = None
    delete: bool = False


def _sync_children(model, parent_filter: dict, entries, values_of) -> None:
    """Delete, update and create a parent's child rows from inputs (deletes first, then updates, then new)."""
    existing = {row.pk: row for row in model.objects.filter(**parent_filter)}
    entries = list(entries)
    for entry in entries:
        if entry.pk is not None and entry.pk not in existing:
            raise ActionRefused(_("A row was removed meanwhile; reload the page and try again."))
    doomed = [entry.pk for entry in entries if entry.pk is not None and entry.delete]
    model.objects.filter(pk__in=doomed).delete()
    for entry in entries:
        if entry.pk is not None and not entry.delete:
            model.objects.filter(pk=entry.pk).update(**values_of(entry))
    model.objects.bulk_create(
        [model(**parent_filter, **values_of(entry)) for entry in entries if entry.pk is None and not entry.delete]
    )


def _integration_values(entry: IntegrationInput) -> dict:
    return {
        "document": entry.document,
        "year": entry.year,
        "included": entry.included,
        "nomenclature": _text(entry.nomenclature),
        "amount": entry.amount,
    }


def _budget_values(entry: BudgetLineInput) -> dict:
    return {
        "year": entry.year,
        "source": entry.source,
        "indicative": entry.indicative,
        "allocated": entry.allocated,
        "realised": entry.realised,
    }


def _check_amounts(*amounts) -> None:
    if any(amount is not None and amount < 0 for amount in amounts):
        raise ActionRefused(_("Amounts cannot be negative."))


def save_activity(
    *,
    regency,
    actor,
    code: str,
    subsector: str,
    name: str,
    agency: str,
    year_start: int,
    year_end: int,
    location: str = "",
    integrations: Iterable[IntegrationInput] = (),
    budget_lines: Iterable[BudgetLineInput] = (),
    activity: ProgrammeActivity | None = None,
) -> ProgrammeActivity:
    """Create or edit an activity with its planning-document rows and budget lines, all or nothing."""
    if year_end < year_start:
        raise ActionRefused(_("The activity cannot end before it starts."))
    integrations, budget_lines = list(integrations), list(budget_lines)
    _check_amounts(*(entry.amount for entry in integrations))
    _check_amounts(*(value for e in budget_lines for value in (e.indicative, e.allocated, e.realised)))
    fields = {
        "code": _text(code),
        "subsector": subsector,
        "name": _text(name),
        "agency": _text(agency),
        "location": _text(location),
        "year_start": year_start,
        "year_end": year_end,
    }
    try:
        with transaction.atomic():
            _lock(regency)
            if activity is None:
                activity = ProgrammeActivity.objects.create(regency=regency, **fields)
            else:
                if activity.regency_id != regency.pk:
                    raise ActionRefused(_("This activity belongs to another regency."))
                if not ProgrammeActivity.objects.filter(pk=activity.pk).update(**fields):
                    raise ActionRefused(_("This activity was deleted meanwhile."))
                for key, value in fields.items():
                    setattr(activity, key, value)
            _sync_children(PlanningIntegration, {"activity": activity}, integrations, _integration_values)
            _sync_children(BudgetLine, {"activity": activity}, budget_lines, _budget_values)
    except IntegrityError:
        raise ActionRefused(
            _(
                "The activity code %(code)s is already used in this regency, or a planning document or funding "
                "source appears twice for the same year."
            )
            % {"code": fields["code"]}
        ) from None
    logger.info("activity %s of %s saved by %s", activity.code, regency.code, actor)
    return activity


def delete_activity(*, activity: ProgrammeActivity, actor) -> None:
    """Delete an activity with its planning-document rows and budget lines."""
    with transaction.atomic():
        _lock(activity.regency)
        ProgrammeActivity.objects.filter(pk=activity.pk).delete()
    logger.info("activity %s of %s deleted by %s", activity.code, activity.regency_id, actor)


def save_regional_budgets(*, regency, actor, entries: Iterable[RegionalBudgetInput]) -> None:
    """Create, change and delete the regency's yearly APBD totals, all or nothing."""
    entries = list(entries)
    if any(entry.total_apbd is None or entry.total_apbd <= 0 for entry in entries if not entry.delete):
        raise ActionRefused(_("The total APBD must be more than zero."))
    try:
        with transaction.atomic():
            _lock(regency)
            _sync_children(
                RegionalBudget,
                {"regency": regency},
                entries,
                lambda entry: {"year": entry.year, "total_apbd": entry.total_apbd},
            )
    except IntegrityError:
        raise ActionRefused(_("Each year can have only one APBD total.")) from None
    logger.info("APBD totals of %s saved by %s", regency.code, actor)


# --- Spreadsheet import --------------------------------------------------------------------------

CREATE, CHANGE, SAME = "create", "change", "same"


_SHOWN_CODES = {
    "subsector": sheets.SUBSECTOR_CODES,
    "document": sheets.DOCUMENT_CODES,
    "source": sheets.SOURCE_CODES,
}


def shown_value(name: str, value) -> str:
    """A value as the workbook writes it (codes, Ya/Tidak, 1.250.000,50), the same in every language."""
    if value is None or value == "":
        return "–"
    if name in _SHOWN_CODES:
        return sheets.code_for(_SHOWN_CODES[name], value)
    if isinstance(value, bool):
        return sheets.YES if value else sheets.NO
    if isinstance(value, Decimal):
        return sheets.format_amount(value)
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str  # the column's Indonesian header
    old: object
    new: object

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
    values: dict  # the model fields to write
    changes: list[FieldChange] = field(default_factory=list)
    instance: object = None  # the existing row, when there is one
    activity_code: str = ""


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
    errors: list[sheets.CellError]

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

    def errors_by_sheet(self) -> list[tuple[str, list[sheets.CellError]]]:
        grouped = {}
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


def _same(old, new) -> bool:
    if isinstance(old, str) or isinstance(new, str):
        return _text(old) == _text(new)
    return old == new


def _compare(sheet_name, row, key, values, instance, labels, **extra) -> RowPlan:
    if instance is None:
        return RowPlan(sheet_name, row, key, CREATE, values, **extra)
    changes = [
        FieldChange(name, labels[name], getattr(instance, name), value)
        for name, value in values.items()
        if not _same(getattr(instance, name), value)
    ]
    return RowPlan(sheet_name, row, key, CHANGE if changes else SAME, values, changes, instance, **extra)


def _labels(sheet: sheets.Sheet, renames: dict | None = None) -> dict:
    """Model field → the column's Indonesian header."""
    renames = renames or {}
    return {renames.get(c.field, c.field): c.header for c in sheet.columns}


def plan_import(*, regency, raw: sheets.RawWorkbook) -> ImportPlan:
    """Check the raw workbook and compare it with the regency's data (four queries, however many rows)."""
    checked = sheets.validate(raw)
    activities = {a.code: a for a in ProgrammeActivity.objects.filter(regency=regency)}
    integrations = {
        (i.activity.code, i.document, i.year): i
        for i in PlanningIntegration.objects.filter(activity__regency=regency).select_related("activity")
    }
    budget_lines = {
        (b.activity.code, b.year, b.source): b
        for b in BudgetLine.objects.filter(activity__regency=regency).select_related("activity")
    }
    totals = {r.year: r for r in RegionalBudget.objects.filter(regency=regency)}

    activity_plan = SheetPlan(sheets.ACTIVITIES.name)
    labels = _labels(sheets.ACTIVITIES)
    for clean in checked.rows[sheets.ACTIVITIES.name]:
        values = {name: clean[name] for name in ("code", *ACTIVITY_FIELDS)}
        activity_plan.rows.append(
            _compare(activity_plan.name, clean["_row"], clean["code"], values, activities.get(clean["code"]), labels)
        )
    activity_plan.kept = len(set(activities) - {clean["code"] for clean in checked.rows[sheets.ACTIVITIES.name]})

    integration_plan = SheetPlan(sheets.INTEGRATION.name)
    labels = _labels(sheets.INTEGRATION)
    for clean in checked.rows[sheets.INTEGRATION.name]:
        key = (clean["activity"], clean["document"], clean["year"])
        values = {name: clean[name] for name in INTEGRATION_FIELDS}
        shown = " · ".join(sheets.key_words(sheets.INTEGRATION, key))
        integration_plan.rows.append(
            _compare(
                integration_plan.name,
                clean["_row"],
                shown,
                {"document": clean["document"], "year": clean["year"], **values},
                integrations.get(key),
                labels,
                activity_code=clean["activity"],
            )
        )
    integration_plan.kept = len(set(integrations) - {_plan_key(r, "document") for r in integration_plan.rows})

    budget_plan = SheetPlan(sheets.BUDGET.name)
    labels = _labels(sheets.BUDGET)
    for clean in checked.rows[sheets.BUDGET.name]:
        key = (clean["activity"], clean["year"], clean["source"])
        values = {name: clean[name] for name in BUDGET_FIELDS}
        shown = " · ".join(sheets.key_words(sheets.BUDGET, key))
        budget_plan.rows.append(
            _compare(
                budget_plan.name,
                clean["_row"],
                shown,
                {"year": clean["year"], "source": clean["source"], **values},
                budget_lines.get(key),
                labels,
                activity_code=clean["activity"],
            )
        )
    budget_plan.kept = len(set(budget_lines) - {_plan_key(r, "source") for r in budget_plan.rows})

    apbd_plan = SheetPlan(sheets.APBD.name)
    labels = _labels(sheets.APBD, {"total": "total_apbd"})
    for clean in checked.rows[sheets.APBD.name]:
        values = {"year": clean["year"], "total_apbd": clean["total"]}
        apbd_plan.rows.append(
            _compare(apbd_plan.name, clean["_row"], str(clean["year"]), values, totals.get(clean["year"]), labels)
        )
    apbd_plan.kept = len(set(totals) - {row.values["year"] for row in apbd_plan.rows})

    return ImportPlan(sheets=[activity_plan, integration_plan, budget_plan, apbd_plan], errors=checked.errors)


def _plan_key(row: RowPlan, second: str) -> tuple:
    if second == "document":
        return (row.activity_code, row.values["document"], row.values["year"])
    return (row.activity_code, row.values["year"], row.values["source"])


def apply_import(*, regency, actor, raw: sheets.RawWorkbook, fingerprint: str) -> ImportPlan:
    """Write a confirmed upload: re-check it, and write only if it is valid and still what was previewed.

    Raises ActionRefused when the file has errors or when the regency's data changed after the preview
    (the plan's fingerprint differs); returns the plan that was written (with no changes when the data
    already matched, e.g. a confirm sent twice).
    """
    with transaction.atomic():
        _lock(regency)
        plan = plan_import(regency=regency, raw=raw)
        if not plan.is_valid:
            raise ActionRefused(_("The workbook has errors, so nothing was saved. Correct them and upload it again."))
        if not plan.has_changes:
            return plan
        if plan.fingerprint != fingerprint:
            raise ActionRefused(
                _("This regency's data changed after the preview. Check the new preview, then confirm again.")
            )
        _write(regency, plan)
    logger.info(
        "workbook %s (%s) imported into %s by %s: %s created, %s changed",
        raw.file_name,
        raw.sha256[:12],
        regency.code,
        actor,
        plan.created,
        plan.changed,
    )
    return plan


def _write_rows(model, rows: list[RowPlan], fields: tuple[str, ...], **parent) -> None:
    updated = []
    for row in rows:
        if row.status == CHANGE:
            for name, value in row.values.items():
                setattr(row.instance, name, value)
            updated.append(row.instance)
    if updated:
        model.objects.bulk_update(updated, fields, batch_size=500)
    created = [
        model(**{key: value(row) if callable(value) else value for key, value in parent.items()}, **row.values)
        for row in rows
        if row.status == CREATE
    ]
    model.objects.bulk_create(created, batch_size=500)


def _write(regency, plan: ImportPlan) -> None:
    _write_rows(ProgrammeActivity, plan.sheet(sheets.ACTIVITIES.name).to_write, ACTIVITY_FIELDS, regency=regency)
    ids = dict(ProgrammeActivity.objects.filter(regency=regency).values_list("code", "pk"))

    def activity_of(row):
        return ids[row.activity_code]

    _write_rows(
        PlanningIntegration,
        plan.sheet(sheets.INTEGRATION.name).to_write,
        INTEGRATION_FIELDS,
        activity_id=activity_of,
    )
    _write_rows(BudgetLine, plan.sheet(sheets.BUDGET.name).to_write, BUDGET_FIELDS, activity_id=activity_of)
    _write_rows(RegionalBudget, plan.sheet(sheets.APBD.name).to_write, ("total_apbd",), regency=regency)
