"""The national-scale data set (``manage.py seed_scale``): every regency of the national region list in
the programme, with the volume a real year of use leaves behind, for the page and report benchmarks and
the load test.

Per regency: an SSK document, a cohort, M1–M4 in mixed states, about 20 updates over the milestones with
their full history (each HistoryEntry carrying the milestone's state after it, as the services write it),
evidence rows pointing at a few real files stored once per SHA-256, verdicts, ~30 programme activities
with planning-document integration and five years of budget lines from three sources, NAWASIS entries.
Per province: CC1–CC7 with recommendations and follow-up actions in every status, and report jobs
(failed ones only: a done job needs a compiled file, and compiling hundreds is the benchmark's job).
Users: ``petugas.<regency>``, ``pokja.<province>``, ``balai.<n>``, ``nasional``, ``koordinator``,
``koordinator.<province>`` and ``admin``, all with one password (hashed once).

Why bulk inserts: replaying ~10,000 updates through the services takes far longer than the two minutes
a benchmark set may cost. ``bulk_create`` bypasses django-auditlog and the outbox (no notifications),
which is right for a benchmark data set; ``milestones/tests/test_scale.py`` proves a slice of it holds
the invariants the services keep. Everything is drawn from one ``random.Random(seed)``: the same seed
and ``today`` give the same data.
"""

from __future__ import annotations

import contextlib
import datetime
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.utils import timezone

from milestones import evidence
from milestones.models import (
    Blob,
    BudgetLine,
    CoachingClinic,
    Cohort,
    Evidence,
    EvidenceRequirement,
    EvidenceVerdict,
    FollowUpAction,
    FullScaleThreshold,
    FundingSource,
    HistoryEntry,
    IndicatorActual,
    IndicatorDefinition,
    IndicatorTarget,
    Milestone,
    MilestoneDefinition,
    MilestoneStatus,
    MilestoneUpdate,
    NawasisSubmission,
    PlanningDocument,
    PlanningIntegration,
    ProgrammeActivity,
    Recommendation,
    RegencyIndicator,
    ServiceRecord,
    SSKDocument,
    Subsector,
)
from milestones.services.milestones import DEFAULT_PLANNED
from regencies import boundaries
from regencies.models import Balai, Kecamatan, Province, Regency, Role, UserRole, WorkingGroup
from reports.models import Audience, JobStatus, ReportJob

DEFAULT_SEED = 2026
DEFAULT_PASSWORD = "skala-2026"
BATCH = 2000

U = MilestoneUpdate.Status
MS = MilestoneStatus
A = HistoryEntry.Action

# A minimal real PDF and PNG (they pass evidence.identify): the few files every evidence row points at.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000100e5273ede0000000049454e44ae426082"
)
_FILES = [("berita-acara.pdf", _PDF), ("foto-kegiatan.png", _PNG), ("surat-komitmen.pdf", _PDF + b"%sk\n")]

_NARRATIVES = [
    "Rapat Pokja membahas capaian layanan; data cakupan diperbarui dari survei kelurahan.",
    "Dokumen pendukung telah ditandatangani dan diunggah; koordinasi dengan Bappeda berjalan.",
    "Kegiatan lapangan selesai di tiga kecamatan; laporan lengkap menyusul bulan depan.",
]
_RETURN_REASONS = [
    "Lengkapi berita acara yang ditandatangani.",
    "Foto kegiatan belum menunjukkan lokasi; unggah ulang.",
    "Angka capaian tidak sesuai dengan lampiran.",
]
_SUBSECTOR_CODES = {"wastewater": "AL", "solid_waste": "PS", "drainage": "DR", "hygiene": "HG"}


@dataclass
class ScaleResult:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@contextlib.contextmanager
def _explicit_timestamps(*pairs: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk_create write the timestamps we give instead of now() (auto_now/auto_now_add off meanwhile):
    a year of history created "today" would make every wait and age on the pages zero."""
    saved = []
    for model, name in pairs:
        f: Any = model._meta.get_field(name)
        saved.append((f, f.auto_now, f.auto_now_add))
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def has_programme_data() -> bool:
    return Cohort.objects.exists() or MilestoneUpdate.objects.exists() or ProgrammeActivity.objects.exists()


class ScaleBuilder:
    """Builds the set; ``provinces`` and ``regencies_per_province`` cut a slice (tests)."""

    def __init__(
        self,
        *,
        seed: int = DEFAULT_SEED,
        today: datetime.date | None = None,
        password: str = DEFAULT_PASSWORD,
        provinces: Sequence[str] | None = None,
        regencies_per_province: int | None = None,
        activities_per_regency: int = 30,
    ) -> None:
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        # Every event happens before this moment (noon of the day before ``today``, local time).
        self.now = timezone.make_aware(datetime.datetime.combine(self.today, datetime.time(9, 0)))
        self.password = password
        self.province_codes = list(provinces) if provinces else None
        self.per_province = regencies_per_province
        self.activities_per_regency = activities_per_regency
        self.counts: dict[str, int] = {}

    # --- entry point ---------------------------------------------------------------------------

    def build(self) -> ScaleResult:
        started = time.perf_counter()
        with transaction.atomic():
            self._regions()
            boundaries.load_boundaries()  # the maps (regencies/data/; unchanged files are not rebuilt)
            self._users_and_groups()
            self._blobs()
            self._milestones()
            self._documents()
            self._activities()
            self._nawasis()
            self._outcomes()
            self._clinics()
            self._reports()
        return ScaleResult(counts=self.counts, seconds=round(time.perf_counter() - started, 1))

    # --- helpers -------------------------------------------------------------------------------

    def _at(self, day: datetime.date, minutes: int = 0) -> datetime.datetime:
        base = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
        return base + datetime.timedelta(minutes=minutes)

    def _between(self, start: datetime.datetime, end: datetime.datetime, n: int) -> list[datetime.datetime]:
        """``n`` distinct sorted moments in (start, end), whole minutes."""
        span = max(int((end - start).total_seconds() // 60), n + 1)
        picks = sorted(self.rng.sample(range(1, span), n))
        return [start + datetime.timedelta(minutes=m) for m in picks]

    def _count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    # --- regions, users, Pokja -----------------------------------------------------------------

    def _regions(self) -> None:
        if not Regency.objects.exists():
            from regencies.regions_csv import NATIONAL_LIST, load_regions

            load_regions(NATIONAL_LIST)
        provinces = Province.objects.order_by("code")
        if self.province_codes:
            provinces = provinces.filter(code__in=self.province_codes)
        self.provinces = list(provinces)
        self.regencies: list[Regency] = []
        self.by_province: dict[str, list[Regency]] = {}
        for regency in Regency.objects.filter(province__in=self.provinces).order_by("code"):
            members = self.by_province.setdefault(regency.province_id, [])
            if self.per_province is None or len(members) < self.per_province:
                members.append(regency)
                self.regencies.append(regency)
        self._count("provinces", len(self.provinces))
        self._count("regencies", len(self.regencies))

    def _users_and_groups(self) -> None:
        User = get_user_model()
        hashed = make_password(self.password)  # once: hashing per user would take minutes
        balai = list(Balai.objects.order_by("name"))
        specs: list[tuple[str, str, dict[str, Any]]] = []
        specs += [(f"petugas.{r.code}", Role.REGENCY_OFFICER, {"regency": r}) for r in self.regencies]
        specs += [(f"pokja.{p.code}", Role.PROVINCIAL_STAFF, {"province": p}) for p in self.provinces]
        specs += [(f"balai.{i}", Role.BALAI_STAFF, {"balai": b}) for i, b in enumerate(balai, start=1)]
        specs += [("nasional", Role.NATIONAL, {}), ("koordinator", Role.COORDINATOR, {})]
        specs += [(f"koordinator.{p.code}", Role.COORDINATOR, {"province": p}) for p in self.provinces]
        specs += [("admin", Role.ADMINISTRATOR, {})]
        taken = set(User.objects.filter(username__in=[s[0] for s in specs]).values_list("username", flat=True))
        specs = [s for s in specs if s[0] not in taken]
        users = User.objects.bulk_create(
            [
                User(
                    username=name,
                    password=hashed,
                    first_name=name.split(".")[0].capitalize(),
                    last_name=".".join(name.split(".")[1:]),
                    is_staff=name == "admin",
                    is_superuser=name == "admin",
                )
                for name, _, _ in specs
            ],
            batch_size=BATCH,
        )
        UserRole.objects.bulk_create(
            [UserRole(user=u, role=role, **scope) for u, (_, role, scope) in zip(users, specs, strict=True)],
            batch_size=BATCH,
        )
        self._count("users", len(users))
        names = {u.username: u for u in User.objects.filter(username__regex=r"^(petugas|pokja)\.")}
        self.officer = {r.code: names[f"petugas.{r.code}"] for r in self.regencies}
        self.pokja_user = {p.code: names[f"pokja.{p.code}"] for p in self.provinces}

        groups: list[WorkingGroup] = []
        if not WorkingGroup.objects.filter(level=WorkingGroup.Level.NATIONAL).exists():
            groups.append(WorkingGroup(level="national", variant="PPAS", name="Pokja PPAS Nasional"))
        have_province = set(WorkingGroup.objects.filter(province__isnull=False).values_list("province", flat=True))
        have_regency = set(WorkingGroup.objects.filter(regency__isnull=False).values_list("regency", flat=True))
        groups += [
            WorkingGroup(level="provincial", variant="PKP", name=f"Pokja PKP Provinsi {p.name}", province=p)
            for p in self.provinces
            if p.code not in have_province
        ]
        groups += [
            WorkingGroup(level="regency", variant="PPAS", name=f"Pokja PPAS {r.name}", regency=r)
            for r in self.regencies
            if r.code not in have_regency
        ]
        WorkingGroup.objects.bulk_create(groups, batch_size=BATCH)
        self._count("working_groups", len(groups))
        self.province_group = {
            g.province_id: g for g in WorkingGroup.objects.filter(province__in=self.provinces, level="provincial")
        }

    def _blobs(self) -> None:
        """A few real files, stored once per SHA-256 by the same code the upload services use."""
        self.blobs: list[tuple[str, Blob]] = []
        for name, content in _FILES:
            upload = SimpleUploadedFile(name, content)
            self.blobs.append((name, evidence.store(upload, evidence.identify(upload))))
        self._count("blobs", len({b.pk for _, b in self.blobs}))

    # --- cohorts, milestones, updates, history ---------------------------------------------------

    def _milestones(self) -> None:
        rng = self.rng
        definitions = list(MilestoneDefinition.objects.order_by("number"))
        requirements: dict[int, list[EvidenceRequirement]] = {}
        for req in EvidenceRequirement.objects.order_by("order", "pk"):
            requirements.setdefault(req.definition_id, []).append(req)
        year = self.today.year
        cohorts = Cohort.objects.bulk_create(
            [
                Cohort(
                    regency=r,
                    year_m1_m3=(y := rng.choice([year - 2, year - 2, year - 1, year - 1, year])),
                    year_m4=y + 1,
                    decree_number=f"050/{rng.randint(10, 999)}/BAPPEDA/{y}",
                    decree_date=datetime.date(y, 1, rng.randint(5, 28)),
                )
                for r in self.regencies
            ],
            batch_size=BATCH,
        )
        self._count("cohorts", len(cohorts))
        self.cohorts = {c.regency_id: c for c in cohorts}

        # Plan every milestone first (final state and its story), then insert in dependency order.
        plans: list[dict[str, Any]] = []
        for cohort in cohorts:
            regency = cohort.regency
            start = self._at(cohort.decree_date or datetime.date(cohort.year_m1_m3, 1, 15))
            verified_run = True  # M(n) can be verified only after M(n-1) (requires_previous)
            for d in definitions:
                offset, month, day = DEFAULT_PLANNED.get(d.number, (d.year_of_cohort, 12, 31))
                planned = datetime.date(cohort.year_m1_m3 if offset == 1 else cohort.year_m4, month, day)
                opens = start + datetime.timedelta(days=45 * (d.number - 1))
                available_days = (self.now - opens).days
                plan = self._plan_milestone(d, available_days, verified_run)
                verified_run = plan["final"] == MS.VERIFIED
                plan.update(cohort=cohort, definition=d, regency=regency, planned=planned, opens=opens)
                plans.append(plan)

        with _explicit_timestamps((Milestone, "updated_at")):
            milestones = Milestone.objects.bulk_create(
                [
                    Milestone(
                        cohort=p["cohort"],
                        definition=p["definition"],
                        regency=p["regency"],
                        status=MS.NOT_STARTED,
                        planned_date=p["planned"],
                        updated_at=p["opens"],
                    )
                    for p in plans
                ],
                batch_size=BATCH,
            )
        for plan, milestone in zip(plans, milestones, strict=True):
            plan["milestone"] = milestone
            self._story(plan)
        # Final milestone state as the story left it.
        for plan in plans:
            m = plan["milestone"]
            m.status, m.progress, m.actual_date = plan["status"], plan["progress"], plan["actual"]
            m.updated_at = plan["last_at"]
        with _explicit_timestamps((Milestone, "updated_at")):
            Milestone.objects.bulk_update(
                milestones, ["status", "progress", "actual_date", "updated_at"], batch_size=BATCH
            )
        self._count("milestones", len(milestones))

        updates = [u for p in plans for u, _ in p["updates"]]
        with _explicit_timestamps((MilestoneUpdate, "created_at"), (MilestoneUpdate, "updated_at")):
            MilestoneUpdate.objects.bulk_create(updates, batch_size=BATCH)
        self._count("updates", len(updates))

        history = [h for p in plans for _, events in p["updates"] for h in events]
        for h in history:
            h.update_id = h.update.pk
        HistoryEntry.objects.bulk_create(history, batch_size=BATCH)
        self._count("history_entries", len(history))

        evidence_rows, verdicts, met = [], [], []
        Through = MilestoneUpdate.requirements_met.through
        for plan in plans:
            reqs = requirements.get(plan["definition"].pk, [])
            reviewer = self.pokja_user[plan["regency"].province_id]
            for update, _events in plan["updates"]:
                for i in range(rng.randint(1, 3)):
                    name, blob = self.blobs[(update.pk + i) % len(self.blobs)]
                    evidence_rows.append(
                        Evidence(
                            update=update,
                            blob=blob,
                            original_name=name,
                            uploaded_by=update.author,
                            uploaded_at=update.created_at,
                        )
                    )
                if update.status == U.DRAFT:
                    continue
                claimed = reqs if update.progress == 100 else reqs[: rng.randint(0, len(reqs))]
                met += [Through(milestoneupdate_id=update.pk, evidencerequirement_id=r.pk) for r in claimed]
                if update.status == U.SUBMITTED:
                    continue  # not judged yet
                judged_at = update.decided_at
                for j, req in enumerate(claimed):
                    rejected = update.status == U.RETURNED and j == 0
                    verdicts.append(
                        EvidenceVerdict(
                            update=update,
                            requirement=req,
                            verdict="rejected" if rejected else "accepted",
                            note=update.return_reason if rejected else "",
                            judged_by=reviewer,
                            judged_at=judged_at,
                        )
                    )
        with _explicit_timestamps((Evidence, "uploaded_at")):
            Evidence.objects.bulk_create(evidence_rows, batch_size=BATCH)
        Through.objects.bulk_create(met, batch_size=BATCH)
        EvidenceVerdict.objects.bulk_create(verdicts, batch_size=BATCH)
        self._count("evidence", len(evidence_rows))
        self._count("requirements_met", len(met))
        self._count("verdicts", len(verdicts))

    def _plan_milestone(self, d: MilestoneDefinition, available_days: int, previous_verified: bool) -> dict[str, Any]:
        """The milestone's final state and how many updates led there, from the time it has had."""
        rng = self.rng
        if available_days < 20:
            return {"final": MS.NOT_STARTED, "n": 0}
        can_verify = previous_verified or not d.requires_previous
        weights = {
            MS.VERIFIED: (min(available_days, 600) / 600) * 6 if can_verify else 0,
            MS.IN_PROGRESS: 3,
            MS.SUBMITTED: 2,
            MS.NEEDS_REVISION: 1,
            MS.NOT_STARTED: 0.5,
        }
        final = rng.choices(list(weights), weights=list(weights.values()))[0]
        n = 0 if final == MS.NOT_STARTED else rng.randint(3, 8)
        n = min(n, max(1, available_days // 8))
        return {"final": final, "n": n}

    def _story(self, plan: dict[str, Any]) -> None:
        """The updates and HistoryEntry rows that take the milestone from not started to its final state,
        each entry with the state after it, exactly as the services' ``_record`` writes it."""
        rng = self.rng
        m: Milestone = plan["milestone"]
        final, n = plan["final"], plan["n"]
        officer = self.officer[m.regency_id]
        reviewer = self.pokja_user[plan["regency"].province_id]
        planned = plan["planned"]
        status, progress, actual = MS.NOT_STARTED, 0, None
        plan["updates"] = []
        plan["last_at"] = plan["opens"]
        if n == 0:
            plan.update(status=status, progress=progress, actual=actual)
            return
        # The last update's ending: what leaves the milestone in ``final``.
        last_end = {
            MS.VERIFIED: "approved",
            MS.SUBMITTED: "submitted",
            MS.NEEDS_REVISION: "returned",
            MS.IN_PROGRESS: rng.choice(["approved", "draft"]),
        }[final]
        # Progress climbs over the approved updates; the verifying one reports 100.
        steps = sorted(rng.sample(range(5, 96), n))
        # Each update is about four events; a submitted one waits 1–40 days, others end a while ago.
        end = self.now - datetime.timedelta(days=rng.randint(1, 40) if last_end == "submitted" else rng.randint(2, 90))
        end = max(end, plan["opens"] + datetime.timedelta(days=10))
        end = min(end, self.now - datetime.timedelta(hours=1))
        endings = ["approved"] * (n - 1) + [last_end]
        # Returned once on the way (a returned ending is returned at the end instead).
        returns = [rng.random() < 0.25 and e in ("approved", "submitted") for e in endings]
        per_ending = {"draft": 1, "submitted": 2, "returned": 3, "approved": 3}
        events_needed = sum(per_ending[e] + 2 * r for e, r in zip(endings, returns, strict=True))
        # The last event falls on ``end``: a submitted update's wait is what was drawn for it.
        moments = iter([*self._between(plan["opens"], end, events_needed - 1), end])

        def entry(update: MilestoneUpdate, actor: Any, action: str, frm: str, to: str, comment: str = "") -> None:
            at = next(moments)
            events.append(
                HistoryEntry(
                    milestone=m,
                    update=update,
                    actor=actor,
                    at=at,
                    action=action,
                    from_status=frm,
                    to_status=to,
                    comment=comment,
                    status_after=status,
                    progress_after=progress,
                    planned_before=planned,
                    planned_after=planned,
                )
            )
            stamps.append(at)

        for i in range(n):
            last = i == n - 1
            ending = endings[i]
            reported = 100 if (last and final == MS.VERIFIED) else steps[i]
            update = MilestoneUpdate(
                milestone=m,
                status=U.DRAFT,
                progress=reported,
                narrative=rng.choice(_NARRATIVES),
                obstacles=rng.choice(["", "Anggaran operasional terbatas.", "Pergantian personel OPD."]),
                next_steps=rng.choice(["", "Menyusun laporan triwulan berikutnya."]),
                author=officer,
            )
            events: list[HistoryEntry] = []
            stamps: list[datetime.datetime] = []
            status = MS.IN_PROGRESS  # a new draft moves a not-started milestone on, else leaves it in progress
            entry(update, officer, A.CREATED, "", U.DRAFT)
            if ending != "draft":
                if returns[i]:
                    status = MS.SUBMITTED
                    entry(update, officer, A.SUBMITTED, U.DRAFT, U.SUBMITTED)
                    status = MS.NEEDS_REVISION
                    reason = rng.choice(_RETURN_REASONS)
                    entry(update, reviewer, A.RETURNED, U.SUBMITTED, U.RETURNED, reason)
                    update.return_reason = reason
                    status = MS.SUBMITTED
                    entry(update, officer, A.SUBMITTED, U.RETURNED, U.SUBMITTED)
                else:
                    status = MS.SUBMITTED
                    entry(update, officer, A.SUBMITTED, U.DRAFT, U.SUBMITTED)
                update.submitted_at = stamps[-1]
                update.status = U.SUBMITTED
                if ending == "approved":
                    progress = reported
                    status = MS.VERIFIED if reported == 100 else MS.IN_PROGRESS
                    entry(update, reviewer, A.APPROVED, U.SUBMITTED, U.APPROVED)
                    update.status, update.decided_by, update.decided_at = U.APPROVED, reviewer, stamps[-1]
                    if status == MS.VERIFIED:
                        actual = timezone.localdate(stamps[-1])  # the approving entry's day, as approve_update
                elif ending == "returned":
                    status = MS.NEEDS_REVISION
                    reason = rng.choice(_RETURN_REASONS)
                    entry(update, reviewer, A.RETURNED, U.SUBMITTED, U.RETURNED, reason)
                    update.status, update.return_reason = U.RETURNED, reason
                    update.decided_by, update.decided_at = reviewer, stamps[-1]
            update.created_at, update.updated_at = stamps[0], stamps[-1]
            update.version = len(stamps)
            plan["updates"].append((update, events))
            plan["last_at"] = stamps[-1]
        plan.update(status=status, progress=progress, actual=actual)

    # --- SSK documents ----------------------------------------------------------------------------

    def _documents(self) -> None:
        rng = self.rng
        docs = []
        for r in self.regencies:
            start = self.cohorts[r.code].year_m1_m3
            status = rng.choice(["draft", "quality_assurance", "final", "enacted", "enacted"])
            enacted = status == "enacted"
            name, blob = self.blobs[0]
            docs.append(
                SSKDocument(
                    regency=r,
                    period_start=start,
                    period_end=start + 4,
                    kind=rng.choice(["new", "update"]),
                    status=status,
                    file=blob if status != "draft" else None,
                    file_name=f"ssk-{r.code}.pdf" if status != "draft" else "",
                    instrument="perbup" if enacted else "",
                    instrument_number=f"{rng.randint(1, 60)} Tahun {start}" if enacted else "",
                    instrument_date=datetime.date(start, rng.randint(6, 12), 1) if enacted else None,
                )
            )
        SSKDocument.objects.bulk_create(docs, batch_size=BATCH)
        self._count("ssk_documents", len(docs))

    # --- programme activities, planning, budgets ----------------------------------------------------

    def _activities(self) -> None:
        rng = self.rng
        activities = []
        for r in self.regencies:
            start = self.cohorts[r.code].year_m1_m3
            for i in range(1, self.activities_per_regency + 1):
                subsector = Subsector.values[i % len(Subsector.values)]
                activities.append(
                    ProgrammeActivity(
                        regency=r,
                        code=f"{_SUBSECTOR_CODES[subsector]}-{i:02d}",
                        subsector=subsector,
                        name=f"Kegiatan {Subsector(subsector).label.split(' (')[0].lower()} {i}",
                        agency=rng.choice(["Dinas PUPR", "Dinas Lingkungan Hidup", "Dinas Kesehatan", "Bappeda"]),
                        location=f"Kecamatan {rng.randint(1, 20)}",
                        year_start=start,
                        year_end=start + 4,
                    )
                )
        ProgrammeActivity.objects.bulk_create(activities, batch_size=BATCH)
        self._count("activities", len(activities))

        # RPJMD and Renstra-PD are five-year documents (one row, their first year); RKPD and Renja-PD yearly.
        integrations = []
        budget = []
        sources = FundingSource.values
        for a in activities:
            years = range(a.year_start, a.year_end + 1)
            for doc in (PlanningDocument.RPJMD, PlanningDocument.RENSTRA_PD):
                integrations.append(
                    PlanningIntegration(activity=a, document=doc, year=a.year_start, included=rng.random() < 0.85)
                )
            for doc in (PlanningDocument.RKPD, PlanningDocument.RENJA_PD):
                for y in years:
                    included = rng.random() < 0.7
                    integrations.append(
                        PlanningIntegration(
                            activity=a,
                            document=doc,
                            year=y,
                            included=included,
                            nomenclature=a.name if included else "",
                            amount=Decimal(rng.randint(1, 50)) * 10_000_000 if included else None,
                        )
                    )
            chosen = rng.sample(sources, 3)
            for y in years:
                past = y < self.today.year
                for source in chosen:
                    indicative = rng.randint(10, 90) * 10_000_000
                    allocated = rng.randint(0, indicative // 10_000_000) * 10_000_000 if y <= self.today.year else 0
                    realised = rng.randint(0, allocated // 10_000_000) * 10_000_000 if past else 0
                    budget.append(
                        BudgetLine(
                            activity=a,
                            year=y,
                            source=source,
                            indicative=Decimal(indicative),
                            allocated=Decimal(allocated),
                            realised=Decimal(realised),
                        )
                    )
        PlanningIntegration.objects.bulk_create(integrations, batch_size=5000)
        BudgetLine.objects.bulk_create(budget, batch_size=5000)
        self._count("planning_integrations", len(integrations))
        self._count("budget_lines", len(budget))

    # --- NAWASIS ----------------------------------------------------------------------------------

    def _nawasis(self) -> None:
        rng = self.rng
        rows = []
        modules = NawasisSubmission.Module.values
        for r in self.regencies:
            officer, pokja = self.officer[r.code], self.pokja_user[r.province_id]
            for module in rng.sample(modules, rng.randint(3, len(modules))):
                entered = self.today - datetime.timedelta(days=rng.randint(5, 300))
                verified = rng.random() < 0.5
                rows.append(
                    NawasisSubmission(
                        regency=r,
                        module=module,
                        submitted_on=entered,
                        completeness=Decimal(rng.randint(30, 100)),
                        recorded_by=officer,
                        verified_at=self._at(entered + datetime.timedelta(days=3)) if verified else None,
                        verified_by=pokja if verified else None,
                    )
                )
        NawasisSubmission.objects.bulk_create(rows, batch_size=BATCH)
        self._count("nawasis_submissions", len(rows))
        self._count("nawasis_verified", sum(1 for r in rows if r.verified_at))

    # --- the service behind M3/M4 and the outcome indicators (issue 13) ------------------------------

    def _outcomes(self) -> None:
        """Per regency: 6–20 kecamatan; an LLTT service for four in five (SPALD-T and solid waste for some),
        covering some kecamatan, with the province's full-scale threshold; the four outcome indicators
        with a baseline, five yearly targets and two years of actuals (the older verified, the newer
        submitted, verified or returned), so the dashboards' roll-ups, rankings and map layers read
        national-sized data."""
        rng = self.rng
        kecamatan = [
            Kecamatan(regency=r, name=f"Kecamatan {n:02d}")
            for r in self.regencies
            for n in range(1, rng.randint(7, 21))
        ]
        Kecamatan.objects.bulk_create(kecamatan, batch_size=BATCH)
        by_regency: dict[str, list[Kecamatan]] = {}
        for k in Kecamatan.objects.filter(regency__in=self.regencies).order_by("pk"):
            by_regency.setdefault(k.regency_id, []).append(k)
        services, thresholds, covered = [], [], []
        for r in self.regencies:
            kinds = [
                kind
                for kind, chance in (("lltt", 0.8), ("spald_t", 0.2), ("solid_waste", 0.5))
                if rng.random() < chance
            ]
            for kind in kinds:
                services.append(
                    ServiceRecord(
                        regency=r,
                        kind=kind,
                        service_model="LLTT dengan IPLT" if kind == "lltt" else "",
                        operator_kind=rng.choice(["uptd", "blud", "other"]),
                        households_served=rng.randint(500, 40000),
                        volume_per_year=Decimal(rng.randint(1000, 30000)),
                        tariff_in_place=rng.random() < 0.5,
                        updated_by=self.officer[r.code],
                    )
                )
                thresholds.append(
                    FullScaleThreshold(
                        regency=r,
                        kind=kind,
                        kecamatan_percent=rng.choice([60, 75, 80]),
                        set_by=self.pokja_user[r.province_id],
                        set_at=self.now,
                    )
                )
        ServiceRecord.objects.bulk_create(services, batch_size=BATCH)
        FullScaleThreshold.objects.bulk_create(thresholds, batch_size=BATCH)
        through = ServiceRecord.kecamatan.through
        for record in ServiceRecord.objects.filter(regency__in=self.regencies).only("pk", "regency_id"):
            own = by_regency.get(record.regency_id, [])
            for k in rng.sample(own, rng.randint(0, len(own))):
                covered.append(through(servicerecord_id=record.pk, kecamatan_id=k.pk))
        through.objects.bulk_create(covered, batch_size=BATCH)
        self._count("kecamatan", len(kecamatan))
        self._count("service_records", len(services))

        definitions = list(IndicatorDefinition.objects.order_by("order"))
        year = self.today.year
        indicators = []
        for r in self.regencies:
            for d in definitions:
                if rng.random() < 0.8:
                    indicators.append(
                        RegencyIndicator(
                            regency=r,
                            definition=d,
                            baseline_year=year - 4,
                            baseline_value=Decimal(rng.randint(20, 70)),
                            baseline_source="Susenas",
                            updated_by=self.officer[r.code],
                            updated_at=self.now,
                        )
                    )
        RegencyIndicator.objects.bulk_create(indicators, batch_size=BATCH)
        targets, actuals = [], []
        for indicator in RegencyIndicator.objects.filter(regency__in=self.regencies).select_related("regency"):
            base = float(indicator.baseline_value)
            for n in range(1, 6):
                targets.append(
                    IndicatorTarget(
                        indicator=indicator, year=year - 4 + n, value=Decimal(min(100, round(base + 6 * n)))
                    )
                )
            officer, pokja = self.officer[indicator.regency.code], self.pokja_user[indicator.regency.province_id]
            for n, state in ((2, "verified"), (3, rng.choice(["submitted", "verified", "returned"]))):
                decided = state in ("verified", "returned")
                actuals.append(
                    IndicatorActual(
                        indicator=indicator,
                        year=year - 4 + n,
                        value=Decimal(min(100, round(base + rng.randint(0, 8) * n))),
                        source="Susenas",
                        created_by=officer,
                        created_at=self.now,
                        review_state=state,
                        submitted_at=self.now,
                        submitted_by=officer,
                        decided_at=self.now if decided else None,
                        decided_by=pokja if decided else None,
                        return_reason="Sumber data belum dilampirkan." if state == "returned" else "",
                    )
                )
        IndicatorTarget.objects.bulk_create(targets, batch_size=BATCH)
        IndicatorActual.objects.bulk_create(actuals, batch_size=BATCH)
        self._count("indicator_actuals", len(actuals))

    # --- coaching clinics and follow-ups -----------------------------------------------------------

    def _clinics(self) -> None:
        rng = self.rng
        definitions = {d.number: d for d in MilestoneDefinition.objects.all()}
        clinics = []
        for p in self.provinces:
            first = self.today - datetime.timedelta(days=600)
            for number in range(1, 8):
                clinics.append(
                    CoachingClinic(
                        province=p,
                        number=number,
                        title=f"Coaching Clinic {number} Provinsi {p.name}",
                        date=first + datetime.timedelta(days=80 * (number - 1) + rng.randint(0, 20)),
                        venue=f"Aula Bappeda Provinsi {p.name}",
                        mode=rng.choice(CoachingClinic.Mode.values),
                        organiser=self.province_group.get(p.code),
                        milestone=definitions.get(min(4, (number + 1) // 2)),
                        summary="Pembahasan capaian milestone dan rencana tindak lanjut.",
                        created_by=self.pokja_user[p.code],
                    )
                )
        CoachingClinic.objects.bulk_create(clinics, batch_size=BATCH)
        Covered = CoachingClinic.regencies.through
        Covered.objects.bulk_create(
            [
                Covered(coachingclinic_id=c.pk, regency_id=r.pk)
                for c in clinics
                for r in self.by_province[c.province_id]
            ],
            batch_size=5000,
        )
        recommendations = [
            Recommendation(clinic=c, order=i, text=text)
            for c in clinics
            for i, text in enumerate(
                ["Masukkan kegiatan SSK ke RKPD tahun depan.", "Lengkapi data NAWASIS sebelum akhir triwulan."],
                start=1,
            )
        ]
        Recommendation.objects.bulk_create(recommendations, batch_size=BATCH)
        actions = []
        for rec in recommendations:
            clinic = rec.clinic
            members = self.by_province[clinic.province_id]
            pokja = self.pokja_user[clinic.province_id]
            for _ in range(rng.choice([2, 3])):  # about 5 per clinic
                status = rng.choice(["open", "in_progress", "done", "done", "dropped"])
                due = clinic.date + datetime.timedelta(days=rng.randint(30, 240))
                closed = status in ("done", "dropped")
                regency = rng.choice(members) if members and rng.random() < 0.8 else None
                closed_at = self._at(min(due, self.today - datetime.timedelta(days=1))) if closed else None
                actions.append(
                    FollowUpAction(
                        recommendation=rec,
                        province_id=clinic.province_id,
                        regency=regency,
                        description=rng.choice(
                            [
                                "Pastikan kegiatan SSK masuk RKPD dengan pagu indikatif.",
                                "Unggah berita acara rapat Pokja ke NAWASIS.",
                                "Susun rencana aksi pengelolaan lumpur tinja.",
                            ]
                        ),
                        assigned_regency=regency,
                        assigned_working_group=None if regency else self.province_group.get(clinic.province_id),
                        due_date=due,
                        status=status,
                        closing_note="Sudah dilaksanakan; bukti di berita acara." if status == "done" else "",
                        drop_reason="Digabung dengan tindak lanjut klinik berikutnya." if status == "dropped" else "",
                        closed_at=closed_at,
                        closed_by=pokja if closed else None,
                    )
                )
        FollowUpAction.objects.bulk_create(actions, batch_size=BATCH)
        self._count("clinics", len(clinics))
        self._count("recommendations", len(recommendations))
        self._count("follow_up_actions", len(actions))
        self._count("follow_ups_overdue", sum(1 for a in actions if a.is_overdue(self.today)))

    # --- reports ----------------------------------------------------------------------------------

    def _reports(self) -> None:
        """Failed jobs only: the reports page lists them with their reason, and a retry compiles for real.
        Done jobs need a compiled file (the report benchmark makes those); deliveries need done jobs."""
        quarter_end = datetime.date(self.today.year, 1, 1) - datetime.timedelta(days=1)
        period = {"period_start": datetime.date(quarter_end.year, 1, 1), "period_end": quarter_end}
        error = "OperationalError: server closed the connection unexpectedly"
        when = self.now - datetime.timedelta(days=3)
        jobs = [
            ReportJob(
                audience=Audience.PROVINCIAL,
                province=p,
                requested_by=self.pokja_user[p.code],
                status=JobStatus.FAILED,
                attempts=3,
                queued_at=when,
                started_at=when,
                finished_at=when + datetime.timedelta(minutes=2),
                error=error,
                **period,
            )
            for p in self.provinces
        ]
        ReportJob.objects.bulk_create(jobs, batch_size=BATCH)
        self._count("report_jobs", len(jobs))


def build(**kwargs: Any) -> ScaleResult:
    return ScaleBuilder(**kwargs).build()
