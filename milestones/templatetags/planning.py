"""Formatting for the planning pages (``{% load planning %}``): no database access, no permissions.

The data (the regency page's section, the activities page) come from the views through
``milestones.selectors.planning``.
"""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def share_bar_class(value: Decimal | int | None) -> str:
    """Bootstrap colour of a progress bar for a percentage: under 50 red, under 80 amber, else green."""
    if value is None:
        return "bg-secondary"
    if value < 50:
        return "bg-danger"
    if value < 80:
        return "bg-warning"
    return "bg-success"
