"""In-app notices: the list (the bell's page), opening one, marking all read.

Opening is a GET through ``notice_open``: it marks the notice read and redirects to its target, so the
list's entries are plain links (they work without JavaScript, open in a new tab, and the browser's back
button returns to the list). A GET that changes state is acceptable here because the change is idempotent
and harmless (the first reading's time stays; nothing else moves), only ever touches the signed-in user's
own notice, and a forged link from another site can at worst mark one of the victim's notices read, which
SameSite=Lax cookies already limit to top-level navigations. "Mark all read" changes many rows at once:
it is a POST behind the CSRF check. The target's own view checks the user's scope as always.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from milestones.selectors import notices as selectors
from milestones.services import notices as services
from ssk_tracker.lib.params import page_param


@login_required
def notice_list(request):
    page = Paginator(selectors.notices_of(request.user), selectors.PAGE_SIZE).get_page(page_param(request))
    return render(request, "milestones/notices/notice_list.html", {"page": page})


@login_required
def notice_open(request, pk):
    notice = selectors.notice_of_user_or_404(request.user, pk)
    services.mark_read(notice=notice)
    return redirect(notice.target_url)


@login_required
@require_POST
def notice_read_all(request):
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notice marked as read.", "%(count)d notices marked as read.", count) % {"count": count},
        )
    return redirect("notices")
