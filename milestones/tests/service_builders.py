"""Builders for the service behind M3 and M4: kecamatan, a service record, the full scale set."""

from decimal import Decimal

from milestones.models import FullScaleThreshold, ServiceRecord
from milestones.services import service_records as services
from regencies.models import Kecamatan, Regency

NAMES = ["Dusun Timur", "Benua Lima", "Paju Epat", "Awang", "Patangkep Tutui"]


def kecamatan(regency: Regency, names=NAMES) -> list[Kecamatan]:
    for name in names:
        Kecamatan.objects.get_or_create(regency=regency, name=name)
    return list(regency.kecamatan.order_by("name"))


def service(regency: Regency, *, covered: int | None = None, households: int = 1000, kind: str = "lltt", actor=None):
    """The regency's service of ``kind`` covering the first ``covered`` kecamatan (all when None)."""
    chosen = list(regency.kecamatan.order_by("name")) or kecamatan(regency)
    if covered is not None:
        chosen = chosen[:covered]
    existing = ServiceRecord.objects.filter(regency=regency, kind=kind).first()
    return services.save_service(
        regency=regency,
        actor=actor,
        kind=kind,
        service_model="LLTT terjadwal, IPLT",
        operator_kind="uptd",
        operator_name="UPTD PALD",
        kecamatan=chosen,
        households_served=households,
        volume_per_year=Decimal(500),
        record=existing,
    )


def threshold(regency: Regency, *, percent: int | None = 80, households: int | None = None, kind: str = "lltt"):
    existing = FullScaleThreshold.objects.filter(regency=regency, kind=kind).first()
    return services.set_threshold(
        regency=regency,
        actor=None,
        kind=kind,
        kecamatan_percent=percent,
        households=households,
        threshold=existing,
    )


def full_scale_reached(regency: Regency) -> None:
    """A service covering every kecamatan and a threshold it reaches: M4's coverage item is met."""
    if not FullScaleThreshold.objects.filter(regency=regency).exists():
        service(regency)
        threshold(regency, percent=80)
