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
