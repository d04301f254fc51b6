"""The province's own documents: its Roadmap Sanitasi Provinsi with the national Pokja's review, and its
policy package. The page reads everything through ``selectors.roadmaps``; each act is one service call.

| URL | who may act |
| --- | --- |
| ``provinsi/<code>/roadmap/simpan/``, ``roadmap/<pk>/ajukan/`` | the province's Pokja |
| ``provinsi/<code>/kebijakan/baru/`` | the province's Pokja |
| ``roadmap/<pk>/reviu/`` (its QA review: verifies or returns it), ``roadmap/<pk>/buka-kembali/`` | the national Pokja |

``provinsi/<code>/roadmap/`` and the file downloads are read by everyone who sees the province.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from milestones import evidence
from milestones.forms.roadmaps import PolicyForm, ReasonForm, RoadmapForm, RoadmapReviewForm
from milestones.selectors import roadmaps as selectors
from milestones.services import documents as document_services
from milestones.services import roadmaps as services
from regencies import scoping


def _page(request, province, *, roadmap_form=None, policy_form=None, review_form=None, status=200):
    documents = selectors.province_documents(province)
    roadmap = documents.roadmap
    can_prepare = scoping.can_prepare_roadmap(request.user, province.code)
    can_review = scoping.can_review_roadmap(request.user, province.code)
    if roadmap_form is None and can_prepare:
        initial = (
            {"title": roadmap.title, "period_start": roadmap.period_start, "period_end": roadmap.period_end}
            if roadmap is not None
            else {"title": _("Roadmap Sanitasi Provinsi %(name)s") % {"name": province.name}}
        )
        roadmap_form = RoadmapForm(initial=initial)
    return render(
        request,
        "milestones/roadmaps/province_documents.html",
        {
            "province": province,
            "documents": documents,
            "roadmap": roadmap,
            "can_prepare": can_prepare,
            "can_review": can_review,
            "roadmap_form": roadmap_form,
            "policy_form": policy_form or (PolicyForm() if can_prepare else None),
            "review_form": review_form or (RoadmapReviewForm() if can_review else None),
            "reopen_form": ReasonForm(),
        },
        status=status,
    )


@login_required
def province_documents(request, code):
    province = scoping.get_province_or_404(request.user, code)
    return _page(request, province)


@login_required
@require_POST
def roadmap_save(request, code):
    province = scoping.get_province_or_404(request.user, code)
    scoping.require(scoping.can_prepare_roadmap(request.user, province.code))
    form = RoadmapForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, province, roadmap_form=form, status=400)
    roadmap = selectors.province_documents(province).roadmap
    if roadmap is not None and not roadmap.is_editable:
        messages.warning(request, _("The roadmap is with the national Pokja or verified; it cannot be changed now."))
        return redirect("province_documents", code=province.code)
    upload, kind = form.cleaned_data["file"] or (None, None)
    try:
        services.save_roadmap(
            province=province,
            actor=request.user,
            roadmap=roadmap,
            title=form.cleaned_data["title"],
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
            upload=upload,
            file_kind=kind,
        )
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The roadmap was saved."))
    return redirect("province_documents", code=province.code)


@login_required
@require_POST
def roadmap_submit(request, pk):
    roadmap = selectors.roadmap_for_user(request.user, pk)
    scoping.require(scoping.can_prepare_roadmap(request.user, roadmap.province_id))
    try:
        services.submit_roadmap(roadmap=roadmap, actor=request.user)
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The roadmap was sent to the national Pokja for review."))
    return redirect("province_documents", code=roadmap.province_id)


@login_required
@require_POST
def roadmap_review(request, pk):
    """The national Pokja's quality-assurance review of a submitted roadmap: its outcome is the decision."""
    roadmap = selectors.roadmap_for_user(request.user, pk)
    scoping.require(scoping.can_review_roadmap(request.user, roadmap.province_id))
    if not roadmap.is_submitted:
        messages.warning(request, _("The roadmap is not waiting for the national review."))
        return redirect("province_documents", code=roadmap.province_id)
    form = RoadmapReviewForm(request.POST)
    if not form.is_valid():
        return _page(request, roadmap.province, review_form=form, status=400)
    try:
        review = document_services.record_quality_review(
            roadmap=roadmap,
            reviewer=request.user,
            outcome=form.cleaned_data["outcome"],
            findings=form.findings(),
            summary=form.cleaned_data["summary"],
        )
    except document_services.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        if review.asks_for_revision:
            messages.success(request, _("The review was recorded; the roadmap went back to the province."))
        else:
            messages.success(request, _("The review was recorded; the roadmap is verified."))
    return redirect("province_documents", code=roadmap.province_id)


@login_required
@require_POST
def roadmap_reopen(request, pk):
    roadmap = selectors.roadmap_for_user(request.user, pk)
    scoping.require(scoping.can_review_roadmap(request.user, roadmap.province_id))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why it is reopened; the reason stays in the record's history."))
        return redirect("province_documents", code=roadmap.province_id)
    try:
        services.reopen_roadmap(roadmap=roadmap, actor=request.user, reason=form.cleaned_data["reason"])
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The roadmap was reopened for changes."))
    return redirect("province_documents", code=roadmap.province_id)


@login_required
def roadmap_download(request, pk):
    roadmap = selectors.roadmap_for_user(request.user, pk)
    if roadmap.file is None:
        raise Http404
    return evidence.attachment(request, roadmap.file, roadmap.file_name or str(roadmap))


@login_required
@require_POST
def policy_add(request, code):
    province = scoping.get_province_or_404(request.user, code)
    scoping.require(scoping.can_prepare_roadmap(request.user, province.code))
    form = PolicyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, province, policy_form=form, status=400)
    data = form.cleaned_data
    upload, kind = data["file"] or (None, None)
    try:
        services.save_policy(
            province=province,
            actor=request.user,
            kind=data["kind"],
            title=data["title"],
            status=data["status"],
            number=data["number"],
            enacted_on=data["enacted_on"],
            upload=upload,
            file_kind=kind,
        )
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The policy document was added to the province's package."))
    return redirect("province_documents", code=province.code)


@login_required
def policy_download(request, pk):
    policy = selectors.policy_for_user(request.user, pk)
    if policy.file is None:
        raise Http404
    return evidence.attachment(request, policy.file, policy.file_name or str(policy))
