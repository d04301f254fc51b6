"""Coaching clinics on the regency page, and the small filters their templates share.

The regency view belongs to the milestones timeline; this inclusion tag brings its own data so the
section can be included anywhere a ``regency`` is: ``{% regency_clinics request.user regency %}``.
It runs a fixed number of queries (clinics, actions, figures) however many there are.
"""

from django import template
from django.utils import timezone

from milestones.selectors import clinics as selectors
from regencies import scoping
from ssk_tracker.lib import formatting

register = template.Library()


@register.inclusion_tag("milestones/clinics/regency_section.html", takes_context=True)
def regency_clinics(context, user, regency):
    today = timezone.localdate()
    actions = list(selectors.regency_actions(user, regency))
    for action in actions:
        action.may_update = selectors.may_update_action(user, action)
        action.overdue = action.is_overdue(today)
    return {
        "request": context.get("request"),
        "regency": regency,
        "clinics": selectors.regency_clinics(user, regency),
        "actions": actions,
        "figures": selectors.regency_figures(user, regency, today=today),
        "may_manage": scoping.can_manage_province(user, regency.province_id),
    }


register.filter("clinic_name", formatting.clinic_name)  # 6 → "Coaching Clinic 6 (CC VI)"


ACTION_BADGES = {
    "open": "text-bg-light border",
    "in_progress": "text-bg-primary",
    "done": "text-bg-success",
    "dropped": "text-bg-secondary",
}


@register.filter
def action_badge(status) -> str:
    """Bootstrap classes for a follow-up action's status badge."""
    return ACTION_BADGES.get(str(status), "text-bg-secondary")
