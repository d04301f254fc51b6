"""My tasks: what needs the signed-in user's attention (the same list as the daily digest)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from milestones.selectors import reminders as selectors


@login_required
def my_tasks(request):
    items = selectors.pending_items(request.user, timezone.localdate())
    return render(
        request, "milestones/reminders/my_tasks.html", {"groups": selectors.group(items), "count": len(items)}
    )
