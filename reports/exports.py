"""Scope-wide exports as CSV and XLSX: milestone status, follow-ups, activities, budget lines.

Each table is a list of (column header, value getter) over one ``values()`` queryset narrowed to the
user's scope (regencies.scoping) and, optionally, one province. Rows are plain dicts read with a
server-side cursor, never model instances: a national budget export is some 230,000 lines. The
"late" and "overdue" flags are figures.py's rules for one ``today``, computed by the database. The
columns are documented in the README.
"""

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from milestones.models import BudgetLine, Milestone
from milestones.selectors import figures
from milestones.selectors.clinics import actions_in_scope
from regencies import scoping
from ssk_tracker.lib.users import AnyUser

type Row = dict[str, Any]


@dataclass(frozen=True)
class Table:
    name: str
    # Each column's header and its field in the rows, or a function of the row for a computed one.
    columns: list[tuple[str, str | Callable[[Row], object]]]
    queryset: QuerySet[Any, Any]  # of Row dicts (values())
    province_path: str


def _flag(rule: Q) -> Case:
    """``rule`` as a column; NULL (no planned date) counts as false, as in the model's method."""
    return Case(When(rule, then=Value(True)), default=Value(False), output_field=BooleanField())


def _yes_no(name: str) -> Callable[[Row], str]:
    return lambda row: "yes" if row[name] else "no"


def _milestones(user: AnyUser, today: datetime.date) -> Table:
    rows = (
        scoping.filter_by_scope(user, Milestone.objects.all(), "regency")
        .annotate(late=_flag(figures.late_q(today)))
        .order_by("regency_id", "cohort__year_m1_m3", "definition__number")
        .values(
            "regency__province_id",
            "regency_id",
            "regency__name",
            "cohort__year_m1_m3",
            "cohort__year_m4",
            "definition__number",
            "status",
            "progress",
            "planned_date",
            "actual_date",
            "late",
        )
    )
    return Table(
        "milestones",
        [
            ("province_code", "regency__province_id"),
            ("regency_code", "regency_id"),
            ("regency", "regency__name"),
            ("cohort_m1_m3", itemgetter("cohort__year_m1_m3")),
            ("cohort_m4", itemgetter("cohort__year_m4")),
            ("milestone", lambda row: f"M{row['definition__number']}"),
            ("status", "status"),
            ("progress_percent", "progress"),
            ("planned_date", "planned_date"),
            ("actual_date", "actual_date"),
            ("late", _yes_no("late")),
        ],
        rows,
        "regency__province",
    )


def _owner(row: Row) -> str:
    """``FollowUpAction.owner`` as text: the Pokja, else the regency, else the agency (its short name)."""
    return (
        row["assigned_working_group__name"]
        or row["assigned_regency__name"]
        or row["assigned_agency__short_name"]
        or row["assigned_agency__name"]
        or ""
    )


def _follow_ups(user: AnyUser, today: datetime.date) -> Table:
    rows = (
        actions_in_scope(user)
        .annotate(overdue=_flag(figures.overdue_q(today)))
        .order_by("province_id", "due_date", "pk")
        .values(
            "province_id",
            "regency_id",
            "recommendation__clinic__number",
            "recommendation__clinic__date",
            "recommendation__text",
            "description",
            "assigned_working_group__name",
            "assigned_regency__name",
            "assigned_agency__short_name",
            "assigned_agency__name",
            "due_date",
            "status",
            "overdue",
            "drop_reason",
            "closing_note",
        )
    )
    return Table(
        "follow-ups",
        [
            ("province_code", "province_id"),
            ("regency_code", lambda row: row["regency_id"] or ""),
            ("clinic", lambda row: f"CC{row['recommendation__clinic__number']}"),
            ("clinic_date", "recommendation__clinic__date"),
            ("recommendation", "recommendation__text"),
            ("action", "description"),
            ("owner", _owner),
            ("due_date", "due_date"),
            ("status", "status"),
            ("overdue", _yes_no("overdue")),
            ("drop_reason", "drop_reason"),
            ("closing_note", "closing_note"),
        ],
        rows,
        "province",
    )


def _budget_lines(user: AnyUser, today: datetime.date) -> Table:
    rows = (
        scoping.filter_by_scope(user, BudgetLine.objects.all(), "activity__regency")
        .order_by("activity__regency_id", "activity__code", "year", "source")
        .values(
            "activity__regency__province_id",
            "activity__regency_id",
            "activity__code",
            "activity__name",
            "activity__subsector",
            "activity__agency",
            "year",
            "source",
            "indicative",
            "allocated",
            "realised",
        )
    )
    return Table(
        "budgets",
        [
            ("province_code", "activity__regency__province_id"),
            ("regency_code", "activity__regency_id"),
            ("activity_code", "activity__code"),
            ("activity", "activity__name"),
            ("subsector", "activity__subsector"),
            ("agency", "activity__agency"),
            ("year", "year"),
            ("source", "source"),
            ("indicative", "indicative"),
            ("allocated", "allocated"),
            ("realised", "realised"),
        ],
        rows,
        "activity__regency__province",
    )


# Each table for a user and the day its flags are judged on (one ``today`` per export, not per row).
TABLES: dict[str, Callable[[AnyUser, datetime.date], Table]] = {
    "milestones": _milestones,
    "follow-ups": _follow_ups,
    "budgets": _budget_lines,
}


def rows(table: Table, province: str | None = None) -> Iterator[Sequence[object]]:
    queryset = table.queryset
    if province:
        queryset = queryset.filter(**{table.province_path: province})
    sources = [source for _header, source in table.columns]
    fields = [source for source in sources if isinstance(source, str)]
    if len(fields) == len(sources):  # plain fields only: tuples straight from the cursor
        yield from queryset.values_list(*fields).iterator(chunk_size=2000)
        return
    getters = [itemgetter(source) if isinstance(source, str) else source for source in sources]
    for row in queryset.iterator(chunk_size=2000):
        yield [getter(row) for getter in getters]


def header(table: Table) -> list[str]:
    return [name for name, _getter in table.columns]
