"""Report delivery: send a done report upward, acknowledge one received, see who has delivered per year.

Access through ``regencies.scoping``: a report outside the user's scope is 404; sending is for the
report's own scope (``can_send_report``, else 403); acknowledging for the recipient's users
(``receives_for``: a delivery to someone else is 404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from milestones.forms.edits import SubmitOnce, repeat_safe
from milestones.selectors.clinics import actions_for_user
from milestones.services import ActionRefused
from milestones.services.edits import TokenRefused
from regencies import scoping
from regencies.models import Province, Regency
from reports import deliveries
from reports.forms import DeliveryForm, DeliveryYearForm
from reports.models import Audience, ReportJob
from ssk_tracker.lib.params import page_param

PER_PAGE = 40  # rows of the delivery table: the provinces' own reports first, then the regencies


class _PeriodEntries:
    """The delivery table's rows in order, for the Paginator: the provinces (a list, at most 38), then the
    regencies (a queryset, only the page's slice read), so that a nation-wide page stays 40 rows long."""

    def __init__(self, provinces: list[Province], regencies: QuerySet[Regency]) -> None:
        self.provinces = provinces
        self.regencies = regencies.select_related("province")

    def count(self) -> int:
        return len(self.provinces) + self.regencies.count()

    def __getitem__(self, window: slice) -> list[Province | Regency]:
        start, stop = window.start or 0, window.stop
        first = len(self.provinces)
        entries: list[Province | Regency] = list(self.provinces[start:stop])
        if stop is None or stop > first:
            entries += list(self.regencies[max(start - first, 0) : None if stop is None else stop - first])
        return entries


def _sendable_job_or_404(user, pk: int) -> ReportJob:
    job = ReportJob.objects.select_related("province", "balai", "regency__province").filter(pk=pk).first()
    if job is None or not scoping.can_see_report(user, job):
        raise Http404
    if not job.is_done or job.audience not in deliveries.SENDABLE_AUDIENCES:
        raise Http404
    return job


def _actions_for(user, job: ReportJob):
    """The open follow-up actions the sender may answer with this report: the regency's, or the province's own."""
    actions = actions_for_user(user).select_related("recommendation__clinic")
    if job.audience == Audience.REGENCY:
        return actions.filter(Q(regency=job.regency_id) | Q(regency__isnull=True))
    return actions.filter(regency__isnull=True, province=job.province_id)


@login_required
@repeat_safe
def delivery_send(request, pk):
    """The report's delivery page: each recipient's status and, for the report's own scope, the send form."""
    job = _sendable_job_or_404(request.user, pk)
    cell = deliveries.job_deliveries(request.user, [job])[job.pk]
    may_send = cell.can_send
    form = None
    if may_send:
        data = request.POST if request.method == "POST" else None  # an empty POST is still a POST
        form = DeliveryForm(data, statuses=cell.statuses, actions=_actions_for(request.user, job))
        once = SubmitOnce(request, form)
    elif request.method == "POST":
        scoping.require(False)
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            with once.creating() as done:
                made = deliveries.send_report(
                    job=job,
                    recipients=data["recipients"],
                    sent_by=request.user,
                    cover_note=data["cover_note"],
                    follow_up_action=data["follow_up_action"],
                )
                done(reverse("report_delivery", args=[job.pk]))
        except TokenRefused as refused:
            form.add_error(None, refused.message)
            return render(request, "reports/delivery.html", {"job": job, "cell": cell, "form": form}, status=400)
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            if made:
                names = ", ".join(delivery.recipient_label for delivery in made)
                messages.success(request, _("The report was sent to %(recipients)s.") % {"recipients": names})
            else:
                messages.info(request, _("The report had already been sent to these recipients."))
        return redirect("report_delivery", pk=job.pk)
    return render(
        request,
        "reports/delivery.html",
        {"job": job, "cell": cell, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def delivery_acknowledge(request, pk):
    delivery = deliveries.delivery_for_recipient(request.user, pk)
    try:
        acknowledged = deliveries.acknowledge(delivery=delivery, user=request.user)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        if acknowledged:
            messages.success(request, _("Marked as received."))
        else:
            delivery.refresh_from_db()
            who = delivery.acknowledged_by
            messages.info(
                request,
                _("%(name)s already acknowledged this report.")
                % {"name": who.get_full_name() or who.username if who else "–"},
            )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "reports")


@login_required
def delivery_period(request):
    """Per year: which regencies (and provinces) in the user's scope have delivered their report, to whom."""
    if not scoping.sees_whole_provinces(request.user):
        raise Http404
    provinces = scoping.visible_provinces(request.user)
    today = timezone.localdate()
    form = DeliveryYearForm(request.GET or None, provinces=provinces)
    year, province = deliveries.due_year(today), None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["tahun"] or year
        province = form.cleaned_data["provinsi"]
    regencies = scoping.visible_regencies(request.user).order_by("code")
    shown_provinces = list(provinces.order_by("code"))
    if province is not None:
        regencies = regencies.filter(province=province)
        shown_provinces = [province]
    page = Paginator(_PeriodEntries(shown_provinces, regencies), PER_PAGE).get_page(page_param(request))
    page_provinces = [entry for entry in page.object_list if isinstance(entry, Province)]
    rows = deliveries.regency_rows([entry for entry in page.object_list if isinstance(entry, Regency)], year)
    return render(
        request,
        "reports/delivery_period.html",
        {
            "form": form,
            "year": year,
            "province": province,
            "page": page,
            "rows": rows,
            "province_rows": deliveries.province_rows(page_provinces, year) if page_provinces else [],
            "delivered_count": sum(row.delivered for row in rows),
            "due_since": deliveries.due_since(year),
        },
    )
