import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery, Window
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from milestones.forms.edits import SubmitOnce, attempt, repeat_safe
from regencies import scoping
from reports import deliveries, exports, services
from reports.forms import ReportRequestForm
from reports.models import Audience, Language, ReportJob, ReportSchedule
from reports.views import schedules as schedule_views
from ssk_tracker.lib import downloads, tabular
from ssk_tracker.lib.params import page_param
from ssk_tracker.lib.users import User

JOBS_PER_PAGE = 20


def _counted_page(jobs: QuerySet[ReportJob], number: int) -> Page:
    """The page of jobs with their total counted by the same query (a window over the whole set), not by a
    COUNT of its own; a page past the end falls back to the Paginator, which counts and shows the last."""
    paginator = Paginator(jobs, JOBS_PER_PAGE)
    start = (number - 1) * JOBS_PER_PAGE
    rows = list(jobs.annotate(total=Window(Count("pk")))[start : start + JOBS_PER_PAGE])
    if not rows and number > 1:
        return paginator.get_page(number)
    paginator.count = rows[0].total if rows else 0  # the cached property, set
    return Page(rows, number, paginator)


def _jobs_page(request):
    # Who asked for each report read by scalar subqueries, not joins: with the requester and the schedule
    # joined too, PostgreSQL spent ~2 ms choosing among the seven tables' join orders on every visit.
    requester = User.objects.filter(pk=OuterRef("requested_by_id"))
    jobs = scoping.reports_in_scope(
        request.user,
        ReportJob.objects.select_related("province", "balai", "regency__province").annotate(
            requester_first_name=Subquery(requester.values("first_name")),
            requester_last_name=Subquery(requester.values("last_name")),
            requester_username=Subquery(requester.values("username")),
            schedule_name=Subquery(ReportSchedule.objects.filter(pk=OuterRef("schedule_id")).values("name")),
        ),
    )
    page = _counted_page(jobs, page_param(request))
    cells = deliveries.job_deliveries(request.user, list(page))
    _label_rows(page)
    for job in page:  # each row's delivery cell (None for a report that is not sent upward)
        job.delivery_cell = cells.get(job.pk)
    return page, any(not job.is_finished for job in page)


def _label_rows(page: Page) -> None:
    """Each row's period and choice labels, as the table showed them through ``|date`` and
    ``get_FOO_display``: the period formatted once per distinct pair (a page's jobs mostly share a few)
    and each label from one dict per page instead of the choices rebuilt per call."""
    audiences, languages, statuses = dict(Audience.choices), dict(Language.choices), dict(ReportJob.Status.choices)
    periods: dict[tuple[datetime.date, datetime.date], str] = {}
    for job in page:
        key = (job.period_start, job.period_end)
        if key not in periods:
            periods[key] = f"{date_format(key[0], 'SHORT_DATE_FORMAT')} – {date_format(key[1], 'SHORT_DATE_FORMAT')}"
        job.period_label = periods[key]
        job.audience_label = str(audiences.get(job.audience, job.audience))
        job.language_label = str(languages.get(job.language, job.language))
        job.status_label = str(statuses.get(job.status, job.status))
        # as ``requested_by.get_full_name|default:requested_by.username``, else the schedule's name
        if job.requested_by_id is not None:
            full_name = f"{job.requester_first_name} {job.requester_last_name}".strip()
            job.requester_label = full_name or job.requester_username
        else:
            job.requester_label = job.schedule_name or ""


INBOX_SHOWN = 10  # oldest first on the Laporan page; ``?kotak=semua`` lists every one


def _inbox_context(request) -> dict[str, object]:
    """The reports to acknowledge; their number is the navigation badge's (``report_inbox_count``)."""
    every = request.GET.get("kotak") == "semua"
    inbox = deliveries.inbox(request.user)
    return {"inbox": list(inbox if every else inbox[:INBOX_SHOWN]), "inbox_every": every}


@login_required
@repeat_safe
def report_list(request):
    if not scoping.report_audiences(request.user):
        raise PermissionDenied
    form = ReportRequestForm(request.POST or None, user=request.user)
    once = SubmitOnce(request, form)
    if request.method == "POST" and form.is_valid():
        job = attempt(
            form,
            lambda: services.request_report(requested_by=request.user, **form.request_fields()),
            once=once,
            url=lambda _job: reverse("reports"),
        )
        if job is not None:
            messages.success(request, _("Your report is queued; this page shows when it is ready."))
            return redirect("reports")
    page, polling = _jobs_page(request)
    context = {
        "form": form,
        "page": page,
        "polling": polling,
        **_inbox_context(request),
        **schedule_views.section_context(request),
    }
    return render(request, "reports/report_list.html", context)


@login_required
def report_status(request):
    """The jobs table alone, polled by htmx while a report is queued or compiling."""
    if not scoping.report_audiences(request.user):
        raise PermissionDenied
    page, polling = _jobs_page(request)
    return render(request, "reports/includes/job_table.html", {"page": page, "polling": polling})


@login_required
def report_download(request, pk):
    job = ReportJob.objects.select_related("province", "balai", "regency").filter(pk=pk).first()
    if job is None or not scoping.can_see_report(request.user, job):
        raise Http404
    if job.status != ReportJob.Status.DONE:
        messages.info(request, _("This report is not ready yet."))
        return redirect("reports")
    return downloads.stored_file(request, job.file, name=job.download_name(), content_type="application/pdf")


@login_required
def export(request, table, fmt):
    """Milestone status, follow-ups or budget lines in the user's scope (optionally one province)."""
    if table not in exports.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    if scoping.scope_for(request.user).is_empty:
        raise PermissionDenied
    province = request.GET.get("provinsi") or None
    if province and not scoping.scope_for(request.user).covers_province(province):
        raise Http404
    data = exports.TABLES[table](request.user, timezone.localdate())
    return tabular.stream(
        fmt,
        exports.header(data),
        exports.rows(data, province),
        stem=f"ssk-{table}-{province or 'cakupan'}",
        sheet=table,
    )
