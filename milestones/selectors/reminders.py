"""Reminders that know status: what needs a user's attention today, and the daily digest e-mail.

``tasks(user, today, mode=…)`` reads (it writes nothing) and is the ONE list behind the home page, the "my
tasks" page and the digest, in one of two modes:

- ``Mode.NOW`` (the home page and "my tasks"): what is open now, whatever its age: every returned update
  (with the reviewer's reason), every draft, every submitted update waiting for the province's review
  (oldest first), so that an officer sees a return the moment it happens;
- ``Mode.DIGEST`` (the daily e-mail, and the default): what has gone stale, by the thresholds below, so
  that the e-mail reminds rather than repeats the home page every morning.

The two modes differ only in the ``returned``, ``draft`` and provincial ``review`` thresholds; every other
rule (and the escalation of a review to the Balai and the nation) is the same in both. Each
rule's pending rows with the area each belongs to (one query a rule), so that a long list (more than
``LIST_LIMIT``) for a user who sees several areas is summarised the same way on the page and in the
e-mail, the nation's by province and a province's by regency, and a page of it read by id.
``pending_items(user, today)`` lists them all. Days are calendar days in the site's time zone (WIB); the
thresholds are settings:

- ``follow_up``: a follow-up action, open or in progress, overdue or due within
  ``REMINDER_FOLLOW_UP_DUE_DAYS`` (7) days → the officers of the assigned regency or of the regency whose
  Pokja is assigned, and the provincial Pokja staff of the action's province;
- ``returned``: an update returned by the province and not resubmitted ``REMINDER_RETURNED_STALE_DAYS`` (7)
  days after the return (in ``Mode.NOW``: at once) → its author, while a regency officer (only officers write updates);
- ``draft``: an update draft untouched (``updated_at``) for ``REMINDER_DRAFT_STALE_DAYS`` (14) days (in
  ``Mode.NOW``: every draft) → its author, while a regency officer;
- ``review``: a submitted update waiting more than ``REMINDER_REVIEW_WAIT_DAYS`` (7) days, i.e. from day 8
  as the review queue's red flag (in ``Mode.NOW``: from its submission) → the provincial Pokja staff of its
  province; from ``REMINDER_REVIEW_ESCALATE_DAYS`` (14) days, an escalation → also the province's Balai
  staff and the national Pokja PPAS users (both modes);
- ``late``: a current milestone (``figures.current_milestones``) late by ``Milestone.late_q`` or planned
  within ``REMINDER_LATE_DUE_DAYS`` (14) days, not verified, with NO update submitted and waiting for
  review (a draft does not count: the province has nothing to act on) → the regency's officers and the
  provincial Pokja staff of its province;
- ``qa_waiting``: an SSK document in provincial quality assurance → the provincial Pokja staff of its
  province, oldest first;
- ``nawasis_waiting``: a regency's latest NAWASIS entry of a module (``figures.latest_submissions``) not
  yet verified → the provincial Pokja staff of its province, oldest first;
- ``behind``: a province falling behind: its share of late current milestones (``figures.milestone_counts``,
  the dashboards' count) above the nation's share → the Balai staff of that province and the national
  Pokja PPAS users;
- ``closing_waiting``: a follow-up action's closing (``FollowUpClosing``) submitted and not yet accepted or
  returned → the provincial Pokja staff of the action's province (the organiser), the longest waiting first;
- ``closing_returned``: an action's latest closing returned by the province, the action not closed again →
  who may close it (the officers of the assigned regency or of the regency whose Pokja is assigned);
- ``indicator_waiting``: an outcome indicator's yearly actual (``IndicatorActual``) submitted and not yet
  verified or returned → the provincial Pokja staff of its regency's province, the longest waiting first;
- ``indicator_returned``: an actual returned by the province, not submitted again → the regency's officers;
- ``undelivered``: the report for the last year due (``reports.deliveries.due_year``: year Y from
  ``REPORT_DELIVERY_DUE_DAY`` (15) January of Y + 1) not yet delivered to every recipient → the regency's
  officers for their regency's report, the provincial Pokja staff for their province's own report;
  never for a year before ``REPORT_DELIVERY_FIRST_YEAR`` (2023), when deliveries were not recorded.

Everything a user is reminded of also lies in their scope (``regencies.scoping``).

The daily job (``send_daily_reminders``, Celery beat at 07:00 WIB) sends each person at most ONE digest
a day: it claims the day by creating ``ReminderDigest(user, day)`` (unique per user and day) and queues
the e-mail only after that row commits; a second or concurrent run fails to create the row and skips.
The e-mail task in turn claims the send (``sent_at``) before sending, so a redelivered task sends nothing.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, overload

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django_stubs_ext import StrOrPromise

from milestones.models import (
    DakReadiness,
    FollowUpAction,
    FollowUpClosing,
    IndicatorActual,
    Milestone,
    MilestoneUpdate,
    NawasisSubmission,
    ProvincialRoadmap,
    ReviewState,
    SSKDocument,
)
from milestones.selectors import figures
from milestones.selectors.figures import action_regency
from regencies import scoping
from regencies.models import Province, Regency, Role
from ssk_tracker.lib.dates import days_since, local_day
from ssk_tracker.lib.users import AnyUser, User

UpdateStatus = MilestoneUpdate.Status


class Rule(models.TextChoices):
    # In the order the page and the e-mail list them.
    FOLLOW_UP = "follow_up", _("Follow-up actions due soon or overdue")
    CLOSING_RETURNED = "closing_returned", _("Follow-up closings returned by the province, to close again")
    CLOSING_WAITING = "closing_waiting", _("Follow-up closings waiting for your acceptance")
    DAK_RETURNED = "dak_returned", _("DAK readiness documents returned by the Balai, to correct and submit again")
    DAK_WAITING = "dak_waiting", _("DAK readiness documents waiting for your verification")
    INDICATOR_RETURNED = "indicator_returned", _("Indicator actuals returned by the province, to correct")
    INDICATOR_WAITING = "indicator_waiting", _("Indicator actuals waiting for your verification")
    RETURNED = "returned", _("Returned updates to revise and resubmit")
    DRAFT = "draft", _("Drafts to finish and submit")
    REVIEW = "review", _("Updates waiting for review")
    LATE = "late", _("Milestones late or due soon with no update submitted")
    QA_WAITING = "qa_waiting", _("SSK documents waiting for quality assurance")
    NAWASIS_WAITING = "nawasis_waiting", _("NAWASIS entries waiting for verification")
    BEHIND = "behind", _("Provinces falling behind")
    UNDELIVERED = "undelivered", _("Reports for the period not yet delivered")
    # The province's own documents: its roadmap, reviewed by the national Pokja.
    ROADMAP_WAITING = "roadmap_waiting", _("Provincial roadmaps waiting for the national review")
    ROADMAP_RETURNED = "roadmap_returned", _("The province's roadmap returned by the national Pokja")


class Mode(models.TextChoices):
    """Which list ``tasks`` reads: what is open now (home, "my tasks") or what has gone stale (the digest)."""

    NOW = "now", _("Open now")
    DIGEST = "digest", _("Gone stale")


@dataclass(frozen=True)
class ProvinceBehind:
    """A province whose share of late current milestones is above the nation's (``Rule.BEHIND``)."""

    code: str
    name: str
    late: int
    milestones: int  # its current milestones
    national_share: float  # the nation's late share, 0–1

    @property
    def share(self) -> float:
        return self.late / self.milestones if self.milestones else 0.0


@dataclass(frozen=True)
class UndeliveredReport:
    """A regency's (or a province's own) report for ``year`` that some recipients have not received."""

    year: int
    regency: Regency | None
    province_code: str
    province_name: str
    missing: tuple[str, ...]  # the recipients' names


type TaskObject = (
    FollowUpAction
    | FollowUpClosing
    | DakReadiness
    | IndicatorActual
    | MilestoneUpdate
    | UndeliveredReport
    | Milestone
    | SSKDocument
    | ProvincialRoadmap
    | NawasisSubmission
    | ProvinceBehind
)


@dataclass(frozen=True)
class PendingItem:
    rule: Rule
    obj: TaskObject
    # The due date (follow-ups), the planned date (late milestones), or the day it was last edited / returned /
    # submitted / entered.
    since: datetime.date
    days: int  # days overdue / late (negative: days left before the date), or days untouched / waiting

    @property
    def is_action(self) -> bool:
        return self.rule == Rule.FOLLOW_UP

    # A follow-up item holds an action, every other item an update: the properties below tell them apart by
    # the object's type, which the type checker follows.

    @property
    def regency(self) -> Regency | None:
        if isinstance(self.obj, DakReadiness):
            return self.obj.budget_line.activity.regency
        if isinstance(self.obj, (FollowUpAction, FollowUpClosing)):
            action = self.obj if isinstance(self.obj, FollowUpAction) else self.obj.action
            group = action.assigned_working_group
            return action.regency or action.assigned_regency or (group.regency if group else None)
        if isinstance(self.obj, IndicatorActual):
            return self.obj.indicator.regency
        if isinstance(self.obj, UndeliveredReport):
            return self.obj.regency
        if isinstance(self.obj, (Milestone, SSKDocument, NawasisSubmission)):
            return self.obj.regency
        if isinstance(self.obj, (ProvinceBehind, ProvincialRoadmap)):
            return None
        return self.obj.milestone.regency

    @property
    def reason(self) -> str:
        """The reviewer's reason for a returned update or closing ("" otherwise)."""
        if isinstance(self.obj, (MilestoneUpdate, FollowUpClosing, DakReadiness, IndicatorActual, ProvincialRoadmap)):
            return self.obj.return_reason
        return ""

    @property
    def title(self) -> str:
        if isinstance(self.obj, DakReadiness):
            activity = self.obj.budget_line.activity
            return f"DAK {self.obj.budget_line.year} · {activity.code} {activity.name}"
        if isinstance(self.obj, FollowUpAction):
            return self.obj.description
        if isinstance(self.obj, FollowUpClosing):
            return self.obj.action.description
        if isinstance(self.obj, IndicatorActual):
            return f"{self.obj.indicator.definition.label} {self.obj.year}"
        if isinstance(self.obj, UndeliveredReport):
            return str(_("Report for %(year)s to %(recipients)s")) % {
                "year": self.obj.year,
                "recipients": ", ".join(self.obj.missing),
            }
        if isinstance(self.obj, Milestone):
            return f"{self.obj.definition.code} · {self.obj.definition.name}"
        if isinstance(self.obj, SSKDocument):
            return f"SSK {self.obj.period_start}–{self.obj.period_end}"
        if isinstance(self.obj, NawasisSubmission):
            return f"NAWASIS · {self.obj.get_module_display()}"
        if isinstance(self.obj, ProvincialRoadmap):
            return f"Roadmap {self.obj.period_start}–{self.obj.period_end}"
        if isinstance(self.obj, ProvinceBehind):
            return str(_("%(late)d of %(count)d milestones late (%(share)d%%; nationally %(national)d%%)")) % {
                "late": self.obj.late,
                "count": self.obj.milestones,
                "share": round(self.obj.share * 100),
                "national": round(self.obj.national_share * 100),
            }
        definition = self.obj.milestone.definition
        return f"{definition.code} · {definition.name}"

    @property
    def context_label(self) -> str:
        """Where the item comes from: the clinic, or the regency."""
        if isinstance(self.obj, DakReadiness):
            return self.obj.budget_line.activity.regency.name
        if isinstance(self.obj, (FollowUpAction, FollowUpClosing)):
            action = self.obj if isinstance(self.obj, FollowUpAction) else self.obj.action
            clinic = action.recommendation.clinic
            return f"CC{clinic.number} · {clinic.title}"
        if isinstance(self.obj, IndicatorActual):
            return self.obj.indicator.regency.name
        if isinstance(self.obj, UndeliveredReport):
            return self.obj.regency.name if self.obj.regency else self.obj.province_name
        if isinstance(self.obj, (Milestone, SSKDocument, NawasisSubmission)):
            return self.obj.regency.name
        if isinstance(self.obj, ProvinceBehind):
            return self.obj.name
        if isinstance(self.obj, ProvincialRoadmap):
            return self.obj.province.name
        return self.obj.milestone.regency.name

    def get_absolute_url(self) -> str:
        if isinstance(self.obj, DakReadiness):
            return reverse("dak_line", args=[self.obj.budget_line_id])
        if isinstance(self.obj, FollowUpAction):
            return self.obj.recommendation.clinic.get_absolute_url()
        if isinstance(self.obj, FollowUpClosing):
            return reverse("follow_up", args=[self.obj.action_id])
        if isinstance(self.obj, IndicatorActual):
            return reverse("actual_detail", args=[self.obj.pk])
        if isinstance(self.obj, UndeliveredReport):
            return reverse("reports")
        if isinstance(self.obj, Milestone):
            return self.obj.get_absolute_url()
        if isinstance(self.obj, SSKDocument):
            return reverse("document_review", args=[self.obj.pk])  # the QA form
        if isinstance(self.obj, NawasisSubmission):
            return reverse("nawasis_regency", args=[self.obj.regency_id])  # its "verify" button is there
        if isinstance(self.obj, ProvinceBehind):
            return reverse("province", args=[self.obj.code])
        if isinstance(self.obj, ProvincialRoadmap):
            return reverse("province_documents", args=[self.obj.province_id])
        return f"{self.obj.milestone.get_absolute_url()}#update-{self.obj.pk}"

    @property
    def status_text(self) -> str:
        days = self.days
        if self.rule == Rule.FOLLOW_UP:
            if days > 0:
                return ngettext("overdue by %(n)d day", "overdue by %(n)d days", days) % {"n": days}
            if days == 0:
                return str(_("due today"))
            return ngettext("due in %(n)d day", "due in %(n)d days", -days) % {"n": -days}
        if self.rule == Rule.DRAFT:
            return ngettext("untouched for %(n)d day", "untouched for %(n)d days", days) % {"n": days}
        if self.rule in (
            Rule.RETURNED,
            Rule.CLOSING_RETURNED,
            Rule.DAK_RETURNED,
            Rule.INDICATOR_RETURNED,
            Rule.ROADMAP_RETURNED,
        ):
            return ngettext("returned %(n)d day ago", "returned %(n)d days ago", days) % {"n": days}
        if self.rule == Rule.LATE:
            if days > 0:
                return ngettext("late by %(n)d day", "late by %(n)d days", days) % {"n": days}
            if days == 0:
                return str(_("due today"))
            return ngettext("due in %(n)d day", "due in %(n)d days", -days) % {"n": -days}
        if self.rule == Rule.BEHIND:
            return str(_("falling behind"))
        if self.rule == Rule.UNDELIVERED:
            if days == 0:
                return str(_("due today"))
            return ngettext("due %(n)d day ago", "due %(n)d days ago", days) % {"n": days}
        return ngettext("waiting for %(n)d day", "waiting for %(n)d days", days) % {"n": days}

    @property
    def is_late(self) -> bool:
        return self.days > 0 if self.rule in (Rule.FOLLOW_UP, Rule.LATE) else True


@dataclass(frozen=True)
class Group:
    rule: Rule
    items: list[PendingItem]

    @property
    def label(self) -> StrOrPromise:
        return self.rule.label


def _setting(name: str) -> int:
    return int(getattr(settings, name))


def _tz() -> datetime.tzinfo:
    return timezone.get_default_timezone()


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=_tz())


def _before_day(today: datetime.date, days: int) -> datetime.datetime:
    """Timestamps before this moment are at least ``days`` calendar days old on ``today``."""
    return _start_of(today - datetime.timedelta(days=days - 1))


# A long list is summarised: the nation's by province, a province's by regency (the province's own items
# under the province's code), each area linking to its own list, which is paged (``Tasks``).
LIST_LIMIT = 40


class Level(models.TextChoices):
    PROVINCE = "province", pgettext_lazy("tasks grouped by", "Province")
    REGENCY = "regency", pgettext_lazy("tasks grouped by", "Regency/city")


type Key = tuple[Any, str]  # a row's pk (an undelivered report's index) and its area code


@dataclass(frozen=True)
class Source:
    """One rule's pending objects, in the list's order: a queryset (its keys read in one query, a page's
    rows by id in another) or, for the few undelivered reports, the items themselves."""

    rule: Rule
    rows: QuerySet[Any] | list[PendingItem]
    to_item: Callable[[Any], PendingItem]
    # The area an object belongs to at each level: a path, or an expression (None: the rows are items).
    areas: dict[Level, str | Combinable] | None = None
    # What an item reads, joined when a page's rows are read by id. (Joined to the scope's filters, these
    # tables made PostgreSQL plan the follow-ups' query for ~15 ms; by id it plans in ~2 ms.)
    related: tuple[str, ...] = ()

    def keys(self, level: Level | None) -> list[Key]:
        """(pk, area code) of every row, in order: one query of two columns (none for a list); the area
        is "" without a level."""
        if isinstance(self.rows, list):
            return [(index, _item_area(item, level)) for index, item in enumerate(self.rows)]
        area = self._area(level) if level is not None else Value("", output_field=CharField())
        return list(self.rows.annotate(area_code=area).values_list("pk", "area_code"))

    def _area(self, level: Level) -> Combinable:
        assert self.areas is not None
        area = self.areas[level]
        return F(area) if isinstance(area, str) else area

    def fetch(self, pks: list[Any]) -> list[PendingItem]:
        """The items of these keys' pks, in their order: one query (none for a list)."""
        if isinstance(self.rows, list):
            return [self.rows[index] for index in pks]
        rows = self.rows.model.objects.filter(pk__in=pks).select_related(*self.related).in_bulk()
        return [self.to_item(rows[pk]) for pk in pks]

    def all(self) -> list[PendingItem]:
        """Every item (for the digest): one query."""
        return [self.to_item(row) for row in self.rows]


def _item_area(item: PendingItem, level: Level | None) -> str:
    """The area of an undelivered report or a province behind (the rules whose rows are items)."""
    report = item.obj
    if level is None:
        return ""
    if isinstance(report, ProvinceBehind):
        return report.code
    assert isinstance(report, UndeliveredReport)
    if level == Level.PROVINCE or report.regency is None:
        return report.province_code
    return report.regency.code


class _Chain(Sequence[PendingItem]):
    """The items of several sources, one after another, their keys known: sliced (by a Paginator), one
    query per source on the page."""

    def __init__(self, sources: list[tuple[Source, list[Key]]]) -> None:
        self.sources = [(source, keys) for source, keys in sources if keys]

    def __len__(self) -> int:
        return sum(len(keys) for _source, keys in self.sources)

    @overload
    def __getitem__(self, index: int) -> PendingItem: ...
    @overload
    def __getitem__(self, index: slice) -> list[PendingItem]: ...
    def __getitem__(self, index: int | slice) -> PendingItem | list[PendingItem]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        items: list[PendingItem] = []
        offset = 0
        for source, keys in self.sources:
            n = len(keys)
            if start < offset + n and stop > offset:
                items += source.fetch([pk for pk, _area in keys[max(start - offset, 0) : min(stop - offset, n)]])
            offset += n
        return items


@dataclass(frozen=True)
class AreaRow:
    """One province (or regency, or a province's own items) in a long list's summary: its count of each
    rule with something pending (``Tasks.rules``, in that order)."""

    code: str
    name: str
    cells: tuple[tuple[Rule, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _rule, n in self.cells)

    @property
    def summary(self) -> str:
        """ "Updates waiting for review: 12; …", the kinds with something pending (the digest's line)."""
        return "; ".join(f"{rule.label}: {n}" for rule, n in self.cells if n)


@dataclass(frozen=True)
class Tasks:
    """A user's pending items, counted by rule and area (a fixed number of queries), listed on demand."""

    level: Level | None
    sources: list[Source]
    keys: dict[Rule, list[Key]]  # the rules with something pending

    @cached_property
    def counts(self) -> dict[Rule, dict[str, int]]:
        """{rule: {area code: how many}}."""
        counted: dict[Rule, dict[str, int]] = {}
        for rule, keys in self.keys.items():
            by_area = counted.setdefault(rule, {})
            for _pk, area in keys:
                by_area[area] = by_area.get(area, 0) + 1
        return counted

    @property
    def total(self) -> int:
        return sum(len(keys) for keys in self.keys.values())

    @property
    def is_long(self) -> bool:
        """Too many to list at once for a user who sees several areas: the summary by area comes first."""
        return self.level is not None and self.total > LIST_LIMIT

    @property
    def rules(self) -> list[Rule]:
        """The rules with something pending, in their order."""
        return [rule for rule in Rule if self.keys.get(rule)]

    def area_codes(self) -> set[str]:
        return {area for keys in self.keys.values() for _pk, area in keys}

    def areas(self) -> list[AreaRow]:
        """The summary: each area with its counts by rule, in code order (a province before its regencies);
        one or two queries for the names."""
        codes = sorted(self.area_codes())
        names = dict(Province.objects.filter(code__in=codes).values_list("code", "name"))
        if self.level == Level.REGENCY:
            names.update(Regency.objects.filter(code__in=codes).values_list("code", "name"))
        rules, counts = self.rules, self.counts
        return [
            AreaRow(code, names.get(code, code), tuple((rule, counts[rule].get(code, 0)) for rule in rules))
            for code in codes
        ]

    def items(self, *, area: str | None = None, rule: Rule | None = None) -> Sequence[PendingItem]:
        """The items (of one area, of one rule), in the list's order, for a Paginator: each page read with
        one query per rule on it."""
        chosen = [
            (source, [key for key in self.keys.get(source.rule, []) if area is None or key[1] == area])
            for source in self.sources
            if rule is None or source.rule == rule
        ]
        return _Chain(chosen)


def tasks(user: AnyUser, today: datetime.date, *, mode: Mode = Mode.DIGEST) -> Tasks:
    """What needs ``user``'s attention on ``today`` (``mode``: open now, or gone stale), with each item's
    area: one query per rule (two for ``behind``)."""
    scope = scoping.scope_for(user)
    if scope.is_empty or isinstance(user, AnonymousUser):  # an anonymous user's scope is empty anyway
        return Tasks(None, [], {})
    level = Level.PROVINCE if scope.nation else Level.REGENCY if scope.province_codes else None
    sources = _sources(user, scope, today, mode)
    return Tasks(level, sources, {source.rule: keys for source in sources if (keys := source.keys(level))})


def pending_items(user: AnyUser, today: datetime.date, *, mode: Mode = Mode.DIGEST) -> list[PendingItem]:
    """Every item that needs ``user``'s attention on ``today``, in the order of ``Rule``; a fixed number of
    queries. (``tasks`` counts them first, for a page or an e-mail that may summarise them.)"""
    scope = scoping.scope_for(user)
    if scope.is_empty or isinstance(user, AnonymousUser):
        return []
    return [item for source in _sources(user, scope, today, mode) for item in source.all()]


def group(items: Iterable[PendingItem]) -> list[Group]:
    """The items by rule, in the rules' order, leaving out the empty rules."""
    items = list(items)
    return [Group(rule, [i for i in items if i.rule == rule]) for rule in Rule if any(i.rule == rule for i in items)]


def _sources(user: User, scope: scoping.Scope, today: datetime.date, mode: Mode) -> list[Source]:
    now = mode == Mode.NOW
    sources = [_follow_ups(user, today)]
    if scope.role == Role.REGENCY_OFFICER:  # only a regency's officers write (and revise) updates
        sources += [_returned(user, today, now), _drafts(user, today, now)]
    if (reviews := _reviews(user, scope, today, now)) is not None:
        sources.append(reviews)
    if scope.role in (Role.REGENCY_OFFICER, Role.PROVINCIAL_STAFF):
        sources.append(_late(user, today))
    if scope.role == Role.PROVINCIAL_STAFF and scope.province_codes:
        sources += [_qa_waiting(user, today), _nawasis_waiting(user, today)]
    if scope.role == Role.REGENCY_OFFICER:
        sources.append(_closings_returned(user, today))
    if scope.role == Role.PROVINCIAL_STAFF and scope.province_codes:
        sources.append(_closings_waiting(user, scope, today))
    if scope.role == Role.REGENCY_OFFICER:
        sources.append(_dak_returned(user, today))
    if scope.role == Role.BALAI_STAFF and scope.balai_id is not None:
        sources.append(_dak_waiting(user, today))
    if scope.role == Role.REGENCY_OFFICER:
        sources.append(_indicators_returned(user, today))
    if scope.role == Role.PROVINCIAL_STAFF and scope.province_codes:
        sources.append(_indicators_waiting(user, today))
    if scope.role in (Role.BALAI_STAFF, Role.NATIONAL):
        sources.append(_behind(scope, today))
    if scope.role == Role.PROVINCIAL_STAFF and scope.province_codes:
        sources.append(_roadmaps_returned(scope, today))
    if scope.nation and scope.role in (Role.NATIONAL, Role.COORDINATOR):  # scoping.can_review_roadmap
        sources.append(_roadmaps_waiting(scope, today))
    return [*sources, _undelivered(scope, today)]


# The province's own roadmap is its province's item at both levels (like a province's own follow-up).
_ROADMAP_AREAS: dict[Level, str | Combinable] = {Level.PROVINCE: "province", Level.REGENCY: "province"}


def _roadmaps_waiting(scope: scoping.Scope, today: datetime.date) -> Source:
    """Provinces' roadmaps waiting for the national Pokja's review, the longest waiting first."""
    from milestones.selectors.roadmaps import roadmaps_waiting

    return Source(
        Rule.ROADMAP_WAITING,
        roadmaps_waiting(scope),
        lambda r: PendingItem(Rule.ROADMAP_WAITING, r, local_day(r.submitted_at), days_since(r.submitted_at, today)),
        _ROADMAP_AREAS,
        ("province",),
    )


def _roadmaps_returned(scope: scoping.Scope, today: datetime.date) -> Source:
    """The province's roadmap returned by the national Pokja, for its Pokja to revise and send again."""
    from milestones.selectors.roadmaps import roadmaps_in

    returned = roadmaps_in(scope).filter(review_state=ReviewState.RETURNED).order_by("decided_at", "pk")
    return Source(
        Rule.ROADMAP_RETURNED,
        returned,
        lambda r: PendingItem(Rule.ROADMAP_RETURNED, r, local_day(r.decided_at), days_since(r.decided_at, today)),
        _ROADMAP_AREAS,
        ("province",),
    )


UPDATE_RELATED = ("milestone__definition", "milestone__regency")  # what an update's item shows
_UPDATE_AREAS: dict[Level, str | Combinable] = {
    Level.PROVINCE: "milestone__regency__province",
    Level.REGENCY: "milestone__regency",
}


def _follow_ups(user: User, today: datetime.date) -> Source:
    """The follow-up actions the user may act on (the clinic pages' rule), overdue or due soon."""
    from milestones.selectors.clinics import actions_for_user

    due_by = today + datetime.timedelta(days=_setting("REMINDER_FOLLOW_UP_DUE_DAYS"))
    actions = actions_for_user(user).filter(due_date__lte=due_by)
    return Source(
        Rule.FOLLOW_UP,
        actions,
        lambda a: PendingItem(Rule.FOLLOW_UP, a, a.due_date, days_since(a.due_date, today)),
        # A province's own actions (no regency) come under the province's code.
        {Level.PROVINCE: "province", Level.REGENCY: Coalesce(action_regency(), "province")},
        related=("recommendation__clinic", "regency", "assigned_regency", "assigned_working_group__regency"),
    )


_CLOSING_AREAS: dict[Level, str | Combinable] = {
    Level.PROVINCE: "action__province",
    Level.REGENCY: Coalesce(
        "action__regency",
        "action__assigned_regency",
        "action__assigned_working_group__regency",
        "action__assigned_agency__regency",
        "action__province",
        output_field=CharField(),
    ),
}
CLOSING_RELATED = (
    "action__recommendation__clinic",
    "action__regency",
    "action__assigned_regency",
    "action__assigned_working_group__regency",
)


def _closings_waiting(user: User, scope: scoping.Scope, today: datetime.date) -> Source:
    """Closings of the province's follow-ups waiting for its Pokja's acceptance, the longest waiting first."""
    from milestones.selectors.clinics import actions_in_scope
    from milestones.selectors.closings import waiting_closings

    actions = actions_in_scope(user).filter(province__in=sorted(scope.province_codes))
    return Source(
        Rule.CLOSING_WAITING,
        waiting_closings(actions).select_related(*CLOSING_RELATED),
        lambda c: PendingItem(Rule.CLOSING_WAITING, c, local_day(c.submitted_at), days_since(c.submitted_at, today)),
        _CLOSING_AREAS,
        CLOSING_RELATED,
    )


def _closings_returned(user: User, today: datetime.date) -> Source:
    """The returned closings of the actions the user may close again, the longest returned first."""
    from milestones.selectors.clinics import actions_for_user
    from milestones.selectors.closings import returned_closings

    return Source(
        Rule.CLOSING_RETURNED,
        returned_closings(actions_for_user(user)).select_related(*CLOSING_RELATED),
        lambda c: PendingItem(Rule.CLOSING_RETURNED, c, local_day(c.decided_at), days_since(c.decided_at, today)),
        _CLOSING_AREAS,
        CLOSING_RELATED,
    )


_DAK_AREAS: dict[Level, str | Combinable] = {
    Level.PROVINCE: "budget_line__activity__regency__province",
    Level.REGENCY: "budget_line__activity__regency",
}
DAK_RELATED = ("budget_line__activity__regency",)


def _dak_waiting(user: User, today: datetime.date) -> Source:
    """DAK readiness documents waiting for the user's Balai (its provinces), the longest waiting first."""
    from milestones.selectors.dak import waiting_for_balai

    return Source(
        Rule.DAK_WAITING,
        waiting_for_balai(user),
        lambda r: PendingItem(Rule.DAK_WAITING, r, local_day(r.submitted_at), days_since(r.submitted_at, today)),
        _DAK_AREAS,
        DAK_RELATED,
    )


def _dak_returned(user: User, today: datetime.date) -> Source:
    """DAK readiness documents the Balai returned to the officer's regency, the longest returned first."""
    from milestones.selectors.dak import returned_to_regency

    return Source(
        Rule.DAK_RETURNED,
        returned_to_regency(user),
        lambda r: PendingItem(Rule.DAK_RETURNED, r, local_day(r.decided_at), days_since(r.decided_at, today)),
        _DAK_AREAS,
        DAK_RELATED,
    )


_INDICATOR_AREAS: dict[Level, str | Combinable] = {
    Level.PROVINCE: "indicator__regency__province",
    Level.REGENCY: "indicator__regency",
}
INDICATOR_RELATED = ("indicator__regency", "indicator__definition")


def _indicators_waiting(user: User, today: datetime.date) -> Source:
    """Indicator actuals of the province's regencies waiting for its Pokja's verification, longest first."""
    from milestones.selectors.indicators import waiting_actuals

    return Source(
        Rule.INDICATOR_WAITING,
        waiting_actuals(user),
        lambda a: PendingItem(Rule.INDICATOR_WAITING, a, local_day(a.submitted_at), days_since(a.submitted_at, today)),
        _INDICATOR_AREAS,
        INDICATOR_RELATED,
    )


def _indicators_returned(user: User, today: datetime.date) -> Source:
    """The returned indicator actuals of the officer's regency, the longest returned first."""
    from milestones.selectors.indicators import returned_actuals

    return Source(
        Rule.INDICATOR_RETURNED,
        returned_actuals(user),
        lambda a: PendingItem(Rule.INDICATOR_RETURNED, a, local_day(a.decided_at), days_since(a.decided_at, today)),
        _INDICATOR_AREAS,
        INDICATOR_RELATED,
    )


def _own_updates(user: User) -> QuerySet[MilestoneUpdate]:
    updates = MilestoneUpdate.objects.filter(author=user).select_related("milestone__definition", "milestone__regency")
    return scoping.filter_by_scope(user, updates, "milestone__regency")


def _returned(user: User, today: datetime.date, now: bool) -> Source:
    updates = _own_updates(user).filter(status=UpdateStatus.RETURNED, decided_at__isnull=False)
    if not now:
        updates = updates.filter(decided_at__lt=_before_day(today, _setting("REMINDER_RETURNED_STALE_DAYS")))
    updates = updates.order_by("decided_at", "pk")
    return Source(
        Rule.RETURNED, updates, lambda u: _since(Rule.RETURNED, u, u.decided_at, today), _UPDATE_AREAS, UPDATE_RELATED
    )


def _drafts(user: User, today: datetime.date, now: bool) -> Source:
    updates = _own_updates(user).filter(status=UpdateStatus.DRAFT)
    if not now:
        updates = updates.filter(updated_at__lt=_before_day(today, _setting("REMINDER_DRAFT_STALE_DAYS")))
    updates = updates.order_by("updated_at", "pk")
    return Source(
        Rule.DRAFT, updates, lambda u: _since(Rule.DRAFT, u, u.updated_at, today), _UPDATE_AREAS, UPDATE_RELATED
    )


def _reviews(user: AnyUser, scope: scoping.Scope, today: datetime.date, now: bool) -> Source | None:
    cutoff: datetime.datetime | None
    if scope.role == Role.PROVINCIAL_STAFF and scope.province_codes:
        # "More than N days": from day N + 1, when the review queue flags the update; now: every one.
        cutoff = None if now else _before_day(today, _setting("REMINDER_REVIEW_WAIT_DAYS") + 1)
    elif scope.role in (Role.NATIONAL, Role.BALAI_STAFF) and not scope.is_empty:
        # An escalation: the Balai of the province and the nation hear of it, whatever the mode.
        cutoff = _before_day(today, _setting("REMINDER_REVIEW_ESCALATE_DAYS"))
    else:
        return None
    waited = Q(submitted_at__isnull=False) if cutoff is None else Q(submitted_at__lt=cutoff)
    updates = (
        scoping.filter_by_scope(user, MilestoneUpdate.objects.all(), "milestone__regency")
        .filter(waited, status=UpdateStatus.SUBMITTED)
        .select_related("milestone__definition", "milestone__regency")
        .order_by("submitted_at", "pk")
    )
    # submitted_at is always set (the filter).
    return Source(
        Rule.REVIEW, updates, lambda u: _since(Rule.REVIEW, u, u.submitted_at, today), _UPDATE_AREAS, UPDATE_RELATED
    )


def _since(rule: Rule, update: MilestoneUpdate, moment: datetime.datetime | None, today: datetime.date) -> PendingItem:
    assert moment is not None  # the rule's filter asks for it
    return PendingItem(rule, update, local_day(moment), days_since(moment, today))


_REGENCY_AREAS: dict[Level, str | Combinable] = {Level.PROVINCE: "regency__province", Level.REGENCY: "regency"}


def _late(user: User, today: datetime.date) -> Source:
    """Current milestones late or due within ``REMINDER_LATE_DUE_DAYS`` days, not verified, and with no
    update waiting for review: lateness is ``Milestone.late_q`` (the dashboards' rule); "due soon" is the
    same rule on a later day."""
    due_by = today + datetime.timedelta(days=_setting("REMINDER_LATE_DUE_DAYS"))
    waiting = MilestoneUpdate.objects.filter(milestone=OuterRef("pk"), status=UpdateStatus.SUBMITTED)
    milestones = (
        figures.current_milestones(scoping.filter_by_scope(user, Milestone.objects.all(), "regency"))
        .filter(figures.late_q(due_by + datetime.timedelta(days=1)), ~Exists(waiting))
        .select_related("definition", "regency")
        .order_by("planned_date", "regency__code", "definition__number")
    )
    # planned_date is always set (late_q asks for it).
    return Source(
        Rule.LATE,
        milestones,
        lambda m: PendingItem(Rule.LATE, m, m.planned_date, days_since(m.planned_date, today)),
        _REGENCY_AREAS,
        ("definition", "regency"),
    )


def _qa_waiting(user: User, today: datetime.date) -> Source:
    """SSK documents in the province's quality assurance, the longest waiting first (a document is not
    edited while in QA, so its last change is its submission)."""
    documents = (
        scoping.filter_by_scope(user, SSKDocument.objects.all(), "regency")
        .filter(status=SSKDocument.Status.QUALITY_ASSURANCE)
        .select_related("regency")
        .order_by("updated_at", "pk")
    )
    return Source(
        Rule.QA_WAITING,
        documents,
        lambda d: PendingItem(Rule.QA_WAITING, d, local_day(d.updated_at), days_since(d.updated_at, today)),
        _REGENCY_AREAS,
        ("regency",),
    )


def _nawasis_waiting(user: User, today: datetime.date) -> Source:
    """Each regency's latest NAWASIS entry of a module not yet verified (an older entry, superseded, is not
    verified any more), the longest waiting first."""
    entries = (
        figures.latest_submissions(scoping.filter_by_scope(user, NawasisSubmission.objects.all(), "regency"))
        .filter(verified_at__isnull=True)
        .select_related("regency")
        .order_by("submitted_on", "pk")
    )
    return Source(
        Rule.NAWASIS_WAITING,
        entries,
        lambda e: PendingItem(Rule.NAWASIS_WAITING, e, e.submitted_on, days_since(e.submitted_on, today)),
        _REGENCY_AREAS,
        ("regency",),
    )


def _behind(scope: scoping.Scope, today: datetime.date) -> Source:
    return Source(Rule.BEHIND, provinces_behind(scope, today), lambda item: item)


def provinces_behind(scope: scoping.Scope, today: datetime.date) -> list[PendingItem]:
    """The provinces of ``scope`` whose share of late current milestones is above the nation's, the
    furthest behind first: one query for the nation's counts (``figures.milestone_counts``, the dashboards'
    late rule), one for the names when any is behind."""
    late: dict[str, int] = {}
    counted: dict[str, int] = {}
    for row in figures.milestone_counts(Milestone.objects.all(), today):
        counted[row["province"]] = counted.get(row["province"], 0) + row["n"]
        late[row["province"]] = late.get(row["province"], 0) + row["late"]
    total = sum(counted.values())
    national = sum(late.values()) / total if total else 0.0
    behind = [
        code for code in counted if late[code] and late[code] / counted[code] > national and scope.covers_province(code)
    ]
    if not behind:
        return []
    names = dict(Province.objects.filter(code__in=behind).values_list("code", "name"))
    rows = [ProvinceBehind(code, names.get(code, code), late[code], counted[code], national) for code in behind]
    rows.sort(key=lambda row: (-row.share, row.code))
    return [PendingItem(Rule.BEHIND, row, today, 0) for row in rows]


def _undelivered(scope: scoping.Scope, today: datetime.date) -> Source:
    """The report of the last year due that some recipient has not received: the regency officer's for
    their regency, the provincial staff's for their province's own report (read now: a query or two)."""
    return Source(Rule.UNDELIVERED, _undelivered_items(scope, today), lambda item: item)


def _undelivered_items(scope: scoping.Scope, today: datetime.date) -> list[PendingItem]:
    # reports builds on milestones; this rule alone reads its deliveries, so it imports them here.
    from reports import deliveries

    year = deliveries.due_year(today)
    if year < _setting("REPORT_DELIVERY_FIRST_YEAR"):
        return []
    if scope.role == Role.REGENCY_OFFICER and scope.regency_code:
        rows = deliveries.regency_rows(
            list(Regency.objects.select_related("province").filter(code=scope.regency_code)), year
        )
    elif scope.role == Role.PROVINCIAL_STAFF and scope.province_codes:
        rows = deliveries.own_report_rows(scope.province_codes, year)
    else:
        return []
    due = deliveries.due_since(year)
    return [
        PendingItem(
            Rule.UNDELIVERED,
            UndeliveredReport(
                year, row.regency, row.province.code, row.province.name, tuple(choice.label for choice in row.missing)
            ),
            due,
            days_since(due, today),
        )
        for row in rows
        if row.missing
    ]


# --- The home page: the day's work of a role, from the list in ``Mode.NOW`` ---------------------------

# Each role's kinds of task, in the order of the day's work.
ROLE_RULES: dict[str, tuple[Rule, ...]] = {
    Role.REGENCY_OFFICER: (
        Rule.RETURNED,
        Rule.DRAFT,
        Rule.LATE,
        Rule.CLOSING_RETURNED,
        Rule.DAK_RETURNED,
        Rule.INDICATOR_RETURNED,
        Rule.FOLLOW_UP,
        Rule.UNDELIVERED,
    ),
    Role.PROVINCIAL_STAFF: (
        Rule.REVIEW,
        Rule.CLOSING_WAITING,
        Rule.INDICATOR_WAITING,
        Rule.QA_WAITING,
        Rule.NAWASIS_WAITING,
        Rule.FOLLOW_UP,
        Rule.LATE,
        Rule.ROADMAP_RETURNED,
        Rule.UNDELIVERED,
    ),
    Role.BALAI_STAFF: (Rule.DAK_WAITING, Rule.REVIEW, Rule.BEHIND),
    Role.NATIONAL: (Rule.REVIEW, Rule.ROADMAP_WAITING, Rule.BEHIND),
}


@dataclass(frozen=True)
class HomeGroup:
    rule: Rule
    label: StrOrPromise
    items: list[PendingItem]  # the first ones
    count: int  # all of them

    @property
    def more(self) -> int:
        return self.count - len(self.items)

    @property
    def more_url(self) -> str:
        return f"{reverse('my_tasks')}?jenis={self.rule.value}"


def day_work(user: AnyUser, role: str | None, today: datetime.date) -> list[HomeGroup]:
    """The role's kinds of task (every kind with something pending for another role), each counted once
    from the task list's keys and its first items read in one query."""
    found = tasks(user, today, mode=Mode.NOW)
    rules = ROLE_RULES.get(role or "") or tuple(found.rules)
    limit = int(settings.HOME_GROUP_LIMIT)
    groups = []
    for rule in rules:
        count = len(found.keys.get(rule, []))
        items = list(found.items(rule=rule)[:limit]) if count else []
        label = _escalations() if rule == Rule.REVIEW and role in (Role.BALAI_STAFF, Role.NATIONAL) else rule.label
        groups.append(HomeGroup(rule, label, items, count))
    return groups


def _escalations() -> str:
    """The Balai's and the nation's name for the reviews they see (``_reviews``: the escalations), with the
    threshold from its setting."""
    return str(_("Escalations: updates waiting for review %(days)d days or more")) % {
        "days": _setting("REMINDER_REVIEW_ESCALATE_DAYS")
    }
