"""Report schedules in the app: create, pause, resume and delete, for the user's own scope.

Who may manage which schedule is ``regencies.scoping`` (``can_manage_schedule``, ``schedules_in_scope``);
every service checks it again, so a forged request refuses here even past the form. Each change is one
transaction; pause and resume are conditional UPDATEs that change the row only from the state the user
saw, so two presses (or two people) change it once.

Deleting is for good (the row goes): the reports it already made stay, their ``schedule`` set to empty,
and each PDF already names the schedule it came from. Pausing is the way to keep a schedule but stop it.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones.services import ActionRefused
from regencies import scoping
from regencies.models import Balai, Province, Regency
from reports.models import ReportSchedule
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import AnyUser, User

logger = logging.getLogger(__name__)


# --- Reading -----------------------------------------------------------------------------------------


def todays_run_passed(now: datetime.datetime) -> bool:
    """Whether the scheduler's daily run (settings.REPORT_SCHEDULE_HOUR, local time) is over for today."""
    return timezone.localtime(now).hour >= settings.REPORT_SCHEDULE_HOUR


def next_run_on(schedule: ReportSchedule, now: datetime.datetime) -> datetime.date | None:
    """The schedule's next run as seen at ``now`` (``ReportSchedule.next_run_on``, the scheduler's rule)."""
    return schedule.next_run_on(timezone.localdate(now), todays_run_passed=todays_run_passed(now))


@dataclass(frozen=True)
class ScheduleRow:
    schedule: ReportSchedule
    next_run_on: datetime.date | None


def schedules_for(user: AnyUser) -> QuerySet[ReportSchedule]:
    return scoping.schedules_in_scope(
        user, ReportSchedule.objects.select_related("province", "balai", "regency", "created_by")
    )


def schedule_rows(user: AnyUser, now: datetime.datetime, limit: int | None = None) -> list[ScheduleRow]:
    """The user's schedules (the first ``limit`` of them) with their next run, for the Laporan page (one query)."""
    found = schedules_for(user)
    if limit is not None:
        found = found[:limit]
    return [ScheduleRow(schedule, next_run_on(schedule, now)) for schedule in found]


# --- Writing -----------------------------------------------------------------------------------------


def create_schedule(
    *,
    by: User,
    name: str,
    audience: str,
    day_of_month: int,
    language: str,
    recipients: list[str],
    province: Province | None = None,
    balai: Balai | None = None,
    regency: Regency | None = None,
) -> ReportSchedule:
    schedule = ReportSchedule(
        name=name.strip(),
        audience=audience,
        province=province,
        balai=balai,
        regency=regency,
        day_of_month=day_of_month,
        language=language,
        recipients="\n".join(recipients),
        created_by=by,
    )
    if not scoping.can_manage_schedule(by, schedule):
        raise ActionRefused(_("You cannot schedule reports for this scope."))
    if audience == "regency" and regency is None:
        raise ActionRefused(_("Choose the regency this report covers."))
    # The model's own rules (day 1–28, addresses); the form has already said which field is wrong.
    schedule.full_clean()
    with transaction.atomic():
        schedule.save()
    logger.info("Report schedule %s created by %s", schedule.pk, by.pk)
    return schedule


def pause_schedule(*, by: User, schedule_id: int) -> None:
    _set_active(by=by, schedule_id=schedule_id, active=False)


def resume_schedule(*, by: User, schedule_id: int) -> None:
    _set_active(by=by, schedule_id=schedule_id, active=True)


def _set_active(*, by: User, schedule_id: int, active: bool) -> None:
    with transaction.atomic():
        schedule = _managed(by, schedule_id)
        changed = audit.update(ReportSchedule.objects.filter(pk=schedule.pk, active=not active), active=active)
    if not changed:
        raise ActionRefused(_("This schedule is already running.") if active else _("This schedule is already paused."))
    logger.info("Report schedule %s %s by %s", schedule_id, "resumed" if active else "paused", by.pk)


def delete_schedule(*, by: User, schedule_id: int) -> str:
    """Delete the schedule; returns its name, for the message."""
    with transaction.atomic():
        schedule = _managed(by, schedule_id)
        deleted, _rows = ReportSchedule.objects.filter(pk=schedule.pk).delete()
    if not deleted:
        raise ActionRefused(_("This schedule was already deleted."))
    logger.info("Report schedule %s deleted by %s", schedule_id, by.pk)
    return schedule.name


def _managed(user: User, schedule_id: int) -> ReportSchedule:
    schedule = schedules_for(user).filter(pk=schedule_id).first()
    if schedule is None or not scoping.can_manage_schedule(user, schedule):
        raise ActionRefused(_("This schedule does not exist, or it is not yours to change."))
    return schedule
