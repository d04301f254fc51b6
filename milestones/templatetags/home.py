"""The navigation's link to the user's own dashboard (``templates/includes/nav_items.html``)."""

from django import template
from django.urls import reverse

from regencies import scoping
from regencies.models import Role
from ssk_tracker.lib.users import AnyUser

register = template.Library()


@register.simple_tag
def dashboard_url(user: AnyUser) -> str:
    """The user's dashboard: an officer's regency page, a province's dashboard, the overview for the Balai,
    the nation and a coordinator of several provinces; "" without a scope. No query: the scope is read once
    per request (``scoping.scope_for``)."""
    scope = scoping.scope_for(user)
    if scope.regency_code:
        return reverse("regency", args=[scope.regency_code])
    if scope.nation or scope.role == Role.BALAI_STAFF or len(scope.province_codes) > 1:
        return reverse("national_overview")
    if scope.province_codes:
        return reverse("province", args=[next(iter(scope.province_codes))])
    return ""
