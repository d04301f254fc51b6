"""Scope-wide exports as CSV and XLSX: milestone status, follow-ups, activities, budget lines.

Each table is a list of (column header, value getter) over one queryset narrowed to the user's scope
(regencies.scoping) and, optionally, one province. The columns are documented in the README.
"""

from dataclasses import dataclass

from milestones.models import BudgetLine, Milestone
from milestones.selectors.clinics import actions_in_scope
from regencies import scoping


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[tuple[str, object]]
    queryset: object
    regency_path: str


def _milestones(user):
    return scoping.filter_by_scope(
        user, Milestone.objects.select_related("regency__province", "definition", "cohort"), "regency"
    ).order_by("regency_id", "cohort__year_m1_m3", "definition__number")


def _follow_ups(user):
    return (
        actions_in_scope(user)
        .select_related(
            "province",
            "regency",
            "recommendation__clinic",
            "assigned_working_group",
            "assigned_regency",
            "assigned_agency",
        )
        .order_by("province_id", "due_date", "pk")
    )


def _budget_lines(user):
    return scoping.filter_by_scope(
        user, BudgetLine.objects.select_related("activity__regency__province"), "activity__regency"
    ).order_by("activity__regency_id", "activity__code", "year", "source")


TABLES = {
    "milestones": lambda user: Table(
        "milestones",
        [
            ("province_code", lambda m: m.regency.province_id),
            ("regency_code", lambda m: m.regency_id),
            ("regency", lambda m: m.regency.name),
            ("cohort_m1_m3", lambda m: m.cohort.year_m1_m3),
            ("cohort_m4", lambda m: m.cohort.year_m4),
            ("milestone", lambda m: f"M{m.definition.number}"),
            ("status", lambda m: m.status),
            ("progress_percent", lambda m: m.progress),
            ("planned_date", lambda m: m.planned_date),
            ("actual_date", lambda m: m.actual_date),
            ("late", lambda m: "yes" if m.is_late() else "no"),
        ],
        _milestones(user),
        "regency",
    ),
    "follow-ups": lambda user: Table(
        "follow-ups",
        [
            ("province_code", lambda a: a.province_id),
            ("regency_code", lambda a: a.regency_id or ""),
            ("clinic", lambda a: f"CC{a.recommendation.clinic.number}"),
            ("clinic_date", lambda a: a.recommendation.clinic.date),
            ("recommendation", lambda a: a.recommendation.text),
            ("action", lambda a: a.description),
            ("owner", lambda a: str(a.owner)),
            ("due_date", lambda a: a.due_date),
            ("status", lambda a: a.status),
            ("overdue", lambda a: "yes" if a.is_overdue() else "no"),
            ("drop_reason", lambda a: a.drop_reason),
            ("closing_note", lambda a: a.closing_note),
        ],
        _follow_ups(user),
        "regency",
    ),
    "budgets": lambda user: Table(
        "budgets",
        [
            ("province_code", lambda b: b.activity.regency.province_id),
            ("regency_code", lambda b: b.activity.regency_id),
            ("activity_code", lambda b: b.activity.code),
            ("activity", lambda b: b.activity.name),
            ("subsector", lambda b: b.activity.subsector),
            ("agency", lambda b: b.activity.agency),
            ("year", lambda b: b.year),
            ("source", lambda b: b.source),
            ("indicative", lambda b: b.indicative),
            ("allocated", lambda b: b.allocated),
            ("realised", lambda b: b.realised),
        ],
        _budget_lines(user),
        "activity__regency",
    ),
}


def rows(table: Table, province: str | None = None):
    queryset = table.queryset
    if province:
        field = "province" if table.name == "follow-ups" else f"{table.regency_path}__province"
        queryset = queryset.filter(**{field: province})
    for obj in queryset.iterator(chunk_size=2000):
        yield [getter(obj) for _header, getter in table.columns]


def header(table: Table) -> list[str]:
    return [name for name, _getter in table.columns]
