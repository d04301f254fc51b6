"""Gather a report's data through a fixed number of queries, as plain values ready for the template.

A report's scope is a ``regencies.scoping.Scope`` (some provinces, or one regency) and every queryset
is narrowed to it there; every figure comes from ``milestones.selectors.figures``, the rules the pages
read through too, so a report shows what the province dashboard, the national overview and the regency
page show. This module holds no rule of its own: it gathers and formats. The returned dicts hold
strings and numbers, formatted in the report's language by the caller's ``translation.override``.

A report reads everything as of its period's end (the end of that day in WIB, ``figures.as_of_moment``):
the milestones' status, progress, plans and lateness from their history, the updates then waiting for
review, the follow-ups and NAWASIS entries as they stood, and the budget and planning of the period's
years. A period that ends today or later reads the live state, as the pages do, so re-compiling a past
period gives the figures its report gave at the time unless the history was corrected since.
"""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from milestones.charts import milestone_status_chart
from milestones.models import (
    BudgetLine,
    FollowUpAction,
    HistoryEntry,
    Milestone,
    MilestoneDefinition,
    MilestoneUpdate,
    NawasisSubmission,
    ProgrammeActivity,
    Subsector,
)
from milestones.models.milestones import MilestoneStatus
from milestones.selectors import clinics as clinic_selectors
from milestones.selectors import dak as dak_selectors
from milestones.selectors import figures
from milestones.selectors import indicators as indicator_selectors
from milestones.selectors import maps as map_selectors
from milestones.selectors import roadmaps as roadmap_selectors
from milestones.selectors import service_records as service_selectors
from milestones.selectors.figures import NUMBERS, ProgrammeFigures
from regencies import scoping
from regencies.scoping import Scope  # reports.services builds each job's scope with it
from ssk_tracker.lib.dates import days_since, local_day
from ssk_tracker.lib.formatting import completeness, percent, rupiah


def _date(value) -> str:
    return _date_in(value, get_language()) if value else "–"


@lru_cache(maxsize=4096)
def _date_in(value, language) -> str:  # a national report formats the same few hundred dates often
    return formats.date_format(value, "DATE_FORMAT")


def _percent(value: Decimal | None) -> str:
    """A figure's percentage as the pages show it: with the decimals its rule rounded it to."""
    return percent(value, max(0, -value.as_tuple().exponent)) if value is not None else "–"


def status_label(value: str) -> str:
    return _status_label_in(value, get_language())


@lru_cache(maxsize=64)
def _status_label_in(value, language) -> str:
    return str(MilestoneStatus(value).label)


def definitions() -> dict[int, str]:
    return dict(MilestoneDefinition.objects.values_list("number", "name"))


def _is_one_regency(scope: Scope) -> bool:
    return bool(scope.regency_code) and not (scope.nation or scope.province_codes)


# --- What every audience shares ---------------------------------------------------------------------


def status_day(period_end: datetime.date, now: datetime.datetime) -> datetime.date:
    """The day a report's status is given for ("status per …"): its period's end, or today if that is later."""
    return figures.day_of(figures.as_of_moment(period_end, now), timezone.localdate(now))


def _years(years: tuple[int, int]) -> str:
    return str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}"


def programme(scope: Scope, today: datetime.date, as_of=None) -> dict[str, ProgrammeFigures]:
    """``figures.programme_figures`` of the scope as of ``as_of``, by province code (four queries)."""
    return figures.programme_figures(
        regencies=scoping.regencies_in(scope),
        milestones=scoping.narrow(scope, Milestone.objects.all(), "regency"),
        updates=scoping.narrow(scope, MilestoneUpdate.objects.all(), "milestone__regency"),
        actions=clinic_selectors.follow_ups_of(scope),
        today=today,
        as_of=as_of,
    )


def current_milestones(scope: Scope, today: datetime.date, as_of=None) -> dict[str, dict[int, Mapping[str, Any]]]:
    """The current milestones of each regency as of ``as_of`` (``figures.with_state``), flagged ``late``:
    {regency code: {number: row}} (one query)."""
    milestones = figures.current_milestones(scoping.narrow(scope, Milestone.objects.all(), "regency"), as_of)
    rows = (
        figures.with_state(milestones, today, as_of)
        .values(
            "pk",
            "regency_id",
            "cohort__year_m1_m3",
            "cohort__year_m4",
            "definition__number",
            "status_as_of",
            "progress_as_of",
            "planned_as_of",
            "actual_as_of",
            "late",
        )
        .order_by("regency_id", "definition__number")
    )
    current: dict[str, dict[int, Mapping[str, Any]]] = {}
    for row in rows:
        current.setdefault(row["regency_id"], {})[row["definition__number"]] = {
            "pk": row["pk"],
            "regency_id": row["regency_id"],
            "cohort__year_m1_m3": row["cohort__year_m1_m3"],
            "cohort__year_m4": row["cohort__year_m4"],
            "status": row["status_as_of"],
            "progress": row["progress_as_of"],
            "planned_date": row["planned_as_of"],
            "actual_date": row["actual_as_of"],
            "late": row["late"],
        }
    return current


def nawasis_latest(scope: Scope, as_of=None) -> list[Mapping[str, Any]]:
    """Each regency's latest submission per module as of ``as_of`` (``figures.latest_submissions``), by
    regency and module; ``verified_as_of`` is the verification if it had happened by then."""
    submissions = figures.latest_submissions(scoping.narrow(scope, NawasisSubmission.objects.all(), "regency"), as_of)
    return list(
        submissions.values(
            "regency_id",
            "regency__name",
            "regency__province",
            "module",
            "submitted_on",
            "completeness",
            "verified_as_of",
        ).order_by("regency_id", "module")
    )


def budget(scope: Scope, *, years, sources=None) -> tuple[list[dict], dict]:
    """The budget by source (``figures.budget_by_source``) of the scope in ``years``, and its total (one
    query); the total's ``empty`` says that no line of the scope falls in those years."""
    lines = scoping.narrow(scope, BudgetLine.objects.all(), "activity__regency")
    table = figures.budget_by_source(lines, years=years, sources=sources)

    def row(source, label):
        return {
            "source": str(label),
            "indicative": rupiah(source.indicative),
            "allocated": rupiah(source.allocated),
            "realised": rupiah(source.realised),
            "rate": _percent(source.realisation),
        }

    total = row(table.total, _("Total"))
    total["empty"] = table.is_empty
    return [row(r, r.label) for r in table.rows], total


def _summary(total: ProgrammeFigures, scope: Scope) -> list[dict]:
    if _is_one_regency(scope):
        items = [
            ("verified", _("Milestones verified"), total.verified),
            ("late", _("Milestones late"), total.late),
            ("pending_reviews", _("Updates waiting for review"), total.pending_reviews),
            ("wait_max", _("Longest wait for review (days)"), _or_dash(total.oldest_wait_days)),
            ("follow_up", _("Clinic follow-ups done"), _percent(total.follow_ups.completion_rate)),
            ("overdue", _("Follow-ups overdue"), total.follow_ups.overdue),
        ]
    else:
        items = [
            ("regencies", _("Regencies in scope"), total.regencies),
            ("in_programme", _("In the programme"), total.in_programme),
            ("verified", _("Milestones verified"), total.verified),
            ("late", _("Milestones late"), total.late),
            ("pending_reviews", _("Updates waiting for review"), total.pending_reviews),
        ]
    return [{"key": key, "label": label, "value": str(value)} for key, label, value in items]


def _or_dash(value) -> str:
    return "–" if value is None else str(value)


# --- Audience by audience ---------------------------------------------------------------------------


def national(scope: Scope, *, period, today, now, as_of=None, with_map=True):
    provinces = list(scoping.provinces_in(scope).order_by("code").values("code", "name"))
    regencies = list(scoping.regencies_in(scope).order_by("code").values("code", "name", "province_id"))
    names = definitions()
    by_province = programme(scope, today, as_of)
    current = current_milestones(scope, today, as_of)
    nawasis = defaultdict(list)
    for submission in nawasis_latest(scope, as_of):
        nawasis[submission["regency__province"]].append(submission["completeness"])

    members = defaultdict(list)
    for regency in regencies:
        members[regency["province_id"]].append(regency)

    province_rows, tables, late = [], [], []
    for province in provinces:
        found = by_province.get(province["code"]) or ProgrammeFigures()
        table_rows = []
        for regency in members[province["code"]]:
            milestones = current.get(regency["code"], {})
            for n, m in sorted(milestones.items()):
                if m["late"]:
                    late.append(_late_row(regency, province, n, m, today))
            cells = [_cell(milestones.get(n)) for n in NUMBERS]
            table_rows.append(
                {"code": regency["code"], "name": regency["name"], "cohort": _cohort(milestones), "cells": cells}
            )
        province_rows.append(
            {
                "code": province["code"],
                "name": province["name"],
                "regencies": str(found.regencies),
                "in_programme": str(found.in_programme),
                "m": [{"verified": str(m.verified), "late": str(m.late)} for m in found.by_number],
                "pending": str(found.pending_reviews),
                "wait_max": _or_dash(found.oldest_wait_days),
                "follow_up": _percent(found.follow_ups.completion_rate),
                "overdue": str(found.follow_ups.overdue),
                "nawasis": _percent(figures.nawasis_completeness(nawasis[province["code"]])),
            }
        )
        if table_rows:
            tables.append({"code": province["code"], "name": province["name"], "rows": table_rows})

    total = ProgrammeFigures.summed(by_province.values())
    years = (period[0].year, period[1].year)
    budget_rows, budget_total = budget(scope, years=years)
    day = figures.day_of(as_of, today)
    return {
        "in_programme": total.in_programme > 0,
        "no_programme": _("No regency in scope was in the programme on %(date)s.") % {"date": _date(day)},
        "no_budget": _("No budget data for the year %(years)s.") % {"years": _years(years)},
        "definitions": [f"M{n} · {names.get(n, '')}" for n in NUMBERS],
        "summary": _summary(total, scope),
        "chart": milestone_status_chart(total.status_counts),
        "provinces": province_rows,
        "tables": tables,
        "late": sorted(late, key=lambda r: (r["province"], r["regency"], r["milestone"])),
        "budget": budget_rows,
        "budget_total": budget_total,
        "services": services(scope),
        "indicators": indicators(scope, as_of),
        "roadmaps": roadmaps(scope),
        **(_national_map(scope, as_of) if with_map else {}),
    }


def _number(value) -> str:
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _covered(covered: int, total: int, percent_value: int | None = None) -> str:
    text = f"{_number(covered)}/{_number(total)}"  # 4.096/6.709, grouped as every figure of the report
    return text if percent_value is None else f"{text} ({percent_value} %)"


def services(scope: Scope) -> dict[str, Any]:
    """The service roll-up (the dashboards' selector): per service kind, the total, and per province.
    The service records as they stand now (they keep no history; the trend is the yearly monitoring's)."""
    rollup = service_selectors.service_rollup(scoping.regencies_in(scope), by_province=True)
    total = rollup.total
    return {
        "kinds": [
            {
                "label": k.label,
                "regencies": _covered(k.regencies, total.regencies),
                "covered": _covered(k.covered, total.kecamatan),
                "households": _number(k.households),
                "volume": f"{_number(k.volume.normalize() if k.volume else 0)} {k.unit}",
            }
            for k in rollup.kinds
        ],
        "total": {
            "label": _("All services"),
            "regencies": _covered(total.with_service, total.regencies),
            "covered": _covered(total.covered, total.kecamatan, total.percent),
            "households": _number(total.households),
            "volume": "",
        },
        "provinces": [
            {
                "name": p.name,
                "regencies": _covered(p.with_service, p.regencies),
                "covered": _covered(p.covered, p.kecamatan, p.percent),
                "households": _number(p.households),
            }
            for p in rollup.provinces
            if p.with_service
        ],
        "note": _(
            "Kecamatan covered of the kecamatan entered; the service records as they stand when the report is compiled."
        ),
    }


def indicators(scope: Scope, as_of=None) -> dict[str, Any]:
    """The outcome indicators (the dashboards' selector, ``latest_verified``): per indicator, how many
    regencies report a verified actual and their mean; per province when there are several; per regency
    (its latest verified actual of each) when the scope is one province or less."""
    regencies = scoping.regencies_in(scope)
    defined = indicator_selectors.definitions()
    rollups = {d.code: indicator_selectors.national_rollup(regencies, d.code, as_of=as_of) for d in defined}
    listed = list(regencies.order_by("code").values_list("code", "name"))
    codes = [c for c, _n in listed]
    latest = {d.code: indicator_selectors.latest_verified(d.code, codes, as_of=as_of) for d in defined}
    rows = [
        {
            "label": d.label,
            "reporting": _covered(len(latest[d.code]), len(listed)),
            "mean": completeness(indicator_selectors.mean(list(latest[d.code].values()))),
        }
        for d in defined
    ]
    first = rollups[defined[0].code] if defined else []
    by_province = [
        {
            "name": row.province_name,
            "values": [f"{completeness(rollups[d.code][i].mean)} ({rollups[d.code][i].reporting})" for d in defined],
        }
        for i, row in enumerate(first)
    ]
    per_regency = []
    if len(by_province) <= 1 and len(listed) <= 40:
        per_regency = [  # the regencies reporting at least one
            {"name": name, "values": [completeness(latest[d.code].get(code)) for d in defined]}
            for code, name in listed
            if any(code in latest[d.code] for d in defined)
        ]
    return {
        "labels": [d.label for d in defined],
        "rows": rows,
        "provinces": by_province if len(by_province) > 1 else [],
        "regencies": per_regency,
        "reported": any(latest[d.code] for d in defined),
        "note": _(
            "Only actuals the province verified by the end of the period; a regency's latest one. "
            "A province's cell: the mean (the number of regencies reporting)."
        ),
    }


# --- The provinces' own documents: their roadmaps and policy packages ---------------------------------


def roadmaps(scope: Scope) -> dict[str, Any]:
    """Each province of the scope with its newest roadmap's review state and its policy package (the same
    selector the province page reads). As they stand when the report is compiled (they keep no as-of)."""
    return {
        "rows": [
            {
                "code": row.province.code,
                "name": row.province.name,
                "period": f"{row.roadmap.period_start}–{row.roadmap.period_end}" if row.roadmap else "–",
                "state": str(row.roadmap.get_review_state_display()) if row.roadmap else _("No roadmap"),
                "decided": _date(row.roadmap.decided_at.date()) if row.roadmap and row.roadmap.decided_at else "–",
                "policies": f"{row.enacted_policies}/{row.policies}",
            }
            for row in roadmap_selectors.roadmap_statuses(scope)
        ],
        "note": _("Policy documents: enacted of recorded. The roadmaps as they stand when the report is compiled."),
    }


def province_documents(scope: Scope) -> list[dict[str, Any]]:
    """The province's roadmap (with its latest return's reason) and every policy document, per province."""
    result = []
    for province in scoping.provinces_in(scope).order_by("code"):
        documents = roadmap_selectors.province_documents(province)
        roadmap = documents.roadmap
        result.append(
            {
                "name": province.name,
                "roadmap": (
                    f"{roadmap.title} ({roadmap.period_start}–{roadmap.period_end}) · "
                    f"{roadmap.get_review_state_display()}"
                    if roadmap
                    else _("No roadmap recorded yet.")
                ),
                "return_reason": roadmap.return_reason if roadmap and roadmap.is_returned else "",
                "policies": [
                    {
                        "title": p.title,
                        "kind": str(p.get_kind_display()),
                        "status": str(p.get_status_display()),
                        "number": " · ".join(filter(None, [p.number, _date(p.enacted_on) if p.enacted_on else ""])),
                    }
                    for p in documents.policies
                ],
            }
        )
    return result


def _national_map(scope: Scope, as_of) -> dict[str, Any]:
    """The map of every regency of the nation, the scope's coloured by stage (``maps``; none without boundaries)."""
    svg = map_selectors.report_national_map(scope, as_of=as_of)
    return {"map": [{"svg": svg, "kind": "nation"}], "map_note": _map_note()} if svg else {}


def _map_note() -> str:
    return str(map_selectors.LAYERS[map_selectors.DEFAULT_LAYER].note)


def _province_maps(scope: Scope, as_of) -> dict[str, Any]:
    """A map of each province of the scope with its regencies, coloured by stage (none without boundaries)."""
    svgs = [
        {"svg": svg, "kind": "province"}
        for province in scoping.provinces_in(scope).order_by("code")
        if (svg := map_selectors.report_province_map(scope, province, as_of=as_of))
    ]
    return {"map": svgs, "map_note": _map_note()} if svgs else {}


def _late_row(regency, province, n, m, today) -> dict:
    return {
        "regency": regency["name"],
        "province": province["name"],
        "milestone": f"M{n}",
        "planned": _date(m["planned_date"]),
        "days": str(days_since(m["planned_date"], today)),
        "status": status_label(m["status"]),
    }


def _cell(m) -> dict:
    if not m:
        return {"status": "", "label": "–", "progress": "", "late": False}
    return {
        "status": m["status"],
        "label": status_label(m["status"]),
        "progress": f"{m['progress']}%",
        "late": m["late"],
    }


def _cohort(milestones) -> str:
    if not milestones:
        return "–"
    any_row = next(iter(milestones.values()))
    return f"{any_row['cohort__year_m1_m3']}/{any_row['cohort__year_m4']}"


def provincial(scope: Scope, *, period, today, now, as_of=None):
    data = national(scope, period=period, today=today, now=now, as_of=as_of, with_map=False)
    if not _is_one_regency(scope):
        data.update(_province_maps(scope, as_of))
    data.update(regency_details(scope, today=today, as_of=as_of))
    years = (period[0].year, period[1].year)
    data["integration"] = _integration_rows(scope, years)
    data["no_integration"] = _("No SSK activity was checked against the planning documents for %(years)s.") % {
        "years": _years(years)
    }
    data["nawasis"] = _nawasis_rows(scope, as_of)
    if not _is_one_regency(scope):
        data["province_documents"] = province_documents(scope)
    return data


# An update's state as its decision (or submission) left it in the history.
_UPDATE_STATUS_OF_ACTION = {
    HistoryEntry.Action.SUBMITTED: MilestoneUpdate.Status.SUBMITTED,
    HistoryEntry.Action.RETURNED: MilestoneUpdate.Status.RETURNED,
    HistoryEntry.Action.APPROVED: MilestoneUpdate.Status.APPROVED,
}


def _latest_updates(milestone_ids: list[int], as_of) -> dict[int, Mapping[str, Any]]:
    """The latest submitted update of each milestone (one query); as of ``as_of``, the latest submission or
    decision then, with the update's status and date of that moment (its text is the one it has now)."""
    latest: dict[int, Mapping[str, Any]] = {}
    if as_of is None:
        for update in (
            MilestoneUpdate.objects.filter(milestone__in=milestone_ids)
            .exclude(status=MilestoneUpdate.Status.DRAFT)
            .order_by("milestone_id", "-updated_at")
            .values("milestone_id", "status", "progress", "narrative", "updated_at", "return_reason")
        ):
            latest.setdefault(update["milestone_id"], update)
        return latest
    for entry in (
        HistoryEntry.objects.filter(milestone__in=milestone_ids, at__lte=as_of, action__in=_UPDATE_STATUS_OF_ACTION)
        .order_by("milestone_id", "-at", "-pk")
        .values("milestone_id", "action", "at", "update__progress", "update__narrative", "update__return_reason")
    ):
        status = _UPDATE_STATUS_OF_ACTION[HistoryEntry.Action(entry["action"])]
        latest.setdefault(
            entry["milestone_id"],
            {
                "status": status,
                "progress": entry["update__progress"],
                "narrative": entry["update__narrative"],
                "updated_at": entry["at"],
                "return_reason": entry["update__return_reason"] if status == MilestoneUpdate.Status.RETURNED else "",
            },
        )
    return latest


def regency_details(scope: Scope, *, today, as_of=None):
    """Each regency's current milestones with the latest update on each; open and overdue follow-ups."""
    regencies = list(scoping.regencies_in(scope).order_by("code").values("code", "name"))
    current = current_milestones(scope, today, as_of)
    milestone_ids = [m["pk"] for ms in current.values() for m in ms.values()]
    latest = _latest_updates(milestone_ids, as_of)
    names = definitions()
    details = []
    for regency in regencies:
        rows = []
        for n in NUMBERS:
            m = current.get(regency["code"], {}).get(n)
            if not m:
                continue
            rows.append(
                {
                    "milestone": f"M{n} · {names.get(n, '')}",
                    "status": status_label(m["status"]),
                    "progress": f"{m['progress']}%",
                    "planned": _date(m["planned_date"]),
                    "actual": _date(m["actual_date"]),
                    "late": m["late"],
                    "update": _update_text(latest.get(m["pk"])),
                }
            )
        if rows:
            details.append({"name": regency["name"], "code": regency["code"], "rows": rows})
    return {"regency_details": details, "follow_ups": _follow_up_rows(scope, today, as_of)}


def _update_text(update) -> str:
    if not update:
        return ""
    text = f"{_date(update['updated_at'])} · {MilestoneUpdate.Status(update['status']).label} · {update['progress']}%: "
    text += update["narrative"][:400]
    if update["status"] == MilestoneUpdate.Status.RETURNED and update["return_reason"]:
        text += " — " + _("Returned: %(reason)s") % {"reason": update["return_reason"][:300]}
    return text


def _follow_up_rows(scope: Scope, today, as_of=None):
    """The actions the scope's pages count (``clinics.follow_ups_of``) that were open or in progress as of
    ``as_of`` (``figures.follow_ups_as_of``), soonest due first."""
    day = figures.day_of(as_of, today)
    actions = (
        figures.follow_ups_as_of(clinic_selectors.follow_ups_of(scope), as_of)
        .filter(status_as_of__in=FollowUpAction.ACTIVE_STATUSES)
        .select_related(
            "recommendation__clinic", "regency", "assigned_working_group", "assigned_regency", "assigned_agency"
        )
        .order_by("due_date", "pk")
    )
    return [
        {
            "clinic": f"CC{a.recommendation.clinic.number} · {_date(a.recommendation.clinic.date)}",
            "action": a.description[:300],
            "owner": str(a.owner),
            "regency": a.regency.name if a.regency else "–",
            "due": _date(a.due_date),
            "status": str(FollowUpAction.Status(a.status_as_of).label),
            "overdue": a.due_date < day,  # every row is open or in progress: overdue once past due
        }
        for a in actions
    ]


def _integration_rows(scope: Scope, years: tuple[int, int]):
    """``figures.integration_shares`` of the activities in scope running in ``years`` (one query); none
    when no activity runs then or none was checked against a planning document in those years."""
    activities = scoping.narrow(scope, ProgrammeActivity.objects.all(), "regency")
    shares = figures.integration_shares(activities, years=years)
    if not any(share.recorded for share in shares):
        return []
    return [
        {
            "document": str(share.label),
            "included": str(share.integrated),
            "total": str(share.total),
            "rate": _percent(share.percent),
        }
        for share in shares
    ]


def _nawasis_rows(scope: Scope, as_of=None):
    return [
        {
            "regency": s["regency__name"],
            "module": str(NawasisSubmission.Module(s["module"]).label),
            "date": _date(s["submitted_on"]),
            "completeness": completeness(s["completeness"]),
            "verified": _("yes") if s["verified_as_of"] else _("no"),
        }
        for s in nawasis_latest(scope, as_of)
    ]


def balai(scope: Scope, *, period, today, now, as_of=None):
    """Infrastructure and funding view: activities by subsector with APBN and DAK, and the service pilots."""
    years = (period[0].year, period[1].year)
    sources = ("apbn", "dak")
    lines = scoping.narrow(scope, BudgetLine.objects.all(), "activity__regency")
    by_subsector = figures.budget_by_subsector(lines, years=years, sources=sources)
    subsectors = []
    for subsector in Subsector:
        entry = by_subsector.get(subsector.value) or figures.SubsectorBudget()
        row = {"subsector": str(subsector.label), "activities": str(entry.activities)}
        for source in sources:
            allocated, realised = entry.sources.get(source, (figures.ZERO, figures.ZERO))
            row[f"{source}_allocated"], row[f"{source}_realised"] = rupiah(allocated), rupiah(realised)
        subsectors.append(row)
    regencies = dict(scoping.regencies_in(scope).values_list("code", "name"))
    current = current_milestones(scope, today, as_of)
    pilots = [
        {
            "regency": regencies.get(code, code),
            "milestone": f"M{n}",
            "status": status_label(m["status"]),
            "progress": f"{m['progress']}%",
            "planned": _date(m["planned_date"]),
            "late": m["late"],
        }
        for code in sorted(current)
        for n in (3, 4)
        if (m := current[code].get(n))
    ]
    budget_rows, budget_total = budget(scope, years=years, sources=sources)
    data = national(scope, period=period, today=today, now=now, as_of=as_of)
    data.update(
        {
            "subsectors": subsectors if any(entry.activities for entry in by_subsector.values()) else [],
            "no_subsectors": _("No activity with APBN or DAK funds in %(years)s.") % {"years": _years(years)},
            "pilots": pilots,
            "budget": budget_rows,
            "budget_total": budget_total,
            "dak": dak(scope, years=years),
        }
    )
    return data


def dak(scope: Scope, *, years: tuple[int, int]) -> dict[str, Any]:
    """DAK allocated, realised and verified by the Balai per province and regency: the Balai page's
    selector (``milestones.selectors.dak.dak_figures``), the live verification state."""

    table = dak_selectors.dak_figures(scope, years=years)

    def row(entry, name=None):
        share = entry.verified_share
        return {
            "name": name or entry.name,
            "lines": str(entry.lines),
            "allocated": rupiah(entry.allocated),
            "realised": rupiah(entry.realised),
            "verified": rupiah(entry.verified),
            "share": "–" if share is None else f"{share}%",
            "waiting": str(entry.waiting),
        }

    return {
        "empty": table.is_empty,
        "none": _("No DAK budget line in %(years)s.") % {"years": _years(years)},
        "provinces": [row(p) for p in table.provinces],
        "regencies": [row(r) for r in table.regencies],
        "total": row(table.total, str(_("Total"))),
    }


def regency(scope: Scope, *, period, today, now, as_of=None):
    data = provincial(scope, period=period, today=today, now=now, as_of=as_of)
    data.pop("provinces", None)
    data.pop("roadmaps", None)  # the province's own documents are not a regency's
    return data


BUILDERS = {"national": national, "provincial": provincial, "balai": balai, "regency": regency}


def gather(audience: str, scope: Scope, *, period, now=None):
    """The report's data as of the end of ``period`` (capped at ``now``: a period ending today or later
    reads the live state). Lateness, waits and overdue follow-ups count on that day."""
    now = now or timezone.now()
    as_of = figures.as_of_moment(period[1], now)
    today = local_day(as_of) if as_of is not None else timezone.localdate(now)
    return BUILDERS[audience](scope, period=period, today=today, now=now, as_of=as_of)
