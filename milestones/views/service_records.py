"""The service behind M3 and M4 (layanan): a regency's services page, its kecamatan, the service records,
the full scale the province sets and the monitoring years' figures.

Every view: the access helper first (outside the scope → 404; a role that may read but not act → 403),
then the form, then one service call, then a redirect.

| URL | who |
| --- | --- |
| ``kabkota/<code>/layanan/`` | everyone who sees the regency |
| ``kabkota/<code>/layanan/baru/``, ``layanan/<pk>/ubah/`` | the regency's officer, or the province's Pokja |
| ``kabkota/<code>/kecamatan/`` | the province's Pokja |
| ``kabkota/<code>/layanan/skala-penuh/<kind>/`` | the province's Pokja |
| ``kabkota/<code>/layanan/tahunan/baru/``, ``layanan/tahunan/<pk>/ubah/`` | the province's Pokja (as monitoring) |
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from milestones.forms.edits import SubmitOnce, attempt, loaded_version, repeat_safe, track_version
from milestones.forms.service_records import KecamatanForm, ServiceRecordForm, ThresholdForm, YearFiguresForm
from milestones.models import FullScaleThreshold, ServiceKind, ServiceYearFigures
from milestones.selectors import service_records as selectors
from milestones.services import service_records as services
from regencies import scoping


def _regency_context(user, regency) -> dict:
    return {"regency": regency, "can_see_province": scoping.scope_for(user).covers_province(regency.province_id)}


def _services_url(regency) -> str:
    return reverse("regency_services", args=[regency.code])


@login_required
def regency_services(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    services_ = selectors.regency_services(regency)
    can_manage = scoping.can_manage_province(request.user, regency.province_id)
    present = {c.kind for c in services_.coverages if c.record is not None}
    return render(
        request,
        "milestones/service_records/regency_services.html",
        {
            **_regency_context(request.user, regency),
            "services": services_,
            "trends": selectors.service_trend(regency, services_.total),
            "kinds": ServiceKind.choices,
            "missing_kinds": [(k, label) for k, label in ServiceKind.choices if k not in present],
            "may_edit": scoping.can_act_for_regency(request.user, regency),
            "may_manage": can_manage,
        },
    )


@login_required
def kecamatan_edit(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    scoping.require(scoping.can_manage_province(request.user, regency.province_id))
    form = KecamatanForm(request.POST or None, regency=regency)
    if request.method == "POST" and form.is_valid():
        changes = attempt(
            form,
            lambda: services.set_kecamatan(regency=regency, actor=request.user, text=form.cleaned_data["names"]),
        )
        if changes is not None:
            messages.success(
                request,
                _("The kecamatan were saved: %(added)s added, %(renamed)s renamed, %(removed)s removed.")
                % {"added": len(changes.added), "renamed": len(changes.renamed), "removed": len(changes.removed)},
            )
            return redirect("regency_services", code=regency.code)
    return render(
        request,
        "milestones/service_records/kecamatan_form.html",
        {**_regency_context(request.user, regency), "form": form},
    )


@login_required
@repeat_safe
def service_create(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    scoping.require(scoping.can_act_for_regency(request.user, regency))
    initial = {"kind": request.GET.get("jenis")} if request.GET.get("jenis") in ServiceKind.values else None
    form = ServiceRecordForm(request.POST or None, regency=regency, initial=initial)
    once = SubmitOnce(request, form)
    return _service_form(request, regency, form, record=None, once=once)


@login_required
def service_edit(request, pk):
    record = selectors.service_for_user(request.user, pk)
    regency = record.regency
    scoping.require(scoping.can_act_for_regency(request.user, regency))
    form = ServiceRecordForm(request.POST or None, regency=regency, record=record)
    track_version(form, record)
    return _service_form(request, regency, form, record=record, once=None)


def _service_form(request, regency, form, *, record, once):
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: services.save_service(
                regency=regency, actor=request.user, record=record, version=loaded_version(form), **form.values()
            ),
            once=once,
            url=lambda _made: _services_url(regency),
        )
        if saved is not None:
            messages.success(request, _("The service record was saved."))
            return redirect("regency_services", code=regency.code)
    return render(
        request,
        "milestones/service_records/service_form.html",
        {
            **_regency_context(request.user, regency),
            "form": form,
            "record": record,
            "has_kecamatan": regency.kecamatan.exists(),
        },
    )


@login_required
def threshold_edit(request, code, kind):
    regency = scoping.get_regency_or_404(request.user, code)
    if kind not in ServiceKind.values:
        raise Http404
    scoping.require(scoping.can_manage_province(request.user, regency.province_id))
    threshold = FullScaleThreshold.objects.filter(regency=regency, kind=kind).first()
    form = ThresholdForm(request.POST or None, threshold=threshold)
    track_version(form, threshold)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: services.set_threshold(
                regency=regency,
                actor=request.user,
                kind=kind,
                threshold=threshold,
                version=loaded_version(form),
                **{name: form.cleaned_data[name] for name in ("kecamatan_percent", "households", "note")},
            ),
        )
        if saved is not None:
            messages.success(request, _("The full scale was set."))
            return redirect("regency_services", code=regency.code)
    return render(
        request,
        "milestones/service_records/threshold_form.html",
        {
            **_regency_context(request.user, regency),
            "form": form,
            "kind_label": ServiceKind(kind).label,
            "kecamatan_total": regency.kecamatan.count(),
        },
    )


@login_required
@repeat_safe
def year_figures_create(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    scoping.require(scoping.can_manage_province(request.user, regency.province_id))
    form = YearFiguresForm(request.POST or None, regency=regency)
    once = SubmitOnce(request, form)
    return _year_figures_form(request, regency, form, figures=None, once=once)


@login_required
def year_figures_edit(request, pk):
    queryset = scoping.filter_by_scope(
        request.user,
        ServiceYearFigures.objects.select_related("monitoring__cohort__regency"),
        "monitoring__cohort__regency",
    )
    figures = scoping.get_or_404(queryset, pk=pk)
    regency = figures.monitoring.cohort.regency
    scoping.require(scoping.can_manage_province(request.user, regency.province_id))
    form = YearFiguresForm(request.POST or None, regency=regency, figures=figures)
    track_version(form, figures)
    return _year_figures_form(request, regency, form, figures=figures, once=None)


def _year_figures_form(request, regency, form, *, figures, once):
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = attempt(
            form,
            lambda: services.record_year_figures(
                actor=request.user, figures=figures, version=loaded_version(form), **values
            ),
            once=once,
            url=lambda _made: _services_url(regency),
        )
        if saved is not None:
            messages.success(request, _("The monitoring year's service figures were saved."))
            return redirect("regency_services", code=regency.code)
    return render(
        request,
        "milestones/service_records/year_figures_form.html",
        {
            **_regency_context(request.user, regency),
            "form": form,
            "figures": figures,
            "has_monitoring": form.fields["monitoring"].queryset.exists(),
        },
    )
