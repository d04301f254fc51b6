"""Demo services behind M3 and M4 (``data/service_records.toml``): the regencies' kecamatan, their service
records, the full scale the province set, and the service figures of the yearly monitoring.

``seed_services()`` runs before the milestones (M4 is verified only when the coverage reaches the full
scale set); ``seed_service_figures()`` after the monitoring records (a year's figures belong to one; a
year not recorded by the demo's day is left out). Both are safe to run again: what exists is kept.
The ORM is used, as the monitoring demo does (the services stamp the present time).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from milestones.demo.loader import DemoDataError, build, choices, provincial_reviewer, read, tables
from milestones.models import (
    FullScaleThreshold,
    MonitoringRecord,
    OperatorKind,
    ServiceKind,
    ServiceRecord,
    ServiceYearFigures,
)
from regencies.models import Kecamatan

NAME = "service_records.toml"
ALL = "all"  # every kecamatan of the regency


@dataclass(frozen=True)
class KecamatanList:
    regency: str
    names: tuple[str, ...]

    def __post_init__(self) -> None:
        folded = [name.casefold() for name in self.names]
        if len(set(folded)) != len(folded):
            raise ValueError(f"a kecamatan of {self.regency} is listed twice")


@dataclass(frozen=True)
class Service:
    regency: str
    kind: str = field(metadata=choices(ServiceKind))
    service_model: str
    operator_kind: str = field(metadata=choices(OperatorKind))
    kecamatan: str | tuple[str, ...]
    households_served: int
    volume_per_year: Decimal
    operator_name: str = ""
    instrument_kind: str = ""
    instrument_number: str = ""
    instrument_date: datetime.date | None = None
    tariff_in_place: bool = False
    tariff_note: str = ""


@dataclass(frozen=True)
class Threshold:
    regency: str
    kind: str = field(metadata=choices(ServiceKind))
    kecamatan_percent: int | None = None
    households: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Figures:
    regency: str
    cohort_year: int
    year_index: int
    kind: str = field(metadata=choices(ServiceKind))
    kecamatan: str | tuple[str, ...]
    households_served: int
    volume_per_year: Decimal


def _load(section: str, cls):
    document = read(NAME, "kecamatan", "services", "thresholds", "figures")
    rows = tables(document[section], f"{NAME}: {section}")
    return [build(cls, row, f"{NAME}: {section} {n} ({row.get('regency', '?')})") for n, row in enumerate(rows, 1)]


def _chosen(regency: str, names: str | tuple[str, ...], known: dict[str, Kecamatan]) -> list[Kecamatan]:
    if names == ALL:
        return list(known.values())
    if isinstance(names, str):
        raise DemoDataError(f'{NAME}: kecamatan of {regency} is "all" or a list of names')
    missing = [name for name in names if name not in known]
    if missing:
        raise DemoDataError(f"{NAME}: {regency} has no kecamatan {', '.join(missing)}")
    return [known[name] for name in names]


def _kecamatan_of(regency: str) -> dict[str, Kecamatan]:
    return {k.name: k for k in Kecamatan.objects.filter(regency_id=regency)}


def seed_services() -> list[ServiceRecord]:
    """The kecamatan, service records and thresholds; returns the service records created this time."""
    lists: list[KecamatanList] = _load("kecamatan", KecamatanList)
    services: list[Service] = _load("services", Service)
    thresholds: list[Threshold] = _load("thresholds", Threshold)
    reviewer = provincial_reviewer()
    created = []
    with transaction.atomic():
        for entry in lists:
            for name in entry.names:
                Kecamatan.objects.get_or_create(regency_id=entry.regency, name=name)
        for service in services:
            if ServiceRecord.objects.filter(regency_id=service.regency, kind=service.kind).exists():
                continue
            record = ServiceRecord.objects.create(
                regency_id=service.regency,
                kind=service.kind,
                service_model=service.service_model,
                operator_kind=service.operator_kind,
                operator_name=service.operator_name,
                instrument_kind=service.instrument_kind,
                instrument_number=service.instrument_number,
                instrument_date=service.instrument_date,
                households_served=service.households_served,
                volume_per_year=service.volume_per_year,
                tariff_in_place=service.tariff_in_place,
                tariff_note=service.tariff_note,
                updated_by=reviewer,
            )
            record.kecamatan.set(_chosen(service.regency, service.kecamatan, _kecamatan_of(service.regency)))
            created.append(record)
        for threshold in thresholds:
            FullScaleThreshold.objects.get_or_create(
                regency_id=threshold.regency,
                kind=threshold.kind,
                defaults={
                    "kecamatan_percent": threshold.kecamatan_percent,
                    "households": threshold.households,
                    "note": threshold.note,
                    "set_by": reviewer,
                    "set_at": timezone.now(),
                },
            )
    return created


def seed_service_figures() -> list[ServiceYearFigures]:
    """The monitoring years' service figures whose monitoring record exists; returns those created."""
    figures: list[Figures] = _load("figures", Figures)
    created = []
    with transaction.atomic():
        records = {
            (m.cohort.regency_id, m.cohort.year_m1_m3, m.year_index): m
            for m in MonitoringRecord.objects.filter(cohort__regency__in={f.regency for f in figures}).select_related(
                "cohort"
            )
        }
        for entry in figures:
            monitoring = records.get((entry.regency, entry.cohort_year, entry.year_index))
            if monitoring is None:  # not due by the demo's day
                continue
            row, is_new = ServiceYearFigures.objects.get_or_create(
                monitoring=monitoring,
                kind=entry.kind,
                defaults={"households_served": entry.households_served, "volume_per_year": entry.volume_per_year},
            )
            if is_new:
                row.kecamatan.set(_chosen(entry.regency, entry.kecamatan, _kecamatan_of(entry.regency)))
                created.append(row)
    return created
