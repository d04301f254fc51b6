"""The one place that decides what a user may see and do.

Every view and every queryset that shows region data goes through here:
- ``scope_for(user)`` says where the user's scope lies (nation, provinces, one regency, or nothing);
- ``filter_by_scope(user, queryset, regency_field)`` narrows any queryset to that scope;
- ``get_province_or_404`` / ``get_regency_or_404`` answer 404 for an object outside the scope;
- ``require_*`` raise PermissionDenied (403) when the role may read but not write.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from regencies.models import Province, Regency, Role


@dataclass(frozen=True)
class Scope:
    """A user's scope, or a report's (no role): the nation, some provinces, or one regency."""

    role: str | None = None
    nation: bool = False  # sees every province
    province_codes: frozenset[str] = frozenset()  # a province's or a Balai's provinces
    regency_code: str | None = None  # a single regency

    def __post_init__(self):
        object.__setattr__(self, "province_codes", frozenset(self.province_codes))

    @property
    def is_empty(self) -> bool:
        return not (self.nation or self.province_codes or self.regency_code)

    def covers_regency(self, regency: Regency) -> bool:
        return self.nation or regency.province_id in self.province_codes or regency.code == self.regency_code

    def covers_province(self, province_code: str) -> bool:
        return self.nation or province_code in self.province_codes

    def regency_q(self, field: str = "") -> Q:
        """A Q on Regency (``field`` is the path to it, e.g. "milestone__regency")."""
        prefix = f"{field}__" if field else ""
        if self.nation:
            return Q()
        q = Q(pk__in=[])
        if self.province_codes:
            q |= Q(**{f"{prefix}province__in": sorted(self.province_codes)})
        if self.regency_code:
            q |= Q(**{f"{prefix}code": self.regency_code})
        return q


_NO_SCOPE = Scope(role=None)


def scope_for(user) -> Scope:
    """The user's scope, computed once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return _NO_SCOPE
    cached = getattr(user, "_ssk_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._ssk_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    from regencies.models import UserRole

    role = UserRole.objects.select_related("balai").filter(user=user).first()
    if role is None:
        return Scope(role=Role.ADMINISTRATOR, nation=True) if user.is_superuser else _NO_SCOPE
    if role.role in (Role.NATIONAL, Role.ADMINISTRATOR):
        return Scope(role=role.role, nation=True)
    if role.regency_id:
        return Scope(role=role.role, regency_code=role.regency_id)
    if role.province_id:
        return Scope(role=role.role, province_codes=frozenset([role.province_id]))
    if role.balai_id:
        codes = frozenset(role.balai.provinces.values_list("code", flat=True))
        return Scope(role=role.role, province_codes=codes)
    if role.role == Role.COORDINATOR:
        return Scope(role=role.role, nation=True)
    return Scope(role=role.role)


def filter_by_scope(user, queryset: QuerySet, regency_field: str = "regency") -> QuerySet:
    """Narrow a queryset of objects that belong to a regency to the user's scope."""
    return narrow(scope_for(user), queryset, regency_field)


def narrow(scope: Scope, queryset: QuerySet, regency_field: str = "regency") -> QuerySet:
    """Narrow a queryset of objects that belong to a regency to ``scope`` (a user's, or a report's)."""
    if scope.is_empty:
        return queryset.none()
    return queryset.filter(scope.regency_q(regency_field))


def visible_regencies(user) -> QuerySet:
    return regencies_in(scope_for(user))


def regencies_in(scope: Scope) -> QuerySet:
    return narrow(scope, Regency.objects.select_related("province"), regency_field="")


def visible_provinces(user) -> QuerySet:
    return provinces_in(scope_for(user))


def provinces_in(scope: Scope) -> QuerySet:
    """The provinces the scope covers in full, or the one its regency lies in."""
    provinces = Province.objects.all()
    if scope.nation:
        return provinces
    if scope.province_codes:
        return provinces.filter(code__in=sorted(scope.province_codes))
    if scope.regency_code:
        return provinces.filter(code=scope.regency_code[:2])
    return provinces.none()


def sees_whole_provinces(user) -> bool:
    """National overview and province pages are for users who see whole provinces, not one regency."""
    scope = scope_for(user)
    return scope.nation or bool(scope.province_codes)


def get_province_or_404(user, code: str) -> Province:
    """A province the user may see in full (a regency officer sees only their regency, not its province)."""
    if not scope_for(user).covers_province(code):
        raise Http404
    return get_or_404(Province.objects.all(), code=code)


def get_regency_or_404(user, code: str) -> Regency:
    return get_or_404(visible_regencies(user), code=code)


def get_or_404(queryset, **lookup):
    """One object of an already scoped queryset, or 404."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


# --- What a role may do (the region has already been checked for visibility) ---------------------


def can_submit_updates(user, regency: Regency) -> bool:
    scope = scope_for(user)
    return scope.role == Role.REGENCY_OFFICER and scope.regency_code == regency.code


def can_review(user, regency: Regency) -> bool:
    scope = scope_for(user)
    return scope.role == Role.PROVINCIAL_STAFF and regency.province_id in scope.province_codes


def can_act_for_regency(user, regency: Regency) -> bool:
    """The regency's own officer or its province's Pokja: who records a regency's documents and data."""
    return can_submit_updates(user, regency) or can_manage_province(user, regency.province_id)


def can_manage_province(user, province_code: str) -> bool:
    """Run coaching clinics, quality-assure SSK documents: the provincial Pokja's work."""
    scope = scope_for(user)
    return scope.role == Role.PROVINCIAL_STAFF and province_code in scope.province_codes


def report_audiences(user) -> set[str]:
    """Which reports a user may request: those whose scope lies inside theirs."""
    scope = scope_for(user)
    if scope.is_empty:
        return set()
    if scope.nation:
        return {"national", "provincial", "balai", "regency"}
    if scope.province_codes:
        return {"provincial", "balai", "regency"}
    return {"regency"}


def can_see_report(user, job) -> bool:
    """A report is visible to whoever's scope covers the report's whole scope."""
    scope = scope_for(user)
    if scope.is_empty:
        return False
    if scope.nation:
        return True
    if job.audience == "national":
        return False
    if job.regency_id:
        return scope.covers_regency(job.regency)
    if job.province_id:
        return job.province_id in scope.province_codes
    if job.balai_id:
        codes = set(job.balai.provinces.values_list("code", flat=True))
        return bool(codes) and codes <= scope.province_codes
    return False


def visible_balai(user) -> QuerySet:
    """Balai whose every province lies in the user's scope (a Balai report covers all of them)."""
    from regencies.models import Balai

    scope = scope_for(user)
    if scope.nation:
        return Balai.objects.all()
    if not scope.province_codes:
        return Balai.objects.none()
    outside = Province.objects.exclude(code__in=sorted(scope.province_codes))
    return Balai.objects.filter(provinces__in=sorted(scope.province_codes)).exclude(provinces__in=outside).distinct()


def reports_in_scope(user, queryset):
    """Report jobs whose scope the user covers, in one query (the same rule as can_see_report)."""
    scope = scope_for(user)
    if scope.is_empty:
        return queryset.none()
    if scope.nation:
        return queryset
    q = Q(regency__in=visible_regencies(user).values("code"))
    if scope.province_codes:
        q |= Q(province__in=sorted(scope.province_codes)) | Q(balai__in=visible_balai(user).values("pk"))
    return queryset.filter(q)


# The review queue: the provincial Pokja acts on it; the national Pokja and administrators read it.
REVIEW_QUEUE_ROLES = frozenset({Role.PROVINCIAL_STAFF, Role.NATIONAL, Role.ADMINISTRATOR})


def can_see_review_queue(user) -> bool:
    return scope_for(user).role in REVIEW_QUEUE_ROLES


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@dataclass(frozen=True)
class ScopeDescription:
    role_label: str
    area_label: str
    role: str | None = None
    nation: bool = False

    @property
    def can_review_queue(self) -> bool:
        return self.role in REVIEW_QUEUE_ROLES

    @property
    def sees_provinces(self) -> bool:
        return self.nation or self.role == Role.BALAI_STAFF


def describe_scope(user) -> ScopeDescription | None:
    """Words for the navigation bar: "Staf Pokja provinsi · Kalimantan Tengah"."""
    from django.utils.translation import gettext as _

    from regencies.models import UserRole

    if not user.is_authenticated:
        return None
    scope = scope_for(user)
    if scope.is_empty:
        return ScopeDescription(_("No role yet"), _("No scope"))
    role = UserRole.objects.select_related("province", "regency", "balai").filter(user=user).first()
    role_label = role.get_role_display() if role else str(Role.ADMINISTRATOR.label)
    if role and role.regency:
        area = role.regency.name
    elif role and role.province:
        area = _("Province of %(name)s") % {"name": role.province.name}
    elif role and role.balai:
        area = role.balai.short_name or role.balai.name
    else:
        area = _("National")
    return ScopeDescription(role_label, area, scope.role, scope.nation)
