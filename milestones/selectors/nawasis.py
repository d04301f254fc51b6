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
from ssk_tracker.lib import formatting
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
class LatestEntry:
    """A regency's latest submission of one module, as the province table shows and exports it."""

    completeness: Decimal
    shown: str  # the completeness as the page writes it ("72,5%"), formatted once here
    submitted_on: datetime.date
    verified_at: datetime.datetime | None


@dataclass(frozen=True)
class RegencyRow:
    code: str
    name: str
    cells: list[tuple[str, LatestEntry | None]]  # (module key, its latest entry or None), in the modules' order


def province_table(province: Province) -> list[RegencyRow]:
    """Every regency of the province (by code) × every module, with the latest submission (two queries).

    Plain values, no model instances (the table shows four fields of 38 × 7 entries); each distinct
    completeness is formatted once.
    """
    latest: dict[str, dict[str, LatestEntry]] = {}
    shown: dict[Decimal, str] = {}
    entries = (
        figures.latest_submissions(NawasisSubmission.objects.filter(regency__province=province))
        .order_by()
        .values_list("regency_id", "module", "completeness", "submitted_on", "verified_at")
    )
    for regency_code, module, completeness, submitted_on, verified_at in entries:
        if completeness not in shown:
            shown[completeness] = formatting.completeness(completeness)
        entry = LatestEntry(completeness, shown[completeness], submitted_on, verified_at)
        latest.setdefault(regency_code, {})[module] = entry
    regencies = Regency.objects.filter(province=province).order_by("code").values_list("code", "name")
    return [
        RegencyRow(code, name, [(m.value, latest.get(code, {}).get(m.value)) for m in MODULES])
        for code, name in regencies
    ]


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
        values: list[Cell] = [province.code, row.code, row.name]
        for _module, entry in row.cells:
            if entry:
                values += [entry.completeness, entry.submitted_on, _local_day(entry.verified_at)]
            else:
                values += [None, None, None]
        rows.append(values)
    return province_columns(), rows
