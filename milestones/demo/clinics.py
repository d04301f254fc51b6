"""Demo coaching clinics with their participants, recommendations and follow-up actions for Kalteng.

The clinics are data (``data/clinics_*.toml``, one file per year; the people who attend them in
``data/clinic_people.toml``). Call ``seed_clinics()`` after the regions and the demo users exist.
It is safe to run again: a clinic is skipped when the province already has a clinic of that number and
title (not date: a clinic dated back from the demo's day falls on another date when seeded another day).

The story follows DOMAIN.md for Barito Timur (62.13) and Murung Raya (62.12), the 2022 cohort:

- CC1–CC5 in 2022 (CC1 → M1; CC2 at each regency and CC3 at the province → M2; CC4 prepares and CC5
  evaluates the M3 pilot). Most of their follow-ups are done; two carried over past CC6 and were done
  early in 2024: Murung Raya's UPTD PALD (CC3) and Barito Timur's retribution campaign (CC5).
- CC6 on Friday 23 June 2023 reviewed M4 and asked for the four follow-ups, each with concrete
  actions: most done in 2023, one dropped, and a few still open at the end of 2023.
- CC7 (October 2023) closed the 2022 cohort's M4, drafted the Pokja's 2024 work plan and reviewed what
  was still open: all of it done in January–March 2024, so nothing of 2022–2023 is overdue today.
- The later cohorts' clinics (``clinics_2026.toml``) are dated back from the demo's day: CC6 of Kapuas
  and Seruyan (2025 cohort) and CC4 of Katingan and Pulang Pisau (2026 cohort), with follow-ups done,
  open, and a few overdue by days.

The direct ORM is used (not the services, which stamp the present time and the signed-in user), so
the models' rules are kept here: one owner per action and a reason for every dropped action.
"""

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from milestones import evidence
from milestones.demo.loader import (
    KALTENG,
    WIB,
    DemoDataError,
    build,
    choices,
    data_files,
    demo_pdf,
    offset_days,
    provincial_reviewer,
    read,
    regency_officer,
    tables,
    today,
)
from milestones.models import (
    ActionEvidence,
    ClinicParticipant,
    CoachingClinic,
    FollowUpAction,
    MilestoneDefinition,
    Recommendation,
)
from regencies.models import Agency, Province, Regency, WorkingGroup

Status = FollowUpAction.Status
OWNERS = ("province", "pokja", "regency")


# --- The vocabulary ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A follow-up step. ``owner`` is "province" (the provincial Pokja), "pokja" (the regency's Pokja),
    "regency", or "agency:<agency name>" (an OPD of the regency, looked up; the regency if missing).
    ``closed`` and ``note`` (closing note, or the reason when dropped) are for done and dropped actions;
    ``evidence`` names a generated PDF attached to a closed action."""

    description: str
    owner: str
    due: datetime.date
    regency: str | None = None
    status: str = field(default=Status.OPEN, metadata=choices(Status))
    closed: datetime.datetime | None = None
    note: str = ""
    evidence: str = ""

    def __post_init__(self) -> None:
        kind, _, name = self.owner.partition(":")
        if not (self.owner in OWNERS or (kind == "agency" and name)):
            raise ValueError(f"owner {self.owner!r} is not province, pokja, regency or agency:<agency name>")
        closing = self.status in (Status.DONE, Status.DROPPED)
        if closing and not (self.closed and self.note):
            raise ValueError(f"a {self.status} action needs closed and note")
        if not closing and (self.closed or self.note or self.evidence):
            raise ValueError(f"an action still {self.status} has no closed, note or evidence")


@dataclass(frozen=True)
class Rec:
    text: str
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Person:
    """A participant; ``agency`` is the short name of an existing Agency to link: a national one, or the
    province's or regency's given by ``agency_region``."""

    name: str
    agency_name: str
    role: str = ""
    online: bool = False
    agency: str = ""
    agency_region: str = ""


@dataclass(frozen=True)
class Attendance:
    """Who of a group of clinic_people.toml came: all, or ``only`` these; ``online`` ones joined online."""

    group: str
    only: tuple[str, ...] = ()
    online: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clinic:
    number: int
    title: str
    date: datetime.date
    regencies: tuple[str, ...]
    venue: str
    mode: str = field(metadata=choices(CoachingClinic.Mode))
    opened_by: str
    summary: str
    participants: tuple[Person, ...]
    recommendations: tuple[Rec, ...]
    milestone: int | None = None
    minutes: str = ""  # the berita acara's lines; its file name is the first line


def load_people() -> dict[str, tuple[Person, ...]]:
    name = "clinic_people.toml"
    return {
        group: tuple(
            build(Person, row, f"{name}: {group} {number}")
            for number, row in enumerate(tables(rows, f"{name}: {group}"), start=1)
        )
        for group, rows in read(name).items()
    }


def load_clinics() -> list[Clinic]:
    people = load_people()
    clinics = []
    for name in data_files("clinics_*.toml"):
        for number, row in enumerate(tables(read(name, "clinics")["clinics"], f"{name}: clinics"), start=1):
            where = f"{name}: clinic {number} (CC{row.get('number', '?')})"
            attendances = [
                build(Attendance, entry, f"{where}, participants {index}")
                for index, entry in enumerate(tables(row.pop("participants", []), f"{where}: participants"), 1)
            ]
            recommendations = tuple(
                _recommendation(rec, f"{where}, recommendation {index}")
                for index, rec in enumerate(tables(row.pop("recommendations", []), f"{where}: recommendations"), 1)
            )
            participants = tuple(
                person
                for index, attendance in enumerate(attendances, start=1)
                for person in _attending(attendance, people, f"{where}, participants {index}")
            )
            clinics.append(build(Clinic, row, where, participants=participants, recommendations=recommendations))
    return clinics


def _recommendation(row: dict, where: str) -> Rec:
    actions = tuple(
        build(Action, action, f"{where}, action {index}")
        for index, action in enumerate(tables(row.pop("actions", []), f"{where}: actions"), start=1)
    )
    return build(Rec, row, where, actions=actions)


def _attending(attendance: Attendance, people: dict[str, tuple[Person, ...]], where: str) -> list[Person]:
    if attendance.group not in people:
        raise DemoDataError(f"{where}: no group {attendance.group!r} in clinic_people.toml")
    members = {person.name: person for person in people[attendance.group]}
    strangers = [name for name in (*attendance.only, *attendance.online) if name not in members]
    if strangers:
        raise DemoDataError(f"{where}: {', '.join(map(repr, strangers))} not in the group {attendance.group}")
    names = attendance.only or tuple(members)
    if not set(attendance.online) <= set(names):
        raise DemoDataError(f"{where}: someone online is not among those who came")
    return [
        dataclasses.replace(members[name], online=True) if name in attendance.online else members[name]
        for name in names
    ]


# --- Seeding ----------------------------------------------------------------------------------------


def seed_clinics() -> list[CoachingClinic]:
    """Create the demo clinics with their follow-ups; returns the clinics created this time."""
    clinics = load_clinics()
    with transaction.atomic():
        province = Province.objects.get(code=KALTENG)
        reviewer = provincial_reviewer()
        created = [clinic for spec in clinics if (clinic := _seed_clinic(spec, province, reviewer)) is not None]
    return created


def seeded_day() -> datetime.date | None:
    """The day the demo already in the database ends on, None where no demo is: the first clinic of the data
    dated back from the demo's day (``"-45d"``) tells it, found as ``_seed_clinic`` finds it (number, title)."""
    for name in data_files("clinics_*.toml"):
        for row in tables(read(name, "clinics")["clinics"], f"{name}: clinics"):
            days, number, title = offset_days(row.get("date")), row.get("number"), row.get("title")
            if days is None or not isinstance(number, int) or not isinstance(title, str):
                continue  # a clinic with its own date, or one load_clinics refuses when the demo is seeded
            clinics = CoachingClinic.objects.filter(province_id=KALTENG, number=number, title=title)
            seeded = clinics.values_list("date", flat=True).first()
            return None if seeded is None else seeded - datetime.timedelta(days=days)
    return None


def _at(day: datetime.date, days_later: int, hour: int = 10) -> datetime.datetime:
    """``days_later`` after ``day`` at ``hour`` WIB, but never after the demo's day (a recent clinic is
    recorded that morning at the latest)."""
    latest = datetime.datetime.combine(today(), datetime.time(8), tzinfo=WIB)
    at = datetime.datetime.combine(day + datetime.timedelta(days=days_later), datetime.time(hour), tzinfo=WIB)
    return min(at, latest)


def _pdf(name: str, lines) -> tuple[str, object]:
    disclaimer = "DOKUMEN CONTOH untuk demo SSK Tracker - bukan dokumen resmi."
    upload = SimpleUploadedFile(name, demo_pdf([*lines, "", disclaimer]))
    return upload.name, evidence.store(upload, evidence.identify(upload))


def _seed_clinic(spec: Clinic, province: Province, reviewer) -> CoachingClinic | None:
    if CoachingClinic.objects.filter(province=province, number=spec.number, title=spec.title).exists():
        return None
    regencies = Regency.objects.in_bulk(list(spec.regencies))
    minutes, minutes_name = None, ""
    if spec.minutes:
        lines = spec.minutes.split("\n")
        minutes_name, minutes = _pdf(f"{lines[0]}.pdf", lines)
    clinic = CoachingClinic.objects.create(
        province=province,
        number=spec.number,
        title=spec.title,
        date=spec.date,
        venue=spec.venue,
        mode=spec.mode,
        opened_by=spec.opened_by,
        organiser=WorkingGroup.objects.filter(level=WorkingGroup.Level.PROVINCIAL, province=province).first(),
        milestone=MilestoneDefinition.objects.filter(number=spec.milestone).first() if spec.milestone else None,
        summary=spec.summary,
        minutes=minutes,
        minutes_name=minutes_name,
        created_by=reviewer,
    )
    clinic.regencies.set(regencies.values())
    recorded = _at(spec.date, 3)
    CoachingClinic.objects.filter(pk=clinic.pk).update(created_at=recorded)
    ClinicParticipant.objects.bulk_create(
        ClinicParticipant(
            clinic=clinic,
            name=person.name,
            agency=_agency(person.agency_region, person.agency) if person.agency else None,
            agency_name=person.agency_name,
            role=person.role,
            online=person.online,
        )
        for person in spec.participants
    )
    for order, rec in enumerate(spec.recommendations, start=1):
        recommendation = Recommendation.objects.create(clinic=clinic, order=order, text=rec.text)
        for action in rec.actions:
            _seed_action(recommendation, action, province, regencies, reviewer, recorded)
    return clinic


def _agency(code: str, short_name: str) -> Agency | None:
    agencies = Agency.objects.filter(short_name=short_name)
    if not code:
        return agencies.filter(province=None, regency=None).first()
    if "." in code:
        return agencies.filter(regency_id=code).first()
    return agencies.filter(province_id=code, regency=None).first()


def _owner(action: Action, province: Province, regency: Regency | None) -> dict:
    kind, _, name = action.owner.partition(":")
    if kind == "province":
        pokja = WorkingGroup.objects.get(level=WorkingGroup.Level.PROVINCIAL, province=province)
        return {"assigned_working_group": pokja}
    if kind == "pokja":
        return {"assigned_working_group": WorkingGroup.objects.get(level=WorkingGroup.Level.REGENCY, regency=regency)}
    if kind == "agency":
        agency = Agency.objects.filter(name=name, regency=regency).first()
        if agency:
            return {"assigned_agency": agency}
    return {"assigned_regency": regency}


def _seed_action(recommendation, action: Action, province, regencies, reviewer, recorded) -> None:
    regency = regencies.get(action.regency) if action.regency else None
    closing = {}
    if action.status in (Status.DONE, Status.DROPPED):
        closer = reviewer
        if action.owner != "province" and regency is not None:
            closer = regency_officer(regency.code, reviewer)
        closing = {
            "closed_at": action.closed,
            "closed_by": closer,
            ("drop_reason" if action.status == Status.DROPPED else "closing_note"): action.note,
        }
    follow_up = FollowUpAction.objects.create(
        recommendation=recommendation,
        province=province,
        regency=regency,
        description=action.description,
        due_date=action.due,
        status=action.status,
        **_owner(action, province, regency),
        **closing,
    )
    updated = closing.get("closed_at") or recorded
    if action.status == Status.IN_PROGRESS:
        updated = _at(recorded.date(), 21)
    FollowUpAction.objects.filter(pk=follow_up.pk).update(updated_at=updated)
    if action.evidence:
        name, blob = _pdf(
            action.evidence,
            [action.evidence.rsplit(".", 1)[0], "", regency.name if regency else province.name, action.note],
        )
        attached = ActionEvidence.objects.create(
            action=follow_up, blob=blob, original_name=name, uploaded_by=closing["closed_by"]
        )
        ActionEvidence.objects.filter(pk=attached.pk).update(uploaded_at=closing["closed_at"])
