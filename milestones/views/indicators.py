"""Outcome indicators: a regency's indicators (baseline, targets, actuals, trend charts), their entry,
and the province's verification of a year's actual (the shared review workflow).

| URL | who |
| --- | --- |
| ``kabkota/<code>/indikator/``, ``capaian/<pk>/`` | everyone who sees the regency |
| ``kabkota/<code>/indikator/<indicator>/`` (baseline, targets), ``…/capaian/baru/`` | the officer, or the Pokja |
| ``capaian/<pk>/ubah/``, ``capaian/<pk>/kirim/`` | the regency's officer, or the province's Pokja |
| ``capaian/<pk>/putuskan/`` | the province's Pokja (verify, or return with a reason) |
| ``capaian/menunggu/`` | reviewers (as the review queue) |
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from milestones.forms.edits import attempt
from milestones.forms.indicators import ActualForm, DecisionForm, IndicatorForm
from milestones.models import RegencyIndicator
from milestones.selectors import indicators as selectors
from milestones.selectors import review as review_selectors
from milestones.services import ActionRefused
from milestones.services import indicators as services
from regencies import scoping


def _context(user, regency) -> dict:
    return {"regency": regency, "can_see_province": scoping.scope_for(user).covers_province(regency.province_id)}


@login_required
def regency_indicators(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    rows = selectors.regency_indicators(regency)
    period = selectors.ssk_period(regency)
    actuals = [a for row in rows for a in row.actuals]
    return render(
        request,
        "milestones/indicators/regency_indicators.html",
        {
            **_context(request.user, regency),
            "items": [(r, selectors.trend_chart(r, period, element_id=f"ind-{r.definition.code}")) for r in rows],
            "period": period,
            "histories": review_selectors.histories(actuals),
            "may_edit": scoping.can_act_for_regency(request.user, regency),
        },
    )


def _period_or_back(request, regency):
    period = selectors.ssk_period(regency)
    if period is None:
        messages.error(
            request,
            _("This regency has no SSK document yet: record its SSK first, indicators are planned in its period."),
        )
    return period


@login_required
def indicator_edit(request, code, indicator):
    regency = scoping.get_regency_or_404(request.user, code)
    scoping.require(scoping.can_act_for_regency(request.user, regency))
    definition = selectors.definition_or_404(indicator)
    period = _period_or_back(request, regency)
    if period is None:
        return redirect("regency_indicators", code=regency.code)
    existing = RegencyIndicator.objects.filter(regency=regency, definition=definition).first()
    form = IndicatorForm(request.POST or None, period=period, indicator=existing)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: services.save_indicator(
                regency=regency, definition=definition, actor=request.user, **form.values()
            ),
        )
        if saved is not None:
            messages.success(request, _("The baseline and targets were saved."))
            return redirect("regency_indicators", code=regency.code)
    return render(
        request,
        "milestones/indicators/indicator_form.html",
        {**_context(request.user, regency), "form": form, "definition": definition, "period": period},
    )


@login_required
def actual_create(request, code, indicator):
    regency = scoping.get_regency_or_404(request.user, code)
    scoping.require(scoping.can_act_for_regency(request.user, regency))
    definition = selectors.definition_or_404(indicator)
    period = _period_or_back(request, regency)
    existing = RegencyIndicator.objects.filter(regency=regency, definition=definition).first()
    if period is None or existing is None:
        if existing is None and period is not None:
            messages.error(request, _("Enter the indicator's baseline first; the actuals are compared with it."))
        return redirect("regency_indicators", code=regency.code)
    form = ActualForm(request.POST or None, period=period, indicator=existing)
    return _actual_form(request, form, existing, actual=None)


@login_required
def actual_edit(request, pk):
    actual = selectors.actual_for_user(request.user, pk)
    regency = actual.indicator.regency
    scoping.require(scoping.can_act_for_regency(request.user, regency))
    if not actual.is_editable:
        messages.error(request, _("This actual is waiting for review or verified; it can no longer be changed."))
        return redirect("actual_detail", pk=actual.pk)
    period = selectors.ssk_period(regency) or (actual.year, actual.year)
    form = ActualForm(request.POST or None, period=period, indicator=actual.indicator, actual=actual)
    return _actual_form(request, form, actual.indicator, actual=actual)


def _actual_form(request, form, indicator, *, actual):
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        saved = attempt(
            form,
            lambda: services.save_actual(
                indicator=indicator, actor=request.user, actual=actual, submit=submit, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(
                request, _("The actual was sent to the province.") if submit else _("The actual was saved as a draft.")
            )
            return redirect("actual_detail", pk=saved.pk)
    return render(
        request,
        "milestones/indicators/actual_form.html",
        {
            **_context(request.user, indicator.regency),
            "form": form,
            "definition": indicator.definition,
            "actual": actual,
        },
    )


@login_required
def actual_detail(request, pk):
    actual = selectors.actual_for_user(request.user, pk)
    regency = actual.indicator.regency
    return render(
        request,
        "milestones/indicators/actual_detail.html",
        {
            **_context(request.user, regency),
            "actual": actual,
            "definition": actual.indicator.definition,
            "history": review_selectors.history(actual),
            "may_edit": scoping.can_act_for_regency(request.user, regency) and actual.is_editable,
            "may_decide": scoping.can_review(request.user, regency) and actual.is_submitted,
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def actual_submit(request, pk):
    actual = selectors.actual_for_user(request.user, pk)
    scoping.require(scoping.can_act_for_regency(request.user, actual.indicator.regency))
    try:
        services.submit_actual(actual=actual, actor=request.user)
        messages.success(request, _("The actual was sent to the province."))
    except ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect("actual_detail", pk=actual.pk)


@login_required
@require_POST
def actual_decide(request, pk):
    actual = selectors.actual_for_user(request.user, pk)
    regency = actual.indicator.regency
    scoping.require(scoping.can_review(request.user, regency))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "milestones/indicators/actual_detail.html",
            {
                **_context(request.user, regency),
                "actual": actual,
                "definition": actual.indicator.definition,
                "history": review_selectors.history(actual),
                "may_edit": False,
                "may_decide": actual.is_submitted,
                "decision_form": form,
            },
            status=400,
        )
    try:
        if form.verifies:
            services.verify_actual(actual=actual, reviewer=request.user, comment=form.cleaned_data["comment"])
            messages.success(request, _("The actual was verified."))
        else:
            services.return_actual(actual=actual, reviewer=request.user, reason=form.cleaned_data["comment"])
            messages.success(request, _("The actual was returned with your reason."))
    except ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect("actual_detail", pk=actual.pk)


@login_required
def waiting_actuals(request):
    scoping.require(scoping.can_see_review_queue(request.user))
    page = Paginator(selectors.waiting_actuals(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "milestones/indicators/waiting.html", {"page": page})
