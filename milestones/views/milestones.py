"""Milestone page, update form, the review actions and the review queue.

Each view: decorators → access helper (scope, 404) → role check (403) → form → service → redirect.
"""

from contextlib import nullcontext

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from milestones import evidence
from milestones.forms.edits import SubmitOnce, repeat_safe
from milestones.forms.milestones import (
    ApproveForm,
    JudgeForm,
    PlanForm,
    ReopenForm,
    ReturnForm,
    ReviewFilterForm,
    UpdateForm,
)
from milestones.models import MilestoneUpdate
from milestones.selectors import milestones as selectors
from milestones.selectors import service_records as service_selectors
from milestones.services import milestones as services
from milestones.services.edits import TokenRefused
from regencies import scoping
from ssk_tracker.lib.params import page_param

REVIEW_PAGE = 25  # rows of the review queue per page
UPDATES_PER_PAGE = 5  # updates shown in full on a milestone's page
HISTORY_ROWS = 20  # the latest history entries shown; ?riwayat=semua shows them all


@login_required
def milestone_detail(request, pk):
    milestone = selectors.milestone_for_user(request.user, pk)
    return render(request, "milestones/milestones/milestone_detail.html", _milestone_context(request, milestone))


def _milestone_context(request, milestone, **extra):
    updates = list(selectors.milestone_updates(milestone))
    requirements = list(milestone.definition.requirements.all())
    can_review = scoping.can_review(request.user, milestone.regency)
    open_update = next((u for u in updates if u.status in MilestoneUpdate.OPEN_STATUSES), None)
    claimed = selectors.claimed_requirements(updates)
    for update in updates:
        update.items = selectors.evidence_review(update, requirements, updates, claimed[update.pk])
        # What stops a submitted update at 100 % from verifying: the approve button and the officer both see it.
        update.gaps = selectors.verification_gaps(update) if update.is_submitted and update.progress == 100 else None
    # Every update is read (earlier acceptances and the sidebar's states need them); a page of them is shown,
    # newest first, so the open update is always on the first page.
    page = Paginator(updates, UPDATES_PER_PAGE).get_page(page_param(request))
    selectors.attach_evidence(page.object_list)
    full_history = request.GET.get("riwayat") == "semua"
    history = selectors.milestone_history(milestone)
    history_rows = list(history if full_history else history[: HISTORY_ROWS + 1])
    return {
        "milestone": milestone,
        "regency": milestone.regency,
        "updates": page.object_list,
        "page": page,
        "open_update": open_update,
        "history": history_rows if full_history else history_rows[:HISTORY_ROWS],
        "history_cut": not full_history and len(history_rows) > HISTORY_ROWS,
        "requirement_states": _requirement_states(requirements, open_update, updates),
        "previous_unverified": selectors.previous_unverified(milestone) if not milestone.is_locked else None,
        "can_submit": scoping.can_submit_updates(request.user, milestone.regency),
        "can_review": can_review,
        "can_see_province": scoping.scope_for(request.user).covers_province(milestone.regency.province_id),
        "is_late": milestone.is_late(),
        "return_form": extra.pop("return_form", ReturnForm()) if can_review else None,
        "approve_form": ApproveForm() if can_review else None,
        "reopen_form": extra.pop("reopen_form", ReopenForm()) if can_review else None,
        "plan_form": PlanForm(initial={"planned_date": milestone.planned_date}) if can_review else None,
        **service_selectors.milestone_context(milestone),  # M3/M4: the service coverage beside the updates
        **extra,
    }


def _requirement_states(requirements, open_update, updates):
    """Each required item with its verdict on the open update, else its acceptance on the latest approved one."""
    if open_update is not None:
        return open_update.items
    approved = next((u for u in updates if u.is_approved), None)
    return approved.items if approved else selectors.evidence_review(None, requirements)


@login_required
@repeat_safe
def update_create(request, pk):
    milestone = selectors.milestone_for_user(request.user, pk)
    scoping.require(scoping.can_submit_updates(request.user, milestone.regency))
    form = UpdateForm(
        request.POST or None, request.FILES or None, milestone=milestone, initial={"progress": milestone.progress}
    )
    # First: a repeated POST of this form goes to what the first one saved (with a message).
    once = SubmitOnce(request, form)
    if milestone.is_locked:
        messages.error(request, _("This milestone is verified and locked. Ask the province to reopen it first."))
        return redirect(milestone)
    open_update = milestone.updates.filter(status__in=MilestoneUpdate.OPEN_STATUSES).first()
    if open_update:
        if open_update.is_editable:
            return redirect("update_edit", open_update.pk)
        messages.info(request, _("An update on this milestone is waiting for review."))
        return redirect(milestone)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, milestone, update=None, once=once)
        if saved is not None:
            return saved
    return render(
        request, "milestones/milestones/update_form.html", {"form": form, "milestone": milestone, "update": None}
    )


@login_required
@repeat_safe
def update_edit(request, pk):
    update = selectors.update_for_user(request.user, pk)
    milestone = update.milestone
    scoping.require(scoping.can_submit_updates(request.user, milestone.regency))
    form = UpdateForm(request.POST or None, request.FILES or None, instance=update, milestone=milestone)
    # The edit form carries a one-time token too: the same POST sent again (drafts.js resends one whose
    # answer was lost on a bad connection) goes to what the first one saved instead of attaching its files
    # twice. A POST without a token (an older page) is saved as before.
    once = SubmitOnce(request, form)
    if not update.is_editable:
        messages.info(request, _("This update has been submitted or decided and can no longer be edited."))
        return redirect(milestone)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, milestone, update=update, once=once if once.posted else None)
        if saved is not None:
            return saved
    rejected = [v for v in update.verdicts.select_related("requirement") if v.is_rejected]
    return render(
        request,
        "milestones/milestones/update_form.html",
        {"form": form, "milestone": milestone, "update": update, "rejected": rejected},
    )


def _save(request, form, milestone, update, once=None):
    """Save the draft (and submit it, with the submit button). None when the form's one-time token was
    refused: the form is then shown again with the message and what was typed."""
    try:
        # The token is used in the draft's transaction; a refused submit after it keeps the draft.
        with once.creating() if once is not None else nullcontext(None) as done:
            update = services.save_draft(milestone=milestone, author=request.user, update=update, **form.draft_fields())
            if done is not None:
                done(milestone.get_absolute_url())
        if "submit" in request.POST:
            services.submit_update(update=update, actor=request.user)
            messages.success(request, _("Your update was submitted to the provincial Pokja for review."))
        else:
            messages.success(request, _("Draft saved. Submit it when it is ready for review."))
    except TokenRefused as refused:
        form.add_error(None, refused.message)
        return None
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect(milestone)


@login_required
@require_POST
def update_submit(request, pk):
    update = selectors.update_for_user(request.user, pk)
    scoping.require(scoping.can_submit_updates(request.user, update.milestone.regency))
    try:
        services.submit_update(update=update, actor=request.user)
        messages.success(request, _("Your update was submitted to the provincial Pokja for review."))
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect(update.milestone)


@login_required
@require_POST
def update_approve(request, pk):
    update = selectors.update_for_user(request.user, pk)
    scoping.require(scoping.can_review(request.user, update.milestone.regency))
    form = ApproveForm(request.POST)
    form.is_valid()
    try:
        services.approve_update(update=update, reviewer=request.user, comment=form.cleaned_data.get("comment", ""))
        messages.success(
            request, _("Update approved; the milestone now stands at %(progress)s%%.") % {"progress": update.progress}
        )
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect(update.milestone)


@login_required
@require_POST
def update_return(request, pk):
    update = selectors.update_for_user(request.user, pk)
    milestone = update.milestone
    scoping.require(scoping.can_review(request.user, milestone.regency))
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the update is returned: the officer needs the reason to revise it."))
        context = _milestone_context(request, milestone, return_form=form)
        return render(request, "milestones/milestones/milestone_detail.html", context, status=400)
    try:
        services.return_update(update=update, reviewer=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Update returned to the regency with your reason."))
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect(milestone)


@login_required
@require_POST
def update_judge(request, pk):
    update = selectors.update_for_user(request.user, pk)
    milestone = update.milestone
    scoping.require(scoping.can_review(request.user, milestone.regency))
    form = JudgeForm(request.POST, update=update)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect(f"{milestone.get_absolute_url()}#update-{update.pk}")
    data = form.cleaned_data
    try:
        services.judge_evidence(
            update=update,
            requirement=data["requirement"],
            reviewer=request.user,
            verdict=data["verdict"],
            note=data["note"],
        )
        messages.success(request, _("Verdict saved: %(item)s.") % {"item": data["requirement"].label})
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect(f"{milestone.get_absolute_url()}#update-{update.pk}")


@login_required
@require_POST
def milestone_reopen(request, pk):
    milestone = selectors.milestone_for_user(request.user, pk)
    scoping.require(scoping.can_review(request.user, milestone.regency))
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("State the progress (0–99 %) and say why the milestone is reopened."))
        context = _milestone_context(request, milestone, reopen_form=form)
        return render(request, "milestones/milestones/milestone_detail.html", context, status=400)
    try:
        services.reopen_milestone(
            milestone=milestone,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            progress=form.cleaned_data["progress"],
        )
        messages.success(request, _("The milestone is reopened; the regency can report on it again."))
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect(milestone)


@login_required
@require_POST
def milestone_plan(request, pk):
    milestone = selectors.milestone_for_user(request.user, pk)
    scoping.require(scoping.can_review(request.user, milestone.regency))
    form = PlanForm(request.POST)
    if form.is_valid():
        services.change_plan(
            milestone=milestone,
            actor=request.user,
            planned_date=form.cleaned_data["planned_date"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Planned date changed."))
    else:
        messages.error(request, _("Enter a valid planned date."))
    return redirect(milestone)


@login_required
def review_queue(request):
    """Oldest first, a page at a time; a reviewer of several provinces also gets the queue by province."""
    user = request.user
    scoping.require(scoping.can_see_review_queue(user))
    form = ReviewFilterForm(request.GET or None)
    valid = form.is_valid()
    number = form.cleaned_data["milestone"] if valid else None
    province = (form.cleaned_data["province"] or None) if valid else None
    scope = scoping.scope_for(user)
    several = scope.nation or len(scope.province_codes) > 1
    groups = selectors.review_queue_by_province(user, milestone_number=number) if several else []
    queue = selectors.review_queue(user, milestone_number=number, province_code=province)
    paginator = Paginator(queue, REVIEW_PAGE)
    if several:
        # The groups counted the same updates by province: the page's total without a COUNT of its own.
        paginator.count = sum(g["count"] for g in groups if province is None or g["code"] == province)
    page = paginator.get_page(page_param(request))
    now = timezone.now()
    # Each row's link from one reverse() rather than a {% url %} per row.
    prefix = reverse("milestone", args=[0]).removesuffix("0/")
    for update in page:
        update.waited_days = selectors.waiting_days(update, now)
        update.url = f"{prefix}{update.milestone_id}/#update-{update.pk}"
    return render(
        request,
        "milestones/milestones/review_queue.html",
        {
            "page": page,
            "form": form,
            "groups": groups,
            "province": next((g for g in groups if g["code"] == province), None) if province else None,
            "province_code": province,
            "total": sum(g["count"] for g in groups),
        },
    )


@login_required
def evidence_download(request, pk):
    """Evidence is served only here, after the scope check, as an attachment with a safe name."""
    item = selectors.evidence_for_user(request.user, pk)
    blob = item.blob
    return evidence.attachment(request, blob, item.original_name)


@login_required
@require_POST
def evidence_remove(request, pk):
    item = selectors.evidence_for_user(request.user, pk)
    milestone = item.update.milestone
    scoping.require(scoping.can_submit_updates(request.user, milestone.regency))
    try:
        services.remove_evidence(item=item, actor=request.user)
        messages.success(request, _("Removed %(name)s from the update.") % {"name": item.original_name})
    except services.ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect("update_edit", item.update_id)
