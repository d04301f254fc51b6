"""Demo milestones for Kalimantan Tengah: cohorts 2021–2025 walked through the real review workflow.

Called by ``manage.py seed_demo`` after the regions and the demo users exist. The stories are data
(``data/stories_*.toml``, one file per cohort; the officers who write them in ``data/officers.toml``).
Each report is played through the services (save_draft → submit_update → approve_update /
return_update), so the history, the evidence, the checks and the milestone statuses are the real
ones; the services stamp the present time, so every step is then dated to its day in the story (WIB).
A regency whose cohort of that year exists is skipped: running it again creates nothing.

The stories follow DOMAIN.md: Barito Selatan and Sukamara (2021 cohort) done; Barito Timur and
Murung Raya (2022) at M4 around Coaching Clinic 6 (23 June 2023), both verified after it; Gunung Mas and
Barito Utara (2024) at M4 in 2025; Kapuas and Seruyan (2025) at M1–M3 in 2025. What happened since is
dated back from the demo's day (``loader.today()``, ``seed_demo --today``): the 2024 and 2025 cohorts'
latest reports and the 2026 cohort (Katingan, Pulang Pisau), so reports wait days, not years.
Decree numbers and evidence files say "DEMO".
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from milestones import evidence
from milestones.demo import loader
from milestones.demo.loader import build, data_files, demo_pdf, demo_png, provincial_reviewer, read, tables
from milestones.models import Blob, Cohort, Evidence, EvidenceVerdict, HistoryEntry, Milestone, MilestoneUpdate, Notice
from milestones.services import milestones as services
from milestones.services import notices
from regencies.models import Regency, Role, UserRole

# --- The story's vocabulary -------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """One progress report on a milestone and its way through the review: drafted, then perhaps submitted,
    then approved or returned. A report that follows a returned (or still draft) one revises that update.
    ``files`` are evidence names, generated as PDF or PNG by extension."""

    milestone: int
    drafted: datetime.datetime
    progress: int
    narrative: str
    obstacles: str = ""
    next_steps: str = ""
    files: tuple[str, ...] = ()
    submitted: datetime.datetime | None = None
    approved: datetime.datetime | None = None
    comment: str = ""
    returned: datetime.datetime | None = None
    reason: str = ""
    # Required items the reviewer rejects on a returned report: item number (its order, 1 = first) → note.
    # Every other item the officer claims is accepted when the report is decided.
    rejected: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.milestone not in (1, 2, 3, 4):
            raise ValueError(f"milestone {self.milestone} is not 1, 2, 3 or 4")
        if not 0 <= self.progress <= 100:
            raise ValueError(f"progress {self.progress} is not between 0 and 100")
        if self.approved and self.returned:
            raise ValueError("a report is either approved or returned, not both")
        decided = self.approved or self.returned
        if decided and not self.submitted:
            raise ValueError("a report is decided only after it is submitted")
        if self.comment and not self.approved:
            raise ValueError("a comment belongs to an approved report")
        if bool(self.reason) != bool(self.returned):
            raise ValueError("a returned report needs its reason, and a reason needs the return")
        if self.rejected and not self.returned:
            raise ValueError("rejected evidence belongs to a returned report")
        if not all(note.strip() for note in self.rejected.values()):
            raise ValueError("each rejected item needs its note for the officer")
        times = [moment for moment in (self.drafted, self.submitted, decided) if moment]
        if times != sorted(times):
            raise ValueError("drafted, submitted and approved/returned must follow each other in time")

    def steps(self) -> list["Step"]:
        steps: list[Step] = [Draft(self.drafted, self)]
        if self.submitted:
            steps.append(Submit(self.submitted))
        if self.approved:
            steps.append(Approve(self.approved, self.comment))
        if self.returned:
            steps.append(Return(self.returned, self.reason, self.rejected))
        return steps


@dataclass(frozen=True)
class Draft:
    """Start the milestone's open update, or revise it while it is a draft or returned."""

    at: datetime.datetime
    report: Report


@dataclass(frozen=True)
class Submit:
    at: datetime.datetime


@dataclass(frozen=True)
class Approve:
    at: datetime.datetime
    comment: str = ""


@dataclass(frozen=True)
class Return:
    at: datetime.datetime
    reason: str
    rejected: dict[int, str] = field(default_factory=dict)


Step = Draft | Submit | Approve | Return


@dataclass(frozen=True)
class Story:
    regency: str
    officer: str
    year: int
    decree_date: datetime.date
    reports: tuple[Report, ...]

    @property
    def decree_number(self) -> str:
        return f"DEMO/Kepmendagri/{self.year}"

    def milestones(self) -> dict[int, list[Step]]:
        """Each milestone's steps, milestones in the order the story first tells them."""
        steps: dict[int, list[Step]] = {}
        for report in self.reports:
            steps.setdefault(report.milestone, []).extend(report.steps())
        return steps


@dataclass(frozen=True)
class Officer:
    """A regency officer beyond the demo log-ins: authors the stories but cannot sign in."""

    regency: str
    username: str
    full_name: str


def load_stories() -> list[Story]:
    """Every story, cohort file by cohort file, in the order the files tell them."""
    stories = []
    for name in data_files("stories_*.toml"):
        for number, row in enumerate(tables(read(name, "stories")["stories"], f"{name}: stories"), start=1):
            where = f"{name}: story {number} ({row.get('regency', '?')})"
            reports = tuple(
                build(Report, report, f"{where}, report {index}")
                for index, report in enumerate(tables(row.get("reports", []), f"{where}: reports"), start=1)
            )
            stories.append(
                build(Story, {key: value for key, value in row.items() if key != "reports"}, where, reports=reports)
            )
    return stories


def load_officers() -> list[Officer]:
    name = "officers.toml"
    rows = tables(read(name, "officers")["officers"], f"{name}: officers")
    return [build(Officer, row, f"{name}: officer {number}") for number, row in enumerate(rows, start=1)]


# --- Playing the stories ----------------------------------------------------------------------------


def seed_milestones() -> list[Cohort]:
    """Create the demo cohorts with their milestone histories; returns the cohorts created this time."""
    stories = load_stories()
    reviewer = provincial_reviewer()
    created = []
    with transaction.atomic():
        # M4 is verified only when the service reaches the full scale the province set: those first.
        from milestones.demo.service_records import seed_services

        seed_services()
        seed_officers()
        for story in stories:
            regency = Regency.objects.get(code=story.regency)
            if Cohort.objects.filter(regency=regency, year_m1_m3=story.year).exists():
                continue
            officer = get_user_model().objects.get(username=story.officer)
            created.append(_play(story, regency, officer, reviewer))
    return created


def seed_officers() -> None:
    """The officers of the regencies beyond the two demo log-ins, without a usable password."""
    User = get_user_model()
    for officer in load_officers():
        first, _, last = officer.full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=officer.username,
            defaults={"first_name": first, "last_name": last, "email": f"{officer.username}@demo.ssk.local"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        UserRole.objects.get_or_create(
            user=user, defaults={"role": Role.REGENCY_OFFICER, "regency_id": officer.regency}
        )


def _play(story: Story, regency: Regency, officer, reviewer) -> Cohort:
    cohort = services.create_cohort(
        regency=regency, year_m1_m3=story.year, decree_number=story.decree_number, decree_date=story.decree_date
    )
    # The service opens the four milestone records now; in the story they were opened with the decree.
    # A milestone the story reports on is dated again by each of its steps; the others keep this day.
    Milestone.objects.filter(cohort=cohort).update(updated_at=_opened(story))
    for number, steps in story.milestones().items():
        milestone = cohort.milestones.select_related("definition").get(definition__number=number)
        _play_milestone(milestone, regency, officer, reviewer, steps)
    return cohort


def _opened(story: Story) -> datetime.datetime:
    """When the cohort's milestone records were opened: its decree day at 09:00 WIB (at the latest the
    demo's day, and never after the story's first report)."""
    opened = datetime.datetime.combine(min(story.decree_date, loader.today()), datetime.time(9), tzinfo=loader.WIB)
    return min([opened, *(report.drafted for report in story.reports)])


def _play_milestone(milestone: Milestone, regency: Regency, officer, reviewer, steps: list[Step]) -> None:
    update = None
    for step in steps:
        when = step.at
        history_mark = _last_pk(HistoryEntry)
        match step:
            case Draft(report=report):
                evidence_mark, blob_mark = _last_pk(Evidence), _last_pk(Blob)
                revising = update is not None and update.is_editable
                update = services.save_draft(
                    milestone=milestone,
                    author=officer,
                    update=update if revising else None,
                    progress=report.progress,
                    narrative=report.narrative,
                    obstacles=report.obstacles,
                    next_steps=report.next_steps,
                    requirements=_requirements_met(milestone, report.progress),
                    files=[_evidence_file(name, regency, milestone, when) for name in report.files],
                )
                stamps = {"updated_at": when} if revising else {"created_at": when, "updated_at": when}
                MilestoneUpdate.objects.filter(pk=update.pk).update(**stamps)
                Evidence.objects.filter(pk__gt=evidence_mark).update(uploaded_at=when)
                Blob.objects.filter(pk__gt=blob_mark).update(created_at=when)
            case _ if update is None:
                raise ValueError(f"{milestone}: the story decides a report before drafting it")
            case Submit():
                services.submit_update(update=update, actor=officer, notify=False)
                MilestoneUpdate.objects.filter(pk=update.pk).update(submitted_at=when, updated_at=when)
                _notice_if_recent(notices.update_submitted(update.pk), when)
            case Approve(comment=comment):
                _judge(update, reviewer, when, rejected={})
                services.approve_update(update=update, reviewer=reviewer, comment=comment, notify=False)
                MilestoneUpdate.objects.filter(pk=update.pk).update(decided_at=when, updated_at=when)
                _notice_if_recent(notices.update_decided(update.pk), when)
                if milestone.is_locked:
                    milestone.actual_date = when.date()
                    Milestone.objects.filter(pk=milestone.pk).update(actual_date=milestone.actual_date)
            case Return(reason=reason, rejected=rejected):
                _judge(update, reviewer, when, rejected=rejected)
                services.return_update(update=update, reviewer=reviewer, reason=reason, notify=False)
                MilestoneUpdate.objects.filter(pk=update.pk).update(decided_at=when, updated_at=when)
                _notice_if_recent(notices.update_decided(update.pk), when)
        HistoryEntry.objects.filter(pk__gt=history_mark).update(at=when)
        Milestone.objects.filter(pk=milestone.pk).update(updated_at=when)


# The demo sends no e-mail (notify=False), but the last weeks' events leave their in-app notices, unread,
# as the pages would have: the officer's bell shows the return, the Pokja's the updates waiting.
NOTICE_DAYS = 21


def _notice_if_recent(built: list[Notice], when: datetime.datetime) -> None:
    if when.date() >= loader.today() - datetime.timedelta(days=NOTICE_DAYS):
        for notice in built:
            notice.created_at = when
        notices.create(built)


def _judge(update: MilestoneUpdate, reviewer, when: datetime.datetime, rejected: dict[int, str]) -> None:
    """The reviewer's verdicts before deciding: the listed items rejected with their notes, every other claimed
    item accepted (so a verified milestone has each required item accepted, as the gate demands)."""
    requirements = {r.order: r for r in update.milestone.definition.requirements.all()}
    unknown = sorted(set(rejected) - set(requirements))
    if unknown:
        raise ValueError(f"{update.milestone}: no required item numbered {unknown} (items: {sorted(requirements)})")
    claimed = set(update.requirements_met.values_list("pk", flat=True))
    for order, requirement in requirements.items():
        if order in rejected:
            verdict, note = EvidenceVerdict.Verdict.REJECTED, rejected[order]
        elif requirement.pk in claimed:
            verdict, note = EvidenceVerdict.Verdict.ACCEPTED, ""
        else:
            continue
        services.judge_evidence(update=update, requirement=requirement, reviewer=reviewer, verdict=verdict, note=note)
    EvidenceVerdict.objects.filter(update=update).update(judged_at=when)


def _last_pk(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _requirements_met(milestone: Milestone, progress: int) -> list:
    requirements = list(milestone.definition.requirements.all())
    return requirements[: len(requirements) * progress // 100]


def _evidence_file(name: str, regency: Regency, milestone: Milestone, when: datetime.datetime):
    if name.endswith(".png"):
        content = demo_png(seed=f"{regency.code} {name}")
    else:
        content = demo_pdf(
            [
                name.rsplit(".", 1)[0],
                "",
                f"{regency.name}, {milestone.definition.code}: {milestone.definition.name}",
                f"Tanggal: {when:%d-%m-%Y}",
                "",
                "DOKUMEN CONTOH untuk demo SSK Tracker - bukan dokumen resmi.",
            ]
        )
    uploaded = SimpleUploadedFile(name, content)
    return uploaded, evidence.identify(uploaded)
