from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from milestones.selectors import milestones as milestone_selectors
from regencies import scoping
from regencies import selectors as region_selectors


@login_required
def regency_page(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    return render(
        request,
        "milestones/regency_page.html",
        {
            "regency": regency,
            "working_group": region_selectors.working_group_with_members(level="regency", regency=regency),
            "can_see_province": scoping.scope_for(request.user).covers_province(regency.province_id),
            "cohorts": milestone_selectors.regency_cohorts(regency),
            "recent_updates": milestone_selectors.recent_updates(regency),
            "can_submit": scoping.can_submit_updates(request.user, regency),
            "can_review": scoping.can_review(request.user, regency),
        },
    )
