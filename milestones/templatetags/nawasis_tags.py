"""The regency page's NAWASIS section, and the completeness format.

``{% regency_nawasis request.user regency %}`` brings its own data (one query), so the section can be
included anywhere a ``regency`` is.
"""

from decimal import Decimal

from django import template

from milestones.selectors import nawasis as selectors
from regencies import scoping
from ssk_tracker.lib.formatting import percent

register = template.Library()


@register.inclusion_tag("milestones/nawasis/regency_section.html")
def regency_nawasis(user, regency):
    return {
        "regency": regency,
        "latest": selectors.regency_latest(regency),
        "may_record": scoping.can_act_for_regency(user, regency),
        "can_see_province": scoping.scope_for(user).covers_province(regency.province_id),
    }


@register.filter
def completeness(value) -> str:
    """72.50 → "72,5%", 80.00 → "80%" (in Indonesian): as many decimals as the figure has, at most two."""
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    places = min(2, max(0, -value.normalize().as_tuple().exponent))
    return percent(value, places)
