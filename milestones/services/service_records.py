"""Writes for the service behind M3 and M4 (layanan): a regency's kecamatan, its service records, the full
scale the province sets, and a monitoring year's service figures.

Views check who may act (regencies.scoping: the regency's officer or the province's Pokja for services
and figures, the province's Pokja alone for kecamatan and thresholds); these functions check that the
act still makes sense and write in one transaction. Edits are saved at the version the form was loaded
at (``claim_version``).
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones.models import FullScaleThreshold, MonitoringRecord, ServiceKind, ServiceRecord, ServiceYearFigures
from milestones.services import ActionRefused
from milestones.services.edits import create_or_claim
from regencies.models import Kecamatan, Regency
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import User

__all__ = [
    "ActionRefused",
    "KecamatanChanges",
    "parse_kecamatan",
    "record_year_figures",
    "save_service",
    "set_kecamatan",
    "set_threshold",
]

NAME_LENGTH = Kecamatan._meta.get_field("name").max_length or 100
# "Old name -> New name" renames a kecamatan (its links to services stay); "→" works too.
RENAME = re.compile(r"\s*(?:->|→)\s*")


@dataclass(frozen=True)
class KecamatanChanges:
    added: list[str]
    renamed: list[tuple[str, str]]
    removed: list[str]


def _clean_name(raw: str) -> str:
    return " ".join(raw.split())


def parse_kecamatan(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The names of a textarea, one per line (blank lines skipped), and the renames ("old -> new").
    ActionRefused for a line too long, a rename without both names, or a name given twice."""
    names: list[str] = []
    renames: list[tuple[str, str]] = []
    errors: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = [_clean_name(p) for p in RENAME.split(line)]
        if len(parts) == 1 and not parts[0]:
            continue
        if len(parts) > 2 or not all(parts):
            errors.append(_("Line %(n)s: write a rename as “old name -> new name”.") % {"n": number})
            continue
        if any(len(p) > NAME_LENGTH for p in parts):
            errors.append(_("Line %(n)s: a name has at most %(max)s characters.") % {"n": number, "max": NAME_LENGTH})
            continue
        if len(parts) == 2:
            renames.append((parts[0], parts[1]))
        names.append(parts[-1])
    seen: dict[str, str] = {}
    for name in names:
        key = name.casefold()
        if key in seen:
            errors.append(_("“%(name)s” is listed twice.") % {"name": name})
        seen[key] = name
    listed = {name.casefold() for name in names}
    for old, _new in renames:
        if old.casefold() in listed:
            errors.append(_("“%(name)s” is both listed and renamed.") % {"name": old})
    if errors:
        raise ActionRefused(" ".join(errors))
    return names, renames


def set_kecamatan(*, regency: Regency, actor: User, text: str) -> KecamatanChanges:
    """Make the regency's kecamatan the names of ``text`` (one per line). A rename ("old -> new") keeps the
    kecamatan and its links; a name no longer listed is removed, unless a service covers it. Nothing is
    saved when any line or any removal is refused."""
    names, renames = parse_kecamatan(text)
    with transaction.atomic():
        existing = {k.name.casefold(): k for k in Kecamatan.objects.select_for_update().filter(regency=regency)}
        renamed: list[tuple[Kecamatan, str]] = []
        kept: set[int] = set()
        errors: list[str] = []
        for old, new in renames:
            kecamatan = existing.get(old.casefold())
            if kecamatan is None:
                errors.append(_("There is no kecamatan “%(name)s” to rename.") % {"name": old})
                continue
            other = existing.get(new.casefold())
            if other is not None and other.pk != kecamatan.pk:
                errors.append(_("“%(new)s” exists already: “%(old)s” cannot take its name.") % {"new": new, "old": old})
                continue
            renamed.append((kecamatan, new))
            kept.add(kecamatan.pk)
        renamed_to = {new.casefold() for _old, new in renames}
        added: list[str] = []
        for name in names:
            kecamatan = existing.get(name.casefold())
            if name.casefold() in renamed_to:
                continue
            if kecamatan is None:
                added.append(name)
            else:
                kept.add(kecamatan.pk)
        removed = [k for k in existing.values() if k.pk not in kept]
        in_use = _in_use([k.pk for k in removed])
        for kecamatan in removed:
            if kecamatan.pk in in_use:
                errors.append(
                    _("“%(name)s” cannot be removed: a service record or a monitoring year covers it.")
                    % {"name": kecamatan.name}
                )
        if errors:
            raise ActionRefused(" ".join(errors))
        if removed:
            audit.delete(Kecamatan.objects.filter(pk__in=[k.pk for k in removed]))
        for kecamatan, new in renamed:
            kecamatan.name = new
            kecamatan.save(update_fields=["name"])
        for name in added:
            Kecamatan.objects.create(regency=regency, name=name)
    return KecamatanChanges(
        added=added, renamed=[(old, new) for old, new in renames], removed=sorted(k.name for k in removed)
    )


def _in_use(pks: Sequence[int]) -> set[int]:
    if not pks:
        return set()
    links = set(
        ServiceRecord.kecamatan.through.objects.filter(kecamatan_id__in=pks).values_list("kecamatan_id", flat=True)
    )
    links |= set(
        ServiceYearFigures.kecamatan.through.objects.filter(kecamatan_id__in=pks).values_list("kecamatan_id", flat=True)
    )
    return links


def _check_kecamatan(regency: Regency, kecamatan: Sequence[Kecamatan]) -> None:
    if any(k.regency_id != regency.pk for k in kecamatan):
        raise ActionRefused(_("A kecamatan chosen is not one of this regency's."))


def _check_figures(households: int, volume: Decimal) -> None:
    if households < 0:
        raise ActionRefused(_("The households served cannot be negative."))
    if volume < 0:
        raise ActionRefused(_("The volume treated cannot be negative."))


def save_service(
    *,
    regency: Regency,
    actor: User | None,
    kind: str,
    service_model: str,
    operator_kind: str,
    kecamatan: Sequence[Kecamatan],
    households_served: int,
    volume_per_year: Decimal,
    operator_name: str = "",
    instrument_kind: str = "",
    instrument_number: str = "",
    instrument_date: datetime.date | None = None,
    tariff_in_place: bool = False,
    tariff_note: str = "",
    record: ServiceRecord | None = None,
    version: int | None = None,
) -> ServiceRecord:
    """Create the regency's service record of ``kind``, or correct ``record`` at the form's ``version``."""
    if kind not in ServiceKind.values:
        raise ActionRefused(_("Unknown service."))
    _check_kecamatan(regency, kecamatan)
    _check_figures(households_served, Decimal(volume_per_year))
    if record is not None and record.regency_id != regency.pk:
        raise ActionRefused(_("This service record belongs to another regency."))
    fields = {
        "kind": kind,
        "service_model": service_model.strip(),
        "operator_kind": operator_kind,
        "operator_name": operator_name.strip(),
        "instrument_kind": instrument_kind.strip(),
        "instrument_number": instrument_number.strip(),
        "instrument_date": instrument_date,
        "households_served": households_served,
        "volume_per_year": volume_per_year,
        "tariff_in_place": tariff_in_place,
        "tariff_note": tariff_note.strip(),
        "updated_by": actor,
        "updated_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            record = create_or_claim(
                ServiceRecord,
                record,
                version=version,
                values=fields,
                scope=Q(regency=regency),
                parent={"regency": regency},
            )
            record.kecamatan.set(kecamatan)
    except IntegrityError:
        raise ActionRefused(_("This regency has a record of this service already; open it to change it.")) from None
    return record


def set_threshold(
    *,
    regency: Regency,
    actor: User | None,
    kind: str,
    kecamatan_percent: int | None,
    households: int | None,
    note: str = "",
    threshold: FullScaleThreshold | None = None,
    version: int | None = None,
) -> FullScaleThreshold:
    """The province sets (or corrects) what counts as full scale for the regency's service of ``kind``."""
    if kind not in ServiceKind.values:
        raise ActionRefused(_("Unknown service."))
    if kecamatan_percent is None and households is None:
        raise ActionRefused(_("Set a share of kecamatan, a number of households, or both."))
    if kecamatan_percent is not None and not 1 <= kecamatan_percent <= 100:
        raise ActionRefused(_("The share of kecamatan is a percentage between 1 and 100."))
    if households is not None and households < 1:
        raise ActionRefused(_("The number of households is at least 1."))
    fields = {
        "kind": kind,
        "kecamatan_percent": kecamatan_percent,
        "households": households,
        "note": note.strip(),
        "set_by": actor,
        "set_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            return create_or_claim(
                FullScaleThreshold,
                threshold,
                version=version,
                values=fields,
                scope=Q(regency=regency),
                parent={"regency": regency},
            )
    except IntegrityError:
        raise ActionRefused(_("The full scale of this service is set already; open it to change it.")) from None


def record_year_figures(
    *,
    monitoring: MonitoringRecord,
    actor: User,
    kind: str,
    kecamatan: Sequence[Kecamatan],
    households_served: int,
    volume_per_year: Decimal,
    figures: ServiceYearFigures | None = None,
    version: int | None = None,
) -> ServiceYearFigures:
    """Record a monitoring year's figures of one service (or correct them at the form's ``version``)."""
    if kind not in ServiceKind.values:
        raise ActionRefused(_("Unknown service."))
    regency = monitoring.cohort.regency
    _check_kecamatan(regency, kecamatan)
    _check_figures(households_served, Decimal(volume_per_year))
    fields = {"kind": kind, "households_served": households_served, "volume_per_year": volume_per_year}
    try:
        with transaction.atomic():
            figures = create_or_claim(
                ServiceYearFigures,
                figures,
                version=version,
                values=fields,
                scope=Q(monitoring=monitoring),
                parent={"monitoring": monitoring},
            )
            figures.kecamatan.set(kecamatan)
    except IntegrityError:
        raise ActionRefused(
            _("This year's figures of this service are recorded already; open them to change them.")
        ) from None
    return figures
