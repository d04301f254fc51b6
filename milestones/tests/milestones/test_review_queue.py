import datetime

import pytest
import time_machine
from django.urls import reverse

from conftest import make_user
from milestones.tests import builders
from regencies.models import Regency, Role

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def at(day):
    return time_machine.travel(datetime.datetime(2023, 6, day, 10, tzinfo=JAKARTA), tick=False)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("pokja_kalteng", 200),
        ("national", 200),
        ("administrator", 200),
        ("officer_bartim", 403),
        ("balai_kalteng", 403),
        ("coordinator_kalteng", 403),
        ("nobody", 403),
    ],
)
def test_review_queue_access(client_as, kalteng, persona, status):
    assert client_as(persona).get(reverse("review_queue")).status_code == status


def test_oldest_first_with_the_waiting_time(client_as, bartim, mura, officer_bartim, officer_mura):
    with at(1):
        builders.submitted(builders.milestone(mura, 4), officer_mura)
    with at(10):
        builders.submitted(builders.milestone(bartim, 4), officer_bartim)
    with at(20):
        html = client_as("pokja_kalteng").get(reverse("review_queue")).content.decode()
    assert html.index("Kabupaten Murung Raya") < html.index("Kabupaten Barito Timur")
    assert "19 hari" in html and "10 hari" in html


def test_only_submitted_updates_in_scope(client_as, bartim, mura, kalsel, officer_bartim, officer_mura):
    builders.draft(builders.milestone(bartim, 4), officer_bartim)
    tanah_laut = Regency.objects.get(code="63.01")
    officer = make_user("officer_tala", Role.REGENCY_OFFICER, regency=tanah_laut)
    builders.submitted(builders.milestone(tanah_laut, 1), officer)
    builders.submitted(builders.milestone(mura, 2), officer_mura)
    html = client_as("pokja_kalteng").get(reverse("review_queue")).content.decode()
    assert "Kabupaten Murung Raya" in html
    assert "Kabupaten Barito Timur" not in html and "Tanah Laut" not in html


def test_filter_by_milestone(client_as, bartim, mura, officer_bartim, officer_mura):
    builders.submitted(builders.milestone(bartim, 4), officer_bartim)
    builders.submitted(builders.milestone(mura, 2), officer_mura)
    html = client_as("pokja_kalteng").get(reverse("review_queue"), {"milestone": "2"}).content.decode()
    assert "Kabupaten Murung Raya" in html and "Kabupaten Barito Timur" not in html


def test_paginated(client_as, kalteng):
    for regency in Regency.objects.filter(province=kalteng):
        officer = make_user(f"officer_{regency.code}", Role.REGENCY_OFFICER, regency=regency)
        for number in (1, 2):
            builders.submitted(builders.milestone(regency, number), officer)
    client = client_as("pokja_kalteng")
    first = client.get(reverse("review_queue")).content.decode()
    assert first.count("#update-") == 25
    assert client.get(reverse("review_queue"), {"page": 2}).content.decode().count("#update-") == 3


def test_query_count_does_not_grow_with_the_queue(client_as, kalteng, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    regencies = list(Regency.objects.filter(province=kalteng))
    client = client_as("pokja_kalteng")

    def fill(subset):
        for regency in subset:
            officer = make_user(f"officer_{regency.code}", Role.REGENCY_OFFICER, regency=regency)
            builders.submitted(builders.milestone(regency, 4), officer, files=[builders.pdf(f"{regency.code}.pdf")])

    fill(regencies[:2])
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("review_queue"))
    fill(regencies[2:])
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("review_queue"))


def submit_in(regencies, first_hour, numbers=(4,)):
    """Submitted updates of the regencies' milestones ``numbers``, an hour apart from 1 June 2023 10:00 +
    ``first_hour`` on, regency by regency: the queue's order is known."""
    moment = datetime.datetime(2023, 6, 1, 10, tzinfo=JAKARTA) + datetime.timedelta(hours=first_hour)
    submitted = []
    for regency in regencies:
        officer = make_user(f"officer_{regency.code}", Role.REGENCY_OFFICER, regency=regency)
        for number in numbers:
            with time_machine.travel(moment, tick=False):
                builders.submitted(builders.milestone(regency, number), officer)
            submitted.append(regency.name)
            moment += datetime.timedelta(hours=1)
    return submitted


def queued_names(html):
    """The regency names of the queue's rows, in the page's order."""
    import re

    return re.findall(r"<td>([^<]+)</td>\s*<td><a href=\"/milestone/\d+/#update-", html)


def test_pagination_keeps_oldest_first_across_pages(client_as, kalteng, kalsel):
    regencies = list(Regency.objects.filter(province__in=[kalteng, kalsel]).order_by("code"))
    regencies.reverse()  # submitted in the opposite order of their codes: the order is the dates'
    expected = submit_in(regencies, 0, numbers=(1, 2))
    client = client_as("national")
    with at(29):
        first = queued_names(client.get(reverse("review_queue")).content.decode())
        second = queued_names(client.get(reverse("review_queue"), {"page": 2}).content.decode())
    assert len(first) == 25 and len(second) == len(expected) - 25 > 0
    assert first + second == expected


def test_the_nation_gets_the_queue_by_province_and_may_pick_one(client_as, kalteng, kalsel):
    submit_in(list(Regency.objects.filter(province=kalsel).order_by("code"))[:2], 0)
    submit_in(list(Regency.objects.filter(province=kalteng).order_by("code"))[:3], 5)
    client = client_as("national")
    html = client.get(reverse("review_queue")).content.decode()
    table = html[html.index('data-testid="queue-provinces"') :]
    assert table.index(kalsel.name) < table.index(kalteng.name)  # the longest waiting first
    assert "?province=62" in table and html.count("#update-") == 5
    picked = client.get(reverse("review_queue"), {"province": "62"}).content.decode()
    assert picked.count("#update-") == 3 and kalteng.name in picked[: picked.index("<table")]
    # A province's Pokja sees one province: no table of provinces.
    assert (
        'data-testid="queue-provinces"' not in client_as("pokja_kalteng").get(reverse("review_queue")).content.decode()
    )


def test_the_nations_queue_runs_the_same_queries_for_a_bigger_queue(
    client_as, kalteng, kalsel, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("national")
    submit_in(list(Regency.objects.filter(province=kalteng).order_by("code"))[:2], 0)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("review_queue"))
    submit_in(list(Regency.objects.filter(province=kalteng).order_by("code"))[2:], 10, numbers=(1, 4))
    submit_in(list(Regency.objects.filter(province=kalsel).order_by("code")), 100, numbers=(1, 4))
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("review_queue"))


def test_the_nations_queue_pages_by_the_province_counts_without_a_count_of_its_own(client_as, kalteng, kalsel):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    regencies = list(Regency.objects.filter(province__in=[kalteng, kalsel]).order_by("code"))
    submit_in(regencies, 0, numbers=(1, 2))
    in_kalteng = 2 * Regency.objects.filter(province=kalteng).count()
    client = client_as("national")
    with at(29), CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("review_queue")).content.decode()
    counted = 'COUNT(*) AS "__count" FROM "milestones_milestoneupdate"'
    assert not [q for q in queries.captured_queries if counted in q["sql"]]
    assert html.count("#update-") == 25 and "?page=2" in html
    with at(29):
        picked = client.get(reverse("review_queue"), {"province": "62", "page": 99}).content.decode()
    # A page past the end falls back to the province's last page: its count is the province's own.
    assert picked.count("#update-") == (in_kalteng % 25 or 25)
