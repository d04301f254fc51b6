"""The home page: the day's work for the user's role, then their dashboard.

The work is ``milestones.selectors.reminders.tasks`` in ``Mode.NOW`` (the list "my tasks" shows in full and
the digest reminds of once stale): each of the role's kinds of task with its count and its first
``HOME_GROUP_LIMIT`` items, a link to the rest on "my tasks". Below it the role's dashboard, built by the
dashboard views' own context functions: an officer's regency timeline, a provincial Pokja's province
dashboard, the Balai's and the nation's overview.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from milestones.selectors import milestones as milestone_selectors
from milestones.selectors import reminders
from milestones.views import dashboards as dashboard_views
from regencies import scoping, selectors
from regencies.models import Role


@login_required
def home(request):
    user = request.user
    scope = scoping.scope_for(user)
    context: dict[str, Any] = {"scope": scope}
    if scope.is_empty:
        return render(request, "regencies/home.html", context)
    today = timezone.localdate()
    groups = reminders.day_work(user, scope.role, today)
    context.update(
        groups=groups, has_work=any(g.count for g in groups), empty_groups=[g for g in groups if not g.count]
    )
    if scope.regency_code:
        regency = scoping.get_regency_or_404(user, scope.regency_code)
        timeline = milestone_selectors.regency_milestones(regency, today=today)
        context.update(
            regency=regency,
            cohorts=timeline.cohorts[:1],  # the current cohort; the older ones on the regency page
            recent_updates=timeline.recent_updates,
            can_submit=scoping.can_submit_updates(user, regency),
        )
    elif len(scope.province_codes) == 1 and not scope.nation and scope.role != Role.BALAI_STAFF:
        province = scoping.get_province_or_404(user, next(iter(scope.province_codes)))
        context.update(dashboard_views.province_context(request, province), dashboard="province")
    elif scope.nation or scope.role == Role.BALAI_STAFF:
        context.update(dashboard_views.national_context(request), dashboard="national")
    else:  # a coordinator of several provinces
        context["provinces"] = selectors.provinces_for_home(user)
    return render(request, "regencies/home.html", context)
