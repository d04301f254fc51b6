"""The regency page's NAWASIS section, and the completeness format.

``{% regency_nawasis request.user regency %}`` brings its own data (one query), so the section can be
included anywhere a ``regency`` is.
"""

from django import template

from milestones.selectors import nawasis as selectors
from regencies import scoping
from ssk_tracker.lib import formatting

register = template.Library()


@register.inclusion_tag("milestones/nawasis/regency_section.html")
def regency_nawasis(user, regency):
    return {
        "regency": regency,
        "latest": selectors.regency_latest(regency),
        "may_record": scoping.can_act_for_regency(user, regency),
        "can_see_province": scoping.scope_for(user).covers_province(regency.province_id),
    }


# 72.50 → "72,5%", 80.00 → "80%": the format the reports use too.
register.filter("completeness", formatting.completeness)
