"""Reads of the Balai's DAK verification: a DAK line with its readiness documents, what waits for a Balai
or was returned to a regency, and the DAK figures (allocated, realised, verified) per province and regency
that the Balai's page and the Balai report both read (``dak_figures``).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from milestones.models import BudgetLine, DakReadiness, DakReadinessFile, FundingSource, ReviewState, ReviewStep
from milestones.selectors import review
from regencies import scoping
from regencies.models import Regency
from ssk_tracker.lib.users import AnyUser

ZERO = Decimal(0)
LINE_RELATED = ("activity__regency__province",)


def dak_lines(queryset: QuerySet[BudgetLine] | None = None) -> QuerySet[BudgetLine]:
    lines = queryset if queryset is not None else BudgetLine.objects.all()
    return lines.filter(source=FundingSource.DAK)


def line_for_user(user: AnyUser, pk: int) -> BudgetLine:
    """A DAK budget line in the user's scope, with its regency (404 outside it)."""
    lines = scoping.filter_by_scope(user, dak_lines().select_related(*LINE_RELATED), "activity__regency")
    return scoping.get_or_404(lines, pk=pk)


def readiness_of(line: BudgetLine) -> DakReadiness | None:
    return DakReadiness.objects.filter(budget_line=line).first()


def files_of(readiness: DakReadiness | None) -> list[DakReadinessFile]:
    return list(readiness.files.all()) if readiness else []


def history(readiness: DakReadiness | None) -> list[ReviewStep]:
    return list(review.history(readiness)) if readiness else []


def file_for_user(user: AnyUser, pk: int) -> DakReadinessFile:
    """A readiness file whose regency the user sees (404 otherwise)."""
    files = scoping.filter_by_scope(
        user, DakReadinessFile.objects.select_related("blob"), "readiness__budget_line__activity__regency"
    )
    return scoping.get_or_404(files, pk=pk)


READINESS_RELATED = ("budget_line__activity__regency",)


def waiting_for_balai(user: AnyUser) -> QuerySet[DakReadiness]:
    """The readiness documents waiting for the user's Balai (its provinces), the longest waiting first;
    nothing for anyone but a Balai's staff."""
    scope = scoping.scope_for(user)
    if scope.balai_id is None:
        return DakReadiness.objects.none()
    readiness = scoping.narrow(scope, DakReadiness.objects.all(), "budget_line__activity__regency")
    return review.waiting(readiness).select_related(*READINESS_RELATED)


def returned_to_regency(user: AnyUser) -> QuerySet[DakReadiness]:
    """The readiness documents the Balai returned to the officer's regency, the longest returned first."""
    scope = scoping.scope_for(user)
    if not scope.regency_code:
        return DakReadiness.objects.none()
    return (
        DakReadiness.objects.filter(
            budget_line__activity__regency=scope.regency_code, review_state=ReviewState.RETURNED
        )
        .select_related(*READINESS_RELATED)
        .order_by("decided_at", "pk")
    )


@dataclass
class DakRow:
    code: str
    name: str
    allocated: Decimal = ZERO
    realised: Decimal = ZERO
    verified: Decimal = ZERO  # allocated on lines whose readiness documents the Balai verified
    lines: int = 0
    waiting: int = 0  # lines whose documents wait for the Balai

    @property
    def verified_share(self) -> int | None:
        return round(self.verified * 100 / self.allocated) if self.allocated else None


@dataclass
class DakFigures:
    provinces: list[DakRow] = field(default_factory=list)
    regencies: list[DakRow] = field(default_factory=list)
    total: DakRow = field(default_factory=lambda: DakRow("", ""))

    @property
    def is_empty(self) -> bool:
        return not self.total.lines


def dak_figures(scope: scoping.Scope, *, years: tuple[int, int] | None = None) -> DakFigures:
    """DAK allocated, realised and verified per province and per regency of ``scope`` (two queries)."""
    lines = scoping.narrow(scope, dak_lines(), "activity__regency")
    if years:
        lines = lines.filter(year__gte=years[0], year__lte=years[1])
    rows = (
        lines.values("activity__regency", "dak_readiness__review_state")
        .annotate(allocated=Sum("allocated"), realised=Sum("realised"), n=Count("pk"))
        .order_by()
    )
    by_regency: dict[str, DakRow] = {}
    for row in rows:
        entry = by_regency.setdefault(row["activity__regency"], DakRow(row["activity__regency"], ""))
        entry.allocated += row["allocated"] or ZERO
        entry.realised += row["realised"] or ZERO
        entry.lines += row["n"]
        state = row["dak_readiness__review_state"]
        if state == ReviewState.VERIFIED:
            entry.verified += row["allocated"] or ZERO
        elif state == ReviewState.SUBMITTED:
            entry.waiting += row["n"]
    figures = DakFigures()
    provinces: dict[str, DakRow] = {}
    for regency in (
        Regency.objects.filter(code__in=sorted(by_regency))
        .select_related("province")
        .order_by("province__code", "code")
    ):
        entry = by_regency[regency.code]
        entry.name = regency.name
        figures.regencies.append(entry)
        province = provinces.setdefault(regency.province_id, DakRow(regency.province_id, regency.province.name))
        for target in (province, figures.total):
            target.allocated += entry.allocated
            target.realised += entry.realised
            target.verified += entry.verified
            target.lines += entry.lines
            target.waiting += entry.waiting
    figures.provinces = list(provinces.values())
    return figures


@dataclass(frozen=True)
class RegencyDakLine:
    line: BudgetLine
    readiness: DakReadiness | None

    @property
    def state_label(self) -> str:
        from django.utils.translation import pgettext

        if self.readiness is None:
            return pgettext("DAK readiness", "No documents yet")
        return str(self.readiness.get_review_state_display())


def regency_lines(regency: Regency) -> list[RegencyDakLine]:
    """The regency's DAK lines with their readiness documents' state, for the regency page (one query)."""
    lines = (
        dak_lines(BudgetLine.objects.filter(activity__regency=regency))
        .select_related("activity", "dak_readiness")
        .order_by("-year", "activity__code")
    )
    result = []
    for line in lines:
        # The reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError, for a line without one.
        readiness: DakReadiness | None = getattr(line, "dak_readiness", None)
        result.append(RegencyDakLine(line, readiness))
    return result
