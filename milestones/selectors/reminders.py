"""Reminders that know status: what needs a user's attention today, and the daily digest e-mail.

``pending_items(user, today)`` reads (it writes nothing) and feeds both the "my tasks" page and the
digest. Days are calendar days in the site's time zone (WIB); the thresholds are settings:

- ``follow_up``: a follow-up action, open or in progress, overdue or due within
  ``REMINDER_FOLLOW_UP_DUE_DAYS`` (7) days → the officers of the assigned regency or of the regency whose
  Pokja is assigned, and the provincial Pokja staff of the action's province;
- ``returned``: an update returned by the province and not resubmitted ``REMINDER_RETURNED_STALE_DAYS`` (7)
  days after the return → its author;
- ``draft``: an update draft untouched (``updated_at``) for ``REMINDER_DRAFT_STALE_DAYS`` (14) days → its
  author;
- ``review``: a submitted update waiting more than ``REMINDER_REVIEW_WAIT_DAYS`` (7) days, i.e. from day 8
  as the review queue's red flag → the provincial Pokja staff of its province; from
  ``REMINDER_REVIEW_ESCALATE_DAYS`` (14) days → also the national Pokja PPAS users;
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
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise

from milestones.models import FollowUpAction, MilestoneUpdate
from regencies import scoping
from regencies.models import Province, Regency, Role
from ssk_tracker.lib.dates import days_since, local_day
from ssk_tracker.lib.users import AnyUser, User

UpdateStatus = MilestoneUpdate.Status


class Rule(models.TextChoices):
    # In the order the page and the e-mail list them.
    FOLLOW_UP = "follow_up", _("Follow-up actions due soon or overdue")
    RETURNED = "returned", _("Returned updates to revise and resubmit")
    DRAFT = "draft", _("Drafts not touched for a while")
    REVIEW = "review", _("Updates waiting for review")
    UNDELIVERED = "undelivered", _("Reports for the period not yet delivered")


@dataclass(frozen=True)
class UndeliveredReport:
    """A regency's (or a province's own) report for ``year`` that some recipients have not received."""

    year: int
    regency: Regency | None
    province_name: str
    missing: tuple[str, ...]  # the recipients' names


@dataclass(frozen=True)
class PendingItem:
    rule: Rule
    obj: FollowUpAction | MilestoneUpdate | UndeliveredReport
    since: datetime.date  # the due date (follow-ups) or the day it was last edited / returned / submitted
    days: int  # days overdue (negative: days left before the due date), or days untouched / waiting

    @property
    def is_action(self) -> bool:
        return self.rule == Rule.FOLLOW_UP

    # A follow-up item holds an action, every other item an update: the properties below tell them apart by
    # the object's type, which the type checker follows.

    @property
    def regency(self) -> Regency | None:
        if isinstance(self.obj, FollowUpAction):
            action = self.obj
            group = action.assigned_working_group
            return action.regency or action.assigned_regency or (group.regency if group else None)
        if isinstance(self.obj, UndeliveredReport):
            return self.obj.regency
        return self.obj.milestone.regency

    @property
    def title(self) -> str:
        if isinstance(self.obj, FollowUpAction):
            return self.obj.description
        if isinstance(self.obj, UndeliveredReport):
            return str(_("Report for %(year)s to %(recipients)s")) % {
                "year": self.obj.year,
                "recipients": ", ".join(self.obj.missing),
            }
        definition = self.obj.milestone.definition
        return f"{definition.code} · {definition.name}"

    @property
    def context_label(self) -> str:
        """Where the item comes from: the clinic, or the regency."""
        if isinstance(self.obj, FollowUpAction):
            clinic = self.obj.recommendation.clinic
            return f"CC{clinic.number} · {clinic.title}"
        if isinstance(self.obj, UndeliveredReport):
            return self.obj.regency.name if self.obj.regency else self.obj.province_name
        return self.obj.milestone.regency.name

    def get_absolute_url(self) -> str:
        if isinstance(self.obj, FollowUpAction):
            return self.obj.recommendation.clinic.get_absolute_url()
        if isinstance(self.obj, UndeliveredReport):
            return reverse("reports")
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
        if self.rule == Rule.RETURNED:
            return ngettext("returned %(n)d day ago", "returned %(n)d days ago", days) % {"n": days}
        if self.rule == Rule.UNDELIVERED:
            if days == 0:
                return str(_("due today"))
            return ngettext("due %(n)d day ago", "due %(n)d days ago", days) % {"n": days}
        return ngettext("waiting for %(n)d day", "waiting for %(n)d days", days) % {"n": days}

    @property
    def is_late(self) -> bool:
        return self.days > 0 if self.rule == Rule.FOLLOW_UP else True


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


def pending_items(user: AnyUser, today: datetime.date) -> list[PendingItem]:
    """What needs ``user``'s attention on ``today``, in the order of ``Rule``; a fixed number of queries."""
    scope = scoping.scope_for(user)
    if scope.is_empty or isinstance(user, AnonymousUser):  # an anonymous user's scope is empty anyway
        return []
    return [
        *_follow_ups(user, today),
        *_returned(user, today),
        *_drafts(user, today),
        *_reviews(user, scope, today),
        *_undelivered(scope, today),
    ]


def group(items: list[PendingItem]) -> list[Group]:
    """The items by rule, in the rules' order, leaving out the empty rules."""
    return [Group(rule, [i for i in items if i.rule == rule]) for rule in Rule if any(i.rule == rule for i in items)]


def _follow_ups(user: AnyUser, today: datetime.date) -> list[PendingItem]:
    """The follow-up actions the user may act on (the clinic pages' rule), overdue or due soon."""
    from milestones.selectors.clinics import actions_for_user

    due_by = today + datetime.timedelta(days=_setting("REMINDER_FOLLOW_UP_DUE_DAYS"))
    actions = actions_for_user(user).filter(due_date__lte=due_by)
    return [PendingItem(Rule.FOLLOW_UP, a, a.due_date, days_since(a.due_date, today)) for a in actions]


def _own_updates(user: User) -> QuerySet[MilestoneUpdate]:
    updates = MilestoneUpdate.objects.filter(author=user).select_related("milestone__definition", "milestone__regency")
    return scoping.filter_by_scope(user, updates, "milestone__regency")


def _returned(user: User, today: datetime.date) -> list[PendingItem]:
    cutoff = _before_day(today, _setting("REMINDER_RETURNED_STALE_DAYS"))
    updates = _own_updates(user).filter(status=UpdateStatus.RETURNED, decided_at__lt=cutoff).order_by("decided_at")
    return [_since(Rule.RETURNED, u, u.decided_at, today) for u in updates if u.decided_at]  # always set (the filter)


def _drafts(user: User, today: datetime.date) -> list[PendingItem]:
    cutoff = _before_day(today, _setting("REMINDER_DRAFT_STALE_DAYS"))
    updates = _own_updates(user).filter(status=UpdateStatus.DRAFT, updated_at__lt=cutoff).order_by("updated_at")
    return [_since(Rule.DRAFT, u, u.updated_at, today) for u in updates]


def _reviews(user: AnyUser, scope: scoping.Scope, today: datetime.date) -> list[PendingItem]:
    if scope.role == Role.PROVINCIAL_STAFF and scope.province_codes:
        # "More than N days": from day N + 1, when the review queue flags the update.
        cutoff = _before_day(today, _setting("REMINDER_REVIEW_WAIT_DAYS") + 1)
    elif scope.role == Role.NATIONAL:
        cutoff = _before_day(today, _setting("REMINDER_REVIEW_ESCALATE_DAYS"))
    else:
        return []
    updates = (
        scoping.filter_by_scope(user, MilestoneUpdate.objects.all(), "milestone__regency")
        .filter(status=UpdateStatus.SUBMITTED, submitted_at__lt=cutoff)
        .select_related("milestone__definition", "milestone__regency")
        .order_by("submitted_at", "pk")
    )
    return [_since(Rule.REVIEW, u, u.submitted_at, today) for u in updates if u.submitted_at]  # always set (the filter)


def _since(rule: Rule, update: MilestoneUpdate, moment: datetime.datetime, today: datetime.date) -> PendingItem:
    return PendingItem(rule, update, local_day(moment), days_since(moment, today))


def _undelivered(scope: scoping.Scope, today: datetime.date) -> list[PendingItem]:
    """The report of the last year due that some recipient has not received: the regency officer's for
    their regency, the provincial staff's for their province's own report."""
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
        rows = deliveries.province_rows(list(Province.objects.filter(code__in=sorted(scope.province_codes))), year)
    else:
        return []
    due = deliveries.due_since(year)
    return [
        PendingItem(
            Rule.UNDELIVERED,
            UndeliveredReport(year, row.regency, row.province.name, tuple(choice.label for choice in row.missing)),
            due,
            days_since(due, today),
        )
        for row in rows
        if row.missing
    ]
