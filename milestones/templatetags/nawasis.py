"""Formatting for the NAWASIS pages (``{% load nawasis %}``): no database access, no permissions.

The data (the regency page's section, the lists and the province table) come from the views through
``milestones.selectors.nawasis``.
"""

from decimal import Decimal

from django import template

from ssk_tracker.lib.formatting import percent

register = template.Library()


@register.filter
def completeness(value: Decimal | str | None) -> str:
    """72.50 → "72,5%", 80.00 → "80%" (in Indonesian): as many decimals as the figure has, at most two."""
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    places = min(2, max(0, -value.normalize().as_tuple().exponent))
    return percent(value, places)
