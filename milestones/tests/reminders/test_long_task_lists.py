"""A long "my tasks" list (more than LIST_LIMIT items, for a user who sees several areas) opens on its summary:
the nation's by province, a province's by regency; each area's list is paged. The digest summarises alike."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_user
from milestones.selectors import reminders as selectors
from milestones.services import reminders
from milestones.tests import builders
from milestones.tests.reminders.test_my_tasks import clinic_route, page  # noqa: F401 (the clinic route fixture)
from milestones.tests.reminders.test_reminders import at, follow_up, june
from regencies.models import Regency, Role

# The other rules' tests: the late rule is tested on its own (test_day_work.py).
pytestmark = pytest.mark.usefixtures("without_late_rule")


@pytest.fixture
def short_lists(monkeypatch):
    monkeypatch.setattr(selectors, "LIST_LIMIT", 2)


def waiting(regency, n=1):
    """``n`` updates of the regency submitted on 1 June (waiting 19 days on 20 June)."""
    officer = make_user(f"officer_{regency.code}", Role.REGENCY_OFFICER, regency=regency)
    with at(1):
        for number in range(1, n + 1):
            builders.submitted(builders.milestone(regency, number), officer)


def areas(html):
    return re.findall(r'data-area="([^"]+)"', html)


def test_the_nations_long_list_is_summarised_by_province(client_as, national, kalteng, kalsel, short_lists):
    waiting(Regency.objects.get(code="62.13"), 2)
    waiting(Regency.objects.get(code="63.71"))
    html = page(client_as("national"))
    assert areas(html) == ["62", "63"] and 'data-testid="task"' not in html
    assert re.search(r'data-area="62">.*?data-count="review"><a href="\?wilayah=62&amp;jenis=review">2</a>', html, re.S)
    assert re.search(r'data-area="63">.*?data-count="total">1<', html, re.S)


def test_an_area_lists_its_own_items_paged(client_as, national, kalteng, kalsel, short_lists):
    waiting(Regency.objects.get(code="62.13"), 3)
    waiting(Regency.objects.get(code="63.71"))
    client = client_as("national")
    with at(20):
        first = client.get(reverse("my_tasks"), {"wilayah": "62"}).content.decode()
        second = client.get(reverse("my_tasks"), {"wilayah": "62", "page": 2}).content.decode()
        other = client.get(reverse("my_tasks"), {"wilayah": "63"}).content.decode()
    assert first.count('data-testid="task"') == 2 and second.count('data-testid="task"') == 1
    assert "Kabupaten Barito Timur" in first and "Kota Banjarmasin" not in first
    assert other.count('data-testid="task"') == 1 and "Kota Banjarmasin" in other


def test_an_unknown_area_shows_the_summary(client_as, national, kalteng, kalsel, short_lists):
    waiting(Regency.objects.get(code="62.13"), 3)
    with at(20):
        html = client_as("national").get(reverse("my_tasks"), {"wilayah": "11", "jenis": "nope"}).content.decode()
    assert areas(html) == ["62"]


def test_a_provinces_long_list_is_summarised_by_regency(client_as, kalteng, pokja_kalteng, short_lists):
    bartim, mura = Regency.objects.get(code="62.13"), Regency.objects.get(code="62.12")
    waiting(bartim, 2)
    waiting(mura)
    follow_up(kalteng, pokja_kalteng, due=june(10), assigned_regency=mura)
    html = page(client_as("pokja_kalteng"))
    assert areas(html) == ["62.12", "62.13"]
    assert re.search(r'data-area="62.12">.*?data-count="follow_up"><a [^>]*>1</a>', html, re.S)
    with at(20):
        mine = client_as("pokja_kalteng").get(reverse("my_tasks"), {"wilayah": "62.12"}).content.decode()
    assert mine.count('data-testid="task"') == 2  # Murung Raya's update and its follow-up
    assert 'data-rule="follow_up"' in mine and 'data-rule="review"' in mine


def test_a_short_list_is_listed_whole(client_as, national, kalteng):
    waiting(Regency.objects.get(code="62.13"), 2)
    html = page(client_as("national"))
    assert areas(html) == [] and html.count('data-testid="task"') == 2


def test_the_digest_summarises_a_long_list_as_the_page_does(
    national, kalteng, kalsel, short_lists, mailoutbox, django_capture_on_commit_callbacks
):
    waiting(Regency.objects.get(code="62.13"), 2)
    waiting(Regency.objects.get(code="63.71"))
    with at(20, hour=7), django_capture_on_commit_callbacks(execute=True):
        reminders.send_daily_reminders(june(20))
    [mail] = [m for m in mailoutbox if m.to == ["national@example.test"]]
    assert "tugas-saya/?wilayah=62" in mail.body and "tugas-saya/?wilayah=63" in mail.body
    assert "(2)" in mail.body and "(1)" in mail.body and "M1" not in mail.body
    assert 'href="http://127.0.0.1:8000/tugas-saya/?wilayah=62"' in mail.alternatives[0].content


@pytest.mark.parametrize("query", [{}, {"wilayah": "62"}, {"wilayah": "62", "jenis": "review", "page": "2"}])
def test_the_query_count_of_a_long_list_does_not_grow(client_as, national, kalteng, kalsel, short_lists, query):
    regencies = list(Regency.objects.filter(province__in=["62", "63"]).order_by("code"))
    client = client_as("national")

    def count():
        with at(20), CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("my_tasks"), query).status_code == 200
        return len(queries)

    waiting(regencies[0], 3)
    waiting(regencies[-1])
    few = count()
    for regency in regencies[1:-1]:
        waiting(regency, 2)
    assert count() == few


def test_the_officers_query_count_does_not_grow_with_the_items(
    client_as, kalteng, bartim, officer_bartim, pokja_kalteng
):
    def count() -> int:
        client = client_as("officer_bartim")
        with at(20), CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("my_tasks")).status_code == 200
        return len(queries)

    with at(1):
        builders.draft(builders.milestone(bartim, 1), officer_bartim)
        builders.returned(builders.milestone(bartim, 2), officer_bartim, pokja_kalteng)
    follow_up(kalteng, pokja_kalteng, due=june(10), assigned_regency=bartim)
    few = count()
    with at(1):
        builders.draft(builders.milestone(bartim, 3), officer_bartim)
        builders.returned(builders.milestone(bartim, 4), officer_bartim, pokja_kalteng)
    for day in (11, 12, 13):
        follow_up(kalteng, pokja_kalteng, due=june(day), assigned_regency=bartim)
    assert count() == few
