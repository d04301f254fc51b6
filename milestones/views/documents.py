"""SSK documents and the province's quality assurance, policy packages, yearly monitoring.

Every view: the access helper first (outside the scope → 404; a role that may read but not do →
403), then the form, then one service call, then a redirect. A refused act (someone else acted
first, the document moved on) comes back as a message on the document's page.

| URL | who may act |
| --- | --- |
| ``kabkota/<code>/ssk/baru/``, ``ssk/<pk>/ubah/``, ``ssk/<pk>/ajukan/`` | the regency's officer |
| ``ssk/<pk>/reviu/`` | the province's Pokja staff |
| ``ssk/<pk>/penetapan/`` | the regency's officer or the province's Pokja staff |
| ``kabkota/<code>/paket-kebijakan/baru/``, ``paket-kebijakan/<pk>/ubah/`` | the regency's officer |
| ``kabkota/<code>/monitoring/baru/``, ``monitoring/<pk>/ubah/`` | the province's Pokja staff |

``ssk/<pk>/``, ``ssk/<pk>/berkas/`` and ``paket-kebijakan/<pk>/`` are read by everyone in scope.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from milestones import evidence
from milestones.forms.documents import (
    DocumentForm,
    EnactForm,
    MonitoringForm,
    PolicyPackageForm,
    ReviewForm,
    item_inputs,
    new_item_formset,
)
from milestones.forms.edits import SubmitOnce, attempt, loaded_version, repeat_safe, track_version
from milestones.models import SSKDocument
from milestones.selectors import documents as selectors
from milestones.services import documents as services
from regencies import scoping


def _may_edit_document(user, document) -> bool:
    return scoping.can_submit_updates(user, document.regency)


def _may_review_document(user, document) -> bool:
    return scoping.can_manage_province(user, document.regency.province_id)


def _regency_context(user, regency) -> dict:
    return {"regency": regency, "can_see_province": scoping.scope_for(user).covers_province(regency.province_id)}


# --- SSK documents -------------------------------------------------------------------------------


@login_required
def document_detail(request, pk):
    document = selectors.document_for_user(request.user, pk)
    user = request.user
    return render(
        request,
        "milestones/documents/document_detail.html",
        {
            **_regency_context(user, document.regency),
            "document": document,
            "reviews": document.review_list,
            "can_edit": _may_edit_document(user, document),
            "can_review": _may_review_document(user, document),
            "can_enact": scoping.can_act_for_regency(user, document.regency),
        },
    )


@login_required
@repeat_safe
def document_create(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    scoping.require(scoping.can_submit_updates(request.user, regency))
    form = DocumentForm(request.POST or None, request.FILES or None, regency=regency)
    once = SubmitOnce(request, form)
    if request.method == "POST" and form.is_valid():
        document = attempt(
            form,
            lambda: services.save_document(regency=regency, actor=request.user, **_document_fields(form)),
            once=once,
            url=lambda made: reverse("document", args=[made.pk]),
        )
        if document is not None:
            messages.success(request, _("The SSK document was saved as a draft."))
            return redirect("document", pk=document.pk)
    return render(
        request,
        "milestones/documents/document_form.html",
        {**_regency_context(request.user, regency), "form": form, "document": None},
    )


@login_required
def document_edit(request, pk):
    document = selectors.document_for_user(request.user, pk)
    scoping.require(_may_edit_document(request.user, document))
    if document.status != SSKDocument.Status.DRAFT:
        messages.warning(request, _("Only a draft can be edited; this document has moved on."))
        return redirect("document", pk=document.pk)
    form = DocumentForm(request.POST or None, request.FILES or None, regency=document.regency, document=document)
    track_version(form, document, extra=["file_name"])
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: services.save_document(
                regency=document.regency,
                actor=request.user,
                document=document,
                version=loaded_version(form),
                **_document_fields(form),
            ),
        )
        if saved is not None:
            messages.success(request, _("The draft was saved."))
            return redirect("document", pk=document.pk)
    return render(
        request,
        "milestones/documents/document_form.html",
        {
            **_regency_context(request.user, document.regency),
            "form": form,
            "document": document,
        },
    )


def _document_fields(form) -> dict:
    data = form.cleaned_data
    upload, kind = data["file"] if data.get("file") else (None, None)
    return {
        "period_start": data["period_start"],
        "period_end": data["period_end"],
        "kind": data["kind"],
        "upload": upload,
        "file_kind": kind,
    }


@login_required
@require_POST
def document_submit(request, pk):
    document = selectors.document_for_user(request.user, pk)
    scoping.require(_may_edit_document(request.user, document))
    try:
        services.submit_document_for_qa(document=document, actor=request.user)
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The document was sent to the provincial Pokja for quality assurance."))
    return redirect("document", pk=document.pk)


@login_required
def document_review(request, pk):
    document = selectors.document_for_user(request.user, pk)
    scoping.require(_may_review_document(request.user, document))
    if document.status != SSKDocument.Status.QUALITY_ASSURANCE:
        messages.warning(request, _("This document is not awaiting quality assurance."))
        return redirect("document", pk=document.pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.record_quality_review(
                document=document,
                reviewer=request.user,
                outcome=form.cleaned_data["outcome"],
                findings=form.findings(),
                summary=form.cleaned_data["summary"],
            )
        except services.ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            if review.outcome == review.Outcome.ACCEPTED:
                messages.success(request, _("The review was recorded; the document is final."))
            else:
                messages.success(request, _("The review was recorded; the document went back to the regency."))
        return redirect("document", pk=document.pk)
    return render(
        request,
        "milestones/documents/review_form.html",
        {
            **_regency_context(request.user, document.regency),
            "document": document,
            "form": form,
        },
    )


@login_required
def document_enact(request, pk):
    document = selectors.document_for_user(request.user, pk)
    scoping.require(scoping.can_act_for_regency(request.user, document.regency))
    if document.status != SSKDocument.Status.FINAL:
        messages.warning(request, _("Only a document that passed quality assurance (final) can be enacted."))
        return redirect("document", pk=document.pk)
    form = EnactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enact_document(document=document, actor=request.user, **form.cleaned_data)
        except services.ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The enactment was recorded."))
        return redirect("document", pk=document.pk)
    return render(
        request,
        "milestones/documents/enact_form.html",
        {**_regency_context(request.user, document.regency), "document": document, "form": form},
    )


@login_required
def document_download(request, pk):
    document = selectors.document_file_for_user(request.user, pk)
    if document.file is None:
        raise Http404
    blob = document.file
    return evidence.attachment(request, blob, document.file_name or str(document))


# --- Policy packages -----------------------------------------------------------------------------


@login_required
def policy_detail(request, pk):
    package = selectors.package_for_user(request.user, pk)
    return render(
        request,
        "milestones/documents/policy_detail.html",
        {
            **_regency_context(request.user, package.regency),
            "package": package,
            "can_edit": scoping.can_submit_updates(request.user, package.regency),
        },
    )


@login_required
@repeat_safe
def policy_create(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    scoping.require(scoping.can_submit_updates(request.user, regency))
    return _policy_form(request, regency, package=None)


@login_required
def policy_edit(request, pk):
    package = selectors.package_for_user(request.user, pk)
    scoping.require(scoping.can_submit_updates(request.user, package.regency))
    return _policy_form(request, package.regency, package=package)


def _policy_form(request, regency, *, package):
    data = request.POST if request.method == "POST" else None
    form = PolicyPackageForm(data, instance=package, regency=regency)
    formset = new_item_formset(data, package=package)
    once = SubmitOnce(request, form) if package is None else None
    track_version(form, package, children=["items"])
    if data is not None and form.is_valid() and formset.is_valid():
        saved = attempt(
            form,
            lambda: services.save_policy_package(
                regency=regency,
                actor=request.user,
                package=package,
                version=loaded_version(form),
                items=item_inputs(formset),
                **{key: form.cleaned_data[key] for key in ("title", "status", "committed_on", "notes", "cohort")},
            ),
            once=once,
            url=lambda made: reverse("policy_package", args=[made.pk]),
        )
        if saved is not None:
            messages.success(request, _("The policy package was saved."))
            return redirect("policy_package", pk=saved.pk)
    return render(
        request,
        "milestones/documents/policy_form.html",
        {**_regency_context(request.user, regency), "form": form, "formset": formset, "package": package},
    )


# --- Yearly monitoring ---------------------------------------------------------------------------


@login_required
@repeat_safe
def monitoring_create(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    scoping.require(scoping.can_manage_province(request.user, regency.province_id))
    return _monitoring_form(request, regency, record=None)


@login_required
def monitoring_edit(request, pk):
    record = selectors.monitoring_for_user(request.user, pk)
    regency = record.cohort.regency
    scoping.require(scoping.can_manage_province(request.user, regency.province_id))
    return _monitoring_form(request, regency, record=record)


def _monitoring_form(request, regency, *, record):
    form = MonitoringForm(request.POST or None, regency=regency, record=record)
    once = SubmitOnce(request, form) if record is None else None
    track_version(form, record)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: services.record_monitoring(
                cohort=form.cleaned_data["cohort"],
                actor=request.user,
                record=record,
                version=loaded_version(form),
                **{key: form.cleaned_data[key] for key in ("year_index", "assessment", "summary")},
            ),
            once=once,
            url=lambda made: reverse("regency", args=[regency.code]),
        )
        if saved is not None:
            messages.success(request, _("The monitoring record was saved."))
            return redirect("regency", code=regency.code)
    return render(
        request,
        "milestones/documents/monitoring_form.html",
        {
            **_regency_context(request.user, regency),
            "form": form,
            "record": record,
            "has_cohorts": form.fields["cohort"].queryset.exists(),
        },
    )
