"""The regency page's section on SSK documents, policy packages and yearly monitoring.

The regency view belongs to the milestones timeline; this inclusion tag brings its own data so the
section can be included anywhere a ``regency`` is: ``{% regency_documents request.user regency %}``.
"""

from django import template

from milestones.selectors import documents as selectors
from regencies import scoping

register = template.Library()


@register.inclusion_tag("milestones/documents/regency_section.html", takes_context=True)
def regency_documents(context, user, regency):
    may_submit = scoping.can_submit_updates(user, regency)
    may_manage = scoping.can_manage_province(user, regency.province_id)
    cohorts = list(selectors.regency_cohorts(regency)) if may_manage else []
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "regency": regency,
        "documents": selectors.regency_documents(regency),
        "packages": selectors.regency_packages(regency),
        "monitoring": selectors.regency_monitoring(regency),
        "may_submit": may_submit,
        "may_manage": may_manage,
        "may_enact": scoping.can_act_for_regency(user, regency),
        "may_add_monitoring": may_manage and bool(cohorts),
    }


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
def badge_class(value) -> str:
    """Bootstrap classes for a status badge: ``<span class="badge {{ d.status|badge_class }}">``."""
    return BADGES.get(str(value), "text-bg-secondary")
