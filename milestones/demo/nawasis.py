"""Demo NAWASIS records (``data/nawasis.toml``): what Barito Timur and Murung Raya (the 2022 cohort) and
Barito Selatan and Sukamara (2021) entered, and which entries the provincial Pokja verified.

Call ``seed_nawasis()`` after the regions, the demo users and the regency officers exist (the officer
records each entry; the Pokja reviewer stands in where a regency has none). It is safe to run again:
an entry is looked up by regency, module and completeness first (not by date: a recent entry is dated
back from the demo's day, which differs from one run to the next).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from milestones.demo.loader import build, choices, provincial_reviewer, read, regency_officer, tables
from milestones.models import NawasisSubmission
from regencies.models import Regency


@dataclass(frozen=True)
class Submission:
    """One NAWASIS entry; ``completeness`` in %, ``verified_at`` when the provincial Pokja verified it."""

    regency: str
    module: str = field(metadata=choices(NawasisSubmission.Module))
    submitted_on: datetime.date
    completeness: Decimal
    notes: str = ""
    verified_at: datetime.datetime | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.completeness <= 100:
            raise ValueError(f"completeness {self.completeness} is not between 0 and 100")


def load_submissions() -> list[Submission]:
    name = "nawasis.toml"
    rows = tables(read(name, "submissions")["submissions"], f"{name}: submissions")
    return [
        build(Submission, row, f"{name}: submission {number} ({row.get('regency', '?')})")
        for number, row in enumerate(rows, start=1)
    ]


def seed_nawasis() -> list[NawasisSubmission]:
    """Create the demo NAWASIS entries; returns those created this time."""
    submissions = load_submissions()
    reviewer = provincial_reviewer()
    created = []
    with transaction.atomic():
        regencies = Regency.objects.in_bulk({item.regency for item in submissions})
        officers = {code: regency_officer(code, reviewer) for code in regencies}
        for item in submissions:
            verified = {"verified_at": item.verified_at, "verified_by": reviewer} if item.verified_at else {}
            submission, is_new = NawasisSubmission.objects.get_or_create(
                regency=regencies[item.regency],
                module=item.module,
                completeness=item.completeness,
                defaults={
                    "submitted_on": item.submitted_on,
                    "notes": item.notes,
                    "recorded_by": officers[item.regency],
                    **verified,
                },
            )
            if is_new:
                created.append(submission)
    return created
