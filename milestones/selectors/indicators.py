"""Reads of the outcome indicators: the SSK period their years lie in, a regency's indicators with their
charts' data, the latest verified actual per regency (the one figure every page, map and report reads),
what waits for the province, the province's ranking and the national roll-up."""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone

from milestones import charts
from milestones.models import (
    IndicatorActual,
    IndicatorDefinition,
    IndicatorTarget,
    RegencyIndicator,
    ReviewState,
    SSKDocument,
)
from milestones.selectors import review as review_selectors
from regencies import scoping
from regencies.models import Province, Regency
from ssk_tracker.lib.users import AnyUser


def definitions() -> list[IndicatorDefinition]:
    return list(IndicatorDefinition.objects.all())


def definition_or_404(code: str) -> IndicatorDefinition:
    return scoping.get_or_404(IndicatorDefinition.objects.all(), code=code)


def ssk_period(regency: Regency) -> tuple[int, int] | None:
    """The years of the regency's SSK that indicators are planned in: the SSK covering this year, else the
    latest one; None when the regency has no SSK document."""
    periods = list(SSKDocument.objects.filter(regency=regency).values_list("period_start", "period_end"))
    if not periods:
        return None
    year = timezone.localdate().year
    covering = [p for p in periods if p[0] <= year <= p[1]]
    return max(covering or periods)


@dataclass
class IndicatorRow:
    """One indicator of a regency: its definition, baseline (None: not entered), targets and actuals."""

    definition: IndicatorDefinition
    indicator: RegencyIndicator | None
    targets: dict[int, Decimal] = field(default_factory=dict)
    actuals: list[IndicatorActual] = field(default_factory=list)

    @property
    def verified(self) -> list[IndicatorActual]:
        return [a for a in self.actuals if a.review_state == ReviewState.VERIFIED]

    @property
    def latest_verified(self) -> IndicatorActual | None:
        verified = self.verified
        return verified[-1] if verified else None


def regency_indicators(regency: Regency, *, entered_only: bool = False) -> list[IndicatorRow]:
    """Every defined indicator (``entered_only``: those the regency entered) with the regency's baseline,
    targets and actuals (four queries; three, and one when none is entered, with ``entered_only``)."""
    indicators = {
        i.definition_id: i for i in RegencyIndicator.objects.filter(regency=regency).select_related("definition")
    }
    if entered_only and not indicators:
        return []
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for t in IndicatorTarget.objects.filter(indicator__regency=regency).order_by("year"):
        targets[t.indicator_id][t.year] = t.value
    actuals: dict[int, list[IndicatorActual]] = defaultdict(list)
    for a in IndicatorActual.objects.filter(indicator__regency=regency).order_by("year"):
        actuals[a.indicator_id].append(a)
    rows = []
    defined = [i.definition for i in indicators.values()] if entered_only else definitions()
    for definition in sorted(defined, key=lambda d: (d.order, d.code)):
        indicator = indicators.get(definition.pk)
        pk = indicator.pk if indicator else 0
        rows.append(IndicatorRow(definition, indicator, targets.get(pk, {}), actuals.get(pk, [])))
    return rows


def _verified(code: str, as_of: datetime.datetime | None = None) -> QuerySet[IndicatorActual]:
    """The verified actuals of indicator ``code`` (``as_of``: those verified by then), each regency's in year
    order (the rule every figure reads: a regency's value is its latest verified actual)."""
    rows = IndicatorActual.objects.filter(indicator__definition__code=code, review_state=ReviewState.VERIFIED)
    if as_of is not None:
        rows = rows.filter(decided_at__lte=as_of)
    return rows.order_by("indicator__regency__code", "year")


def latest_verified(
    code: str, regency_codes: Sequence[str], *, as_of: datetime.datetime | None = None
) -> dict[str, Decimal]:
    """The latest verified actual of indicator ``code`` for each of ``regency_codes`` that has one (one query);
    ``as_of`` (a report's period end): of the actuals verified by then."""
    found: dict[str, Decimal] = {}
    rows = _verified(code, as_of).filter(indicator__regency__code__in=list(regency_codes))
    for regency_code, value in rows.values_list("indicator__regency__code", "value"):
        found[regency_code] = value  # ordered by year: the last one stays
    return found


def actual_for_user(user: AnyUser, pk: int) -> IndicatorActual:
    """An actual the user sees (404 otherwise), with its regency and definition."""
    queryset = scoping.filter_by_scope(
        user,
        IndicatorActual.objects.select_related("indicator__regency__province", "indicator__definition"),
        "indicator__regency",
    )
    return scoping.get_or_404(queryset, pk=pk)


def waiting_actuals(user: AnyUser) -> QuerySet[IndicatorActual]:
    """Actuals in the user's scope waiting for the province's verification, oldest first."""
    queryset = scoping.filter_by_scope(user, IndicatorActual.objects.all(), "indicator__regency")
    return review_selectors.waiting(queryset).select_related(
        "indicator__regency", "indicator__definition", "submitted_by"
    )


@dataclass(frozen=True)
class RankRow:
    rank: int
    code: str
    name: str
    value: Decimal


def province_ranking(user: AnyUser, province: Province, definition: IndicatorDefinition | None) -> list[RankRow]:
    """The province's regencies in the user's scope that have a verified actual of ``definition``, ranked on
    the latest one, best first (one query; ``latest_verified``'s rule)."""
    if definition is None:
        return []
    rows = scoping.filter_by_scope(user, _verified(definition.code), "indicator__regency").filter(
        indicator__regency__province=province
    )
    latest: dict[str, tuple[str, Decimal]] = {}
    for code, name, value in rows.values_list("indicator__regency__code", "indicator__regency__name", "value"):
        latest[code] = (name, value)
    ranked = sorted(
        latest.items(), key=lambda item: (-item[1][1] if definition.higher_is_better else item[1][1], item[0])
    )
    return [RankRow(i, code, name, value) for i, (code, (name, value)) in enumerate(ranked, start=1)]


@dataclass(frozen=True)
class RollupRow:
    province_code: str
    province_name: str
    mean: Decimal | None
    reporting: int
    regencies: int


def mean(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def national_rollup(
    regencies: QuerySet[Regency], code: str, *, as_of: datetime.datetime | None = None
) -> list[RollupRow]:
    """Per province of ``regencies``: the mean of the regencies' latest verified actuals of ``code`` and how
    many regencies report one, of how many (two queries)."""
    counts = regencies.order_by().values("province_id", "province__name").annotate(n=Count("code"))
    latest: dict[str, tuple[str, Decimal]] = {}
    rows = _verified(code, as_of).filter(indicator__regency__in=regencies.order_by().values("code"))
    for regency_code, province_code, value in rows.values_list(
        "indicator__regency__code", "indicator__regency__province_id", "value"
    ):
        latest[regency_code] = (province_code, value)
    found = []
    for row in sorted(counts, key=lambda r: r["province_id"]):
        values = [v for p, v in latest.values() if p == row["province_id"]]
        found.append(RollupRow(row["province_id"], row["province__name"], mean(values), len(values), row["n"]))
    return found


def trend_chart(row: IndicatorRow, period: tuple[int, int] | None, *, element_id: str) -> str:
    """The row's small trend chart (SVG): baseline, targets and verified actuals over the SSK period."""
    years = list(range(period[0], period[1] + 1)) if period else []
    indicator = row.indicator
    return charts.indicator_trend_chart(
        title=row.definition.label,
        years=years,
        baseline=(indicator.baseline_year, float(indicator.baseline_value)) if indicator else None,
        targets={year: float(v) for year, v in row.targets.items()},
        actuals={a.year: float(a.value) for a in row.verified},
        element_id=element_id,
    )


def regency_charts(regency: Regency) -> list[str]:
    """The regency page's small trend charts, one per indicator the regency entered (three queries; one
    when none is), over the years each has."""
    rows = regency_indicators(regency, entered_only=True)
    return [trend_chart(r, None, element_id=f"ind-{r.definition.code}") for r in rows]


def returned_actuals(user: AnyUser) -> QuerySet[IndicatorActual]:
    """Actuals in the user's scope the province returned and nobody submitted again, longest returned first."""
    queryset = scoping.filter_by_scope(user, IndicatorActual.objects.all(), "indicator__regency")
    return (
        queryset.filter(review_state=ReviewState.RETURNED)
        .order_by("decided_at", "pk")
        .select_related("indicator__regency", "indicator__definition")
    )
