"""Gather a report's data through a fixed number of queries, as plain values ready for the template.

Every function here takes the report's scope as a list of province codes (or one regency) and
returns dicts of strings and numbers: the Typst template only lays them out. Texts and numbers are
formatted in the report's language by the caller's ``translation.override``.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from django.db.models import Count, Q, Sum
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from milestones.charts import milestone_status_chart
from milestones.models import (
    BudgetLine,
    FollowUpAction,
    FundingSource,
    Milestone,
    MilestoneDefinition,
    MilestoneUpdate,
    NawasisSubmission,
    PlanningDocument,
    PlanningIntegration,
    ProgrammeActivity,
    Subsector,
)
from milestones.models.milestones import MilestoneStatus
from regencies.models import Province, Regency
from ssk_tracker.lib.formatting import percent, rupiah

NUMBERS = (1, 2, 3, 4)


def _date(value) -> str:
    return _date_in(value, get_language()) if value else "–"


@lru_cache(maxsize=4096)
def _date_in(value, language) -> str:  # a national report formats the same few hundred dates often
    return formats.date_format(value, "DATE_FORMAT")


def _rate(part, whole) -> str:
    return percent(Decimal(part) * 100 / whole) if whole else "–"


class Scope:
    """The regencies a report covers: all of some provinces, or one regency."""

    def __init__(self, province_codes: Iterable[str] | None = None, regency_code: str | None = None) -> None:
        self.province_codes = sorted(province_codes or [])
        self.regency_code = regency_code

    def q(self, path="") -> Q:
        prefix = f"{path}__" if path else ""
        if self.regency_code:
            return Q(**{f"{prefix}code" if path else "code": self.regency_code})
        return Q(**{f"{prefix}province__in": self.province_codes})


def current_milestones(scope: Scope, today: datetime.date):
    """The milestones of each regency's most recent cohort: {regency_code: {number: row}} (one query)."""
    rows = (
        Milestone.objects.filter(scope.q("regency"))
        .values(
            "pk",
            "regency_id",
            "cohort__year_m1_m3",
            "cohort__year_m4",
            "definition__number",
            "status",
            "progress",
            "planned_date",
            "actual_date",
        )
        .order_by("regency_id", "-cohort__year_m1_m3", "definition__number")
    )
    current: dict[str, dict[int, dict]] = {}
    latest_year: dict[str, int] = {}
    for row in rows:
        code = row["regency_id"]
        year = latest_year.setdefault(code, row["cohort__year_m1_m3"])
        if row["cohort__year_m1_m3"] != year:
            continue
        row["late"] = bool(row["planned_date"] and row["planned_date"] < today and row["status"] != "verified")
        current.setdefault(code, {})[row["definition__number"]] = row
    return current


def status_label(value: str) -> str:
    return _status_label_in(value, get_language())


@lru_cache(maxsize=64)
def _status_label_in(value, language) -> str:
    return str(MilestoneStatus(value).label)


def definitions() -> dict[int, str]:
    return dict(MilestoneDefinition.objects.values_list("number", "name"))


def pending_reviews(scope: Scope, now):
    """{regency_code: [waited days, …]} for submitted updates (one query)."""
    waits = defaultdict(list)
    for code, submitted_at in MilestoneUpdate.objects.filter(
        scope.q("milestone__regency"), status=MilestoneUpdate.Status.SUBMITTED
    ).values_list("milestone__regency_id", "submitted_at"):
        waits[code].append((now - submitted_at).days if submitted_at else 0)
    return waits


def _follow_ups_q(scope: Scope) -> Q:
    """Actions concerning a regency in scope, and the provinces' own actions."""
    return Q(regency__isnull=False) & scope.q("regency") | Q(regency__isnull=True, province__in=scope.province_codes)


def follow_up_figures(scope: Scope, today):
    """{regency or province code: (done, counted, overdue)} for actions (one query)."""
    rows = (
        FollowUpAction.objects.filter(_follow_ups_q(scope))
        .values("province_id", "regency_id")
        .annotate(
            done=Count("pk", filter=Q(status="done")),
            counted=Count("pk", filter=~Q(status="dropped")),
            overdue=Count("pk", filter=FollowUpAction.overdue_q(today)),
        )
    )
    per_regency, per_province = {}, defaultdict(lambda: [0, 0, 0])
    for row in rows:
        figures = (row["done"], row["counted"], row["overdue"])
        if row["regency_id"]:
            per_regency[row["regency_id"]] = figures
        totals = per_province[row["province_id"]]
        for i, value in enumerate(figures):
            totals[i] += value
    return per_regency, per_province


def integration_rates(scope: Scope):
    """{province_code: {document: (included activities, activities)}} (two queries)."""
    activities = dict(
        ProgrammeActivity.objects.filter(scope.q("regency"))
        .values("regency__province_id")
        .annotate(n=Count("pk"))
        .values_list("regency__province_id", "n")
    )
    included = defaultdict(dict)
    for province, document, n in (
        PlanningIntegration.objects.filter(scope.q("activity__regency"), included=True)
        .values("activity__regency__province_id", "document")
        .annotate(n=Count("activity", distinct=True))
        .values_list("activity__regency__province_id", "document", "n")
    ):
        included[province][document] = n
    return {p: {d: (included[p].get(d, 0), total) for d in PlanningDocument.values} for p, total in activities.items()}


def budget_by_source(scope: Scope, years=None, sources=None):
    """[(source label, indicative, allocated, realised)] with exact Decimal sums (one query)."""
    lines = BudgetLine.objects.filter(scope.q("activity__regency"))
    if years:
        lines = lines.filter(year__gte=years[0], year__lte=years[1])
    if sources:
        lines = lines.filter(source__in=sources)
    sums = {
        row["source"]: row
        for row in lines.values("source").annotate(i=Sum("indicative"), a=Sum("allocated"), r=Sum("realised"))
    }
    result = []
    for source in FundingSource:
        if sources and source not in sources:
            continue
        row = sums.get(source.value, {"i": 0, "a": 0, "r": 0})
        result.append(
            {
                "source": str(source.label),
                "indicative": row["i"] or Decimal(0),
                "allocated": row["a"] or Decimal(0),
                "realised": row["r"] or Decimal(0),
            }
        )
    return result


def format_budget(rows):
    totals = [sum((r[k] for r in rows), Decimal(0)) for k in ("indicative", "allocated", "realised")]
    formatted = [
        {
            "source": r["source"],
            "indicative": rupiah(r["indicative"]),
            "allocated": rupiah(r["allocated"]),
            "realised": rupiah(r["realised"]),
            "rate": _rate(r["realised"], r["allocated"]),
        }
        for r in rows
    ]
    total = {
        "source": _("Total"),
        "indicative": rupiah(totals[0]),
        "allocated": rupiah(totals[1]),
        "realised": rupiah(totals[2]),
        "rate": _rate(totals[2], totals[1]),
    }
    return formatted, total


def nawasis_latest(scope: Scope):
    """{regency_code: {module: submission}} keeping the latest per module (one query)."""
    latest = defaultdict(dict)
    for row in (
        NawasisSubmission.objects.filter(scope.q("regency"))
        .values("regency_id", "module", "submitted_on", "completeness", "verified_at")
        .order_by("regency_id", "module", "submitted_on", "pk")
    ):
        latest[row["regency_id"]][row["module"]] = row
    return latest


# --- Audience by audience ---------------------------------------------------------------------------


def national(scope: Scope, *, period, today, now):
    provinces = list(Province.objects.filter(code__in=scope.province_codes).order_by("code").values("code", "name"))
    regencies = list(Regency.objects.filter(scope.q()).order_by("code").values("code", "name", "province_id"))
    names = definitions()
    current = current_milestones(scope, today)
    waits = pending_reviews(scope, now)
    _per_regency, follow_ups = follow_up_figures(scope, today)
    integration = integration_rates(scope)
    nawasis = nawasis_latest(scope)

    by_province = defaultdict(list)
    for regency in regencies:
        by_province[regency["province_id"]].append(regency)

    province_rows, tables, late = [], [], []
    chart_counts = {n: Counter() for n in NUMBERS}
    for province in provinces:
        members = by_province[province["code"]]
        counts = {n: Counter() for n in NUMBERS}
        table_rows = []
        wait_days = []
        completeness = []
        for regency in members:
            milestones = current.get(regency["code"], {})
            wait_days += waits.get(regency["code"], [])
            completeness += [float(s["completeness"]) for s in nawasis.get(regency["code"], {}).values()]
            cells = []
            for n in NUMBERS:
                m = milestones.get(n)
                if m:
                    counts[n][m["status"]] += 1
                    chart_counts[n][m["status"]] += 1
                    counts[n]["late"] += m["late"]
                    if m["late"]:
                        late.append(
                            {
                                "regency": regency["name"],
                                "province": province["name"],
                                "milestone": f"M{n}",
                                "planned": _date(m["planned_date"]),
                                "days": str((today - m["planned_date"]).days),
                                "status": status_label(m["status"]),
                            }
                        )
                cells.append(_cell(m))
            table_rows.append(
                {"code": regency["code"], "name": regency["name"], "cohort": _cohort(milestones), "cells": cells}
            )
        done, counted, overdue = follow_ups.get(province["code"], (0, 0, 0))
        docs = integration.get(province["code"], {})
        province_rows.append(
            {
                "code": province["code"],
                "name": province["name"],
                "regencies": str(len(members)),
                "in_programme": str(sum(1 for r in members if r["code"] in current)),
                "m": [{"verified": str(counts[n]["verified"]), "late": str(counts[n]["late"])} for n in NUMBERS],
                "pending": str(len(wait_days)),
                "wait_max": str(max(wait_days)) if wait_days else "–",
                "follow_up": _rate(done, counted),
                "overdue": str(overdue),
                "integration": " / ".join(_rate(*docs.get(d, (0, 0))) for d in PlanningDocument.values),
                "nawasis": percent(sum(completeness) / len(completeness)) if completeness else "–",
            }
        )
        if table_rows:
            tables.append({"code": province["code"], "name": province["name"], "rows": table_rows})

    budget, budget_total = format_budget(budget_by_source(scope, years=(period[0].year, period[1].year)))
    return {
        "definitions": [f"M{n} · {names.get(n, '')}" for n in NUMBERS],
        "summary": _summary(len(regencies), current, sum(len(w) for w in waits.values())),
        "chart": milestone_status_chart({n: dict(c) for n, c in chart_counts.items()}),
        "provinces": province_rows,
        "tables": tables,
        "late": sorted(late, key=lambda r: (r["province"], r["regency"], r["milestone"])),
        "budget": budget,
        "budget_total": budget_total,
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


def _summary(regency_count, current, pending):
    verified = sum(1 for ms in current.values() for m in ms.values() if m["status"] == "verified")
    late = sum(1 for ms in current.values() for m in ms.values() if m["late"])
    return [
        {"label": _("Regencies in scope"), "value": str(regency_count)},
        {"label": _("In the programme"), "value": str(len(current))},
        {"label": _("Milestones verified"), "value": str(verified)},
        {"label": _("Milestones late"), "value": str(late)},
        {"label": _("Updates waiting for review"), "value": str(pending)},
    ]


def provincial(scope: Scope, *, period, today, now):
    data = national(scope, period=period, today=today, now=now)
    data.update(regency_details(scope, period=period, today=today))
    data["integration"] = _integration_rows(scope)
    data["nawasis"] = _nawasis_rows(scope)
    return data


def regency_details(scope: Scope, *, period, today):
    """Each regency's current milestones with the latest update on each; open and overdue follow-ups."""
    regencies = list(Regency.objects.filter(scope.q()).order_by("code").values("code", "name"))
    current = current_milestones(scope, today)
    milestone_ids = [m["pk"] for ms in current.values() for m in ms.values()]
    latest = {}
    for update in (
        MilestoneUpdate.objects.filter(milestone__in=milestone_ids)
        .exclude(status=MilestoneUpdate.Status.DRAFT)
        .order_by("milestone_id", "-updated_at")
        .values("milestone_id", "status", "progress", "narrative", "obstacles", "updated_at", "return_reason")
    ):
        latest.setdefault(update["milestone_id"], update)
    names = definitions()
    details = []
    for regency in regencies:
        rows = []
        for n in NUMBERS:
            m = current.get(regency["code"], {}).get(n)
            if not m:
                continue
            update = latest.get(m["pk"])
            rows.append(
                {
                    "milestone": f"M{n} · {names.get(n, '')}",
                    "status": status_label(m["status"]),
                    "progress": f"{m['progress']}%",
                    "planned": _date(m["planned_date"]),
                    "actual": _date(m["actual_date"]),
                    "late": m["late"],
                    "update": _update_text(update),
                }
            )
        if rows:
            details.append({"name": regency["name"], "code": regency["code"], "rows": rows})
    return {"regency_details": details, "follow_ups": _follow_up_rows(scope, today)}


def _update_text(update) -> str:
    if not update:
        return ""
    text = f"{_date(update['updated_at'])} · {MilestoneUpdate.Status(update['status']).label} · {update['progress']}%: "
    text += update["narrative"][:400]
    if update["status"] == MilestoneUpdate.Status.RETURNED and update["return_reason"]:
        text += " — " + _("Returned: %(reason)s") % {"reason": update["return_reason"][:300]}
    return text


def _follow_up_rows(scope: Scope, today):
    actions = (
        FollowUpAction.objects.filter(_follow_ups_q(scope))
        .filter(status__in=FollowUpAction.ACTIVE_STATUSES)
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
            "status": str(a.get_status_display()),
            "overdue": a.is_overdue(today),
        }
        for a in actions
    ]


def _integration_rows(scope: Scope):
    """The scope's totals of ``integration_rates`` (activities belong to one province each)."""
    included, activity_count = Counter(), 0
    for per_document in integration_rates(scope).values():
        activity_count += per_document[PlanningDocument.RPJMD][1]  # every document has the same total
        for document, (n, _total) in per_document.items():
            included[document] += n
    return [
        {
            "document": str(d.label),
            "included": str(included[d.value]),
            "total": str(activity_count),
            "rate": _rate(included[d.value], activity_count),
        }
        for d in PlanningDocument
    ]


def _nawasis_rows(scope: Scope):
    names = dict(Regency.objects.filter(scope.q()).values_list("code", "name"))
    rows = []
    for code, modules in sorted(nawasis_latest(scope).items()):
        for module, s in sorted(modules.items()):
            rows.append(
                {
                    "regency": names.get(code, code),
                    "module": str(NawasisSubmission.Module(module).label),
                    "date": _date(s["submitted_on"]),
                    "completeness": percent(s["completeness"]),
                    "verified": _("yes") if s["verified_at"] else _("no"),
                }
            )
    return rows


def balai(scope: Scope, *, period, today, now):
    """Infrastructure and funding view: activities by subsector with APBN and DAK, and the service pilots."""
    years = (period[0].year, period[1].year)
    lines = (
        BudgetLine.objects.filter(
            scope.q("activity__regency"), source__in=["apbn", "dak"], year__gte=years[0], year__lte=years[1]
        )
        .values("activity__subsector", "source")
        .annotate(a=Sum("allocated"), r=Sum("realised"), n=Count("activity", distinct=True))
    )
    by_subsector = defaultdict(lambda: {"apbn": [Decimal(0), Decimal(0)], "dak": [Decimal(0), Decimal(0)], "n": 0})
    for row in lines:
        entry = by_subsector[row["activity__subsector"]]
        entry[row["source"]] = [row["a"] or Decimal(0), row["r"] or Decimal(0)]
        entry["n"] = max(entry["n"], row["n"])
    subsectors = [
        {
            "subsector": str(s.label),
            "activities": str(by_subsector[s.value]["n"]),
            "apbn_allocated": rupiah(by_subsector[s.value]["apbn"][0]),
            "apbn_realised": rupiah(by_subsector[s.value]["apbn"][1]),
            "dak_allocated": rupiah(by_subsector[s.value]["dak"][0]),
            "dak_realised": rupiah(by_subsector[s.value]["dak"][1]),
        }
        for s in Subsector
    ]
    regencies = dict(Regency.objects.filter(scope.q()).values_list("code", "name"))
    current = current_milestones(scope, today)
    pilots = []
    for code in sorted(current):
        for n in (3, 4):
            m = current[code].get(n)
            if m:
                pilots.append(
                    {
                        "regency": regencies.get(code, code),
                        "milestone": f"M{n}",
                        "status": status_label(m["status"]),
                        "progress": f"{m['progress']}%",
                        "planned": _date(m["planned_date"]),
                        "late": m["late"],
                    }
                )
    budget, budget_total = format_budget(budget_by_source(scope, years=years, sources=["apbn", "dak"]))
    data = national(scope, period=period, today=today, now=now)
    data.update({"subsectors": subsectors, "pilots": pilots, "budget": budget, "budget_total": budget_total})
    return data


def regency(scope: Scope, *, period, today, now):
    data = provincial(scope, period=period, today=today, now=now)
    data.pop("provinces", None)
    return data


BUILDERS = {"national": national, "provincial": provincial, "balai": balai, "regency": regency}


def gather(audience: str, scope: Scope, *, period, now=None):
    now = now or timezone.now()
    return BUILDERS[audience](scope, period=period, today=timezone.localdate(now), now=now)
