"""A report delivery as proof of a follow-up action's closing (``milestones.proofs``): registered here,
because reports builds on milestones and never the other way round."""

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from milestones import proofs
from milestones.models import FollowUpAction
from regencies import scoping
from reports.models import ReportDelivery, ReportJob
from ssk_tracker.lib.users import AnyUser


def _concerns(action: FollowUpAction) -> Q:
    """A report of the action's regency or of its province (a provincial report covers every regency)."""
    province_report = Q(job__province=action.province_id, job__regency__isnull=True)
    if action.regency_id:
        return Q(job__regency=action.regency_id) | province_report
    return Q(job__regency__province=action.province_id) | province_report


def _visible(user: AnyUser, deliveries: QuerySet[ReportDelivery]) -> QuerySet[ReportDelivery]:
    return deliveries.filter(job__in=scoping.reports_in_scope(user, ReportJob.objects.all()).values("pk"))


def _describe(delivery: ReportDelivery) -> str:
    sent = date_format(localtime(delivery.sent_at), "SHORT_DATE_FORMAT")
    return f"{delivery.job.scope_label} → {delivery.recipient_label}, {sent}"


def register_proofs() -> None:
    proofs.register(
        proofs.ProofKind(
            key="report_delivery",
            label=_("Report delivery"),
            model_label="reports.ReportDelivery",
            regency_path="job__regency",
            related=("job__regency", "job__province", "province", "balai"),
            order_by=("-sent_at", "-pk"),
            describe=_describe,
            url=lambda delivery: reverse("report_download", args=[delivery.job_id]),
            visible=_visible,
            concerns=_concerns,
        )
    )
