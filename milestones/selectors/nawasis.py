"""Reads for NAWASIS submissions; each page's reads take a fixed number of queries.

"Latest" is per regency and module: the submission with the latest date of entry (the later record
on a tie), whatever its verification (``milestones.selectors.figures.latest_submissions``, which the
reports read through too). The province table shows that latest submission's completeness
and whether the province has verified it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from milestones.models import NawasisSubmission
from milestones.selectors import figures
from regencies import scoping
from regencies.models import Province, Regency
from ssk_tracker.lib.users import AnyUser, User

MODULES = list(NawasisSubmission.Module)


def submissions_in_scope(user: AnyUser) -> QuerySet[NawasisSubmission]:
    return scoping.filter_by_scope(user, NawasisSubmission.objects.all(), "regency")


def submission_for_user(user: AnyUser, pk: int) -> NawasisSubmission:
    return scoping.get_or_404(submissions_in_scope(user).select_related("regency__province"), pk=pk)


def regency_submissions(regency: Regency) -> QuerySet[NawasisSubmission]:
    """Every submission of the regency, newest entry first."""
    return (
        NawasisSubmission.objects.filter(regency=regency)
        .select_related("recorded_by", "verified_by")
        .order_by("-submitted_on", "-pk")
    )


def _latest_submissions() -> QuerySet[NawasisSubmission]:
    return figures.latest_submissions(NawasisSubmission.objects.all()).select_related("verified_by", "recorded_by")


@dataclass(frozen=True)
class ModuleCell:
    module: NawasisSubmission.Module
    submission: NawasisSubmission | None


def _cells(latest: dict[str, NawasisSubmission]) -> list[ModuleCell]:
    return [ModuleCell(module, latest.get(module.value)) for module in MODULES]


def regency_latest(regency: Regency) -> list[ModuleCell]:
    """One cell per module, in the modules' order, with the regency's latest submission or None (one query).
    The cells show figures and dates only: no join to who recorded or verified them (the regency page's
    cost is mostly building SQL)."""
    latest = figures.latest_submissions(NawasisSubmission.objects.filter(regency=regency))
    return _cells({s.module: s for s in latest})


@dataclass(frozen=True)
class RegencyRow:
    regency: Regency
    cells: list[ModuleCell]


def province_table(province: Province) -> list[RegencyRow]:
    """Every regency of the province (by code) × every module, with the latest submission (two queries)."""
    latest: dict[str, dict[str, NawasisSubmission]] = {}
    for submission in _latest_submissions().filter(regency__province=province):
        latest.setdefault(submission.regency_id, {})[submission.module] = submission
    regencies = Regency.objects.filter(province=province).order_by("code")
    return [RegencyRow(regency, _cells(latest.get(regency.code, {}))) for regency in regencies]


# --- Exports (columns documented in milestones/NAWASIS.md) ---------------------------------------


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


def _person(user: User | None) -> str | None:
    return (user.get_full_name() or user.username) if user else None


type Cell = str | Decimal | datetime.date | None  # what an export's cell holds

REGENCY_COLUMNS = [
    "regency_code",
    "regency_name",
    "module",
    "module_name",
    "entered_on",
    "completeness",
    "notes",
    "recorded_by",
    "verified_on",
    "verified_by",
]


def regency_export(regency: Regency) -> tuple[list[str], list[list[Cell]]]:
    """Every submission of the regency, newest entry first: one row per submission."""
    rows = [
        [
            regency.code,
            regency.name,
            s.module,
            str(s.get_module_display()),
            s.submitted_on,
            s.completeness,
            s.notes,
            _person(s.recorded_by),
            _local_day(s.verified_at),
            _person(s.verified_by),
        ]
        for s in regency_submissions(regency)
    ]
    return REGENCY_COLUMNS, rows


def province_columns() -> list[str]:
    columns = ["province_code", "regency_code", "regency_name"]
    for module in MODULES:
        columns += [f"{module.value}_completeness", f"{module.value}_entered_on", f"{module.value}_verified_on"]
    return columns


def province_export(province: Province) -> tuple[list[str], list[list[Cell]]]:
    """The province table: one row per regency, three columns (latest completeness, entered, verified) per module."""
    rows = []
    for row in province_table(province):
        values: list[Cell] = [province.code, row.regency.code, row.regency.name]
        for cell in row.cells:
            s = cell.submission
            values += [s.completeness, s.submitted_on, _local_day(s.verified_at)] if s else [None, None, None]
        rows.append(values)
    return province_columns(), rows
