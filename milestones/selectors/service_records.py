"""Reads for the service behind M3 and M4 (layanan): a regency's services and their coverage against the
full scale the province set, the M4 gate's item, the monitoring trend, and the roll-ups that the
dashboards and the PDF reports both read (one source for each figure).

Coverage: the kecamatan a service covers of all the regency's kecamatan entered (n/N and a whole
percentage, half up); households served and volume treated per year as recorded. Full scale is reached
when every part of the province's threshold is: covered % ≥ the threshold's %, households ≥ its number.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import formats
from django.utils.translation import gettext as _

from milestones.models import FullScaleThreshold, Milestone, ServiceKind, ServiceRecord, ServiceYearFigures
from milestones.models.service_records import volume_unit
from regencies import scoping
from regencies.models import Kecamatan, Regency
from ssk_tracker.lib.numbers import percentage
from ssk_tracker.lib.users import AnyUser

# The milestones judged against the service: M3 (the pilot: shown) and M4 (full scale: gated).
PILOT_MILESTONE, FULL_SCALE_MILESTONE = 3, 4


def percent_of(part: int, whole: int) -> int | None:
    """A whole percentage, half up (``ssk_tracker.lib.numbers``); None without a whole."""
    value = percentage(part, whole)
    return None if value is None else int(value)


def _grouped(number: int) -> str:
    """A whole number with the language's thousands separator (1.000 in Indonesian)."""
    return formats.number_format(number, force_grouping=True)


@dataclass(frozen=True)
class Coverage:
    """One service kind of a regency: its record (if any), coverage, and the full scale set (if any)."""

    kind: str
    label: str
    record: ServiceRecord | None
    covered: int
    total: int
    threshold: FullScaleThreshold | None
    kecamatan: list[Kecamatan] = field(default_factory=list)  # those covered, by name

    @property
    def percent(self) -> int | None:
        return percent_of(self.covered, self.total)

    @property
    def households(self) -> int:
        return self.record.households_served if self.record else 0

    @property
    def unit(self) -> str:
        return volume_unit(self.kind)

    @property
    def reached(self) -> bool | None:
        """Whether the full scale is reached; None when the province set none for this kind."""
        threshold = self.threshold
        if threshold is None:
            return None
        if self.record is None:
            return False
        # Exactly, not the rounded percentage: 79.5 % of kecamatan does not reach 80 %.
        if threshold.kecamatan_percent is not None and self.covered * 100 < threshold.kecamatan_percent * self.total:
            return False
        if threshold.kecamatan_percent is not None and not self.total:
            return False
        return not (threshold.households is not None and self.households < threshold.households)

    def threshold_text(self) -> str:
        """The full scale in words: "≥ 80 % of kecamatan, ≥ 5,000 households"."""
        if self.threshold is None:
            return ""
        parts = []
        if self.threshold.kecamatan_percent is not None:
            parts.append(_("≥ %(p)s %% of kecamatan") % {"p": self.threshold.kecamatan_percent})
        if self.threshold.households is not None:
            parts.append(_("≥ %(n)s households") % {"n": _grouped(self.threshold.households)})
        return ", ".join(parts)

    def coverage_text(self) -> str:
        text = _("%(n)s of %(total)s kecamatan") % {"n": self.covered, "total": self.total}
        if self.percent is not None:
            text += f" ({self.percent} %)"
        return text + ", " + _("%(n)s households") % {"n": _grouped(self.households)}


@dataclass(frozen=True)
class RegencyServices:
    regency: Regency
    kecamatan: list[Kecamatan]
    coverages: list[Coverage]  # every kind with a record or a threshold, in the kinds' order

    @property
    def total(self) -> int:
        return len(self.kecamatan)

    @property
    def records(self) -> list[ServiceRecord]:
        return [c.record for c in self.coverages if c.record is not None]

    @property
    def threshold_kinds(self) -> set[str]:
        return {c.kind for c in self.coverages if c.threshold is not None}

    @property
    def thresholds_set(self) -> bool:
        return any(c.threshold is not None for c in self.coverages)


def regency_services(regency: Regency) -> RegencyServices:
    """Four queries, with or without records: the kecamatan, the records, their links, the thresholds."""
    kecamatan = list(Kecamatan.objects.filter(regency=regency).order_by("name"))
    records = {r.kind: r for r in ServiceRecord.objects.filter(regency=regency)}
    links = ServiceRecord.kecamatan.through.objects.filter(servicerecord__regency=regency)
    covering: dict[int, set[int]] = {}
    for record_id, kecamatan_id in links.values_list("servicerecord_id", "kecamatan_id"):
        covering.setdefault(record_id, set()).add(kecamatan_id)
    thresholds = {t.kind: t for t in FullScaleThreshold.objects.filter(regency=regency)}
    coverages = []
    for kind, label in ServiceKind.choices:
        if kind not in records and kind not in thresholds:
            continue
        record = records.get(kind)
        ids = covering.get(record.pk, set()) if record else set()
        coverages.append(
            Coverage(
                kind=kind,
                label=str(label),
                record=record,
                covered=len(ids),
                total=len(kecamatan),
                threshold=thresholds.get(kind),
                kecamatan=[k for k in kecamatan if k.pk in ids],
            )
        )
    return RegencyServices(regency, kecamatan, coverages)


def full_scale_reasons(services: RegencyServices) -> list[str]:
    """Why the regency's coverage does not count as full scale (empty: it does), as the M4 gate says it."""
    if not services.thresholds_set:
        return [
            _("The province has not set what counts as full scale for this regency's service: it must set it first.")
        ]
    reasons = []
    for coverage in services.coverages:
        if coverage.threshold is None or coverage.reached:
            continue
        if coverage.record is None:
            reasons.append(
                _("No service record for %(service)s, for which the province set the full scale (%(threshold)s).")
                % {"service": coverage.label, "threshold": coverage.threshold_text()}
            )
        else:
            reasons.append(
                _(
                    "Coverage of %(service)s has not reached the full scale the province set: %(now)s; "
                    "full scale: %(threshold)s."
                )
                % {"service": coverage.label, "now": coverage.coverage_text(), "threshold": coverage.threshold_text()}
            )
    return reasons


def full_scale_gap(milestone: Milestone) -> list[str]:
    """The M4 gate's item "coverage reaches the full scale the province set" (empty for other milestones)."""
    if milestone.definition.number != FULL_SCALE_MILESTONE:
        return []
    return full_scale_reasons(regency_services(milestone.regency))


def milestone_coverage(milestone: Milestone) -> RegencyServices | None:
    """What the reviewer sees next to an M3 or M4 update: the regency's services (None for M1, M2)."""
    if milestone.definition.number not in (PILOT_MILESTONE, FULL_SCALE_MILESTONE):
        return None
    return regency_services(milestone.regency)


def milestone_context(milestone: Milestone) -> dict[str, object]:
    """The milestone page's keys: ``service_coverage`` (M3, M4) and, for M4, ``full_scale_reasons``."""
    services = milestone_coverage(milestone)
    if services is None:
        return {"service_coverage": None}
    reasons = full_scale_reasons(services) if milestone.definition.number == FULL_SCALE_MILESTONE else []
    return {"service_coverage": services, "full_scale_reasons": reasons}


# --- Access ---------------------------------------------------------------------------------------------


def service_for_user(user: AnyUser, pk: int) -> ServiceRecord:
    queryset = scoping.filter_by_scope(user, ServiceRecord.objects.select_related("regency__province"), "regency")
    return scoping.get_or_404(queryset, pk=pk)


# --- The trend of the yearly monitoring ---------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    year: int
    year_index: int
    covered: int
    households: int
    volume: Decimal
    monitoring_id: int
    figures_id: int
    percent: int | None  # of the regency's kecamatan entered now


@dataclass(frozen=True)
class Trend:
    kind: str
    label: str
    unit: str
    total: int
    points: list[TrendPoint] = field(default_factory=list)


def service_trend(regency: Regency, total: int) -> list[Trend]:
    """Each kind's figures by monitoring year, oldest first (one query); ``total``: the kecamatan count."""
    rows = (
        ServiceYearFigures.objects.filter(monitoring__cohort__regency=regency)
        .annotate(covered=Count("kecamatan"))
        .values(
            "pk",
            "kind",
            "covered",
            "households_served",
            "volume_per_year",
            "monitoring_id",
            "monitoring__year",
            "monitoring__year_index",
        )
        .order_by("kind", "monitoring__year", "monitoring__year_index")
    )
    labels = dict(ServiceKind.choices)
    trends: dict[str, Trend] = {}
    for row in rows:
        kind = row["kind"]
        trend = trends.setdefault(kind, Trend(kind, str(labels.get(kind, kind)), volume_unit(kind), total))
        trend.points.append(
            TrendPoint(
                year=row["monitoring__year"],
                year_index=row["monitoring__year_index"],
                covered=row["covered"],
                households=row["households_served"],
                volume=row["volume_per_year"],
                monitoring_id=row["monitoring_id"],
                figures_id=row["pk"],
                percent=percent_of(row["covered"], total),
            )
        )
    order = {kind: i for i, kind in enumerate(ServiceKind.values)}
    return sorted(trends.values(), key=lambda t: order.get(t.kind, 99))


# --- Roll-ups: the dashboards and the reports read these -----------------------------------------------


@dataclass(frozen=True)
class KindTotal:
    kind: str
    label: str
    unit: str
    regencies: int  # regencies with a service of this kind
    households: int
    covered: int  # kecamatan covered by a service of this kind
    volume: Decimal


@dataclass(frozen=True)
class AreaTotal:
    """A province's (or the whole area's) totals over every kind."""

    code: str
    name: str
    regencies: int  # all regencies of the area
    with_service: int  # regencies with at least one service
    households: int
    covered: int  # kecamatan covered by at least one service
    kecamatan: int  # kecamatan entered

    @property
    def percent(self) -> int | None:
        return percent_of(self.covered, self.kecamatan)


@dataclass(frozen=True)
class ServiceRollup:
    kinds: list[KindTotal]
    total: AreaTotal
    provinces: list[AreaTotal]  # one per province of the area that has a regency (empty unless asked)

    @property
    def is_empty(self) -> bool:
        return not self.total.with_service


def _service_totals(regencies: QuerySet[Regency], area: str) -> dict[str, Mapping[str, Any]]:
    """The services of ``regencies`` grouped by ``area`` ("regency" or "regency__province"): regencies with a
    service, households, and each kind's regencies, households and volume as filtered aggregates. The one
    count behind the roll-ups and the open data."""
    return {
        row["area"]: row
        for row in ServiceRecord.objects.filter(regency__in=regencies.values("code"))
        .order_by()
        .values(area=F(area))
        .annotate(
            with_service=Count("regency", distinct=True),
            households=Sum("households_served"),
            **{
                f"{name}_{kind}": aggregate(field, distinct=distinct, filter=Q(kind=kind))
                for kind in ServiceKind.values
                for name, aggregate, field, distinct in (
                    ("regencies", Count, "regency", True),
                    ("households", Sum, "households_served", False),
                    ("volume", Sum, "volume_per_year", False),
                )
            },
        )
    }


def _kecamatan_totals(regencies: QuerySet[Regency], area: str) -> dict[str, Mapping[str, Any]]:
    """The kecamatan of ``regencies`` grouped by ``area``: entered, covered by any service, covered per kind;
    each counted once however many services cover it."""
    return {
        row["area"]: row
        for row in Kecamatan.objects.filter(regency__in=regencies.values("code"))
        .order_by()
        .values(area=F(area))
        .annotate(
            entered=Count("pk", distinct=True),
            covered=Count("pk", distinct=True, filter=Q(services__isnull=False)),
            **{
                f"covered_{kind}": Count("pk", distinct=True, filter=Q(services__kind=kind))
                for kind in ServiceKind.values
            },
        )
    }


def service_rollup(regencies: QuerySet[Regency], *, by_province: bool = False) -> ServiceRollup:
    """Totals over ``regencies`` (a scoped queryset): per service kind, and per province when asked.
    Three queries however many regencies: the regencies per province, the services per province (each
    kind's figures as filtered aggregates), and the kecamatan per province (entered, covered by any
    service, covered per kind; each counted once however many services cover it)."""
    per_province = _service_totals(regencies, "regency__province")
    kecamatan = _kecamatan_totals(regencies, "regency__province")
    names: dict[str, str] = {}
    counts: dict[str, int] = {}
    for row in regencies.order_by().values("province", "province__name").annotate(n=Count("code")):
        names[row["province"]] = row["province__name"]
        counts[row["province"]] = row["n"]

    def summed(rows: Mapping[str, Mapping[str, Any]], key: str) -> Any:
        return sum((row[key] or 0) for row in rows.values())

    kinds = [
        KindTotal(
            kind=kind,
            label=str(label),
            unit=volume_unit(kind),
            regencies=summed(per_province, f"regencies_{kind}"),
            households=summed(per_province, f"households_{kind}"),
            covered=summed(kecamatan, f"covered_{kind}"),
            volume=Decimal(summed(per_province, f"volume_{kind}")),
        )
        for kind, label in ServiceKind.choices
        if summed(per_province, f"regencies_{kind}")
    ]
    provinces = [
        AreaTotal(
            code=code,
            name=names[code],
            regencies=counts[code],
            with_service=per_province.get(code, {}).get("with_service", 0),
            households=per_province.get(code, {}).get("households") or 0,
            covered=kecamatan.get(code, {}).get("covered", 0),
            kecamatan=kecamatan.get(code, {}).get("entered", 0),
        )
        for code in sorted(names)
    ]
    total = AreaTotal(
        code="",
        name="",
        regencies=sum(p.regencies for p in provinces),
        with_service=sum(p.with_service for p in provinces),
        households=sum(p.households for p in provinces),
        covered=sum(p.covered for p in provinces),
        kecamatan=sum(p.kecamatan for p in provinces),
    )
    return ServiceRollup(kinds=kinds, total=total, provinces=provinces if by_province else [])


def kinds_in_order() -> Sequence[tuple[str, str]]:
    return [(kind, str(label)) for kind, label in ServiceKind.choices]


# --- Open data (ssk_tracker/open_data.py): the same counting as ``service_rollup``, per regency -------------


@dataclass(frozen=True)
class RegencyCoverage:
    households: int  # households served, over every service of the regency
    covered: int  # kecamatan covered by at least one service
    kecamatan: int  # kecamatan entered


def coverage_by_regency(regencies: QuerySet[Regency]) -> dict[str, RegencyCoverage]:
    """{regency code: its services' totals} for every one of ``regencies``, counted as ``service_rollup``
    counts a province (the same two grouped queries, by regency: summed over a province's regencies they give
    its ``AreaTotal``)."""
    services = _service_totals(regencies, "regency")
    kecamatan = _kecamatan_totals(regencies, "regency")
    return {
        code: RegencyCoverage(
            households=services.get(code, {}).get("households") or 0,
            covered=kecamatan.get(code, {}).get("covered", 0),
            kecamatan=kecamatan.get(code, {}).get("entered", 0),
        )
        for code in set(services) | set(kecamatan)
    }
