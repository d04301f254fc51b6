"""Coaching clinics, their recommendations and follow-up actions.

Every view: the access helper first (outside the scope → 404; a role that may read but not do → 403),
then the form, then one service call, then a redirect. A refused act (someone else acted first) comes
back as a message.

| URL | who |
| --- | --- |
| ``klinik/`` | users who see whole provinces: their provinces with their clinics (one province: its list) |
| ``provinsi/<code>/klinik/`` | the province's clinics in the user's scope (an officer: their regency's) |
| ``provinsi/<code>/klinik/baru/``, ``klinik/<pk>/ubah/`` | the province's Pokja staff |
| ``provinsi/<code>/klinik/peserta/pratinjau/`` (POST: a pasted list's preview) | the province's Pokja staff |
| ``klinik/<pk>/``, ``klinik/<pk>/berita-acara/`` | everyone who sees the clinic |
| ``klinik/<pk>/rekomendasi/baru/``, ``rekomendasi/<pk>/ubah/``, ``…/hapus/`` | the province's Pokja staff |
| ``tindak-lanjut/<pk>/``, ``tindak-lanjut/bukti/<pk>/`` | everyone who sees the action |
| ``tindak-lanjut/<pk>/status/`` | the province's Pokja staff; the officer of the regency it is assigned to |
| ``tindak-lanjut/<pk>/buka-kembali/`` (POST, with a reason) | the province's Pokja staff |
| ``tindak-lanjut/<pk>/penerimaan/`` (POST: accept or return a closing) | the province's Pokja staff |
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from milestones import evidence
from milestones.forms.clinics import (
    ActionStatusForm,
    ClinicEntry,
    ClinicFilterForm,
    ClosingDecisionForm,
    PasteForm,
    RecommendationForm,
    ReopenForm,
    action_formset,
    parse_participants,
)
from milestones.forms.edits import SubmitOnce, attempt, loaded_version, repeat_safe, track_version
from milestones.models import FollowUpAction
from milestones.selectors import clinics as selectors
from milestones.selectors import closings
from milestones.selectors.figures import FollowUpFigures
from milestones.services import clinics as services
from regencies import scoping
from regencies.models import Regency
from ssk_tracker.lib.params import page_param

PER_PAGE = 20
OWN_ACTIONS = "provinsi"  # ?kabkota= for the province's own follow-up actions
Status = FollowUpAction.Status


def _province_context(user, province) -> dict:
    return {
        "province": province,
        "can_see_province": scoping.scope_for(user).covers_province(province.code),
        "may_manage": scoping.can_manage_province(user, province.code),
    }


# --- Lists --------------------------------------------------------------------------------------------


@login_required
def clinic_index(request):
    if not scoping.sees_whole_provinces(request.user):
        raise Http404
    provinces = list(selectors.provinces_with_clinics(request.user))
    if len(provinces) == 1:
        return redirect("province_clinics", code=provinces[0].code)
    return render(request, "milestones/clinics/index.html", {"provinces": provinces})


@login_required
def province_clinics(request, code):
    user = request.user
    province = selectors.province_for_clinics(user, code)
    form = ClinicFilterForm(
        request.GET,
        years=selectors.clinic_years(user, province),
        regencies=scoping.visible_regencies(user).filter(province=province).order_by("code"),
    )
    year, regency_code = form.values()
    clinics = selectors.province_clinics(user, province, year=year, regency_code=regency_code)
    page = Paginator(clinics, PER_PAGE).get_page(page_param(request))
    names = selectors.covered_regency_names(page.object_list)
    for clinic in page.object_list:
        clinic.regency_names = names.get(clinic.pk, "")
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "milestones/clinics/clinic_list.html",
        {
            **_province_context(user, province),
            "form": form,
            "filtered": bool(year or regency_code),
            "page_obj": page,
            "querystring": params.urlencode(),
        },
    )


# --- A clinic -----------------------------------------------------------------------------------------


def _regency_links(regencies: list[Regency], scope: scoping.Scope, prefix: str) -> SafeString:
    """The covered regencies' names, comma-separated, each the user may see linked to its page."""
    return format_html_join(
        ", ",
        "{}",
        (
            (format_html('<a href="{}{}/">{}</a>', prefix, r.code, r.name) if scope.covers_regency(r) else r.name,)
            for r in regencies
        ),
    )


@login_required
def clinic_detail(request, pk):
    user = request.user
    clinic = selectors.clinic_page_for_user(user, pk)
    today = timezone.localdate()
    scope = scoping.scope_for(user)
    covered = list(clinic.regencies.all())
    # ``?kabkota=``: one covered regency's actions, or the province's own (a long clinic lists one at a time).
    chosen = request.GET.get("kabkota")
    regency = next((r for r in covered if r.code == chosen), None)
    own = chosen == OWN_ACTIONS
    # A chosen area's list does not hold the clinic's figures: they are the sum of the per-recommendation
    # ones. Else the clinic's actions are read (or summarised) and counted there.
    figures = None
    if regency is not None or own:
        by_recommendation = selectors.clinic_figures_by_recommendation(user, clinic, today=today)
        figures = FollowUpFigures.summed(by_recommendation.values())
    regency_prefix = reverse("regency", args=["0"]).removesuffix("0/")
    carried = selectors.carried_over(user, clinic, regency=regency, today=today, read_rows=False)
    actions = selectors.clinic_actions(
        user,
        clinic,
        figures.total if figures is not None else None,
        regency=regency,
        own=own,
        today=today,
        carried=carried,
    )
    return render(
        request,
        "milestones/clinics/clinic_detail.html",
        {
            **_province_context(user, clinic.province),
            "clinic": clinic,
            # One string for the 38 names of a province-wide clinic (a loop of links cost ~200 variable
            # lookups a page); a regency's URL is the prefix and its code, one reverse() for them all.
            "regency_links": _regency_links(covered, scope, regency_prefix),
            "regency_prefix": regency_prefix,
            "participants": list(clinic.participants.all()),
            "figures": figures or actions.figures,
            "actions": actions,
            "carried_over": carried,
        },
    )


@login_required
@repeat_safe
def clinic_create(request, code):
    province = selectors.province_for_clinics(request.user, code)
    scoping.require(scoping.can_manage_province(request.user, province.code))
    return _clinic_form(request, province, clinic=None)


@login_required
def clinic_edit(request, pk):
    clinic = selectors.clinic_for_user(request.user, pk)
    scoping.require(scoping.can_manage_province(request.user, clinic.province_id))
    return _clinic_form(request, clinic.province, clinic=clinic)


def _clinic_form(request, province, *, clinic):
    data = request.POST if request.method == "POST" else None
    entry = ClinicEntry(data, request.FILES or None, province=province, clinic=clinic)
    form = entry.form
    once = SubmitOnce(request, form) if clinic is None else None
    track_version(form, clinic, children=["participants"], extra=["minutes_name"])
    if data is not None and entry.is_valid():
        saved = attempt(
            form,
            lambda: services.save_clinic(
                province=province,
                actor=request.user,
                clinic=clinic,
                version=loaded_version(form),
                **entry.service_fields(),
            ),
            once=once,
            url=lambda made: made.get_absolute_url(),
        )
        if saved is not None:
            messages.success(request, _("The coaching clinic was saved."))
            return redirect(saved)
    return render(
        request,
        "milestones/clinics/clinic_form.html",
        {
            **_province_context(request.user, province),
            "entry": entry,
            "form": form,
            "formset": entry.participants,
            "paste_form": PasteForm(),
            "clinic": clinic,
            "invalid": data is not None,
        },
    )


@login_required
@require_POST
def participants_preview(request, code):
    """The lines of a pasted list of participants as the clinic form would take them (an htmx fragment):
    which are understood, which agency each matched, which line is wrong and why. Nothing is saved."""
    province = selectors.province_for_clinics(request.user, code)
    scoping.require(scoping.can_manage_province(request.user, province.code))
    form = PasteForm(request.POST)
    text = form.cleaned_data["paste"] if form.is_valid() else ""
    lines = parse_participants(text, selectors.province_agencies(province)) if text else []
    return render(
        request,
        "milestones/clinics/_paste_preview.html",
        {"lines": lines, "understood": [line for line in lines if line.ok], "form": form},
    )


@login_required
def clinic_minutes(request, pk):
    clinic = selectors.clinic_minutes_for_user(request.user, pk)
    if clinic.minutes is None:
        raise Http404
    blob = clinic.minutes
    return evidence.attachment(request, blob, clinic.minutes_name or str(clinic))


# --- Recommendations ----------------------------------------------------------------------------------


@login_required
@repeat_safe
def recommendation_create(request, pk):
    clinic = selectors.clinic_for_user(request.user, pk)
    scoping.require(scoping.can_manage_province(request.user, clinic.province_id))
    return _recommendation_form(request, clinic, recommendation=None)


@login_required
def recommendation_edit(request, pk):
    recommendation = selectors.recommendation_for_user(request.user, pk)
    clinic = recommendation.clinic
    scoping.require(scoping.can_manage_province(request.user, clinic.province_id))
    return _recommendation_form(request, clinic, recommendation=recommendation)


def _recommendation_form(request, clinic, *, recommendation):
    data = request.POST if request.method == "POST" else None
    initial = None
    if recommendation is None:
        initial = {"order": len(getattr(clinic, "recommendation_list", [])) + 1}
    form = RecommendationForm(data, instance=recommendation, initial=initial)
    formset = action_formset(data, clinic=clinic, recommendation=recommendation)
    once = SubmitOnce(request, form) if recommendation is None else None
    track_version(form, recommendation, children=["actions"])
    if data is not None and form.is_valid() and formset.is_valid():
        saved = attempt(
            form,
            lambda: services.save_recommendation(
                clinic=clinic,
                actor=request.user,
                recommendation=recommendation,
                version=loaded_version(form),
                text=form.cleaned_data["text"],
                order=form.cleaned_data["order"],
                actions=formset.inputs(),
            ),
            once=once,
            url=lambda made: clinic.get_absolute_url(),
        )
        if saved is not None:
            messages.success(request, _("The recommendation and its follow-up actions were saved."))
            return redirect(clinic)
    closed = []
    if recommendation is not None:
        closed = recommendation.actions.exclude(status__in=FollowUpAction.ACTIVE_STATUSES).select_related(
            *selectors.ACTION_RELATED
        )
    return render(
        request,
        "milestones/clinics/recommendation_form.html",
        {
            **_province_context(request.user, clinic.province),
            "clinic": clinic,
            "recommendation": recommendation,
            "form": form,
            "formset": formset,
            "closed_actions": closed,
        },
    )


@login_required
@require_POST
def recommendation_delete(request, pk):
    recommendation = selectors.recommendation_for_user(request.user, pk)
    clinic = recommendation.clinic
    scoping.require(scoping.can_manage_province(request.user, clinic.province_id))
    try:
        services.delete_recommendation(recommendation=recommendation, actor=request.user)
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The recommendation was removed."))
    return redirect(clinic)


# --- Follow-up actions --------------------------------------------------------------------------------


def _action_page(request, action, *, form=None, decision_form=None, reopen_form=None, status=200):
    user = request.user
    may_update = selectors.may_update_action(user, action)
    active = action.status in FollowUpAction.ACTIVE_STATUSES
    clinic = action.recommendation.clinic
    may_decide = closings.may_decide(user, action) and action.is_waiting_for_acceptance
    may_reopen = scoping.can_manage_province(user, action.province_id) and action.is_closed
    if may_update and active and form is None:
        form = ActionStatusForm(action=action, proof_groups=closings.proof_options(user, action))
    return render(
        request,
        "milestones/clinics/action_detail.html",
        {
            **_province_context(user, clinic.province),
            "action": action,
            "clinic": clinic,
            "overdue": action.is_overdue(),
            "may_update": may_update,
            "form": form if may_update and active else None,
            "closings": closings.closings_of(user, action),
            "history": closings.history(action),
            "decision_form": (decision_form or ClosingDecisionForm()) if may_decide else None,
            "reopen_form": (reopen_form or ReopenForm()) if may_reopen else None,
        },
        status=status,
    )


@login_required
def action_detail(request, pk):
    return _action_page(request, selectors.action_for_user(request.user, pk))


@login_required
@require_POST
def action_status(request, pk):
    action = selectors.action_for_user(request.user, pk)
    scoping.require(selectors.may_update_action(request.user, action))
    if action.status not in FollowUpAction.ACTIVE_STATUSES:
        messages.info(request, _("This action is already %(status)s.") % {"status": action.get_status_display()})
        return redirect("follow_up", pk=action.pk)
    groups = closings.proof_options(request.user, action)
    form = ActionStatusForm(request.POST, request.FILES, action=action, proof_groups=groups)
    if not form.is_valid():
        return _action_page(request, action, form=form, status=400)
    data = form.cleaned_data
    try:
        if data["status"] == Status.IN_PROGRESS:
            services.start_action(action=action, actor=request.user)
        elif data["status"] == Status.DONE:
            services.close_action(
                action=action,
                actor=request.user,
                closing_note=data["closing_note"],
                proofs=form.proof_refs(),
                files=data["files"],
            )
        else:
            services.drop_action(action=action, actor=request.user, reason=data["drop_reason"])
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        if action.is_waiting_for_acceptance:
            messages.success(request, _("The closing was sent to the province, which accepts it or returns it."))
        else:
            messages.success(request, _("The action is now %(status)s.") % {"status": action.get_status_display()})
    return redirect("follow_up", pk=action.pk)


@login_required
@require_POST
def action_decide(request, pk):
    """The organising province accepts a waiting closing or returns it with a reason."""
    action = selectors.action_for_user(request.user, pk)
    scoping.require(closings.may_decide(request.user, action))
    form = ClosingDecisionForm(request.POST)
    if not form.is_valid():
        return _action_page(request, action, decision_form=form, status=400)
    data = form.cleaned_data
    try:
        if form.verifies:
            services.accept_closing(action=action, reviewer=request.user, comment=data["comment"])
            messages.success(request, _("The closing was accepted; the action is done."))
        else:
            services.return_closing(action=action, reviewer=request.user, reason=data["comment"])
            messages.success(request, _("The closing was returned to the owner with your reason."))
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect("follow_up", pk=action.pk)


@login_required
@require_POST
def action_reopen(request, pk):
    action = selectors.action_for_user(request.user, pk)
    scoping.require(scoping.can_manage_province(request.user, action.province_id))
    form = ReopenForm(request.POST)
    if not form.is_valid():
        if not action.is_closed:
            return redirect("follow_up", pk=action.pk)
        return _action_page(request, action, reopen_form=form, status=400)
    try:
        services.reopen_action(action=action, actor=request.user, reason=form.cleaned_data["reason"])
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The action is open again."))
    return redirect("follow_up", pk=action.pk)


@login_required
def action_evidence(request, pk):
    """Follow-up evidence is served only here, after the scope check, as an attachment with a safe name."""
    item = selectors.action_evidence_for_user(request.user, pk)
    blob = item.blob
    return evidence.attachment(request, blob, item.original_name)
