"""What the base layout costs every page: the navigation bar reads the user's role once (with the scope),
only a recipient of report deliveries pays for the inbox badge's count, and a signed-in user for the
notice bell's unread count."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

PERSONAS = ["national", "pokja_kalteng", "balai_kalteng", "officer_bartim", "coordinator_kalteng", "administrator"]


def role_reads(queries: CaptureQueriesContext) -> int:
    return sum('FROM "regencies_userrole"' in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("persona", [*PERSONAS, "nobody"])
def test_a_page_reads_the_users_role_once(client_as, persona, kalteng, balai):
    client = client_as(persona)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 'data-testid="whoami"' in response.content.decode()
    assert role_reads(queries) == 1


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # The role with its region (the Balai's provinces too), then the inbox badge's count for recipients,
        # and for every signed-in user the notice bell's unread count (issue 12: one indexed query).
        ("national", 3),
        ("pokja_kalteng", 3),
        ("balai_kalteng", 4),
        ("officer_bartim", 2),
        ("coordinator_kalteng", 2),
        ("administrator", 2),
        ("nobody", 2),
    ],
)
def test_the_base_layout_costs_a_fixed_number_of_queries(
    rf, personas, persona, expected, kalteng, balai, django_assert_num_queries
):
    request = rf.get("/")
    request.user = get_user_model().objects.get(pk=personas[persona].pk)  # as each request loads it
    request.session = {}
    request._messages = FallbackStorage(request)
    with django_assert_num_queries(expected):
        html = render_to_string("base.html", {}, request)
    assert 'data-testid="whoami"' in html
