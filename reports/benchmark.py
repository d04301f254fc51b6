"""Synthetic national data for the report benchmark: every regency in the programme, with updates,
follow-ups, activities, budgets and NAWASIS entries, written with bulk inserts."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from milestones.models import (
    BudgetLine,
    CoachingClinic,
    Cohort,
    FollowUpAction,
    FundingSource,
    Milestone,
    MilestoneDefinition,
    MilestoneUpdate,
    NawasisSubmission,
    PlanningDocument,
    PlanningIntegration,
    ProgrammeActivity,
    Recommendation,
    Subsector,
)
from regencies.models import Province, Regency

STATUSES = ["verified", "verified", "verified", "in_progress", "submitted", "needs_revision", "not_started"]


@transaction.atomic
def build(seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    user, _ = get_user_model().objects.get_or_create(username="benchmark", defaults={"first_name": "Benchmark"})
    definitions = list(MilestoneDefinition.objects.order_by("number"))
    regencies = list(Regency.objects.all())
    now = timezone.now()
    cohorts = Cohort.objects.bulk_create(
        Cohort(
            regency=r,
            year_m1_m3=(y := rng.choice([2021, 2022, 2023, 2024, 2025])),
            year_m4=y + 1,
            decree_number=f"BENCH/{y}",
        )
        for r in regencies
    )
    milestones = []
    for cohort in cohorts:
        for d in definitions:
            status = rng.choice(STATUSES)
            year = cohort.year_m1_m3 if d.number < 4 else cohort.year_m4
            milestones.append(
                Milestone(
                    cohort=cohort,
                    definition=d,
                    regency_id=cohort.regency_id,
                    status=status,
                    progress=100 if status == "verified" else rng.randint(0, 90),
                    planned_date=datetime.date(year, 3 * d.number, 28),
                    actual_date=datetime.date(year, 3 * d.number, 20) if status == "verified" else None,
                )
            )
    milestones = Milestone.objects.bulk_create(milestones, batch_size=1000)
    updates = []
    for m in milestones:
        for i in range(rng.randint(1, 3)):
            last = i == 0
            status = (
                {"submitted": "submitted", "needs_revision": "returned"}.get(m.status, "approved")
                if last
                else "approved"
            )
            updates.append(
                MilestoneUpdate(
                    milestone=m,
                    status=status,
                    progress=m.progress,
                    author=user,
                    narrative="Layanan berjalan; data cakupan diperbarui setiap bulan. " * 3,
                    obstacles="Anggaran operasional terbatas.",
                    submitted_at=now - datetime.timedelta(days=rng.randint(1, 40)),
                    return_reason="Lengkapi bukti." if status == "returned" else "",
                )
            )
    MilestoneUpdate.objects.bulk_create(updates, batch_size=1000)

    activities = ProgrammeActivity.objects.bulk_create(
        ProgrammeActivity(
            regency=r,
            code=f"K-{i:02d}",
            subsector=rng.choice(Subsector.values),
            name=f"Kegiatan sanitasi {i}",
            agency="Dinas PUPR",
            year_start=2022,
            year_end=2026,
        )
        for r in regencies
        for i in range(1, 6)
    )
    PlanningIntegration.objects.bulk_create(
        (
            PlanningIntegration(
                activity=a,
                document=doc,
                year=2024,
                included=rng.random() < 0.8,
                amount=Decimal(rng.randint(1, 50)) * 10_000_000,
            )
            for a in activities
            for doc in PlanningDocument.values
        ),
        batch_size=2000,
    )
    BudgetLine.objects.bulk_create(
        (
            BudgetLine(
                activity=a,
                year=year,
                source=source,
                indicative=Decimal(rng.randint(10, 90)) * 10_000_000,
                allocated=Decimal(rng.randint(5, 60)) * 10_000_000,
                realised=Decimal(rng.randint(1, 40)) * 10_000_000,
            )
            for a in activities
            for year in (2024, 2025, 2026)
            for source in rng.sample(FundingSource.values, 3)
        ),
        batch_size=2000,
    )
    NawasisSubmission.objects.bulk_create(
        NawasisSubmission(
            regency=r,
            module=module,
            submitted_on=datetime.date(2026, rng.randint(1, 10), 15),
            completeness=Decimal(rng.randint(20, 100)),
            recorded_by=user,
        )
        for r in regencies
        for module in ("ssk", "wastewater", "solid_waste")
    )
    by_province = {}
    for r in regencies:
        by_province.setdefault(r.province_id, []).append(r)
    actions = 0
    for province in Province.objects.all():
        members = by_province.get(province.code, [])
        clinic = CoachingClinic.objects.create(
            province=province, number=6, title="Coaching Clinic 6", date=datetime.date(2026, 6, 23), created_by=user
        )
        clinic.regencies.set(members)
        recommendation = Recommendation.objects.create(clinic=clinic, text="Masukkan program SSK ke RKPD.")
        FollowUpAction.objects.bulk_create(
            FollowUpAction(
                recommendation=recommendation,
                province=province,
                regency=r,
                assigned_regency=r,
                description="Pastikan kegiatan SSK masuk RKPD 2027.",
                due_date=datetime.date(2026, 9, 30),
                status=rng.choice(["open", "in_progress", "done", "done"]),
            )
            for r in members
        )
        actions += len(members)
    return {
        "regencies": len(regencies),
        "milestones": len(milestones),
        "updates": len(updates),
        "activities": len(activities),
        "follow_ups": actions,
    }
