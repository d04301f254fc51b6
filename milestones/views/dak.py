"""The Balai's DAK verification.

| URL | who |
| --- | --- |
| ``dak/`` | users who see whole provinces: DAK allocated, realised, verified; a Balai's staff: what waits |
| ``dak/baris/<pk>/`` (GET; POST: upload files) | everyone who sees the regency; POST: the regency's officer |
| ``dak/baris/<pk>/kirim/`` (POST) | the regency's officer |
| ``dak/baris/<pk>/keputusan/`` (POST: verify or return) | the staff of a Balai covering the province |
| ``dak/berkas/<pk>/`` | everyone who sees the regency |
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from milestones import evidence
from milestones.forms.dak import DakDecisionForm, DakUploadForm
from milestones.selectors import dak as selectors
from milestones.services import ActionRefused
from milestones.services import dak as services
from regencies import scoping


@login_required
def dak_overview(request):
    if not scoping.sees_whole_provinces(request.user):
        raise Http404
    return render(
        request,
        "milestones/dak/overview.html",
        {
            "figures": selectors.dak_figures(scoping.scope_for(request.user)),
            "waiting": list(selectors.waiting_for_balai(request.user)),
        },
    )


def _line_page(request, line, *, form=None, decision_form=None, status=200):
    user = request.user
    regency = line.activity.regency
    readiness = selectors.readiness_of(line)
    may_prepare = scoping.can_prepare_dak(user, regency) and (readiness is None or readiness.is_editable)
    may_decide = scoping.can_verify_dak(user, regency) and readiness is not None and readiness.is_submitted
    return render(
        request,
        "milestones/dak/line.html",
        {
            "line": line,
            "regency": regency,
            "readiness": readiness,
            "files": selectors.files_of(readiness),
            "history": selectors.history(readiness),
            "upload_form": (form or DakUploadForm()) if may_prepare else None,
            "may_submit": may_prepare and readiness is not None,
            "decision_form": (decision_form or DakDecisionForm()) if may_decide else None,
        },
        status=status,
    )


@login_required
def dak_line(request, pk):
    line = selectors.line_for_user(request.user, pk)
    if request.method != "POST":
        return _line_page(request, line)
    scoping.require(scoping.can_prepare_dak(request.user, line.activity.regency))
    form = DakUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _line_page(request, line, form=form, status=400)
    try:
        services.upload_readiness(
            line=line, actor=request.user, files=form.cleaned_data["documents"], note=form.cleaned_data["note"]
        )
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The documents were uploaded; submit them to the Balai when they are complete."))
    return redirect("dak_line", pk=line.pk)


@login_required
@require_POST
def dak_submit(request, pk):
    line = selectors.line_for_user(request.user, pk)
    scoping.require(scoping.can_prepare_dak(request.user, line.activity.regency))
    readiness = selectors.readiness_of(line)
    try:
        if readiness is None:
            raise ActionRefused(_("Upload at least one readiness document before submitting."))
        services.submit_readiness(readiness=readiness, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The documents were sent to the Balai, which verifies them or returns them."))
    return redirect("dak_line", pk=line.pk)


@login_required
@require_POST
def dak_decide(request, pk):
    line = selectors.line_for_user(request.user, pk)
    scoping.require(scoping.can_verify_dak(request.user, line.activity.regency))
    form = DakDecisionForm(request.POST)
    if not form.is_valid():
        return _line_page(request, line, decision_form=form, status=400)
    readiness = selectors.readiness_of(line)
    data = form.cleaned_data
    try:
        if readiness is None:
            raise ActionRefused(_("No readiness documents wait for the Balai here."))
        if form.verifies:
            services.verify_readiness(readiness=readiness, reviewer=request.user, comment=data["comment"])
            messages.success(request, _("The readiness documents were verified."))
        else:
            services.return_readiness(readiness=readiness, reviewer=request.user, reason=data["comment"])
            messages.success(request, _("The readiness documents were returned to the regency with your reason."))
    except ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect("dak_line", pk=line.pk)


@login_required
def dak_file(request, pk):
    """Readiness files are served only here, after the scope check, as an attachment with a safe name."""
    item = selectors.file_for_user(request.user, pk)
    return evidence.attachment(request, item.blob, item.original_name)
