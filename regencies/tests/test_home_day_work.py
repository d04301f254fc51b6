"""The home page is the day's work for each role (issue 12), then the role's dashboard; its query count
does not grow with the items."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import Milestone, NawasisSubmission, SSKDocument
from milestones.tests import builders
from milestones.tests.reminders.test_reminders import at, june
from regencies.models import Regency


def home(client, day=20):
    with at(day):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def far_plans():
    Milestone.objects.update(planned_date=datetime.date(2030, 1, 1))


def test_an_officer_sees_a_return_at_once_with_its_reason(client_as, officer_bartim, pokja_kalteng, bartim):
    with at(19):
        update = builders.returned(builders.milestone(bartim, 2), officer_bartim, pokja_kalteng, reason="Lampirkan SK.")
    far_plans()
    html = home(client_as("officer_bartim"))
    assert 'id="home-returned"' in html and "Lampirkan SK." in html
    assert 'data-testid="nothing-else"' in html  # the empty kinds named in one line, not as empty cards
    assert f'href="{update.milestone.get_absolute_url()}#update-{update.pk}"' in html
    assert 'data-testid="home-regency"' in html and f'href="{bartim.get_absolute_url()}"' in html


def test_an_officer_with_nothing_to_do_is_told_so(client_as, officer_bartim, bartim):
    builders.cohort(bartim, 2023)
    far_plans()
    html = home(client_as("officer_bartim"))
    assert "Tidak ada yang perlu dikerjakan hari ini." in html
    assert 'data-testid="home-item"' not in html and "<table" in html  # the regency's updates table only


def test_an_officer_sees_late_milestones_of_their_regency_only(client_as, officer_mura, bartim):
    builders.cohort(bartim, 2023)
    far_plans()
    Milestone.objects.filter(regency=bartim, definition__number=1).update(planned_date=june(10))
    assert 'id="home-late"' in home(client_as("officer_bartim"))
    assert "Tidak ada yang perlu dikerjakan hari ini." in home(client_as("officer_mura"))


def test_the_province_sees_reviews_oldest_first_qa_and_nawasis(client_as, officer_bartim, bartim, mura):
    with at(19):
        newer = builders.submitted(builders.milestone(mura, 2), officer_bartim)
    with at(10):
        older = builders.submitted(builders.milestone(bartim, 1), officer_bartim)
    far_plans()
    document = SSKDocument.objects.create(
        regency=bartim, period_start=2023, period_end=2027, kind="new", status=SSKDocument.Status.QUALITY_ASSURANCE
    )
    NawasisSubmission.objects.create(
        regency=bartim, module="ssk", submitted_on=june(12), completeness=Decimal(50), recorded_by=officer_bartim
    )
    html = home(client_as("pokja_kalteng"))
    assert html.index(f"#update-{older.pk}") < html.index(f"#update-{newer.pk}")
    assert 'data-days="10"' in html
    assert f'href="/ssk/{document.pk}/reviu/"' in html and 'href="/kabkota/62.13/nawasis/"' in html
    assert 'data-testid="home-province"' in html and 'data-testid="matrix"' in html


def test_the_balai_and_the_nation_see_escalations_and_the_overview(client_as, officer_bartim, bartim):
    with at(1):
        update = builders.submitted(builders.milestone(bartim, 4), officer_bartim)
    far_plans()
    for persona in ("balai_kalteng", "national"):
        html = home(client_as(persona))
        assert "Eskalasi" in html and f"#update-{update.pk}" in html
        assert 'data-testid="overview"' in html
    assert f"#update-{update.pk}" not in home(client_as("balai_kalteng"), day=14)


def test_a_long_group_shows_its_first_items_and_links_to_the_rest(client_as, officer_bartim, bartim, settings):
    settings.HOME_GROUP_LIMIT = 2
    with at(19):
        for number in (1, 2, 3):
            builders.submitted(builders.milestone(bartim, number), officer_bartim)
    far_plans()
    html = home(client_as("pokja_kalteng"))
    assert html.count('data-testid="home-item"') == 2
    assert f'href="{reverse("my_tasks")}?jenis=review"' in html and "Lihat semua (3)" in html


@pytest.mark.parametrize(
    ("persona", "link"),
    [
        ("officer_bartim", "/kabkota/62.13/"),
        ("pokja_kalteng", "/provinsi/62/"),
        ("balai_kalteng", "/nasional/"),
        ("national", "/nasional/"),
    ],
)
def test_the_navigation_reaches_the_users_dashboard(client_as, kalteng, persona, link):
    html = home(client_as(persona))
    assert f'href="{link}" data-testid="nav-dashboard"' in html


def test_a_user_without_a_role_has_no_dashboard_link(client_as, kalteng):
    assert 'data-testid="nav-dashboard"' not in home(client_as("nobody"))


# --- query counts -------------------------------------------------------------------------------------


def queries(client, day=20) -> int:
    with CaptureQueriesContext(connection) as captured, at(day):
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


def items_for(regencies, officer, count):
    """``count`` waiting updates, late milestones, SSK documents and NAWASIS entries over ``regencies``."""
    for index, regency in enumerate(regencies[:count]):
        with at(1):
            builders.submitted(builders.milestone(regency, 4, year=2023), officer)
        Milestone.objects.filter(regency=regency, definition__number=1).update(planned_date=june(10))
        SSKDocument.objects.create(
            regency=regency, period_start=2023, period_end=2027, kind="new", status="quality_assurance"
        )
        NawasisSubmission.objects.create(
            regency=regency, module="ssk", submitted_on=june(1 + index), completeness=50, recorded_by=officer
        )


@pytest.mark.parametrize("persona", ["pokja_kalteng", "balai_kalteng", "national"])
def test_the_query_count_does_not_grow_with_the_items(client_as, officer_bartim, kalteng, persona, settings):
    settings.HOME_GROUP_LIMIT = 3
    regencies = list(Regency.objects.filter(province=kalteng).order_by("code"))
    for regency in regencies:
        builders.cohort(regency, 2023)
    Milestone.objects.update(planned_date=datetime.date(2030, 1, 1))
    client = client_as(persona)
    items_for(regencies, officer_bartim, 1)
    one = queries(client)
    items_for(regencies[1:], officer_bartim, 8)
    assert queries(client) == one


def test_the_officers_query_count_does_not_grow_with_the_items(client_as, officer_bartim, pokja_kalteng, bartim):
    builders.cohort(bartim, 2023)
    far_plans()
    with at(19):
        builders.returned(builders.milestone(bartim, 1, year=2023), officer_bartim, pokja_kalteng)
        builders.draft(builders.milestone(bartim, 2, year=2023), officer_bartim)
    Milestone.objects.filter(regency=bartim, definition__number=3).update(planned_date=june(10))
    client = client_as("officer_bartim")
    one = queries(client)
    with at(19):
        builders.returned(builders.milestone(bartim, 3, year=2023), officer_bartim, pokja_kalteng)
        builders.draft(builders.milestone(bartim, 4, year=2023), officer_bartim)
    Milestone.objects.filter(regency=bartim, definition__number__in=[1, 2, 4]).update(planned_date=june(10))
    assert queries(client) == one
