"""The province dashboard (the province page), its SVG chart, the national overview and the regency page."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from milestones import charts
from milestones.models import Milestone
from milestones.selectors import clinics as clinic_selectors
from milestones.selectors import dak as dak_selectors
from milestones.selectors import dashboards as selectors
from milestones.selectors import documents as document_selectors
from milestones.selectors import indicators as indicator_selectors
from milestones.selectors import maps as map_selectors
from milestones.selectors import milestones as milestone_selectors
from milestones.selectors import nawasis as nawasis_selectors
from milestones.selectors import planning as planning_selectors
from milestones.selectors import roadmaps as roadmap_selectors
from milestones.selectors import service_records as service_selectors
from regencies import scoping
from regencies import selectors as region_selectors
from regencies.models import Regency
from ssk_tracker.lib.params import int_param, page_param

PER_PAGE = 20  # rows of the dashboards' matrices: 38 provinces or regencies at most, two pages either way
NO_FILTER = selectors.MatrixFilter()


class MatrixFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *Milestone.Status.choices],
    )
    milestone = forms.TypedChoiceField(
        label=gettext_lazy("Milestone"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("Any milestone"))] + [(n, f"M{n}") for n in selectors.NUMBERS],
    )
    late = forms.BooleanField(label=gettext_lazy("Late only"), required=False)

    def matrix_filter(self) -> selectors.MatrixFilter:
        """The valid part of the filter; a wrong value is ignored rather than refused."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return selectors.MatrixFilter(
            status=data.get("status") or "", late_only=bool(data.get("late")), number=data.get("milestone")
        )


class OverviewFilterForm(forms.Form):
    late = forms.BooleanField(label=gettext_lazy("Only provinces with late milestones"), required=False)


@login_required
def province_dashboard(request, code):
    province = scoping.get_province_or_404(request.user, code)
    context = province_context(request, province)
    context["region_map"] = map_selectors.province_map(
        request.user, province, layer_key=request.GET.get(map_selectors.PARAM), params=request.GET
    )
    return render(request, "milestones/dashboards/province.html", context)


# The services roll-up and the indicators' ranking or roll-up are their own page, which the dashboards load
# into themselves when scrolled to (htmx ``revealed``; a link without JavaScript): the dashboards' first
# response stays within the page targets (docs/PERFORMANCE.md) and what is below the fold costs nothing
# until it is looked at. A request from htmx gets the sections alone.


@login_required
def province_outcomes(request, code):
    province = scoping.get_province_or_404(request.user, code)
    indicators = _indicator_choice(request)
    context = {
        "province": province,
        "can_see_overview": scoping.sees_whole_provinces(request.user),
        "services": service_selectors.service_rollup(Regency.objects.filter(province=province)),
        "indicators": indicators,
        "indicator_ranking": indicator_selectors.province_ranking(request.user, province, indicators["chosen"]),
        "switch_url": reverse("province", args=[province.code]),
    }
    if request.htmx:
        return render(request, "milestones/dashboards/includes/province_outcomes.html", context)
    context["switch_url"] = ""
    return render(request, "milestones/dashboards/province_outcomes.html", context)


@login_required
def national_outcomes(request):
    if not scoping.sees_whole_provinces(request.user):
        raise Http404
    indicators = _indicator_choice(request)
    regencies = scoping.visible_regencies(request.user)
    context = {
        "services": service_selectors.service_rollup(regencies, by_province=True),
        "indicators": indicators,
        "indicator_rollup": indicator_selectors.national_rollup(regencies, indicators["code"]),
        "switch_url": reverse("national_overview"),
    }
    if request.htmx:
        return render(request, "milestones/dashboards/includes/national_outcomes.html", context)
    context["switch_url"] = ""
    return render(request, "milestones/dashboards/national_outcomes.html", context)


def _indicator_choice(request) -> dict[str, Any]:
    """The outcome indicator a ranking or roll-up shows (``?indikator=<code>``; unknown: the first)."""
    definitions = indicator_selectors.definitions()
    chosen = next((d for d in definitions if d.code == request.GET.get("indikator")), None)
    chosen = chosen or (definitions[0] if definitions else None)
    return {"definitions": definitions, "chosen": chosen, "code": chosen.code if chosen else ""}


def province_context(request, province) -> dict[str, Any]:
    """Everything the province dashboard shows (its matrix filtered and paged by the request's query): the
    province page and a provincial Pokja's home page both render from it."""
    today = timezone.localdate()
    form = MatrixFilterForm(request.GET)
    matrix_filter = form.matrix_filter()
    # Every regency of the province, read once: the deliveries count them all, and unfiltered they are the
    # matrix's rows too. Paged in memory (a province has 38 at most): no count query.
    everyone = list(selectors.province_regencies(request.user, province, matrix_filter=NO_FILTER, today=today))
    listed = (
        list(selectors.province_regencies(request.user, province, matrix_filter=matrix_filter, today=today))
        if matrix_filter.is_active
        else everyone
    )
    page = Paginator(listed, PER_PAGE).get_page(page_param(request))
    follow_ups = selectors.province_follow_ups(request.user, province, today=today)
    summary = selectors.province_summary(request.user, province, today=today, follow_ups=follow_ups)
    deliveries = _deliveries_section(request, province, today, everyone)
    return {
        "province": province,
        "form": form,
        "matrix_filter": matrix_filter,
        "page_obj": page,
        "rows": selectors.matrix_rows(
            page.object_list,
            matrix_filter=matrix_filter,
            today=today,
            follow_ups=follow_ups,
            deliveries=deliveries["states"],
        ),
        "definitions": selectors.definitions(),
        "summary": summary,
        # The chart is an <img> of province_chart_svg (7 KB less page, a separate cacheable request); the
        # same figures in words are its text alternative.
        "chart_title": _("%(province)s: regencies by milestone status") % {"province": province.name},
        "chart_text": charts.milestone_status_text(summary.status_counts),
        "can_see_overview": scoping.sees_whole_provinces(request.user),
        "working_group": region_selectors.working_group_with_members(level="provincial", province=province),
        "balai_list": deliveries["balai"],
        "deliveries": deliveries,
        "province_documents": SimpleLazyObject(lambda: roadmap_selectors.province_documents_summary(province)),
    }


def _deliveries_section(request, province, today, regencies: list[Regency]) -> dict[str, Any]:
    """Who of the province's regencies has delivered their report for the year asked (``?tahun=``): the
    count and the province's own report here, each regency's state in its matrix row (``states``: "all",
    "some" or "none" of its recipients), who received what on the deliveries page."""
    # reports builds on milestones; the province page shows this one section of it, so it imports it here.
    from reports import deliveries

    year = int_param(request, "tahun", minimum=2000, maximum=2100) or deliveries.due_year(today)
    # The regencies' rows, the province's own and its Balai (shown beside the Pokja too) in 2 queries.
    province_year = deliveries.province_year(province, regencies, year)
    rows = province_year.regency_rows
    return {
        "year": year,
        "regency_count": len(rows),
        "states": {
            row.regency.code: "all" if row.delivered else "some" if row.delivered_anywhere else "none"
            for row in rows
            if row.regency is not None
        },
        "province_rows": [province_year.province_row],
        "balai": province_year.balai,
        "delivered_count": sum(row.delivered for row in rows),
    }


@login_required
def province_chart_svg(request, code):
    province = scoping.get_province_or_404(request.user, code)
    svg = charts.milestone_status_chart(
        selectors.province_status_counts(request.user, province),
        title=_("%(province)s: regencies by milestone status") % {"province": province.name},
    )
    return HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml; charset=utf-8")


@login_required
def national_overview(request):
    if not scoping.sees_whole_provinces(request.user):
        raise Http404
    context = national_context(request)
    context["region_map"] = map_selectors.national_map(
        request.user, layer_key=request.GET.get(map_selectors.PARAM), params=request.GET
    )
    return render(request, "milestones/dashboards/national.html", context)


def national_context(request) -> dict[str, Any]:
    """Everything the national overview shows (filtered and paged by the request's query), for the user's
    provinces: the overview and the Balai's and the nation's home pages both render from it."""
    today = timezone.localdate()
    form = OverviewFilterForm(request.GET)
    late_only = form.is_valid() and form.cleaned_data["late"]
    figures = selectors.province_figures(request.user, today=today)
    provinces = selectors.national_provinces(request.user, late_only=late_only, figures=figures)
    page = Paginator(provinces, PER_PAGE).get_page(page_param(request))
    rows, total = selectors.national_rows(request.user, page.object_list, today=today, figures=figures)
    return {
        "form": form,
        "late_only": late_only,
        "page_obj": page,
        "rows": [(row, selectors.cells_html(selectors.overview_cells(row))) for row in rows],
        "total": total,
        "total_cells": selectors.overview_cells(total, flag=False),
        "definitions": selectors.definitions(),
        # A province's page is this prefix and its code: one reverse() for the table's links.
        "province_prefix": reverse("province", args=["0"]).removesuffix("0/"),
    }


@login_required
def regency_page(request, code):
    """The regency page: every section's data and who may act on it are settled here, before rendering;
    the section templates only show what they are given."""
    user = request.user
    regency = scoping.get_regency_or_404(user, code)
    today = timezone.localdate()
    timeline = milestone_selectors.regency_milestones(regency, today=today)
    cohorts = timeline.cohorts
    can_manage = scoping.can_manage_province(user, regency.province_id)  # the province's Pokja
    return render(
        request,
        "milestones/dashboards/regency.html",
        {
            "regency": regency,
            "working_group": region_selectors.working_group_with_members(level="regency", regency=regency),
            "can_see_province": scoping.scope_for(user).covers_province(regency.province_id),
            # Who may act: the regency's officer submits; the province's Pokja manages (reviews, runs
            # clinics, records monitoring); either of them acts for the regency (enacts, edits
            # planning, records NAWASIS).
            "can_submit": scoping.can_submit_updates(user, regency),
            "can_review": scoping.can_review(user, regency),
            "can_manage": can_manage,
            "can_act": scoping.can_act_for_regency(user, regency),
            "can_add_monitoring": can_manage and bool(cohorts),  # monitoring belongs to a cohort
            "cohorts": cohorts,
            "recent_updates": timeline.recent_updates,
            "documents": document_selectors.regency_section(regency),
            "clinics": clinic_selectors.regency_section(user, regency, today=today),
            "planning": _planning_glance(regency),
            "nawasis": nawasis_selectors.regency_latest(regency),
            "services": service_selectors.regency_services(regency),
            "dak_lines": dak_selectors.regency_lines(regency),
            "indicator_charts": indicator_selectors.regency_charts(regency),
        },
    )


def _planning_glance(regency) -> dict[str, object]:
    """The planning section's figures: the budget's totals (one query). The activities, their integration
    into planning documents, the table by funding source and the APBD share are on the activities page
    (``planning_selectors.regency_summary``): the regency page links there."""
    return {"budget": planning_selectors.budget_by_source(regency)}
