"""Report delivery: a regency's or a province's done report sent upward, and its acknowledgement.

A regency report goes to the Pokja PPAS Nasional, its province's Pokja and the Balai covering the
province; a province report to the Pokja PPAS Nasional and the Balai. Who sends, who receives and who
acknowledges is decided in ``regencies.scoping`` (``can_send_report``, ``receives_for``).

Writes (each one transaction):
- ``send_report``: one ``ReportDelivery`` per recipient ticked. The unique constraints per report and
  recipient make it idempotent: a second press, or a concurrent one, fails to insert (inside a
  savepoint) and is skipped, so each delivery is recorded, and mailed, once.
- ``acknowledge``: "diterima" by one of the recipient's users, claimed with a conditional UPDATE
  (``acknowledged_at IS NULL``): the first press wins, later ones change nothing.
- ``mail_delivery`` (the outbox's handler): a link to the report, never the file, to the recipient's
  users; the send is claimed first (``notified_at``) so a second attempt sends nothing.

Reads: the recipients of a report, the deliveries on a page of report rows, a user's inbox, and per
period which regencies (and provinces) have delivered.

The period: a calendar year. A report counts for year Y when its period ends in Y, or when it covers
the whole of Y (starts on or before 1 January and ends after 31 December). A regency (or province) has
delivered for Y when each of its recipients has received a report that counts for Y.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones.models import FollowUpAction, Notice
from milestones.selectors.clinics import may_update_action
from milestones.services import ActionRefused, outbox
from regencies import scoping
from regencies.models import Balai, Province, Regency
from reports.models import Audience, Recipient, ReportDelivery, ReportJob
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import AnyUser, User

SENDABLE_AUDIENCES = (Audience.REGENCY, Audience.PROVINCIAL)
DELIVERY_RELATED = ("job__regency__province", "job__province", "province", "balai", "sent_by", "acknowledged_by")


# --- Recipients --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientChoice:
    """One recipient of a report: its kind and the province or Balai it means."""

    kind: str
    label: str
    province_code: str | None = None
    balai_id: int | None = None

    @property
    def key(self) -> str:
        """The form's value: "national", "provincial:62", "balai:3"."""
        if self.kind == Recipient.PROVINCIAL:
            return f"{self.kind}:{self.province_code}"
        if self.kind == Recipient.BALAI:
            return f"{self.kind}:{self.balai_id}"
        return self.kind

    def matches(self, delivery: ReportDelivery) -> bool:
        return (
            delivery.recipient == self.kind
            and delivery.province_id == self.province_code
            and delivery.balai_id == self.balai_id
        )


def balai_by_province(codes: Iterable[str]) -> dict[str, list[Balai]]:
    """The Balai covering each province, in one query."""
    covering: dict[str, list[Balai]] = defaultdict(list)
    links = Balai.provinces.through.objects.filter(province__in=sorted(set(codes))).select_related("balai")
    for link in links.order_by("balai__name"):
        covering[link.province_id].append(link.balai)
    return covering


def _recipients(province: Province, *, with_province: bool, balai: list[Balai]) -> list[RecipientChoice]:
    choices = [RecipientChoice(Recipient.NATIONAL, str(Recipient.NATIONAL.label))]
    if with_province:
        label = _("Provincial Pokja %(province)s") % {"province": province.name}
        choices.append(RecipientChoice(Recipient.PROVINCIAL, label, province_code=province.code))
    choices += [RecipientChoice(Recipient.BALAI, b.short_name or b.name, balai_id=b.pk) for b in balai]
    return choices


def regency_recipients(regency: Regency, covering: dict[str, list[Balai]]) -> list[RecipientChoice]:
    return _recipients(regency.province, with_province=True, balai=covering.get(regency.province_id, []))


def province_recipients(province: Province, covering: dict[str, list[Balai]]) -> list[RecipientChoice]:
    return _recipients(province, with_province=False, balai=covering.get(province.code, []))


def recipients_of(job: ReportJob, covering: dict[str, list[Balai]] | None = None) -> list[RecipientChoice]:
    """Whom the report may be sent to (none for a national or a Balai report, or one not done)."""
    if not job.is_done:
        return []
    if job.audience == Audience.REGENCY and job.regency is not None:
        covering = covering if covering is not None else balai_by_province([job.regency.province_id])
        return regency_recipients(job.regency, covering)
    if job.audience == Audience.PROVINCIAL and job.province is not None:
        covering = covering if covering is not None else balai_by_province([job.province.code])
        return province_recipients(job.province, covering)
    return []


# --- Writes ------------------------------------------------------------------------------------------


def send_report(
    *,
    job: ReportJob,
    recipients: Sequence[str],
    sent_by: User,
    cover_note: str = "",
    follow_up_action: FollowUpAction | None = None,
) -> list[ReportDelivery]:
    """Deliver ``job`` to the recipients whose keys are given; returns the deliveries made now (those
    already made, by an earlier or a concurrent press, are left as they are)."""
    if not scoping.can_send_report(sent_by, job):
        raise ActionRefused(_("Only the report's own regency officers or provincial Pokja staff may send it."))
    if job.audience not in SENDABLE_AUDIENCES:
        raise ActionRefused(_("Only a regency's or a province's report is sent to recipients."))
    if not job.is_done:
        raise ActionRefused(_("This report is not ready yet."))
    offered = {choice.key: choice for choice in recipients_of(job)}
    unknown = [key for key in recipients if key not in offered]
    if unknown:
        raise ActionRefused(_("This report cannot be sent to that recipient."))
    if not recipients:
        raise ActionRefused(_("Tick at least one recipient."))
    if follow_up_action is not None and not may_update_action(sent_by, follow_up_action):
        raise ActionRefused(_("You may not report on that follow-up action."))
    now = timezone.now()
    made = []
    with transaction.atomic():
        for key in dict.fromkeys(recipients):  # each recipient once, in the order given
            choice = offered[key]
            try:
                with transaction.atomic():  # a savepoint: the loser of a race (or a second press) ends here
                    delivery = ReportDelivery.objects.create(
                        job=job,
                        recipient=choice.kind,
                        province_id=choice.province_code,
                        balai_id=choice.balai_id,
                        sent_by=sent_by,
                        sent_at=now,
                        cover_note=cover_note.strip(),
                        follow_up_action=follow_up_action,
                    )
            except IntegrityError:
                continue
            made.append(delivery)
            outbox.enqueue("report_delivery", delivery_id=delivery.pk)
    return made


def acknowledge(*, delivery: ReportDelivery, user: User) -> bool:
    """Mark the delivery received by ``user``; False when someone acknowledged it first (nothing changes)."""
    if not scoping.receives_for(
        user, recipient=delivery.recipient, province_code=delivery.province_id, balai_id=delivery.balai_id
    ):
        raise ActionRefused(_("Only the recipient's own users may acknowledge this report."))
    with transaction.atomic():
        claimed = audit.update(
            ReportDelivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True),
            acknowledged_by=user,
            acknowledged_at=timezone.now(),
        )
    return claimed == 1


def recipient_users(delivery: ReportDelivery) -> QuerySet[User]:
    """Whom a delivery is told to (e-mail and in-app notice): the recipient's active users."""
    return scoping.recipient_users(
        recipient=delivery.recipient, province_code=delivery.province_id, balai_id=delivery.balai_id
    )


def recipient_emails(delivery: ReportDelivery) -> list[str]:
    return sorted(recipient_users(delivery).exclude(email="").values_list("email", flat=True))


def delivery_notices(delivery_id: int) -> list[Notice]:
    """The outbox's notice of "report_delivery": each of the recipient's users, linked to the inbox where
    they acknowledge it."""
    delivery = ReportDelivery.objects.select_related(*DELIVERY_RELATED).get(pk=delivery_id)
    sender = delivery.sent_by
    params = {
        "delivery_id": delivery.pk,
        "job_id": delivery.job_id,
        "scope": delivery.job.scope_label,
        "sender": sender.get_full_name() or sender.username,
        "note": delivery.cover_note[:300],
    }
    return [
        Notice(
            recipient=user,
            kind=Notice.Kind.REPORT_DELIVERY,
            params=params,
            target_name="reports",
            target_fragment="report-inbox",
        )
        for user in recipient_users(delivery)
    ]


def mail_delivery(delivery_id: int) -> int:
    """E-mail the recipient's users a link to the delivered report; returns how many were sent."""
    from milestones.services import notifications

    delivery = ReportDelivery.objects.select_related(*DELIVERY_RELATED).get(pk=delivery_id)
    claimed_at = timezone.now()
    if not audit.update(
        ReportDelivery.objects.filter(pk=delivery.pk, notified_at__isnull=True), notified_at=claimed_at
    ):
        return 0  # sent already, or another delivery of this task is sending it
    context = {
        "delivery": delivery,
        "job": delivery.job,
        "link": f"{settings.SITE_URL}{reverse('report_download', args=[delivery.job_id])}",
        "inbox": f"{settings.SITE_URL}{reverse('reports')}#report-inbox",
    }
    try:
        return notifications._send("report_delivered", context, recipient_emails(delivery))
    except Exception:
        # Release the claim so that the outbox's retry can send (as the reminder digest does).
        audit.update(ReportDelivery.objects.filter(pk=delivery.pk, notified_at=claimed_at), notified_at=None)
        raise


# --- Reads -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientStatus:
    choice: RecipientChoice
    delivery: ReportDelivery | None  # the latest delivery to this recipient, if any


@dataclass(frozen=True)
class JobDeliveries:
    """A report row's delivery cell: each recipient with its delivery, and what the user may do."""

    statuses: list[RecipientStatus]
    can_send: bool
    to_acknowledge: list[ReportDelivery]  # deliveries of this report the user receives, not yet acknowledged

    @property
    def unsent(self) -> list[RecipientChoice]:
        return [status.choice for status in self.statuses if status.delivery is None]

    @property
    def sent(self) -> list[RecipientStatus]:
        return [status for status in self.statuses if status.delivery is not None]


def _statuses(choices: list[RecipientChoice], deliveries: Iterable[ReportDelivery]) -> list[RecipientStatus]:
    """Each recipient with the latest of ``deliveries`` to it (``deliveries`` oldest first)."""
    latest: dict[str, ReportDelivery] = {}
    for delivery in deliveries:
        for choice in choices:
            if choice.matches(delivery):
                latest[choice.key] = delivery
    return [RecipientStatus(choice, latest.get(choice.key)) for choice in choices]


def job_deliveries(user: AnyUser, jobs: Sequence[ReportJob]) -> dict[int, JobDeliveries]:
    """The delivery cell of each sendable done report among ``jobs`` (a page of rows), in two queries."""
    sendable = [job for job in jobs if job.is_done and job.audience in SENDABLE_AUDIENCES]
    if not sendable:
        return {}
    covering = balai_by_province(job.regency.province_id if job.regency else job.province_id or "" for job in sendable)
    by_job: dict[int, list[ReportDelivery]] = defaultdict(list)
    rows = ReportDelivery.objects.filter(job__in=[job.pk for job in sendable]).select_related(
        "province", "balai", "sent_by", "acknowledged_by"
    )
    for delivery in rows.order_by("sent_at", "pk"):
        by_job[delivery.job_id].append(delivery)
    cells = {}
    for job in sendable:
        delivered = by_job[job.pk]
        cells[job.pk] = JobDeliveries(
            statuses=_statuses(recipients_of(job, covering), delivered),
            can_send=scoping.can_send_report(user, job),
            to_acknowledge=[
                d
                for d in delivered
                if not d.is_acknowledged
                and scoping.receives_for(user, recipient=d.recipient, province_code=d.province_id, balai_id=d.balai_id)
            ],
        )
    return cells


def inbox(user: AnyUser) -> QuerySet[ReportDelivery]:
    """Reports delivered to the user's Pokja or Balai and not yet acknowledged, oldest first."""
    if not scoping.is_recipient_user(user):
        return ReportDelivery.objects.none()
    return (
        ReportDelivery.objects.filter(scoping.received_q(user), acknowledged_at__isnull=True, job__status="done")
        .select_related(*DELIVERY_RELATED)
        .order_by("sent_at", "pk")
    )


def inbox_count(user: AnyUser) -> int:
    return inbox(user).count() if scoping.is_recipient_user(user) else 0


def delivery_for_recipient(user: AnyUser, pk: int) -> ReportDelivery:
    """A delivery the user receives, or 404."""
    deliveries = ReportDelivery.objects.filter(scoping.received_q(user)).select_related(*DELIVERY_RELATED)
    return scoping.get_or_404(deliveries, pk=pk)


def counted_for_year_q(year: int, prefix: str = "job__") -> Q:
    """Reports that count for ``year``: ending in it, or covering all of it (see the module's docstring)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Q(**{f"{prefix}period_end__year": year}) | Q(
        **{f"{prefix}period_start__lte": first, f"{prefix}period_end__gt": last}
    )


@dataclass(frozen=True)
class PeriodRow:
    """A regency (or a province, for its own report) and, per recipient, its latest delivery for the year."""

    regency: Regency | None
    province: Province
    statuses: list[RecipientStatus]

    @property
    def name(self) -> str:
        return self.regency.name if self.regency else self.province.name

    @property
    def missing(self) -> list[RecipientChoice]:
        return [status.choice for status in self.statuses if status.delivery is None]

    @property
    def delivered(self) -> bool:
        """Every recipient has received a report for the year."""
        return not self.missing

    @property
    def delivered_anywhere(self) -> bool:
        return any(status.delivery is not None for status in self.statuses)


def _year_deliveries(year: int) -> QuerySet[ReportDelivery]:
    return (
        ReportDelivery.objects.filter(counted_for_year_q(year), job__status="done")
        .select_related("job", "province", "balai", "sent_by", "acknowledged_by")
        .order_by("sent_at", "pk")
    )


def _by_regency(deliveries: Iterable[ReportDelivery]) -> dict[str, list[ReportDelivery]]:
    by_regency: dict[str, list[ReportDelivery]] = defaultdict(list)
    for delivery in deliveries:
        if delivery.job.audience == Audience.REGENCY and delivery.job.regency_id:
            by_regency[delivery.job.regency_id].append(delivery)
    return by_regency


def _by_province(deliveries: Iterable[ReportDelivery]) -> dict[str, list[ReportDelivery]]:
    by_province: dict[str, list[ReportDelivery]] = defaultdict(list)
    for delivery in deliveries:
        if delivery.job.audience == Audience.PROVINCIAL and delivery.job.province_id:
            by_province[delivery.job.province_id].append(delivery)
    return by_province


def _regency_period_rows(
    regencies: Sequence[Regency], covering: dict[str, list[Balai]], by_regency: dict[str, list[ReportDelivery]]
) -> list[PeriodRow]:
    return [
        PeriodRow(
            regency,
            regency.province,
            _statuses(regency_recipients(regency, covering), by_regency.get(regency.code, [])),
        )
        for regency in regencies
    ]


def _province_period_rows(
    provinces: Sequence[Province], covering: dict[str, list[Balai]], by_province: dict[str, list[ReportDelivery]]
) -> list[PeriodRow]:
    return [
        PeriodRow(
            None, province, _statuses(province_recipients(province, covering), by_province.get(province.code, []))
        )
        for province in provinces
    ]


def regency_rows(regencies: Sequence[Regency], year: int) -> list[PeriodRow]:
    """Each regency (with its province loaded) and who has received its report for ``year``; 3 queries."""
    covering = balai_by_province(r.province_id for r in regencies)
    codes = [regency.code for regency in regencies]
    delivered = _year_deliveries(year).filter(job__audience=Audience.REGENCY, job__regency__in=codes)
    return _regency_period_rows(regencies, covering, _by_regency(delivered))


def province_rows(provinces: Sequence[Province], year: int) -> list[PeriodRow]:
    """Each province's own report for ``year`` and who has received it; 2 queries."""
    covering = balai_by_province(p.code for p in provinces)
    codes = [province.code for province in provinces]
    delivered = _year_deliveries(year).filter(job__audience=Audience.PROVINCIAL, job__province__in=codes)
    return _province_period_rows(provinces, covering, _by_province(delivered))


def _provinces_with_balai(
    codes: Sequence[str], delivered: QuerySet[ReportDelivery]
) -> tuple[dict[str, Province], dict[str, list[Balai]], bool]:
    """In one query: the provinces with these codes, the Balai covering each (by name; a left join, a
    province may have none) and whether ``delivered`` has any row, so a year without deliveries (most
    provinces, most years) costs this query alone."""
    province_fields = [field.attname for field in Province._meta.concrete_fields]
    balai_fields = [field.attname for field in Balai._meta.concrete_fields]
    rows = (
        Province.objects.filter(code__in=codes)
        .annotate(any_delivered=Exists(delivered.order_by()))
        .order_by("code", "balai_set__name")
        .values(*province_fields, "any_delivered", *(f"balai_set__{name}" for name in balai_fields))
    )
    provinces: dict[str, Province] = {}
    covering: dict[str, list[Balai]] = defaultdict(list)
    any_delivered = False
    for row in rows:
        any_delivered = row["any_delivered"]
        if row["code"] not in provinces:
            provinces[row["code"]] = Province(**{name: row[name] for name in province_fields})
        if row["balai_set__id"] is not None:
            covering[row["code"]].append(Balai(**{name: row[f"balai_set__{name}"] for name in balai_fields}))
    return provinces, covering, any_delivered


def own_report_rows(codes: Iterable[str], year: int) -> list[PeriodRow]:
    """``province_rows`` of the provinces with these codes, read with them (``_provinces_with_balai``), the
    deliveries themselves only if the year has any: 1 query instead of 3 in most years."""
    codes = sorted(set(codes))
    delivered = _year_deliveries(year).filter(job__audience=Audience.PROVINCIAL, job__province__in=codes)
    provinces, covering, any_delivered = _provinces_with_balai(codes, delivered)
    by_province = _by_province(delivered) if any_delivered else {}
    return _province_period_rows(list(provinces.values()), covering, by_province)


@dataclass(frozen=True)
class ProvinceYear:
    """A province's deliveries for a year: its regencies' rows, its own report's row and its Balai."""

    regency_rows: list[PeriodRow]
    province_row: PeriodRow
    balai: list[Balai]  # the Balai covering the province, by name


def province_year(province: Province, regencies: Sequence[Regency], year: int) -> ProvinceYear:
    """``regency_rows(regencies, year)`` and ``province_rows([province], year)`` with the same rows, in 2
    queries instead of 4: one read of the Balai (``_provinces_with_balai``, which also asks whether the year
    has any such delivery) and, only if it has, one of the year's deliveries of both audiences."""
    codes = sorted({province.code, *(r.province_id for r in regencies)})
    delivered_q = Q(job__audience=Audience.REGENCY, job__regency__in=[regency.code for regency in regencies]) | Q(
        job__audience=Audience.PROVINCIAL, job__province=province.code
    )
    _, covering, any_delivered = _provinces_with_balai(codes, _year_deliveries(year).filter(delivered_q))
    delivered = list(_year_deliveries(year).filter(delivered_q)) if any_delivered else []
    return ProvinceYear(
        regency_rows=_regency_period_rows(regencies, covering, _by_regency(delivered)),
        province_row=_province_period_rows([province], covering, _by_province(delivered))[0],
        balai=list(covering.get(province.code, [])),
    )


def due_year(today: datetime.date) -> int:
    """The latest year whose report is due on ``today``: year Y is due from REPORT_DELIVERY_DUE_DAY
    (15) January of Y + 1, so on 14 January 2024 that is 2022 and from 15 January 2024 it is 2023."""
    due_day = int(settings.REPORT_DELIVERY_DUE_DAY)
    return today.year - 1 if today >= datetime.date(today.year, 1, due_day) else today.year - 2


def due_since(year: int) -> datetime.date:
    return datetime.date(year + 1, 1, int(settings.REPORT_DELIVERY_DUE_DAY))
