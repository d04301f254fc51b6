"""Demo report deliveries: real 2023 reports of Kalteng regencies, compiled and sent to their recipients.

Coaching Clinic 6 (23 June 2023) asked each regency's Pokja to report to the Pokja PPAS Nasional, the
provincial Pokja and the BPPW (its fourth follow-up). Here:

- Barito Timur sent its semester I 2023 report on 21 July 2023 to all three, answering its CC6 action
  (closed that day): the province and the Balai acknowledged it, the national Pokja has not yet;
- Murung Raya sent its 2023 report only to the province, in January 2024, unacknowledged: its CC6
  action stays open;
- Barito Selatan (the 2021 cohort) sent its 2023 report to all three in January 2024, all acknowledged;
- every other regency has delivered nothing for 2023;
- since then Barito Timur and Barito Selatan sent their 2024 reports and Sukamara its 2024 one to the
  province;
- from 2025 on every regency with an officer and the province send the year's report to all their
  recipients in the weeks after it falls due (``deliveries.due_since``, 15 January), each on its own day
  (``YEARLY_OFFSETS``): Barito Timur, always late, eight weeks after. A year due after the demo's day is
  not sent; one that fell due shortly before it is sent only by those whose day has come, so a demo
  seeded on 10 March 2027 has Barito Timur's 2026 report still to send (its officer's task) and nothing
  waits longer than eight weeks.

The reports are compiled for real (``services.compile_job``, in the foreground) and their job times set
to the story's; the figures inside are gathered when the seed runs. The deliveries are written with the
ORM, not ``deliveries.send_report``, which stamps the present time and e-mails the recipients. Safe to
run again: a regency whose demo report for that period exists is skipped.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from milestones.demo.loader import KALTENG, WIB, today
from milestones.models import FollowUpAction
from regencies.models import Balai, Province, Regency, Role, UserRole
from reports import deliveries, services
from reports.models import Recipient, ReportDelivery, ReportJob
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import User

# The CC6 action "Menyampaikan laporan hasil pelaksanaan Milestone 4 kepada …" (clinics_2023.toml).
CC6_ACTION_OPENING = "Menyampaikan laporan hasil pelaksanaan Milestone 4"


@dataclass(frozen=True)
class DemoDelivery:
    regency: str  # a regency's code, or the province's for its own report
    period: tuple[datetime.date, datetime.date]
    sent: datetime.datetime
    note: str
    # Recipient kind → when it was acknowledged (None: not yet). Kinds left out were not sent to.
    recipients: dict[str, datetime.datetime | None]
    answers_cc6: bool = False


def _wib(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=WIB)


YEAR_2023 = (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
YEAR_2024 = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
YEAR_2025 = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
DELIVERIES = [
    DemoDelivery(
        regency="62.13",  # Kabupaten Barito Timur
        period=(datetime.date(2023, 1, 1), datetime.date(2023, 6, 30)),
        sent=_wib(2023, 7, 21, 15, 45),
        note="Laporan pelaksanaan SSK semester I 2023 dan hasil Milestone 4, sesuai tindak lanjut Coaching Clinic 6.",
        recipients={
            Recipient.NATIONAL: None,
            Recipient.PROVINCIAL: _wib(2023, 7, 24, 9, 10),
            Recipient.BALAI: _wib(2023, 7, 26, 11, 0),
        },
        answers_cc6=True,
    ),
    DemoDelivery(
        regency="62.12",  # Kabupaten Murung Raya
        period=YEAR_2023,
        sent=_wib(2024, 1, 19, 14, 0),
        note="Laporan tahunan 2023; SK Bupati pembentukan UPTD PALD menyusul.",
        recipients={Recipient.PROVINCIAL: None},
        answers_cc6=True,
    ),
    DemoDelivery(
        regency="62.04",  # Kabupaten Barito Selatan
        period=YEAR_2023,
        sent=_wib(2024, 1, 12, 10, 30),
        note="Laporan tahunan pelaksanaan SSK 2023 (tahun ke-2 setelah Milestone 4).",
        recipients={
            Recipient.NATIONAL: _wib(2024, 1, 16, 8, 45),
            Recipient.PROVINCIAL: _wib(2024, 1, 15, 13, 20),
            Recipient.BALAI: _wib(2024, 1, 17, 10, 0),
        },
    ),
    # The yearly reports of 2024: Barito Timur and Barito Selatan each January, Sukamara to the province only.
    DemoDelivery(
        regency="62.13",  # Kabupaten Barito Timur
        period=YEAR_2024,
        sent=_wib(2025, 1, 24, 10, 15),
        note="Laporan tahunan pelaksanaan SSK 2024 (tahun ke-3), layanan LLTT di 10 kecamatan.",
        recipients={
            Recipient.NATIONAL: _wib(2025, 2, 3, 9, 0),
            Recipient.PROVINCIAL: _wib(2025, 1, 27, 8, 30),
            Recipient.BALAI: _wib(2025, 1, 29, 14, 0),
        },
    ),
    DemoDelivery(
        regency="62.04",  # Kabupaten Barito Selatan
        period=YEAR_2024,
        sent=_wib(2025, 1, 14, 9, 45),
        note="Laporan tahunan pelaksanaan SSK 2024 (tahun ke-4 setelah Milestone 4).",
        recipients={
            Recipient.NATIONAL: _wib(2025, 1, 21, 10, 0),
            Recipient.PROVINCIAL: _wib(2025, 1, 16, 11, 0),
            Recipient.BALAI: _wib(2025, 1, 20, 9, 30),
        },
    ),
    DemoDelivery(
        regency="62.04",  # Kabupaten Barito Selatan
        period=YEAR_2025,
        sent=_wib(2026, 1, 13, 10, 0),
        note="Laporan tahunan pelaksanaan SSK 2025 (tahun ke-5, terakhir dipantau).",
        recipients={
            Recipient.NATIONAL: _wib(2026, 1, 22, 10, 30),
            Recipient.PROVINCIAL: _wib(2026, 1, 15, 9, 15),
            Recipient.BALAI: _wib(2026, 1, 19, 13, 0),
        },
    ),
    DemoDelivery(
        regency="62.08",  # Kabupaten Sukamara
        period=YEAR_2024,
        sent=_wib(2025, 2, 10, 14, 30),
        note="Laporan tahunan pelaksanaan SSK 2024.",
        recipients={Recipient.PROVINCIAL: _wib(2025, 2, 12, 10, 0)},
    ),
]


# From 2025: the first year whose report every regency and the province send (``yearly``).
YEARLY_FROM = 2025
# Days after the year falls due that a regency (by code) or the province sends its report; the others
# send on the days of DEFAULT_OFFSETS, in the order of their codes. Barito Timur always sends late.
YEARLY_OFFSETS = {"62.13": 56, KALTENG: 21}
DEFAULT_OFFSETS = (-4, 2, 6, 9, -1, 12, 4, 7, 1, 10, 3, 5)
ACKNOWLEDGED_AFTER = (2, 5, 3)  # days after sending that the national Pokja, the province, the Balai confirm


def yearly(day: datetime.date) -> list[DemoDelivery]:
    """Each due year's report from YEARLY_FROM, of every regency with an officer and of the province, sent
    by the demo's ``day`` (and acknowledged by then, or not yet)."""
    with_officer = sorted(
        set(
            UserRole.objects.filter(role=Role.REGENCY_OFFICER, regency__province=KALTENG).values_list(
                "regency_id", flat=True
            )
        )
    )
    kinds = (Recipient.NATIONAL, Recipient.PROVINCIAL, Recipient.BALAI)
    specs = []
    for year in range(YEARLY_FROM, deliveries.due_year(day) + 1):
        due = deliveries.due_since(year)
        for index, code in enumerate([*with_officer, KALTENG]):
            offset = YEARLY_OFFSETS.get(code, DEFAULT_OFFSETS[index % len(DEFAULT_OFFSETS)])
            sent = datetime.datetime.combine(due + datetime.timedelta(days=offset), datetime.time(10, 30), tzinfo=WIB)
            if sent.date() > day:
                continue  # not sent yet
            acknowledged = {
                kind: at if (at := sent + datetime.timedelta(days=after)).date() <= day else None
                for kind, after in zip(kinds, ACKNOWLEDGED_AFTER, strict=True)
                if not (code == KALTENG and kind == Recipient.PROVINCIAL)  # the province's own report
            }
            specs.append(
                DemoDelivery(
                    regency=code,
                    period=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
                    sent=sent,
                    note=f"Laporan tahunan pelaksanaan SSK {year}.",
                    recipients=acknowledged,
                )
            )
    return specs


def seed_deliveries() -> list[ReportDelivery]:
    """Compile and deliver the demo's yearly reports (2023 to the last year due on the demo's day);
    returns the deliveries created this time."""
    made: list[ReportDelivery] = []
    with transaction.atomic():
        receivers = _receivers()
        balai = Balai.objects.filter(provinces=KALTENG).order_by("name").first()
        for spec in [*DELIVERIES, *yearly(today())]:
            made += _deliver(spec, receivers, balai)
    return made


def _receivers() -> dict[str, User]:
    """The demo user who acknowledges for each kind of recipient (regencies.demo makes them)."""
    roles = {
        Role.NATIONAL: Recipient.NATIONAL,
        Role.PROVINCIAL_STAFF: Recipient.PROVINCIAL,
        Role.BALAI_STAFF: Recipient.BALAI,
    }
    found: dict[str, User] = {}
    for role in UserRole.objects.select_related("user").filter(role__in=list(roles)).order_by("user__username"):
        if role.role == Role.PROVINCIAL_STAFF and role.province_id != KALTENG:
            continue
        found.setdefault(roles[Role(role.role)], role.user)
    return found


def _deliver(spec: DemoDelivery, receivers: dict[str, User], balai: Balai | None) -> list[ReportDelivery]:
    if "." not in spec.regency:
        return _deliver_own(spec, receivers, balai)
    regency = Regency.objects.select_related("province").get(code=spec.regency)
    start, end = spec.period
    if ReportDelivery.objects.filter(job__regency=regency, job__period_start=start, job__period_end=end).exists():
        return []
    officer_role = (
        UserRole.objects.select_related("user")
        .filter(role=Role.REGENCY_OFFICER, regency=regency)
        .order_by("user__username")
        .first()
    )
    if officer_role is None:
        return []
    officer = officer_role.user
    job = services.request_report(
        audience="regency", regency=regency, period=spec.period, requested_by=officer, enqueue_job=False
    )
    return _sent(job, spec, regency.province, officer, receivers, balai, regency)


def _deliver_own(spec: DemoDelivery, receivers: dict[str, User], balai: Balai | None) -> list[ReportDelivery]:
    """The province's own report, compiled and sent by its provincial staff (pokja.kalteng)."""
    province = Province.objects.get(code=spec.regency)
    start, end = spec.period
    own = ReportDelivery.objects.filter(
        job__audience="provincial", job__province=province, job__period_start=start, job__period_end=end
    )
    staff = receivers.get(Recipient.PROVINCIAL)
    if own.exists() or staff is None:
        return []
    job = services.request_report(
        audience="provincial", province=province, period=spec.period, requested_by=staff, enqueue_job=False
    )
    return _sent(job, spec, province, staff, receivers, balai, None)


def _sent(
    job: ReportJob,
    spec: DemoDelivery,
    province: Province,
    sender: User,
    receivers: dict[str, User],
    balai: Balai | None,
    regency: Regency | None,
) -> list[ReportDelivery]:
    """Compile ``job`` and record its deliveries to ``spec``'s recipients, all at the story's times."""
    services.compile_job(job.pk)
    compiled = spec.sent - datetime.timedelta(hours=2)
    ReportJob.objects.filter(pk=job.pk).update(
        created_at=compiled,
        queued_at=compiled,
        started_at=compiled,
        finished_at=compiled + datetime.timedelta(seconds=5),
    )
    action = None
    if spec.answers_cc6 and regency is not None:
        action = FollowUpAction.objects.filter(
            recommendation__clinic__number=6,
            recommendation__clinic__province=KALTENG,
            regency=regency,
            description__startswith=CC6_ACTION_OPENING,
        ).first()
    made = []
    for kind, acknowledged in spec.recipients.items():
        if kind == Recipient.BALAI and balai is None:
            continue
        made.append(
            ReportDelivery(
                job=job,
                recipient=kind,
                province=province if kind == Recipient.PROVINCIAL else None,
                balai=balai if kind == Recipient.BALAI else None,
                sent_by=sender,
                sent_at=spec.sent,
                cover_note=spec.note,
                acknowledged_by=receivers.get(kind) if acknowledged else None,
                acknowledged_at=acknowledged if receivers.get(kind) else None,
                notified_at=spec.sent,  # the story's e-mails went out when it was sent
                follow_up_action=action,
            )
        )
    return audit.bulk_created(ReportDelivery.objects.bulk_create(made))
