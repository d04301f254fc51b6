"""The audit trail: every recorded change, filtered by regency, province, user, kind of record and date.

| URL | who |
| --- | --- |
| ``jejak-audit/`` | administrators and the national Pokja (``scoping.can_browse_audit``); others 403 |

The trail itself is written by django-auditlog (milestones/audit.py registers the models; the services'
conditional updates record theirs through ``ssk_tracker.lib.audit``).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from milestones.forms.audit import AuditFilterForm
from milestones.selectors import audit as selectors
from regencies import scoping


@login_required
def audit_trail(request):
    scoping.require(scoping.can_browse_audit(request.user))
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        found = selectors.entries(selectors.AuditFilter()).none()
    else:
        found = selectors.entries(form.criteria() if form.is_bound else selectors.AuditFilter())
    page = Paginator(found, settings.AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "milestones/audit/trail.html",
        {"form": form, "page": page, "rows": selectors.rows(list(page.object_list))},
    )
