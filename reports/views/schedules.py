"""Report schedules on the Laporan page: the section's rows, a new schedule, pause, resume, delete.

Coordinators and the provincial Pokja only (``scoping.can_manage_schedules``); everyone else gets no
section and 403 here. A schedule outside the user's scope is a 404, as if it did not exist.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from milestones.forms.edits import SubmitOnce, attempt, repeat_safe
from milestones.services import ActionRefused
from regencies import scoping
from reports import schedules
from reports.models import ReportSchedule
from reports.schedule_forms import ScheduleForm
from ssk_tracker.lib.users import User

SCHEDULES_SHOWN = 10  # on the Laporan page; ``?jadwal=semua`` lists every one


def section_context(request: HttpRequest) -> dict[str, object]:
    """What the Laporan page's "Jadwal laporan" section needs (nothing for users without the right)."""
    if not scoping.can_manage_schedules(request.user):
        return {"schedule_rows": None}
    every = request.GET.get("jadwal") == "semua"
    rows = schedules.schedule_rows(request.user, timezone.now(), limit=None if every else SCHEDULES_SHOWN + 1)
    return {
        "schedule_rows": rows[:SCHEDULES_SHOWN] if not every else rows,
        "schedules_more": len(rows) > SCHEDULES_SHOWN and not every,
        "schedule_hour": settings.REPORT_SCHEDULE_HOUR,
    }


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind login_required)."""
    assert isinstance(request.user, User)
    return request.user


def _schedule_or_404(request: HttpRequest, pk: int) -> ReportSchedule:
    scoping.require(scoping.can_manage_schedules(request.user))
    return scoping.get_or_404(schedules.schedules_for(request.user), pk=pk)


@login_required
@repeat_safe
def schedule_create(request: HttpRequest) -> HttpResponse:
    scoping.require(scoping.can_manage_schedules(request.user))
    form = ScheduleForm(request.POST or None, user=request.user)
    once = SubmitOnce(request, form)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.base_fields}  # not the hidden token
        schedule = attempt(
            form,
            lambda: schedules.create_schedule(by=_user(request), **data),
            once=once,
            url=lambda _s: reverse("reports"),
        )
        if schedule is not None:
            next_run = schedules.next_run_on(schedule, timezone.now())
            messages.success(
                request,
                _("The schedule “%(name)s” was saved; its first report is made on %(date)s.")
                % {"name": schedule.name, "date": formats.date_format(next_run) if next_run else "—"},
            )
            return redirect("reports")
    return render(request, "reports/schedule_form.html", {"form": form})


@login_required
@require_POST
def schedule_pause(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = _schedule_or_404(request, pk)
    return _act(request, schedules.pause_schedule, schedule, _("The schedule “%(name)s” is paused."))


@login_required
@require_POST
def schedule_resume(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = _schedule_or_404(request, pk)
    return _act(request, schedules.resume_schedule, schedule, _("The schedule “%(name)s” runs again."))


@login_required
def schedule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks (a page of its own, so it works without JavaScript on any phone); POST deletes."""
    schedule = _schedule_or_404(request, pk)
    if request.method != "POST":
        return render(request, "reports/schedule_confirm_delete.html", {"schedule": schedule})
    return _act(request, schedules.delete_schedule, schedule, _("The schedule “%(name)s” was deleted."))


def _act(request: HttpRequest, service: Callable[..., object], schedule: ReportSchedule, done: str) -> HttpResponse:
    try:
        service(by=_user(request), schedule_id=schedule.pk)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done % {"name": schedule.name})
    return redirect(f"{reverse('reports')}#report-schedules")
