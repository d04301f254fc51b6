"""The one place that decides what a user may see and do.

Every view and every queryset that shows region data goes through here:
- ``scope_for(user)`` says where the user's scope lies (nation, provinces, one regency, or nothing);
- ``filter_by_scope(user, queryset, regency_field)`` narrows any queryset to that scope;
- ``get_province_or_404`` / ``get_regency_or_404`` answer 404 for an object outside the scope;
- ``require_*`` raise PermissionDenied (403) when the role may read but not write.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from regencies.models import Balai, Province, Regency, Role, UserRole
from ssk_tracker.lib.users import AnyUser, User


@dataclass(frozen=True)
class Scope:
    """A user's scope, or a report's (no role): the nation, some provinces, or one regency."""

    role: str | None = None
    nation: bool = False  # sees every province
    province_codes: frozenset[str] = frozenset()  # a province's or a Balai's provinces
    regency_code: str | None = None  # a single regency
    balai_id: int | None = None  # a Balai staff member's Balai (the receiver of deliveries to it)

    def __post_init__(self) -> None:
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
_CACHE_ATTRIBUTE = "_ssk_scope"  # set on the user object, which the user model does not declare


def scope_for(user: AnyUser) -> Scope:
    """The user's scope, computed once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return _NO_SCOPE
    cached: Scope | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


_ROLE_ATTRIBUTE = "_ssk_role"  # the user's UserRole (or None), kept on the user object like the scope


def _role(user: User) -> UserRole | None:
    """The user's role with its region, read once per request: the scope and the navigation bar's words
    (``describe_scope``) both come from it."""
    if hasattr(user, _ROLE_ATTRIBUTE):
        cached: UserRole | None = getattr(user, _ROLE_ATTRIBUTE)
        return cached
    role = UserRole.objects.select_related("province", "regency", "balai").filter(user=user).first()
    setattr(user, _ROLE_ATTRIBUTE, role)
    return role


def _compute_scope(user: User) -> Scope:
    role = _role(user)
    if role is None:
        return Scope(role=Role.ADMINISTRATOR, nation=True) if user.is_superuser else _NO_SCOPE
    if role.role in (Role.NATIONAL, Role.ADMINISTRATOR):
        return Scope(role=role.role, nation=True)
    if role.regency_id:
        return Scope(role=role.role, regency_code=role.regency_id)
    if role.province_id:
        return Scope(role=role.role, province_codes=frozenset([role.province_id]))
    if role.balai is not None:  # loaded with the role (select_related)
        codes = frozenset(role.balai.provinces.values_list("code", flat=True))
        return Scope(role=role.role, province_codes=codes, balai_id=role.balai.pk)
    if role.role == Role.COORDINATOR:
        return Scope(role=role.role, nation=True)
    return Scope(role=role.role)


def filter_by_scope[M: Model](user: AnyUser, queryset: QuerySet[M], regency_field: str = "regency") -> QuerySet[M]:
    """Narrow a queryset of objects that belong to a regency to the user's scope."""
    return narrow(scope_for(user), queryset, regency_field)


def narrow[M: Model](scope: Scope, queryset: QuerySet[M], regency_field: str = "regency") -> QuerySet[M]:
    """Narrow a queryset of objects that belong to a regency to ``scope`` (a user's, or a report's)."""
    if scope.is_empty:
        return queryset.none()
    return queryset.filter(scope.regency_q(regency_field))


_QUERYSETS_ATTRIBUTE = "_ssk_scoped_querysets"  # per request, on the user object like the scope


def _per_request[M: Model](user: AnyUser, name: str, build: Callable[[Scope], QuerySet[M]]) -> QuerySet[M]:
    """A scoped queryset built once per request: the Laporan page asks for the Balai and regencies three
    times (jobs, schedules, form), and building the Balai's exclusion costs more than its query. Kept for
    the scope object it was built from, so a scope computed afresh (a new request, a new user object) is
    never served an old one; a clone is returned, so no caller shares another's result cache."""
    scope = scope_for(user)
    if not user.is_authenticated or not user.is_active:
        return build(scope)
    memo: dict[str, tuple[Scope, QuerySet[Any]]] | None = getattr(user, _QUERYSETS_ATTRIBUTE, None)
    if memo is None:
        memo = {}
        setattr(user, _QUERYSETS_ATTRIBUTE, memo)
    cached = memo.get(name)
    if cached is None or cached[0] is not scope:
        cached = memo[name] = (scope, build(scope))
    return cached[1].all()


def visible_regencies(user: AnyUser) -> QuerySet[Regency]:
    return _per_request(user, "regencies", regencies_in)


def regencies_in(scope: Scope) -> QuerySet[Regency]:
    return narrow(scope, Regency.objects.select_related("province"), regency_field="")


def visible_provinces(user: AnyUser) -> QuerySet[Province]:
    return provinces_in(scope_for(user))


def provinces_in(scope: Scope) -> QuerySet[Province]:
    """The provinces the scope covers in full, or the one its regency lies in."""
    provinces = Province.objects.all()
    if scope.nation:
        return provinces
    if scope.province_codes:
        return provinces.filter(code__in=sorted(scope.province_codes))
    if scope.regency_code:
        return provinces.filter(code=scope.regency_code[:2])
    return provinces.none()


def sees_whole_provinces(user: AnyUser) -> bool:
    """National overview and province pages are for users who see whole provinces, not one regency."""
    scope = scope_for(user)
    return scope.nation or bool(scope.province_codes)


def get_province_or_404(user: AnyUser, code: str) -> Province:
    """A province the user may see in full (a regency officer sees only their regency, not its province)."""
    if not scope_for(user).covers_province(code):
        raise Http404
    return get_or_404(Province.objects.all(), code=code)


def get_regency_or_404(user: AnyUser, code: str) -> Regency:
    return get_or_404(visible_regencies(user), code=code)


def get_or_404[M: Model](queryset: QuerySet[M], **lookup: object) -> M:
    """One object of an already scoped queryset, or 404."""
    try:
        return queryset.get(**lookup)
    except ObjectDoesNotExist:  # every model's DoesNotExist is one (the Model base type declares none)
        raise Http404 from None


# --- What a role may do (the region has already been checked for visibility) ---------------------


def can_submit_updates(user: AnyUser, regency: Regency) -> bool:
    scope = scope_for(user)
    return scope.role == Role.REGENCY_OFFICER and scope.regency_code == regency.code


def can_review(user: AnyUser, regency: Regency) -> bool:
    scope = scope_for(user)
    return scope.role == Role.PROVINCIAL_STAFF and regency.province_id in scope.province_codes


# --- The Balai's DAK verification (milestones.services.dak) ---


def can_prepare_dak(user: AnyUser, regency: Regency) -> bool:
    """The regency's officer uploads and submits its DAK readiness documents."""
    return can_submit_updates(user, regency)


def can_verify_dak(user: AnyUser, regency: Regency) -> bool:
    """The staff of a Balai covering the regency's province verify or return its DAK readiness documents
    (another Balai does not see the regency at all: 404 before this is asked)."""
    scope = scope_for(user)
    return scope.role == Role.BALAI_STAFF and scope.balai_id is not None and regency.province_id in scope.province_codes


def can_act_for_regency(user: AnyUser, regency: Regency) -> bool:
    """The regency's own officer or its province's Pokja: who records a regency's documents and data."""
    return can_submit_updates(user, regency) or can_manage_province(user, regency.province_id)


def can_manage_province(user: AnyUser, province_code: str) -> bool:
    """Run coaching clinics, quality-assure SSK documents: the provincial Pokja's work."""
    scope = scope_for(user)
    return scope.role == Role.PROVINCIAL_STAFF and province_code in scope.province_codes


def report_audiences(user: AnyUser) -> set[str]:
    """Which reports a user may request: those whose scope lies inside theirs."""
    scope = scope_for(user)
    if scope.is_empty:
        return set()
    if scope.nation:
        return {"national", "provincial", "balai", "regency"}
    if scope.province_codes:
        return {"provincial", "balai", "regency"}
    return {"regency"}


class ScopedReport(Protocol):
    """What ``can_see_report`` reads of a report job (reports.models.ReportJob, which this app cannot import)."""

    @property
    def audience(self) -> str: ...
    @property
    def regency(self) -> Regency | None: ...
    @property
    def province_id(self) -> str | None: ...
    @property
    def balai(self) -> Balai | None: ...


def can_see_report(user: AnyUser, job: ScopedReport) -> bool:
    """A report is visible to whoever's scope covers the report's whole scope."""
    scope = scope_for(user)
    if scope.is_empty:
        return False
    if scope.nation:
        return True
    if job.audience == "national":
        return False
    if job.regency is not None:
        return scope.covers_regency(job.regency)
    if job.province_id:
        return job.province_id in scope.province_codes
    if job.balai is not None:
        codes = set(job.balai.provinces.values_list("code", flat=True))
        return bool(codes) and codes <= scope.province_codes
    return False


def visible_balai(user: AnyUser) -> QuerySet[Balai]:
    """Balai whose every province lies in the user's scope (a Balai report covers all of them)."""
    return _per_request(user, "balai", _balai_in)


def _balai_in(scope: Scope) -> QuerySet[Balai]:
    if scope.nation:
        return Balai.objects.all()
    if not scope.province_codes:
        return Balai.objects.none()
    outside = Province.objects.exclude(code__in=sorted(scope.province_codes))
    return Balai.objects.filter(provinces__in=sorted(scope.province_codes)).exclude(provinces__in=outside).distinct()


def reports_in_scope[M: Model](user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
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


# --- Report schedules: who may create, pause and delete them in the app -------------------------------
# Coordinators for their scope, the provincial Pokja for its province (provincial reports of it and
# regency reports of its regencies). Everyone else has none; administrators keep the Django admin.
SCHEDULE_ROLES = frozenset({Role.COORDINATOR, Role.PROVINCIAL_STAFF})


def schedule_audiences(user: AnyUser) -> set[str]:
    """The audiences of the schedules a user may manage; empty: no schedules section at all."""
    scope = scope_for(user)
    if scope.role not in SCHEDULE_ROLES or scope.is_empty:
        return set()
    if scope.nation:
        return {"national", "provincial", "balai", "regency"}
    if scope.province_codes:
        # A Balai report spans provinces: a coordinator whose scope holds all of them, not a province's Pokja.
        return {"provincial", "balai", "regency"} if scope.role == Role.COORDINATOR else {"provincial", "regency"}
    return {"regency"}


def can_manage_schedules(user: AnyUser) -> bool:
    return bool(schedule_audiences(user))


@dataclass(frozen=True)
class ScheduleChoices:
    """What the schedule form offers a user; ``every_region``: may leave the province or Balai empty
    (a schedule for every province or every Balai), which only a nation-wide coordinator may."""

    audiences: frozenset[str]
    provinces: QuerySet[Province]
    balai: QuerySet[Balai]
    regencies: QuerySet[Regency]
    every_region: bool


def schedule_choices(user: AnyUser) -> ScheduleChoices:
    audiences = schedule_audiences(user)
    scope = scope_for(user)
    return ScheduleChoices(
        audiences=frozenset(audiences),
        provinces=visible_provinces(user) if "provincial" in audiences else Province.objects.none(),
        balai=visible_balai(user) if "balai" in audiences else Balai.objects.none(),
        regencies=visible_regencies(user) if "regency" in audiences else Regency.objects.none(),
        every_region=scope.nation and bool(audiences),
    )


def can_manage_schedule(user: AnyUser, schedule: ScopedReport) -> bool:
    """Whether the schedule (saved or about to be) lies in the user's schedule scope; the same rule as
    ``schedules_in_scope``. An empty province or Balai (every one of them) is the nation's."""
    audiences = schedule_audiences(user)
    if schedule.audience not in audiences:
        return False
    scope = scope_for(user)
    if scope.nation:
        return True
    if schedule.audience == "provincial":
        return schedule.province_id is not None and schedule.province_id in scope.province_codes
    if schedule.audience == "regency":
        return schedule.regency is not None and scope.covers_regency(schedule.regency)
    if schedule.audience == "balai" and schedule.balai is not None:
        codes = set(schedule.balai.provinces.values_list("code", flat=True))
        return bool(codes) and codes <= scope.province_codes
    return False


def schedules_in_scope[M: Model](user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Report schedules the user may see and manage, in one query (the rule of ``can_manage_schedule``)."""
    audiences = schedule_audiences(user)
    if not audiences:
        return queryset.none()
    scope = scope_for(user)
    if scope.nation:
        return queryset
    q = Q(audience="regency", regency__in=visible_regencies(user).values("code"))
    if "provincial" in audiences:
        q |= Q(audience="provincial", province__in=sorted(scope.province_codes))
    if "balai" in audiences:
        q |= Q(audience="balai", balai__in=visible_balai(user).values("pk"))
    return queryset.filter(q)


# --- Report deliveries (reports.deliveries): who sends a report upward, who receives it ------------------
# A recipient is named by its kind and, for a province or a Balai, the one it means; the kinds are the
# values of reports.models.Recipient (this app cannot import reports).
RECIPIENT_NATIONAL, RECIPIENT_PROVINCIAL, RECIPIENT_BALAI = "national", "provincial", "balai"


def can_send_report(user: AnyUser, job: ScopedReport) -> bool:
    """The report's own scope sends it upward: the regency's officers a regency report, the province's
    Pokja staff a province report. Nobody sends a report about somebody else."""
    scope = scope_for(user)
    if job.audience == "regency" and job.regency is not None:
        return scope.role == Role.REGENCY_OFFICER and scope.regency_code == job.regency.code
    if job.audience == "provincial" and job.province_id:
        return scope.role == Role.PROVINCIAL_STAFF and job.province_id in scope.province_codes
    return False


def receives_for(user: AnyUser, *, recipient: str, province_code: str | None, balai_id: int | None) -> bool:
    """Whether the user is one of the recipient's users (who sees the delivery and acknowledges it):
    the national Pokja PPAS users, the province's Pokja staff, the Balai's staff."""
    scope = scope_for(user)
    if recipient == RECIPIENT_NATIONAL:
        return scope.role == Role.NATIONAL
    if recipient == RECIPIENT_PROVINCIAL:
        return (
            scope.role == Role.PROVINCIAL_STAFF and province_code is not None and province_code in scope.province_codes
        )
    if recipient == RECIPIENT_BALAI:
        return scope.role == Role.BALAI_STAFF and balai_id is not None and scope.balai_id == balai_id
    return False


def received_q(user: AnyUser) -> Q:
    """A Q on a delivery (fields ``recipient``, ``province``, ``balai``): those the user receives."""
    scope = scope_for(user)
    if scope.role == Role.NATIONAL:
        return Q(recipient=RECIPIENT_NATIONAL)
    if scope.role == Role.PROVINCIAL_STAFF and scope.province_codes:
        return Q(recipient=RECIPIENT_PROVINCIAL, province__in=sorted(scope.province_codes))
    if scope.role == Role.BALAI_STAFF and scope.balai_id is not None:
        return Q(recipient=RECIPIENT_BALAI, balai=scope.balai_id)
    return Q(pk__in=[])


def is_recipient_user(user: AnyUser) -> bool:
    """Whether the user may receive report deliveries at all (the navigation's inbox badge)."""
    return scope_for(user).role in (Role.NATIONAL, Role.PROVINCIAL_STAFF, Role.BALAI_STAFF)


def recipient_users(*, recipient: str, province_code: str | None, balai_id: int | None) -> QuerySet[User]:
    """The active users ``receives_for`` accepts for the recipient (whom its e-mail goes to)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    if recipient == RECIPIENT_NATIONAL:
        return users.filter(ssk_role__role=Role.NATIONAL)
    if recipient == RECIPIENT_PROVINCIAL and province_code:
        return users.filter(ssk_role__role=Role.PROVINCIAL_STAFF, ssk_role__province=province_code)
    if recipient == RECIPIENT_BALAI and balai_id is not None:
        return users.filter(ssk_role__role=Role.BALAI_STAFF, ssk_role__balai=balai_id)
    return users.none()


# The review queue: the provincial Pokja acts on it; the national Pokja and administrators read it.
REVIEW_QUEUE_ROLES = frozenset({Role.PROVINCIAL_STAFF, Role.NATIONAL, Role.ADMINISTRATOR})


def can_see_review_queue(user: AnyUser) -> bool:
    return scope_for(user).role in REVIEW_QUEUE_ROLES


# The audit trail shows every region's changes and who made them: administrators and the national Pokja
# (issue 10). A province's staff see their changes on each record's own page, not the whole trail.
AUDIT_ROLES = frozenset({Role.NATIONAL, Role.ADMINISTRATOR})


def can_browse_audit(user: AnyUser) -> bool:
    return scope_for(user).role in AUDIT_ROLES


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
    def can_browse_audit(self) -> bool:
        return self.role in AUDIT_ROLES

    @property
    def sees_provinces(self) -> bool:
        return self.nation or self.role == Role.BALAI_STAFF

    @property
    def sees_clinics(self) -> bool:
        """The clinics link in the navigation bar: readers of several provinces, and the provincial Pokja."""
        return self.sees_provinces or self.role == Role.PROVINCIAL_STAFF


def describe_scope(user: AnyUser) -> ScopeDescription | None:
    """Words for the navigation bar: "Staf Pokja provinsi · Kalimantan Tengah"."""
    from django.utils.translation import gettext as _

    if not user.is_authenticated:
        return None
    scope = scope_for(user)
    if scope.is_empty:
        return ScopeDescription(_("No role yet"), _("No scope"))
    role = _role(user)  # already read by scope_for: no second query
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


# --- The province's own documents (its roadmap and policy package) -----------------------------------
# The province's Pokja prepares them; the national Pokja reviews the roadmap: its national role, or a
# coordinator without a region (the nation's). Everyone who sees the province reads them.


def can_prepare_roadmap(user: AnyUser, province_code: str) -> bool:
    return can_manage_province(user, province_code)


def can_review_roadmap(user: AnyUser, province_code: str) -> bool:
    scope = scope_for(user)
    return scope.nation and scope.role in (Role.NATIONAL, Role.COORDINATOR)
