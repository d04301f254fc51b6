from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from milestones import evidence, services
from milestones.selectors import milestones as selectors
from regencies import scoping


@login_required
def evidence_download(request, pk):
    """Evidence is served only here, after the scope check, as an attachment with a safe name."""
    item = selectors.evidence_for_user(request.user, pk)
    blob = item.blob
    return evidence.attachment(blob, item.original_name)


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
