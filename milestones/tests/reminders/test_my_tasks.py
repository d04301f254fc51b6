"""The "my tasks" page (/tugas-saya/): the signed-in user's pending items, grouped by rule, with links."""

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, path, reverse

from conftest import make_user
from milestones.models import FollowUpAction
from milestones.tests import builders
from milestones.tests.reminders.test_reminders import at, follow_up, june
from milestones.tests.shared_rows import rolled_back
from regencies.models import Province, Regency, Role
from ssk_tracker import urls as project_urls

# The other rules' tests: the late rule is tested on its own (test_day_work.py).
pytestmark = pytest.mark.usefixtures("without_late_rule")

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


@pytest.fixture(scope="class")
def pending_for_the_class(module_db, django_db_blocker) -> Iterator[int]:
    """On 20 June: Barito Timur has a stale draft (M1), a returned update (M2), a waiting update (M4)
    and an overdue follow-up; Murung Raya has a stale draft. Built once for the class; the follow-up's pk."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            kalteng = Province.objects.get(code="62")
            bartim, mura = Regency.objects.get(code="62.13"), Regency.objects.get(code="62.12")
            users = get_user_model().objects.in_bulk(
                ["officer_bartim", "officer_mura", "pokja_kalteng"], field_name="username"
            )
            officer_bartim, officer_mura, pokja_kalteng = (
                users["officer_bartim"],
                users["officer_mura"],
                users["pokja_kalteng"],
            )
            with at(1):
                builders.draft(builders.milestone(bartim, 1), officer_bartim)
                builders.returned(builders.milestone(bartim, 2), officer_bartim, pokja_kalteng)
                builders.submitted(builders.milestone(bartim, 4), officer_bartim)
                builders.draft(builders.milestone(mura, 3), officer_mura)
            action = follow_up(kalteng, pokja_kalteng, due=june(17), assigned_regency=bartim)
        yield action.pk


@pytest.fixture
def pending(pending_for_the_class, db) -> FollowUpAction:
    """The class's overdue follow-up, fetched afresh for each test."""
    return FollowUpAction.objects.get(pk=pending_for_the_class)


def test_signing_in_is_required(client):
    response = client.get(reverse("my_tasks"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


class TestPendingItems:
    """The pending items above, built once for the class's tests."""

    @pytest.mark.parametrize(
        ("persona", "rules"),
        [
            ("officer_bartim", ["follow_up", "returned", "draft"]),
            ("officer_mura", ["draft"]),
            ("pokja_kalteng", ["follow_up", "review"]),
            ("national", ["review"]),
            ("pokja_kalsel", []),
            ("balai_kalteng", ["review"]),  # an escalation: waited 19 days
            ("coordinator_kalteng", []),
            ("administrator", []),
            ("nobody", []),
        ],
    )
    def test_each_persona_sees_their_own_groups(self, client_as, pending, persona, rules):
        html = page(client_as(persona))
        assert [rule for rule in ("follow_up", "returned", "draft", "review") if f'data-rule="{rule}"' in html] == rules
        assert ('data-testid="no-tasks"' in html) == (not rules)

    def test_the_officer_sees_only_their_regencys_items(self, client_as, pending, mura):
        html = page(client_as("officer_mura"))
        assert html.count('data-testid="task"') == 1
        assert "Kabupaten Murung Raya" in html and "Kabupaten Barito Timur" not in html

    def test_items_link_to_their_milestone_and_their_clinic(self, client_as, pending, bartim):
        html = page(client_as("officer_bartim"))
        m1 = builders.milestone(bartim, 1)
        assert f'href="{m1.get_absolute_url()}#update-{m1.updates.get().pk}"' in html
        assert f'href="{pending.recommendation.clinic.get_absolute_url()}"' in html
        assert "Laporkan hasil implementasi ke NAWASIS." in html

    def test_items_say_how_many_days(self, client_as, pending):
        html = page(client_as("pokja_kalteng"))
        assert 'data-days="3"' in html  # the follow-up is 3 days overdue
        assert 'data-days="19"' in html  # the M4 update has waited 19 days

    def test_the_national_pokja_sees_updates_waiting_14_days_or_more(self, client_as, pending):
        assert 'data-rule="review"' not in page(client_as("national"), day=14)
        assert 'data-rule="review"' in page(client_as("national"), day=15)

    def test_the_nav_bar_links_to_my_tasks(self, client_as, pending):
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
