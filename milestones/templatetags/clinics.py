"""Formatting for the coaching-clinic pages (``{% load clinics %}``): no database access, no permissions.

The data (the regency page's section, clinics, follow-up actions) come from the views through
``milestones.selectors.clinics``.
"""

from django import template

from ssk_tracker.lib import formatting

register = template.Library()

register.filter("clinic_name", formatting.clinic_name)  # 6 → "Coaching Clinic 6 (CC VI)"


ACTION_BADGES = {
    "open": "text-bg-light border",
    "in_progress": "text-bg-primary",
    "closing": "text-bg-warning",
    "done": "text-bg-success",
    "dropped": "text-bg-secondary",
}


@register.filter
def action_badge(status: str) -> str:
    """Bootstrap classes for a follow-up action's status badge."""
    return ACTION_BADGES.get(str(status), "text-bg-secondary")
