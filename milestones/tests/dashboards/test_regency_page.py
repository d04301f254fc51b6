import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from milestones.tests import builders


def test_it_shows_the_milestone_timeline(client_as, bartim, officer_bartim, pokja_kalteng):
    builders.cohort(bartim, 2022)
    builders.approved(builders.milestone(bartim, 1), officer_bartim, pokja_kalteng, progress=100)
    builders.returned(builders.milestone(bartim, 4), officer_bartim, pokja_kalteng, reason="Lampirkan SK UPTD.")
    html = client_as("pokja_kalteng").get(bartim.get_absolute_url()).content.decode()
    assert "Mendapatkan komitmen kepala daerah" in html
    assert "Uji coba model layanan skala penuh" in html
    assert "status-verified" in html and "status-needs_revision" in html
    assert "Lampirkan SK UPTD." in html


def test_the_officer_gets_a_report_button(client_as, bartim):
    milestone = builders.milestone(bartim, 4)
    assert (
        f"/milestone/{milestone.pk}/laporan-baru/"
        in client_as("officer_bartim").get(bartim.get_absolute_url()).content.decode()
    )
    assert "/laporan-baru/" not in client_as("pokja_kalteng").get(bartim.get_absolute_url()).content.decode()


def test_a_regency_outside_the_programme_says_so(client_as, bartim):
    html = client_as("officer_bartim").get(bartim.get_absolute_url()).content.decode()
    assert "Kabupaten/kota ini belum mengikuti program implementasi SSK." in html


@pytest.mark.parametrize("persona", ["officer_bartim", "pokja_kalteng"])
def test_query_count_does_not_grow_with_updates(
    client_as, bartim, officer_bartim, pokja_kalteng, persona, django_assert_num_queries
):
    builders.approved(builders.milestone(bartim, 1, 2021), officer_bartim, pokja_kalteng, progress=50)
    client = client_as(persona)
    with CaptureQueriesContext(connection) as small:
        client.get(bartim.get_absolute_url())
    for number in (1, 2, 3, 4):
        milestone = builders.milestone(bartim, number, 2022)
        builders.approved(milestone, officer_bartim, pokja_kalteng, progress=100, files=[builders.pdf()])
    builders.submitted(builders.milestone(bartim, 4, 2021), officer_bartim)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(bartim.get_absolute_url())


def fill_every_section(regency, officer, reviewer, *, size: int, first_year: int) -> None:
    """``size`` of each thing the regency page shows: cohorts' updates, documents, packages, monitoring
    years, clinics with actions, activities with budget lines, NAWASIS submissions, the Pokja's members."""
    import datetime
    from decimal import Decimal

    from milestones.models import NawasisSubmission
    from milestones.services import documents as document_services
    from milestones.services import nawasis as nawasis_services
    from milestones.services import planning as planning_services
    from milestones.tests import clinic_builders as clinic_build
    from milestones.tests import document_builders as document_build
    from regencies.models import WorkingGroup, WorkingGroupMember

    pokja = WorkingGroup.objects.get_or_create(
        level="regency", regency=regency, defaults={"variant": "PKP", "name": f"Pokja PKP {regency.name}"}
    )[0]
    for n in range(size):
        WorkingGroupMember.objects.create(working_group=pokja, name=f"Anggota {first_year}-{n}")
        cohort = builders.cohort(regency, first_year + n)
        milestones = {m.definition.number: m for m in cohort.milestones.all()}
        builders.approved(milestones[1], officer, reviewer, progress=100, files=[builders.pdf()])
        builders.returned(milestones[2], officer, reviewer)
        builders.submitted(milestones[3], officer)
        document_services.record_monitoring(cohort=cohort, actor=reviewer, year_index=2, assessment="on_track")
        start = 2000 + 5 * (first_year - 2010 + n)
        document = document_build.in_qa(regency, officer, period_start=start, period_end=start + 4)
        document_build.reviewed(document, reviewer)
        document_build.package(regency, officer, kinds=["regulation", "promotion"])
        clinic = clinic_build.clinic(
            regency.province, reviewer, regencies=[regency], number=(first_year - 2016 + n) % 7 + 1
        )
        clinic_build.closed(clinic_build.action(clinic, reviewer, owner=regency), reviewer)
        clinic_build.action(clinic, reviewer, owner=regency)
        planning_services.save_activity(
            regency=regency,
            actor=None,
            code=f"AL-{first_year}-{n}",
            subsector="wastewater",
            name=f"IPLT {n}",
            agency="Dinas PUPR",
            year_start=2025,
            year_end=2027,
            budget_lines=[planning_services.BudgetLineInput(2025, "dak", Decimal(1), Decimal(1), Decimal(1))],
        )
        nawasis_services.record_submission(
            regency=regency,
            actor=officer,
            module=list(NawasisSubmission.Module)[n % len(NawasisSubmission.Module)],
            submitted_on=datetime.date(2026, 1, 1 + n),
            completeness=Decimal(50 + n),
        )


@pytest.mark.parametrize("persona", ["officer_bartim", "pokja_kalteng"])
def test_every_section_filled_runs_the_same_queries_at_two_sizes(
    client_as, bartim, officer_bartim, pokja_kalteng, persona, django_assert_num_queries
):
    import time_machine

    with time_machine.travel("2026-07-01 09:00 +0700", tick=False):
        check_two_sizes(client_as(persona), persona, bartim, officer_bartim, pokja_kalteng, django_assert_num_queries)


def check_two_sizes(client, persona, bartim, officer_bartim, pokja_kalteng, django_assert_num_queries):
    fill_every_section(bartim, officer_bartim, pokja_kalteng, size=1, first_year=2016)
    with CaptureQueriesContext(connection) as small:
        assert client.get(bartim.get_absolute_url()).status_code == 200
    fill_every_section(bartim, officer_bartim, pokja_kalteng, size=3, first_year=2018)
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(bartim.get_absolute_url()).content.decode()
    assert html.count('data-testid="document"') == 4 and html.count('class="card shadow-sm mb-3"') >= 4
    # Before issue 11 the page with every section filled ran 23 queries (24 for the Pokja); with the
    # Pokja's members (two queries before the sidebar became one) 16 and 17.
    assert html.count("Anggota 20") == 4  # the Pokja's members: one query with their group
    # Issue 13's services section: four more (kecamatan, records, their links, thresholds); the DAK
    # readiness of the regency's DAK lines: one.
    assert len(small.captured_queries) <= {"officer_bartim": 20, "pokja_kalteng": 21}[persona]
