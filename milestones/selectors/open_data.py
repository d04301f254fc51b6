"""Reads for the open-data summary (``/data-terbuka/``, ssk_tracker/open_data.py): aggregate figures per
regency and per province, read from the selectors the dashboards, the map and the reports read (one source for
every figure): the milestone stage (``figures.milestone_stages``, the map's stage), the services' coverage
(``service_records.coverage_by_regency`` / ``service_rollup``) and the latest VERIFIED outcome indicator
values (``indicators.latest_verified`` / ``national_rollup``). Nothing below regency level, no person's name,
no unverified actual. A constant number of queries however many regencies (a few per indicator defined)."""

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from milestones.models import Milestone
from milestones.selectors import figures
from milestones.selectors import indicators as indicator_selectors
from milestones.selectors import service_records as service_selectors
from regencies.models import Regency

Row = dict[str, Any]
NUMBERS = (1, 2, 3, 4)


def _number(value: Decimal | None) -> str | None:
    """A decimal as machine-readable text (decimal point, no grouping), None kept."""
    return None if value is None else format(value.normalize(), "f")


def indicator_codes() -> list[str]:
    return [d.code for d in indicator_selectors.definitions()]


def regency_fields() -> dict[str, str]:
    """Each regency field and what it holds (the JSON's ``fields``, the page's list)."""
    fields = {
        "code": _("The regency's code (Kemendagri)."),
        "name": _("The regency's name."),
        "province_code": _("The code of the regency's province."),
        "in_programme": _("Whether the regency is in the SSK programme."),
        "milestone_stage": _(
            "The highest of the regency's current milestones (1-4) that is verified; 0: none yet; empty: not in "
            "the programme."
        ),
        **{
            f"m{n}_status": _(
                "The status of the regency's current M%(number)s (not_started, in_progress, submitted, "
                "needs_revision, verified); empty: not in the programme."
            )
            % {"number": n}
            for n in NUMBERS
        },
        "households_served": _("Households served by the regency's sanitation services."),
        "kecamatan_covered": _("Kecamatan covered by at least one service."),
        "kecamatan_entered": _("Kecamatan of the regency entered."),
    }
    for definition in indicator_selectors.definitions():
        fields[f"indicator_{definition.code}"] = _("%(indicator)s (%(unit)s): the latest verified value.") % {
            "indicator": definition.label,
            "unit": definition.unit,
        }
    return fields


def province_fields() -> dict[str, str]:
    fields = {
        "code": _("The province's code (Kemendagri)."),
        "name": _("The province's name."),
        "regencies": _("Regencies of the province."),
        "in_programme": _("Regencies in the SSK programme."),
        **{f"stage_{n}": _("Regencies at milestone stage %(stage)s.") % {"stage": n} for n in (0, 1, 2, 3, 4)},
        "regencies_with_service": _("Regencies with at least one service."),
        "households_served": _("Households served by the services."),
        "kecamatan_covered": _("Kecamatan covered by at least one service."),
        "kecamatan_entered": _("Kecamatan entered."),
    }
    for definition in indicator_selectors.definitions():
        fields[f"indicator_{definition.code}_mean"] = _(
            "%(indicator)s (%(unit)s): the mean of the regencies' latest verified values."
        ) % {"indicator": definition.label, "unit": definition.unit}
        fields[f"indicator_{definition.code}_reporting"] = _("%(indicator)s: regencies with a verified value.") % {
            "indicator": definition.label
        }
    return fields


def _regencies() -> Any:
    return Regency.objects.all()


def current_statuses() -> dict[tuple[str, int], str]:
    """{(regency code, number): status} of every regency's current milestones, as the dashboards state
    them (``figures.with_state`` of ``figures.current_milestones``). One query."""
    current = figures.with_state(figures.current_milestones(Milestone.objects.all()), timezone.localdate())
    rows = current.order_by().values_list("regency_id", "definition__number", "status_as_of")
    return {(regency, number): status for regency, number, status in rows}


def regency_rows() -> list[Row]:
    regencies = _regencies()
    stages = figures.milestone_stages(regencies, Milestone.objects.all())
    statuses = current_statuses()
    coverage = service_selectors.coverage_by_regency(regencies)
    codes = list(stages)
    latest = {code: indicator_selectors.latest_verified(code, codes) for code in indicator_codes()}
    none = service_selectors.RegencyCoverage(households=0, covered=0, kecamatan=0)
    rows = []
    for code, name, province in regencies.order_by("code").values_list("code", "name", "province_id"):
        stage = stages.get(code)
        served = coverage.get(code, none)
        row: Row = {
            "code": code,
            "name": name,
            "province_code": province,
            "in_programme": stage is not None,
            "milestone_stage": stage,
            **{f"m{n}_status": statuses.get((code, n)) for n in NUMBERS},
            "households_served": served.households,
            "kecamatan_covered": served.covered,
            "kecamatan_entered": served.kecamatan,
        }
        for indicator, values in latest.items():
            row[f"indicator_{indicator}"] = _number(values.get(code))
        rows.append(row)
    return rows


def province_rows() -> list[Row]:
    regencies = _regencies()
    stages = figures.milestone_stages(regencies, Milestone.objects.all())
    province_of = dict(regencies.order_by().values_list("code", "province_id"))
    services = service_selectors.service_rollup(regencies, by_province=True)
    rollups = {code: indicator_selectors.national_rollup(regencies, code) for code in indicator_codes()}
    rows = []
    for area in services.provinces:
        in_area = [stage for regency, stage in stages.items() if province_of.get(regency) == area.code]
        row: Row = {
            "code": area.code,
            "name": area.name,
            "regencies": area.regencies,
            "in_programme": sum(1 for stage in in_area if stage is not None),
            **{f"stage_{n}": sum(1 for stage in in_area if stage == n) for n in (0, 1, 2, 3, 4)},
            "regencies_with_service": area.with_service,
            "households_served": area.households,
            "kecamatan_covered": area.covered,
            "kecamatan_entered": area.kecamatan,
        }
        for indicator, rollup in rollups.items():
            found = next((r for r in rollup if r.province_code == area.code), None)
            row[f"indicator_{indicator}_mean"] = _number(found.mean if found else None)
            row[f"indicator_{indicator}_reporting"] = found.reporting if found else 0
        rows.append(row)
    return rows
