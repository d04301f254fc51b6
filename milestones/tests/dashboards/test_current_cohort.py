"""The current-cohort rule (figures.current_milestones): the milestones of each regency's most recent cohort
begun by then. It is asked as "no newer cohort of the same regency" (NOT EXISTS); these tests hold it to
the rule it replaced, the pk of the latest begun cohort (``figures.current_cohort``), and to the rule
spelt out in Python, in the edge cases: several cohorts, a newer cohort not begun yet, a newest cohort
without milestone records, no cohort at all. A milestone's regency column is its cohort's regency (the rule
relies on it, the last test holds the services to it).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F

from milestones.models import Cohort, Milestone
from milestones.selectors import figures
from milestones.tests import builders
from regencies.models import Regency

WIB = ZoneInfo("Asia/Jakarta")
MOMENTS = [
    None,
    datetime.datetime(2021, 12, 31, 23, 59, tzinfo=WIB),
    datetime.datetime(2022, 1, 1, 0, 0, tzinfo=WIB),
    datetime.datetime(2024, 12, 31, 23, 59, tzinfo=WIB),
    datetime.datetime(2025, 1, 1, 0, 0, tzinfo=WIB),
    datetime.datetime(2030, 6, 30, 12, 0, tzinfo=WIB),
]


def expected(as_of: datetime.datetime | None) -> set[int]:
    """The rule in Python: per regency, the latest cohort begun by ``as_of``; its milestones of that regency."""
    latest: dict[str, Cohort] = {}
    for cohort in Cohort.objects.all():
        if as_of is None or cohort.year_m1_m3 <= as_of.astimezone(WIB).year:
            if cohort.regency_id not in latest or cohort.year_m1_m3 > latest[cohort.regency_id].year_m1_m3:
                latest[cohort.regency_id] = cohort
    return {
        m.pk for m in Milestone.objects.all() if (c := latest.get(m.regency_id)) is not None and m.cohort_id == c.pk
    }


def previous_rule(as_of: datetime.datetime | None) -> set[int]:
    return set(Milestone.objects.filter(cohort=figures.current_cohort("regency", as_of)).values_list("pk", flat=True))


def current(as_of: datetime.datetime | None) -> set[int]:
    return set(figures.current_milestones(Milestone.objects.all(), as_of).values_list("pk", flat=True))


@pytest.fixture
def cohorts(kalteng, bartim, mura):
    builders.cohort(bartim, 2022)
    builders.cohort(bartim, 2025)  # newer, begun only in 2025
    builders.cohort(mura, 2023)
    empty_newest = builders.cohort(mura, 2026)
    empty_newest.milestones.all().delete()  # a newest cohort without records: mura has no current milestone
    builders.cohort(Regency.objects.get(code="62.06"), 2022)  # Katingan: one cohort
    # Every other regency of Kalimantan Tengah has no cohort at all.


@pytest.mark.parametrize("as_of", MOMENTS)
def test_the_current_milestones_are_those_of_the_latest_begun_cohort(cohorts, as_of):
    assert current(as_of) == expected(as_of) == previous_rule(as_of)


def test_the_edge_cases_choose_the_cohort_they_should(cohorts, bartim, mura):
    def years(regency: Regency, as_of: datetime.datetime | None) -> set[int]:
        chosen = figures.current_milestones(Milestone.objects.filter(regency=regency), as_of)
        return set(chosen.values_list("cohort__year_m1_m3", flat=True))

    assert years(bartim, MOMENTS[1]) == set()  # before any cohort began
    assert years(bartim, MOMENTS[2]) == {2022}
    assert years(bartim, MOMENTS[4]) == {2025}
    assert years(bartim, None) == {2025}
    assert years(mura, MOMENTS[4]) == {2023}
    assert years(mura, None) == set()  # its newest cohort has no records
    katingan = Regency.objects.get(code="62.06")
    assert figures.current_milestones(Milestone.objects.filter(regency=katingan)).count() == 4


def test_the_rule_composes_inside_an_outer_query(cohorts, kalteng):
    """The province dashboard's filter nests the rule in an Exists on regencies (OuterRef two levels up)."""
    from django.db.models import Exists, OuterRef

    wanted = figures.current_milestones(Milestone.objects.filter(regency=OuterRef("pk"), definition__number=1))
    codes = set(Regency.objects.filter(Exists(wanted)).values_list("code", flat=True))
    assert codes == {"62.13", "62.06"}


def test_a_milestone_belongs_to_its_cohorts_regency(cohorts, bartim):
    """What the rule relies on: opening a cohort's milestones (and reopening missing ones) copies its regency."""
    from milestones.services import milestones as services

    newest = Cohort.objects.get(regency=bartim, year_m1_m3=2025)
    newest.milestones.filter(definition__number=4).delete()
    services.open_milestones(cohort=newest)
    assert not Milestone.objects.exclude(regency=F("cohort__regency")).exists()
