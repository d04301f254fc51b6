"""The regency page's section on SSK activities: integration into planning documents, budget by funding
source, and the sanitation share of the APBD.

The regency view belongs to the milestones timeline; this inclusion tag brings its own data (a fixed
number of aggregate queries) so the section can be included anywhere a ``regency`` is:
``{% regency_activities request.user regency %}``.
"""

from django import template

from milestones.selectors import planning as selectors

register = template.Library()


@register.inclusion_tag("milestones/planning/regency_section.html", takes_context=True)
def regency_activities(context, user, regency):
    return {
        "request": context.get("request"),
        "regency": regency,
        "summary": selectors.regency_summary(regency),
        "may_edit": selectors.may_edit(user, regency),
    }


@register.filter
def share_bar_class(value) -> str:
    """Bootstrap colour of a progress bar for a percentage: under 50 red, under 80 amber, else green."""
    if value is None:
        return "bg-secondary"
    if value < 50:
        return "bg-danger"
    if value < 80:
        return "bg-warning"
    return "bg-success"
