"""Formatting for the SSK document, policy and monitoring pages (``{% load documents %}``): no database
access, no permissions.

The data (the regency page's section, a document, a package) come from the views through
``milestones.selectors.documents``.
"""

from django import template

from milestones.models import QualityReview

register = template.Library()


# One colour per status value; the values of the document, review, package, item and monitoring
# choices do not clash in meaning ("draft" and "enacted" mean the same everywhere).
BADGES = {
    "draft": "text-bg-secondary",
    "quality_assurance": "text-bg-warning",
    "final": "text-bg-info",
    "enacted": "text-bg-success",
    "accepted": "text-bg-success",
    "revise": "text-bg-danger",
    "proposed": "text-bg-warning",
    "committed": "text-bg-success",
    "planned": "text-bg-light border",
    "in_process": "text-bg-warning",
    "implemented": "text-bg-success",
    "on_track": "text-bg-success",
    "speed_up": "text-bg-warning",
    "fix_method": "text-bg-warning",
    "change": "text-bg-danger",
}


@register.filter
def badge_class(value: str) -> str:
    """Bootstrap classes for a status badge: ``<span class="badge {{ d.status|badge_class }}">``."""
    return BADGES.get(str(value), "text-bg-secondary")


@register.filter
def review_outcome(value: str) -> str:
    """A quality review's outcome in words, from its value (the regency page carries only the value)."""
    return str(dict(QualityReview.Outcome.choices).get(value, value))
