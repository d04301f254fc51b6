"""Reads of the outcome indicators: the SSK period their years lie in, a regency's indicators with their
charts' data, the latest verified actual per regency (the one figure every page, map and report reads),
what waits for the province, the province's ranking and the national roll-up."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
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


def regency_indicators(regency: Regency) -> list[IndicatorRow]:
    """Every defined indicator with the regency's baseline, targets and actuals (four queries)."""
    indicators = {i.definition_id: i for i in RegencyIndicator.objects.filter(regency=regency)}
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for t in IndicatorTarget.objects.filter(indicator__regency=regency).order_by("year"):
        targets[t.indicator_id][t.year] = t.value
    actuals: dict[int, list[IndicatorActual]] = defaultdict(list)
    for a in IndicatorActual.objects.filter(indicator__regency=regency).order_by("year"):
        actuals[a.indicator_id].append(a)
    rows = []
    for definition in definitions():
        indicator = indicators.get(definition.pk)
        pk = indicator.pk if indicator else 0
        rows.append(IndicatorRow(definition, indicator, targets.get(pk, {}), actuals.get(pk, [])))
    return rows


def latest_verified(code: str, regency_codes: Sequence[str]) -> dict[str, Decimal]:
    """The latest verified actual of indicator ``code`` for each of ``regency_codes`` that has one (one query)."""
    found: dict[str, Decimal] = {}
    rows = (
        IndicatorActual.objects.filter(
            indicator__definition__code=code,
            indicator__regency__code__in=list(regency_codes),
            review_state=ReviewState.VERIFIED,
        )
        .order_by("indicator__regency__code", "year")
        .values_list("indicator__regency__code", "value")
    )
    for regency_code, value in rows:
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
    rank: int | None
    regency: Regency
    value: Decimal | None


def province_ranking(user: AnyUser, province: Province, code: str) -> list[RankRow]:
    """The province's regencies in the user's scope ranked on indicator ``code`` (latest verified actual),
    best first; those without a verified value last, unranked."""
    regencies = list(scoping.visible_regencies(user).filter(province=province).order_by("code"))
    values = latest_verified(code, [r.code for r in regencies])
    definition = IndicatorDefinition.objects.filter(code=code).first()
    higher = definition.higher_is_better if definition else True
    ranked = sorted((r for r in regencies if r.code in values), key=lambda r: values[r.code], reverse=higher)
    rows = [RankRow(i, r, values[r.code]) for i, r in enumerate(ranked, start=1)]
    rows += [RankRow(None, r, None) for r in regencies if r.code not in values]
    return rows


@dataclass(frozen=True)
class RollupRow:
    province: Province
    mean: Decimal | None
    reporting: int
    regencies: int


def mean(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def national_rollup(regencies: QuerySet[Regency], provinces: QuerySet[Province], code: str) -> list[RollupRow]:
    """Per province of ``provinces``: the mean of its ``regencies``' latest verified actuals of ``code`` and
    how many regencies report one."""
    by_province: dict[str, list[str]] = defaultdict(list)
    for regency_code, province_code in regencies.order_by("code").values_list("code", "province_id"):
        by_province[province_code].append(regency_code)
    values = latest_verified(code, [c for codes in by_province.values() for c in codes])
    rows = []
    for province in provinces.order_by("code"):
        found = [values[c] for c in by_province.get(province.code, []) if c in values]
        rows.append(RollupRow(province, mean(found), len(found), len(by_province.get(province.code, []))))
    return rows


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
    """The regency page's small trend charts, one per indicator (five queries)."""
    period = ssk_period(regency)
    return [trend_chart(r, period, element_id=f"ind-{r.definition.code}") for r in regency_indicators(regency)]


def returned_actuals(user: AnyUser) -> QuerySet[IndicatorActual]:
    """Actuals in the user's scope the province returned and nobody submitted again, longest returned first."""
    queryset = scoping.filter_by_scope(user, IndicatorActual.objects.all(), "indicator__regency")
    return (
        queryset.filter(review_state=ReviewState.RETURNED)
        .order_by("decided_at", "pk")
        .select_related("indicator__regency", "indicator__definition")
    )
