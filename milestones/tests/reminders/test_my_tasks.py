"""The "my tasks" page (/tugas-saya/): the signed-in user's pending items, grouped by rule, with links."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, path, reverse

from conftest import make_user
from milestones.tests import builders
from milestones.tests.reminders.test_reminders import at, follow_up, june
from regencies.models import Regency, Role
from ssk_tracker import urls as project_urls

# The clinic pages are built separately; until their "clinic" route exists these tests use a stand-in.
urlpatterns = [
    *project_urls.urlpatterns,
    path("klinik-stand-in/<int:pk>/", lambda request, pk: HttpResponse(), name="clinic"),
]


@pytest.fixture(autouse=True)
def clinic_route(settings):
    try:
        reverse("clinic", args=[1])
    except NoReverseMatch:
        settings.ROOT_URLCONF = __name__


def page(client, day=20):
    with at(day):
        response = client.get(reverse("my_tasks"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def pending(kalteng, bartim, mura, officer_bartim, officer_mura, pokja_kalteng):
    """On 20 June: Barito Timur has a stale draft (M1), a returned update (M2), a waiting update (M4)
    and an overdue follow-up; Murung Raya has a stale draft."""
    with at(1):
        builders.draft(builders.milestone(bartim, 1), officer_bartim)
        builders.returned(builders.milestone(bartim, 2), officer_bartim, pokja_kalteng)
        builders.submitted(builders.milestone(bartim, 4), officer_bartim)
        builders.draft(builders.milestone(mura, 3), officer_mura)
    return follow_up(kalteng, pokja_kalteng, due=june(17), assigned_regency=bartim)


def test_signing_in_is_required(client):
    response = client.get(reverse("my_tasks"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("persona", "rules"),
    [
        ("officer_bartim", ["follow_up", "returned", "draft"]),
        ("officer_mura", ["draft"]),
        ("pokja_kalteng", ["follow_up", "review"]),
        ("national", ["review"]),
        ("pokja_kalsel", []),
        ("balai_kalteng", []),
        ("coordinator_kalteng", []),
        ("administrator", []),
        ("nobody", []),
    ],
)
def test_each_persona_sees_their_own_groups(client_as, pending, persona, rules):
    html = page(client_as(persona))
    assert [rule for rule in ("follow_up", "returned", "draft", "review") if f'data-rule="{rule}"' in html] == rules
    assert ('data-testid="no-tasks"' in html) == (not rules)


def test_the_officer_sees_only_their_regencys_items(client_as, pending, mura):
    html = page(client_as("officer_mura"))
    assert html.count('data-testid="task"') == 1
    assert "Kabupaten Murung Raya" in html and "Kabupaten Barito Timur" not in html


def test_items_link_to_their_milestone_and_their_clinic(client_as, pending, bartim):
    html = page(client_as("officer_bartim"))
    m1 = builders.milestone(bartim, 1)
    assert f'href="{m1.get_absolute_url()}#update-{m1.updates.get().pk}"' in html
    assert f'href="{pending.recommendation.clinic.get_absolute_url()}"' in html
    assert "Laporkan hasil implementasi ke NAWASIS." in html


def test_items_say_how_many_days(client_as, pending):
    html = page(client_as("pokja_kalteng"))
    assert 'data-days="3"' in html  # the follow-up is 3 days overdue
    assert 'data-days="19"' in html  # the M4 update has waited 19 days


def test_the_national_pokja_sees_updates_waiting_14_days_or_more(client_as, pending):
    assert 'data-rule="review"' not in page(client_as("national"), day=14)
    assert 'data-rule="review"' in page(client_as("national"), day=15)


def test_the_nav_bar_links_to_my_tasks(client_as, pending):
    assert f'href="{reverse("my_tasks")}"' in page(client_as("officer_bartim"))


def test_the_query_count_does_not_grow_with_the_items(client_as, kalteng, pokja_kalteng):
    regencies = list(Regency.objects.filter(province=kalteng))

    def add_items(regency):
        officer = make_user(f"officer_{regency.code}", Role.REGENCY_OFFICER, regency=regency)
        with at(1):
            builders.submitted(builders.milestone(regency, 4), officer)
        follow_up(kalteng, pokja_kalteng, due=june(10), assigned_regency=regency)

    def count_queries():
        client = client_as("pokja_kalteng")
        with CaptureQueriesContext(connection) as queries:
            page(client)
        return len(queries)

    add_items(regencies[0])
    few = count_queries()
    for regency in regencies[1:]:
        add_items(regency)
    assert count_queries() == few
