"""Writes for a regency's programme activities, their planning integration and budget lines, and its APBD.

Views check who may act (``regencies.scoping``: the regency's officer or the province's Pokja staff);
these functions check that the act makes sense and write in one transaction. Every write first locks
the regency's row, so a form save and a spreadsheet import of the same regency never interleave.

The spreadsheet import is two steps: ``selectors.planning_import.plan_import`` compares a checked
workbook with the database (what would be created, changed, left alone, and every invalid cell) and
gives the plan a fingerprint; ``apply_import`` re-reads and re-checks the same raw values inside the
transaction, and writes only if the workbook is valid and the plan still has the fingerprint the user
confirmed. An upload adds and changes rows; it never deletes.

Every write is in the audit trail (milestones/audit.py); the import's bulk writes record theirs through
``ssk_tracker.lib.audit``. Writes are also logged (``milestones.activities`` logger).

Versions (milestones/services/edits.py): an activity's form saves at the version it was loaded at. The
import is guarded by its fingerprint instead (a change between preview and confirm refuses it), and it
raises the version of every activity and budget line it changes, and of every activity whose rows or
budget lines it adds or changes, so a form opened before the import refuses to overwrite it.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils.translation import gettext as _

from milestones.forms.planning_upload import RawWorkbook
from milestones.forms.planning_workbook import clean_text
from milestones.models import BudgetLine, PlanningIntegration, ProgrammeActivity, RegionalBudget
from milestones.selectors.planning_import import (
    CHANGE,
    CREATE,
    SHEET_IMPORTS,
    ImportPlan,
    RowPlan,
    SheetImport,
    plan_import,
)
from milestones.services import ActionRefused
from milestones.services.edits import bump_versions, claim_version
from regencies.models import Regency
from ssk_tracker.lib import audit

logger = logging.getLogger("milestones.activities")

__all__ = [
    "ActionRefused",
    "BudgetLineInput",
    "IntegrationInput",
    "RegionalBudgetInput",
    "apply_import",
    "delete_activity",
    "save_activity",
    "save_regional_budgets",
]

Actor = AbstractBaseUser | AnonymousUser | None  # who acted: only named in the log


def _lock(regency: Regency) -> None:
    """Serialise writes to one regency's activities and budgets (a no-op on SQLite, which locks the file)."""
    Regency.objects.select_for_update().filter(pk=regency.pk).first()


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
    total_apbd: Decimal | None  # None only on a row being deleted
    pk: int | None = None
    delete: bool = False
    # The APBD's housing, settlements, drinking water and sanitation totals (RegionalBudget.SECTORS); None:
    # not entered.
    sectors: dict[str, Decimal | None] = field(default_factory=dict)


class _Entry(Protocol):
    """An input row: the pk of the row it edits (None for a new one), and whether to delete that row."""

    @property
    def pk(self) -> int | None: ...

    @property
    def delete(self) -> bool: ...


def _sync_children[Entry: _Entry](
    model: type[Model],
    parent_filter: dict[str, object],
    entries: list[Entry],
    values_of: Callable[[Entry], dict[str, object]],
) -> None:
    """Delete, update and create a parent's child rows from inputs (deletes first, then updates, then new)."""
    manager = model._default_manager
    existing = set(manager.filter(**parent_filter).values_list("pk", flat=True))
    for entry in entries:
        if entry.pk is not None and entry.pk not in existing:
            raise ActionRefused(_("A row was removed meanwhile; reload the page and try again."))
    doomed = [entry.pk for entry in entries if entry.pk is not None and entry.delete]
    audit.delete(manager.filter(pk__in=doomed))
    for entry in entries:
        if entry.pk is not None and not entry.delete:
            audit.update(manager.filter(pk=entry.pk), **values_of(entry), **_next_version(model))
    audit.bulk_created(
        manager.bulk_create(
            [model(**parent_filter, **values_of(entry)) for entry in entries if entry.pk is None and not entry.delete]
        )
    )


def _next_version(model: type[Model]) -> dict[str, object]:
    """``version + 1`` for a model that has a version (budget lines do, planning-document rows do not)."""
    return {"version": F("version") + 1} if _versioned(model) else {}


def _versioned(model: type[Model]) -> bool:
    return any(field.name == "version" for field in model._meta.concrete_fields)


def _integration_values(entry: IntegrationInput) -> dict[str, object]:
    return {
        "document": entry.document,
        "year": entry.year,
        "included": entry.included,
        "nomenclature": clean_text(entry.nomenclature),
        "amount": entry.amount,
    }


def _budget_values(entry: BudgetLineInput) -> dict[str, object]:
    return {
        "year": entry.year,
        "source": entry.source,
        "indicative": entry.indicative,
        "allocated": entry.allocated,
        "realised": entry.realised,
    }


def _regional_budget_values(entry: RegionalBudgetInput) -> dict[str, object]:
    sectors = {name: entry.sectors.get(name) for name in RegionalBudget.SECTORS}
    return {"year": entry.year, "total_apbd": entry.total_apbd, **sectors}


def _check_amounts(*amounts: Decimal | None) -> None:
    if any(amount is not None and amount < 0 for amount in amounts):
        raise ActionRefused(_("Amounts cannot be negative."))


def save_activity(
    *,
    regency: Regency,
    actor: Actor,
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
    version: int | None = None,
) -> ProgrammeActivity:
    """Create or edit an activity with its planning-document rows and budget lines, all or nothing.

    ``version``: the activity's version the edit form was loaded at; it guards the rows and budget
    lines too (``EditConflict`` when it moved on, or when the activity was deleted meanwhile)."""
    if year_end < year_start:
        raise ActionRefused(_("The activity cannot end before it starts."))
    integration_rows, budget_rows = list(integrations), list(budget_lines)
    _check_amounts(*(entry.amount for entry in integration_rows))
    _check_amounts(*(value for e in budget_rows for value in (e.indicative, e.allocated, e.realised)))
    fields: dict[str, str | int] = {
        "code": clean_text(code),
        "subsector": subsector,
        "name": clean_text(name),
        "agency": clean_text(agency),
        "location": clean_text(location),
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
                activity.version = claim_version(ProgrammeActivity, pk=activity.pk, version=version, values=fields)
                for key, value in fields.items():
                    setattr(activity, key, value)
            _sync_children(PlanningIntegration, {"activity": activity}, integration_rows, _integration_values)
            _sync_children(BudgetLine, {"activity": activity}, budget_rows, _budget_values)
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


def delete_activity(*, activity: ProgrammeActivity, actor: Actor) -> None:
    """Delete an activity with its planning-document rows and budget lines."""
    with transaction.atomic():
        _lock(activity.regency)
        ProgrammeActivity.objects.filter(pk=activity.pk).delete()
    logger.info("activity %s of %s deleted by %s", activity.code, activity.regency_id, actor)


def save_regional_budgets(*, regency: Regency, actor: Actor, entries: Iterable[RegionalBudgetInput]) -> None:
    """Create, change and delete the regency's yearly APBD totals, all or nothing."""
    rows = list(entries)
    if any(entry.total_apbd is None or entry.total_apbd <= 0 for entry in rows if not entry.delete):
        raise ActionRefused(_("The total APBD must be more than zero."))
    for entry in rows:
        if entry.delete:
            continue
        values = [v for v in entry.sectors.values() if v is not None]
        if any(v < 0 for v in values):
            raise ActionRefused(_("A sector total cannot be negative."))
        if entry.total_apbd is not None and sum(values, Decimal(0)) > entry.total_apbd:
            raise ActionRefused(_("The four sector totals together exceed the total APBD of the year."))
    try:
        with transaction.atomic():
            _lock(regency)
            _sync_children(RegionalBudget, {"regency": regency}, rows, _regional_budget_values)
    except IntegrityError:
        raise ActionRefused(_("Each year can have only one APBD total.")) from None
    logger.info("APBD totals of %s saved by %s", regency.code, actor)


# --- Spreadsheet import --------------------------------------------------------------------------


def apply_import(*, regency: Regency, actor: Actor, raw: RawWorkbook, fingerprint: str) -> ImportPlan:
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


def _write(regency: Regency, plan: ImportPlan) -> None:
    """Each sheet's new and changed rows, in the order of SHEET_IMPORTS (activities first)."""
    activity_ids: dict[str, int] | None = None
    for target in SHEET_IMPORTS:
        rows = plan.sheet(target.sheet.name).to_write
        parents: list[dict[str, object]]
        if target.of_activity:
            if activity_ids is None:  # read once the activities are written, so it holds the new ones
                activity_ids = dict(ProgrammeActivity.objects.filter(regency=regency).values_list("code", "pk"))
            parents = [{"activity_id": activity_ids[row.activity_code]} for row in rows]
        else:
            parents = [{"regency": regency} for _row in rows]
        _write_rows(target, rows, parents)


def _write_rows(target: SheetImport, rows: list[RowPlan], parents: list[dict[str, object]]) -> None:
    """Update the changed rows and create the new ones (``parents``: what each row belongs to)."""
    updated = []
    for row in rows:
        if row.status == CHANGE and row.instance is not None:
            for name, value in row.values.items():
                setattr(row.instance, name, value)
            updated.append(row.instance)
    manager = target.model._default_manager
    if updated:
        audit.bulk_update(manager, updated, target.update_fields, batch_size=500)
        if _versioned(target.model):
            bump_versions(manager.filter(pk__in=[row.pk for row in updated]))
    created = [
        target.model(**parent, **row.values) for row, parent in zip(rows, parents, strict=True) if row.status == CREATE
    ]
    audit.bulk_created(manager.bulk_create(created, batch_size=500))
    # An activity's rows and budget lines are edited on its form: a change to them moves the activity's
    # version, so a form opened before the import refuses to overwrite what the import wrote.
    touched = {cast(int, parent["activity_id"]) for parent in parents if "activity_id" in parent}
    if touched:
        bump_versions(ProgrammeActivity.objects.filter(pk__in=touched))
