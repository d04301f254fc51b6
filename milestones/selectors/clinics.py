"""Reads for coaching clinics, their recommendations and follow-up actions; all start from the user's scope.

Who sees what (``regencies.scoping.scope_for`` gives the scope):
- a user whose scope covers the province (national, the province's Pokja staff, its Balai, a coordinator
  of the province) sees every clinic of the province and every follow-up action;
- a user scoped to one regency (its officer) sees the clinics that covered that regency and, of their
  follow-up actions, all but another regency's: an action that concerns, or is assigned to, another
  regency (its Pokja, one of its agencies) stays hidden, as everything of another regency does.

Who may update an action (start it, close it with evidence, drop it): the province's Pokja staff
always; a regency officer when the action is assigned to their regency, or concerns their regency and
is assigned to their regency's Pokja (``may_update_action`` and ``actions_for_user`` say the same).

Roll-ups (the rules are in ``milestones.selectors.figures``, shared with the reports): completion rate =
done / (all − dropped); overdue = open or in progress past the due date. They are counted in the
database, grouped by regency or by province, in one query whatever the number of actions. An action
belongs to a regency through ``action_regency()``: the regency it concerns, else the regency it is
assigned to (directly, through the regency's Pokja or one of its agencies); an action with none of these
is the province's own.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypedDict, cast

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from milestones.models import ActionEvidence, ClinicParticipant, CoachingClinic, FollowUpAction, Recommendation
from milestones.selectors import figures as shared
from milestones.selectors.figures import FollowUpFigures, action_regency
from regencies import scoping
from regencies.models import Agency, Province, Regency, Role, WorkingGroup
from ssk_tracker.lib.users import AnyUser

Status = FollowUpAction.Status
ACTIVE = FollowUpAction.ACTIVE_STATUSES
ClinicRegency = CoachingClinic.regencies.through

# What a page shows of an action's owner and place, in one query with the action.
ACTION_RELATED = (
    "province",
    "regency",
    "assigned_regency",
    "assigned_working_group__regency",
    "assigned_agency",
    "closed_by",
)

# What an action's item shows (and ``may_update_action`` reads). A long list is read in two steps (its ids
# through the scope's filters, then these rows by id): joined to the scope's filters, all the related
# tables made PostgreSQL plan for 8–15 ms a query that runs in 1 ms.
ITEM_RELATED = ("regency", "assigned_regency", "assigned_working_group__regency", "assigned_agency")


def by_ids(ids: list[int], *related: str) -> list[FollowUpAction]:
    """The actions of these ids, in their order, with ``ITEM_RELATED`` and ``related``: one query."""
    rows = FollowUpAction.objects.filter(pk__in=ids).select_related(*ITEM_RELATED, *related).in_bulk()
    return [rows[pk] for pk in ids]


# What the pages read besides the models' fields: annotations, Prefetch(to_attr=...) lists and the marks of
# ``mark_updatable``. (``type`` aliases: WithAnnotations[...] fails at run time.)


class VisibleActions(TypedDict):
    visible_actions: list[FollowUpAction]


type ClinicRecommendation = WithAnnotations[Recommendation, VisibleActions]


class RecommendationList(TypedDict):
    recommendation_list: list[ClinicRecommendation]


type ClinicPage = WithAnnotations[CoachingClinic, RecommendationList]


class ActionCounts(TypedDict):
    action_count: int
    active_count: int
    overdue_count: int


type ListedClinic = WithAnnotations[CoachingClinic, ActionCounts]


class ClinicDates(TypedDict):
    clinic_count: int
    latest_clinic: datetime.date | None


type ClinicProvince = WithAnnotations[Province, ClinicDates]


class Marks(TypedDict):
    may_update: bool
    overdue: bool


type MarkedAction = WithAnnotations[FollowUpAction, Marks]


def _covers(clinic_ref: OuterRef, regency_code: str) -> Exists:
    return Exists(ClinicRegency.objects.filter(coachingclinic=clinic_ref, regency=regency_code))


def _not_another_regencys(code: str) -> Q:
    """Actions that do not concern, and are not assigned to, a regency other than ``code``."""
    q = Q()
    for path in ("regency", "assigned_regency", "assigned_working_group__regency", "assigned_agency__regency"):
        q &= Q(**{f"{path}__isnull": True}) | Q(**{path: code})
    return q


# --- Scope --------------------------------------------------------------------------------------------


def clinics_in_scope(user: AnyUser) -> QuerySet[CoachingClinic]:
    return clinics_in(scoping.scope_for(user))


def clinics_in(scope: scoping.Scope) -> QuerySet[CoachingClinic]:
    """The clinics a scope covers (a user's, or a report's)."""
    clinics = CoachingClinic.objects.all()
    if scope.is_empty:
        return clinics.none()
    if scope.nation:
        return clinics
    q = Q(pk__in=[])
    if scope.province_codes:
        q |= Q(province__in=sorted(scope.province_codes))
    if scope.regency_code:
        q |= Q(_covers(OuterRef("pk"), scope.regency_code))
    return clinics.filter(q)


def actions_in_scope(user: AnyUser) -> QuerySet[FollowUpAction]:
    return actions_in(scoping.scope_for(user))


def actions_in(scope: scoping.Scope) -> QuerySet[FollowUpAction]:
    """The follow-up actions a scope covers (a user's, or a report's): see the module's docstring."""
    actions = FollowUpAction.objects.all()
    if scope.is_empty:
        return actions.none()
    if scope.nation:
        return actions
    q = Q(pk__in=[])
    if scope.province_codes:
        q |= Q(province__in=sorted(scope.province_codes))
    if scope.regency_code:
        code = scope.regency_code
        q |= Q(_covers(OuterRef("recommendation__clinic"), code)) & _not_another_regencys(code)
    return actions.filter(q)


def province_for_clinics(user: AnyUser, code: str) -> Province:
    """The province whose clinics the user may look at: one they see in full, or their regency's (404 else).

    A regency officer reaches their province's clinic list (showing only their regency's clinics) and is
    refused (403, by the view) rather than hidden from the create form.
    """
    return scoping.get_or_404(scoping.visible_provinces(user), code=code)


def _may_update_q(user: AnyUser) -> Q:
    scope = scoping.scope_for(user)
    if scope.role == Role.PROVINCIAL_STAFF and scope.province_codes:
        return Q(province__in=sorted(scope.province_codes))
    if scope.role == Role.REGENCY_OFFICER and scope.regency_code:
        code = scope.regency_code
        return Q(assigned_regency=code) | (
            Q(assigned_working_group__regency=code) & (Q(regency__isnull=True) | Q(regency=code))
        )
    return Q(pk__in=[])


def may_update_action(user: AnyUser, action: FollowUpAction) -> bool:
    """Start, close or drop the action (the action has been checked for visibility)."""
    if scoping.can_manage_province(user, action.province_id):
        return True
    if action.assigned_regency is not None:  # no query when there is none
        return scoping.can_submit_updates(user, action.assigned_regency)
    group = action.assigned_working_group
    if group is not None and action.regency_id in (None, group.regency_id) and group.regency is not None:
        return scoping.can_submit_updates(user, group.regency)
    return False


def actions_for_user(user: AnyUser) -> QuerySet[FollowUpAction]:
    """The open and in-progress actions the user may act on, soonest due first: for a regency officer
    those assigned to their regency or their regency's Pokja, for the province's Pokja staff all of the
    province's; nobody else acts on follow-ups. Each comes with its clinic, owner and regency."""
    return (
        actions_in_scope(user)
        .filter(_may_update_q(user), status__in=ACTIVE)
        .select_related(*ACTION_RELATED, "recommendation__clinic")
        .order_by("due_date", "pk")
    )


# --- Clinics ------------------------------------------------------------------------------------------


def _visible_actions(user: AnyUser) -> QuerySet[FollowUpAction]:
    return actions_in_scope(user).select_related(*ITEM_RELATED).order_by("due_date", "pk")


def clinic_for_user(user: AnyUser, pk: int) -> ClinicPage:
    """One clinic with its regencies, participants and recommendations (``recommendation_list``), each
    with the follow-up actions the user may see (``visible_actions``)."""
    recommendations = Recommendation.objects.order_by("order", "pk").prefetch_related(
        Prefetch("actions", queryset=_visible_actions(user), to_attr="visible_actions")
    )
    queryset = (
        clinics_in_scope(user)
        .select_related("province", "organiser", "milestone", "minutes", "created_by")
        .prefetch_related(
            Prefetch("regencies", queryset=Regency.objects.order_by("code")),
            Prefetch("participants", queryset=ClinicParticipant.objects.select_related("agency").order_by("pk")),
            Prefetch("recommendations", queryset=recommendations, to_attr="recommendation_list"),
        )
    )
    return scoping.get_or_404(queryset, pk=pk)


def clinic_page_for_user(user: AnyUser, pk: int) -> CoachingClinic:
    """``clinic_for_user`` without the actions: the clinic page reads them with ``clinic_actions``."""
    queryset = (
        clinics_in_scope(user)
        .select_related("province", "organiser", "milestone", "minutes", "created_by")
        .prefetch_related(
            Prefetch("regencies", queryset=Regency.objects.order_by("code")),
            Prefetch("participants", queryset=ClinicParticipant.objects.select_related("agency").order_by("pk")),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.order_by("order", "pk"),
                to_attr="recommendation_list",
            ),
        )
    )
    return scoping.get_or_404(queryset, pk=pk)


# Past this many follow-up actions (in the user's view) the clinic page counts them, by recommendation and
# by regency, and lists one regency's at a time: a clinic of 38 regencies may set hundreds.
CLINIC_ACTIONS_SHOWN = 40


@dataclass(frozen=True)
class ClinicActions:
    """The clinic's actions as its page shows them. Listed: each of ``clinic.recommendation_list`` gets its
    ``visible_actions`` (of ``regency`` only, when one is chosen). Summarised (more than
    ``CLINIC_ACTIONS_SHOWN`` and no regency chosen): each recommendation gets its ``figures`` instead, and
    ``by_regency`` counts them by regency (None: the province's own)."""

    regency: Regency | None
    own: bool  # the province's own actions chosen (``?kabkota=provinsi``)
    summarised: bool
    by_regency: list[tuple[Regency | None, FollowUpFigures]]
    # The clinic's figures, when counted here (``clinic_actions`` with no ``total``).
    figures: FollowUpFigures | None = None

    @property
    def chosen(self) -> bool:
        return self.own or self.regency is not None


def clinic_actions(
    user: AnyUser,
    clinic: CoachingClinic,
    total: int | None,
    *,
    regency: Regency | None = None,
    own: bool = False,
    today: datetime.date | None = None,
    carried: "CarriedOver | None" = None,
    by_recommendation: dict[int, FollowUpFigures] | None = None,
) -> ClinicActions:
    """The clinic's follow-up actions the user sees, listed or summarised (``total``: how many, from
    ``clinic_figures``): one query listed, three summarised. ``clinic`` comes from ``clinic_page_for_user``;
    ``carried`` from ``carried_over(read_rows=False)``: its shown rows are read here, listed with the
    clinic's own in the same query (each query costs a round trip and its planning). ``by_recommendation``:
    ``clinic_figures_by_recommendation`` when already read (the summary then costs one query less).
    ``total`` None (no regency chosen, not yet counted): the whole clinic is read as if listed, at most
    one more than are shown; when that is all of it, its ``figures`` are counted from those rows (one
    query in all), else it is summarised (four)."""
    today = today or timezone.localdate()
    carried_ids = carried.ids if carried is not None and not carried.actions else []
    actions = actions_in_scope(user).filter(recommendation__clinic=clinic)
    recommendations = cast(list[ClinicRecommendation], clinic.recommendation_list)  # type: ignore[attr-defined]
    if total is None:
        assert regency is None and not own  # a chosen area's list does not hold the clinic's figures
        # Enough rows to know whether the clinic has more than are shown: the carried ones may all come first.
        limit = CLINIC_ACTIONS_SHOWN + len(carried_ids) + 1
        read = mark_updatable(user, _listed_query(actions, clinic, carried_ids)[:limit], today=today)
        shown = set(carried_ids)
        own_rows = [action for action in read if action.pk not in shown]
        if len(own_rows) <= CLINIC_ACTIONS_SHOWN:  # then fewer than limit: every action of the clinic is read
            _distribute(read, shown, carried, recommendations)
            return ClinicActions(None, False, False, [], shared.follow_ups_of_rows(own_rows, today))
        total = len(own_rows)
    if regency is None and not own and total > CLINIC_ACTIONS_SHOWN:
        if by_recommendation is None:
            by_recommendation = shared.follow_ups_by_recommendation(actions, today)
        figures = FollowUpFigures.summed(by_recommendation.values())
        for recommendation in recommendations:
            recommendation.visible_actions = []
            recommendation.figures = by_recommendation.get(recommendation.pk, FollowUpFigures())  # type: ignore[attr-defined]
        regencies = {r.code: r for r in clinic.regencies.all()}
        counted = figures_by_regency(actions, today=today)
        rows = [
            (regencies.get(code) if code else None, counted[code]) for code in sorted(counted, key=lambda c: c or "")
        ]
        if carried_ids:
            assert carried is not None
            carried.actions.extend(mark_updatable(user, by_ids(carried_ids, "recommendation__clinic"), today=today))
        return ClinicActions(None, False, True, rows, figures)
    if regency is not None:
        actions = belonging_to(actions, regency.code)
    elif own:
        actions = actions.alias(belongs_to=action_regency()).filter(belongs_to__isnull=True)
    shown = set(carried_ids)
    marked = mark_updatable(user, _listed_query(actions, clinic, carried_ids), today=today)
    _distribute(marked, shown, carried, recommendations)
    return ClinicActions(regency, own, False, [])


def _listed_query(
    actions: QuerySet[FollowUpAction], clinic: CoachingClinic, carried_ids: list[int]
) -> QuerySet[FollowUpAction]:
    # Both kinds are of the clinic's province (an action's is copied from its clinic; the carry-over's are
    # filtered by it): saying so lets PostgreSQL read them by the province's index, not scan every action.
    both = FollowUpAction.objects.filter(
        Q(pk__in=actions.values("pk")) | Q(pk__in=carried_ids), province=clinic.province_id
    )
    return both.select_related(*ITEM_RELATED, "recommendation__clinic").order_by("due_date", "pk")


def _distribute(
    marked: list[MarkedAction],
    shown: set[int],
    carried: "CarriedOver | None",
    recommendations: list[ClinicRecommendation],
) -> None:
    listed: dict[int, list[MarkedAction]] = {}
    for action in marked:
        if action.pk in shown:  # from an earlier clinic, in the carry-over's order (soonest due first)
            assert carried is not None
            carried.actions.append(action)
        else:
            listed.setdefault(action.recommendation_id, []).append(action)
    for recommendation in recommendations:
        recommendation.visible_actions = cast(list[FollowUpAction], listed.get(recommendation.pk, []))


def clinic_minutes_for_user(user: AnyUser, pk: int) -> CoachingClinic:
    return scoping.get_or_404(clinics_in_scope(user).select_related("minutes"), pk=pk)


def _count_actions(actions: QuerySet[FollowUpAction], **filters: object) -> Coalesce:
    """A subquery: how many of ``actions`` belong to the outer clinic (0 when none)."""
    counted = (
        actions.filter(recommendation__clinic=OuterRef("pk"), **filters)
        .order_by()
        .values("recommendation__clinic")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def province_clinics(
    user: AnyUser,
    province: Province,
    *,
    year: int | None = None,
    regency_code: str | None = None,
    today: datetime.date | None = None,
) -> QuerySet[ListedClinic]:
    """The province's clinics in the user's scope, newest first, each with its regencies and counts of the
    follow-up actions the user may see: ``action_count``, ``active_count``, ``overdue_count``."""
    today = today or timezone.localdate()
    clinics = clinics_in_scope(user).filter(province=province)
    if year:
        clinics = clinics.filter(date__year=year)
    if regency_code:
        clinics = clinics.filter(_covers(OuterRef("pk"), regency_code))
    actions = actions_in_scope(user)
    return (
        clinics.select_related("milestone")
        .annotate(
            action_count=_count_actions(actions),
            active_count=_count_actions(actions, status__in=ACTIVE),
            overdue_count=_count_actions(actions.filter(FollowUpAction.overdue_q(today))),
        )
        .order_by("-date", "-pk")
    )


def covered_regency_names(clinics: Iterable[CoachingClinic]) -> dict[int, str]:
    """{clinic id: "Kab. A, Kota B, …"} (in code order): one query of names, no Regency instances (a list
    of 7 clinics of 38 regencies each would build 266)."""
    names: dict[int, list[str]] = {}
    rows = ClinicRegency.objects.filter(coachingclinic__in=[clinic.pk for clinic in clinics])
    for clinic_id, name in rows.order_by("regency__code").values_list("coachingclinic_id", "regency__name"):
        names.setdefault(clinic_id, []).append(name)
    return {clinic_id: ", ".join(listed) for clinic_id, listed in names.items()}


def clinic_years(user: AnyUser, province: Province) -> list[int]:
    return [d.year for d in clinics_in_scope(user).filter(province=province).dates("date", "year", order="DESC")]


def provinces_with_clinics(user: AnyUser) -> QuerySet[ClinicProvince]:
    """The provinces the user sees in full, each with ``clinic_count`` and ``latest_clinic`` (a date)."""
    return (
        scoping.visible_provinces(user)
        .annotate(clinic_count=Count("coaching_clinics"), latest_clinic=Max("coaching_clinics__date"))
        .order_by("code")
    )


def carried_over_actions(
    user: AnyUser, clinic: CoachingClinic, *, regency: Regency | None = None
) -> QuerySet[FollowUpAction]:
    """Actions still open or in progress from earlier clinics (an earlier date) that covered any of this
    clinic's regencies (or ``regency``, one of them), leaving out those that belong to a regency this clinic
    did not cover. ``clinic`` comes from ``clinic_for_user`` (its regencies prefetched)."""
    codes = [regency.code] if regency is not None else [r.code for r in clinic.regencies.all()]
    if not codes:
        return FollowUpAction.objects.none()
    shared = ClinicRegency.objects.filter(coachingclinic=OuterRef("recommendation__clinic"), regency__in=codes)
    return (
        actions_in_scope(user)
        .filter(
            Exists(shared),
            status__in=ACTIVE,
            province=clinic.province_id,
            recommendation__clinic__date__lt=clinic.date,
        )
        .alias(belongs_to=action_regency())
        .filter(Q(belongs_to__isnull=True) | Q(belongs_to__in=codes))
        .select_related(*ACTION_RELATED, "recommendation__clinic")
        .order_by("due_date", "pk")
    )


# The clinic page lists this many of the actions still open from earlier clinics (the soonest due) and,
# when there are more, counts them all by regency: 7 clinics × 38 regencies would list hundreds.
CARRIED_OVER_SHOWN = 10


@dataclass(frozen=True)
class CarriedOverArea:
    """A regency's (``regency`` None: the province's own) count of actions carried over to a clinic."""

    regency: Regency | None
    active: int
    overdue: int


@dataclass(frozen=True)
class CarriedOver:
    """What is still open from earlier clinics: the soonest due (at most ``CARRIED_OVER_SHOWN``), how many
    there are in all, and, when that is more than shown, their count by regency."""

    actions: list[MarkedAction]  # filled by ``clinic_actions`` when ``carried_over`` left them to it
    total: int
    by_regency: list[CarriedOverArea]
    ids: list[int] = field(default_factory=list)  # of the actions shown

    @property
    def is_summarised(self) -> bool:
        return self.total > len(self.ids)


def carried_over(
    user: AnyUser,
    clinic: CoachingClinic,
    *,
    regency: Regency | None = None,
    today: datetime.date | None = None,
    read_rows: bool = True,
) -> CarriedOver:
    """``carried_over_actions`` for the clinic page: two queries, however many there are (the first reads
    three columns of each, soonest due first: a few hundred at most). ``read_rows=False``: one, leaving
    the shown rows to ``clinic_actions``, which reads them with the clinic's own."""
    today = today or timezone.localdate()
    actions = carried_over_actions(user, clinic, regency=regency)
    rows = list(actions.annotate(area=action_regency()).values_list("pk", "area", "due_date"))
    if not rows:
        return CarriedOver([], 0, [])
    counted: dict[str | None, list[int]] = {}  # {regency code: [active, overdue]}
    for _, area, due_date in rows:
        counts = counted.setdefault(area, [0, 0])
        counts[0] += 1
        counts[1] += due_date < today  # all are open or in progress: FollowUpAction.is_overdue
    ids = [pk for pk, _, _ in rows[:CARRIED_OVER_SHOWN]]
    shown = mark_updatable(user, by_ids(ids, "recommendation__clinic"), today=today) if read_rows else []
    total = len(rows)
    regencies = {r.code: r for r in clinic.regencies.all()}  # prefetched
    by_regency = [
        CarriedOverArea(regencies.get(code) if code else None, active, overdue)
        for code, (active, overdue) in sorted(counted.items(), key=lambda item: item[0] or "")
    ]
    return CarriedOver(shown, total, by_regency if total > len(ids) else [], ids)


def recommendation_for_user(user: AnyUser, pk: int) -> Recommendation:
    recommendations = Recommendation.objects.filter(clinic__in=clinics_in_scope(user).values("pk"))
    return scoping.get_or_404(
        recommendations.select_related("clinic__province").prefetch_related(
            Prefetch("clinic__regencies", queryset=Regency.objects.order_by("code"))
        ),
        pk=pk,
    )


# --- Follow-up actions --------------------------------------------------------------------------------


def action_for_user(user: AnyUser, pk: int) -> FollowUpAction:
    evidence = ActionEvidence.objects.select_related("blob", "uploaded_by").order_by("uploaded_at", "pk")
    queryset = (
        actions_in_scope(user)
        .select_related(*ACTION_RELATED, "recommendation__clinic__province")
        .prefetch_related(
            Prefetch("evidence_files", queryset=evidence),
            # The report deliveries that answer the action (reports.ReportDelivery.follow_up_action).
            "report_deliveries__job__regency",
            "report_deliveries__job__province",
            "report_deliveries__province",
            "report_deliveries__balai",
            "report_deliveries__acknowledged_by",
        )
    )
    return scoping.get_or_404(queryset, pk=pk)


def action_evidence_for_user(user: AnyUser, pk: int) -> ActionEvidence:
    items = ActionEvidence.objects.filter(action__in=actions_in_scope(user).values("pk")).select_related("blob")
    return scoping.get_or_404(items, pk=pk)


def regency_actions(
    user: AnyUser, regency: Regency, *, base: QuerySet[FollowUpAction] | None = None
) -> QuerySet[FollowUpAction]:
    """The regency's follow-up actions (see ``action_regency``) that the user may see: open and in
    progress first (soonest due first), then done and dropped (latest closed first). ``base``: those
    actions already filtered (``regency_base``), when the caller builds them once for several reads."""
    return (
        (base if base is not None else regency_base(user, regency))
        # What the section shows and ``may_update_action`` reads: not the province nor who closed it.
        .select_related(
            "regency",
            "assigned_regency",
            "assigned_working_group__regency",
            "assigned_agency",
            "recommendation__clinic",
        )
        .annotate(
            closed_rank=Case(When(status__in=ACTIVE, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("closed_rank", "due_date", "-closed_at", "pk")
    )


def mark_updatable(
    user: AnyUser, actions: Iterable[FollowUpAction], *, today: datetime.date | None = None
) -> list[MarkedAction]:
    """The actions as a list, each marked ``may_update`` (``may_update_action``) and ``overdue``, so a
    template only shows what the view decided."""
    marked = cast(list[MarkedAction], list(actions))  # each gets its marks here
    today = today or timezone.localdate()
    for action in marked:
        action.may_update = may_update_action(user, action)
        action.overdue = action.is_overdue(today)
    return marked


# The regency page lists at most this many actions (open ones first); the figures count them all, each
# action links its clinic, and the province's clinic list (filtered by the regency) has every clinic.
REGENCY_ACTIONS = 10


@dataclass(frozen=True)
class RegencySection:
    """The regency page's follow-up actions and their figures, fetched before rendering."""

    actions: list[MarkedAction]
    figures: FollowUpFigures

    @property
    def unlisted_actions(self) -> int:
        """Actions the figures count that the section does not list (beyond ``REGENCY_ACTIONS``)."""
        return max(0, self.figures.total - len(self.actions))


def regency_section(user: AnyUser, regency: Regency, *, today: datetime.date | None = None) -> RegencySection:
    """The regency's actions the user may see and their figures (two queries, however many actions; the
    list is capped, the figures are not)."""
    today = today or timezone.localdate()
    # Every visible action of the regency is read (cut in Python, not with LIMIT: on these nine joins a
    # LIMIT makes PostgreSQL's planner search for a fast-start plan for ~25 ms, while a regency's own
    # actions are few rows). The figures then count those same rows in Python: the scope's joins are
    # built, compiled and planned once, and no second round trip is made. The three joins to regencies
    # are left out (they took PostgreSQL ~0.8 ms to plan on every page): ``_with_regencies`` fills them.
    actions = list(
        regency_actions(user, regency)
        .select_related(None)
        .select_related("assigned_working_group", "assigned_agency", "recommendation__clinic")
    )
    listed = _with_regencies(actions[:REGENCY_ACTIONS], regency)
    return RegencySection(
        actions=mark_updatable(user, listed, today=today),
        figures=shared.follow_ups_of_rows(actions, today),
    )


def _with_regencies(actions: list[FollowUpAction], regency: Regency) -> list[FollowUpAction]:
    """The actions with their regency, assigned regency and assigned Pokja's regency set, as
    ``select_related`` would: the page's own regency for the rows naming it (almost all: an action
    belonging to the regency names it first), the others read in one query only when a row names one."""
    groups = [action.assigned_working_group for action in actions if action.assigned_working_group is not None]
    codes = {action.regency_id for action in actions} | {action.assigned_regency_id for action in actions}
    codes |= {group.regency_id for group in groups}
    others = codes - {None, regency.code}
    known = {regency.code: regency}
    if others:
        known |= {other.code: other for other in Regency.objects.filter(code__in=others)}
    for action in actions:
        action.regency = known.get(action.regency_id) if action.regency_id else None
        action.assigned_regency = known.get(action.assigned_regency_id) if action.assigned_regency_id else None
    for group in groups:
        group.regency = known.get(group.regency_id) if group.regency_id else None
    return actions


# --- Who may own an action, who may organise a clinic -------------------------------------------------


def clinic_organisers(province: Province) -> QuerySet[WorkingGroup]:
    """Pokja that may organise a clinic of the province: the national one, the province's, its regencies'."""
    return WorkingGroup.objects.filter(
        Q(level=WorkingGroup.Level.NATIONAL) | Q(province=province) | Q(regency__province=province)
    ).order_by("level", "name")


def province_agencies(province: Province) -> QuerySet[Agency]:
    """Agencies a participant may come from: national ones, the province's and its regencies', each with
    its province and regency (their names label it: fourteen "Bappeda" differ only by regency), national
    first, then the province's, then by regency."""
    return (
        Agency.objects.filter(
            Q(province__isnull=True, regency__isnull=True) | Q(province=province) | Q(regency__province=province)
        )
        .select_related("province", "regency")
        .order_by(F("regency_id").asc(nulls_first=True), F("province_id").asc(nulls_first=True), "name", "pk")
    )


# --- Clinic numbers -----------------------------------------------------------------------------------


def proposed_clinic_number(province: Province) -> int:
    """The number a new clinic of the province most likely has: one more than the highest of the year of its
    latest clinic (a series runs CC1–CC7 in order and spans years: CC5 in 2022, CC6 in 2023), 1 after CC7
    or for a province without clinics. One query."""
    latest = CoachingClinic.objects.filter(province=province).order_by("-date", "-pk").values("date").first()
    if latest is None:
        return 1
    highest = (
        CoachingClinic.objects.filter(province=province, date__year=latest["date"].year).aggregate(n=Max("number"))["n"]
        or 0
    )
    return highest + 1 if highest < 7 else 1


def clinic_with_number(
    province: Province, *, number: int, year: int, regency_codes: Iterable[str], exclude_pk: int | None = None
) -> CoachingClinic | None:
    """Another clinic of the province with this number in this year that covered one of these regencies: the
    number is taken (CC2 is held at each regency, so the same number for other regencies is not)."""
    clinics = CoachingClinic.objects.filter(
        province=province, number=number, date__year=year, regencies__in=sorted(regency_codes)
    )
    if exclude_pk is not None:
        clinics = clinics.exclude(pk=exclude_pk)
    return clinics.order_by("date", "pk").first()


def action_owners(province_code: str, regency_codes: Iterable[str]) -> tuple[list[WorkingGroup], list[Agency]]:
    """(Pokja, agencies) an action of a clinic may be assigned to, besides the regencies it covered: the
    national Pokja, the province's and the covered regencies' Pokja; national agencies, the province's
    and the covered regencies'. Two queries."""
    codes = sorted(regency_codes)
    groups = WorkingGroup.objects.filter(
        Q(level=WorkingGroup.Level.NATIONAL) | Q(province=province_code) | Q(regency__in=codes)
    ).order_by("level", "name")
    agencies = (
        Agency.objects.filter(
            Q(regency__in=codes)
            | Q(regency__isnull=True, province=province_code)
            | Q(regency__isnull=True, province__isnull=True)
        )
        .select_related("province", "regency")
        .order_by("name")
    )
    return list(groups), list(agencies)


# --- Roll-ups -----------------------------------------------------------------------------------------


def figures(actions: QuerySet[FollowUpAction], *, today: datetime.date | None = None) -> FollowUpFigures:
    """The figures of a queryset of actions: one query."""
    return shared.follow_ups(actions, today or timezone.localdate())


def figures_by_regency(
    actions: QuerySet[FollowUpAction], *, today: datetime.date | None = None
) -> dict[str | None, FollowUpFigures]:
    """{regency code (None for the province's own actions): figures}: one grouped query."""
    return shared.follow_ups_by_regency(actions, today or timezone.localdate())


def clinic_figures(user: AnyUser, clinic: CoachingClinic, *, today: datetime.date | None = None) -> FollowUpFigures:
    """The figures of the clinic's follow-up actions that the user sees: one query."""
    return figures(actions_in_scope(user).filter(recommendation__clinic=clinic), today=today)


def clinic_figures_by_recommendation(
    user: AnyUser, clinic: CoachingClinic, *, today: datetime.date | None = None
) -> dict[int, FollowUpFigures]:
    """{recommendation id: figures} of the clinic's actions that the user sees: one grouped query. Every
    action has one recommendation, so their sum (``FollowUpFigures.summed``) is ``clinic_figures``: the
    clinic page reads both in this one query, and its summary of a long clinic reuses it."""
    actions = actions_in_scope(user).filter(recommendation__clinic=clinic)
    return shared.follow_ups_by_recommendation(actions, today or timezone.localdate())


def regency_base(user: AnyUser, regency: Regency) -> QuerySet[FollowUpAction]:
    """The regency's follow-up actions (``belonging_to``) that the user may see, unordered. Every action of a
    regency is one of its province's clinics' (the province filter only lets PostgreSQL use the province's
    index instead of walking every regency-less action of the nation)."""
    return belonging_to(actions_in_scope(user).filter(province=regency.province_id), regency.code)


def regency_figures(
    user: AnyUser,
    regency: Regency,
    *,
    today: datetime.date | None = None,
    base: QuerySet[FollowUpAction] | None = None,
) -> FollowUpFigures:
    return figures(base if base is not None else regency_base(user, regency), today=today)


def follow_ups_of(scope: scoping.Scope) -> QuerySet[FollowUpAction]:
    """The actions whose figures a scope's pages show: for one regency its own (``belonging_to``), as the
    regency page counts them; for provinces or the nation every action of them, as the province dashboard
    and the national overview do."""
    actions = actions_in(scope)
    if scope.regency_code and not (scope.nation or scope.province_codes):
        return belonging_to(actions, scope.regency_code)
    return actions


def belonging_to(actions: QuerySet[FollowUpAction], regency_code: str) -> QuerySet[FollowUpAction]:
    """Of ``actions``, those that belong to the regency (``action_regency``)."""
    return actions.alias(belongs_to=action_regency()).filter(belongs_to=regency_code)


def province_follow_ups(
    user: AnyUser, province: Province, *, today: datetime.date | None = None
) -> dict[str | None, FollowUpFigures]:
    """The province's figures by regency (None: the province's own actions), one query."""
    return figures_by_regency(actions_in_scope(user).filter(province=province), today=today)
