"""Demo yearly monitoring (``data/monitoring.toml``): the provincial Pokja's record of each cohort's
years 2–5 after M4, as they fall due.

Call ``seed_monitoring()`` after the milestones exist (a record belongs to its regency's cohort). An entry
recorded after the demo's day (``loader.today()``) has not fallen due and is skipped. It is safe to run
again: a cohort's year that is recorded already is left as it is.

The ORM is used, not ``services.record_monitoring``, which stamps the present time and refuses a year
the real calendar has not reached (the demo may be seeded as of another day).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from milestones.demo.loader import build, choices, provincial_reviewer, read, tables, today
from milestones.models import Cohort, MonitoringRecord
from milestones.services.documents import monitoring_year


@dataclass(frozen=True)
class Record:
    regency: str
    cohort_year: int
    year_index: int
    assessment: str = field(metadata=choices(MonitoringRecord.Assessment))
    recorded: datetime.datetime
    summary: str = ""

    def __post_init__(self) -> None:
        if not 2 <= self.year_index <= 5:
            raise ValueError(f"year_index {self.year_index} is not 2, 3, 4 or 5")
        year = self.cohort_year + self.year_index - 1
        if self.recorded.year <= year:
            raise ValueError(
                f"year {self.year_index} is {year}: it is recorded after it ends, not {self.recorded:%Y-%m-%d}"
            )


def load_records() -> list[Record]:
    name = "monitoring.toml"
    rows = tables(read(name, "records")["records"], f"{name}: records")
    return [
        build(Record, row, f"{name}: record {number} ({row.get('regency', '?')})")
        for number, row in enumerate(rows, start=1)
    ]


def seed_monitoring() -> list[MonitoringRecord]:
    """Create the monitoring records due by the demo's day; returns those created this time."""
    records = [record for record in load_records() if record.recorded.date() <= today()]
    reviewer = provincial_reviewer()
    created = []
    with transaction.atomic():
        cohorts = {
            (cohort.regency_id, cohort.year_m1_m3): cohort
            for cohort in Cohort.objects.filter(regency__in={record.regency for record in records})
        }
        for record in records:
            cohort = cohorts[(record.regency, record.cohort_year)]
            monitoring, is_new = MonitoringRecord.objects.get_or_create(
                cohort=cohort,
                year_index=record.year_index,
                defaults={
                    "year": monitoring_year(cohort, record.year_index),
                    "assessment": record.assessment,
                    "summary": record.summary,
                    "recorded_by": reviewer,
                    "recorded_at": record.recorded,
                },
            )
            if is_new:
                created.append(monitoring)
    return created
