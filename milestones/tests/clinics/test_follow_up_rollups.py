"""Follow-ups across clinics: the carry-over onto the next clinic, completion rates and overdue counts,
the regency page's section, and ``actions_for_user`` (the list other pages reuse)."""

import datetime
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import FollowUpAction
from milestones.selectors import clinics as selectors
from milestones.services import clinics as services
from milestones.tests import clinic_builders as build
from milestones.tests.builders import pdf
from milestones.tests.shared_rows import rolled_back
from regencies.models import Province, Regency

Status = FollowUpAction.Status
QUERY_COUNT_PERSONAS = ["officer_bartim", "pokja_kalteng"]
# The day of Coaching Clinic 7 for Barito Timur and Murung Raya (our story), after CC6 of 23 June 2023.
CC7_DATE = datetime.date(2023, 10, 5)
NOW = datetime.datetime(2023, 10, 5, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


class Actions(HTMLParser):
    """The actions a page lists: {pk: attributes}, in order, per section (by the enclosing data-testid)."""

    def __init__(self, html):
        super().__init__()
        self.items = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("data-testid") == "action":
            self.items[int(attrs["data-action"])] = attrs


def section(html: str, testid: str) -> str:
    """The HTML from the element with ``data-testid=testid`` to the end of its <section> or <ul>."""
    start = html.index(f'data-testid="{testid}"')
    end = min(i for i in (html.find("</section>", start), html.find("</ul>", start)) if i != -1)
    return html[start:end]


# --- Carry-over ---------------------------------------------------------------------------------------


@pytest.fixture
def story(kalteng, bartim, mura, officer_bartim, pokja_kalteng):
    """CC5 (Barito Timur, 2022) left one action open; CC6 (both, June 2023) left two open (one each) and
    closed one; CC7 (Murung Raya only, October 2023) is today's."""
    cc5 = build.clinic(kalteng, pokja_kalteng, regencies=[bartim], number=5, date=datetime.date(2022, 11, 2))
    cc6 = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    cc7 = build.clinic(kalteng, pokja_kalteng, regencies=[mura], number=7, date=CC7_DATE)
    actions = {
        "cc5_bartim": build.action(cc5, pokja_kalteng, owner=bartim, description="Kampanye retribusi."),
        "cc6_bartim": build.action(cc6, pokja_kalteng, owner=bartim, description="APBD Barito Timur."),
        "cc6_mura": build.action(cc6, pokja_kalteng, owner=mura, description="UPTD PALD Murung Raya."),
        "cc6_province": build.action(
            cc6, pokja_kalteng, owner=build.provincial_pokja(kalteng), description="Pantau mutu SSK."
        ),
        "cc6_done": build.closed(build.action(cc6, pokja_kalteng, owner=mura, description="Selesai."), pokja_kalteng),
    }
    return {"cc5": cc5, "cc6": cc6, "cc7": cc7, **actions}


def carried_over(client, clinic) -> list[int]:
    html = client.get(reverse("clinic", args=[clinic.pk])).content.decode()
    if 'data-testid="carried-over"' not in html:
        return []
    return list(Actions(section(html, "carried-over")).items)


def test_the_next_clinic_shows_what_is_still_open_from_earlier_clinics(client_as, story):
    shown = carried_over(client_as("pokja_kalteng"), story["cc7"])
    # Murung Raya's open action and the province's own action of CC6; not Barito Timur's, not the done one
    assert shown == [story["cc6_mura"].pk, story["cc6_province"].pk]


def test_an_action_in_progress_still_carries_over_and_a_dropped_one_does_not(
    client_as, story, pokja_kalteng, officer_mura
):
    services.start_action(action=story["cc6_mura"], actor=officer_mura)
    build.dropped(story["cc6_province"], pokja_kalteng)
    assert carried_over(client_as("pokja_kalteng"), story["cc7"]) == [story["cc6_mura"].pk]


def test_cc6_carries_over_barito_timurs_open_action_from_cc5(client_as, story):
    assert carried_over(client_as("pokja_kalteng"), story["cc6"]) == [story["cc5_bartim"].pk]


def test_the_first_clinic_has_nothing_to_carry_over(client_as, story):
    assert carried_over(client_as("pokja_kalteng"), story["cc5"]) == []


def test_a_long_carry_over_lists_the_soonest_due_and_counts_all_by_regency(client_as, story, monkeypatch):
    monkeypatch.setattr(selectors, "CARRIED_OVER_SHOWN", 1)
    html = client_as("pokja_kalteng").get(reverse("clinic", args=[story["cc7"].pk])).content.decode()
    assert list(Actions(section(html, "carried-over")).items) == [story["cc6_mura"].pk]  # the sooner due
    table = html[html.index('data-testid="carried-over-regencies"') : html.index("</table>")]
    assert 'data-regency=""' in table and 'data-regency="62.12"' in table  # the province's own, Murung Raya
    assert 'data-regency="62.13"' not in table  # Barito Timur's action stays with the clinics that covered it


def test_a_long_carry_over_costs_the_same_queries_as_a_short_one(client_as, story, mura, pokja_kalteng, monkeypatch):
    monkeypatch.setattr(selectors, "CARRIED_OVER_SHOWN", 1)
    client = client_as("pokja_kalteng")
    url = reverse("clinic", args=[story["cc7"].pk])

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    short = count()
    for n in range(3):
        build.action(story["cc6"], pokja_kalteng, owner=mura, description=f"Tindak lanjut {n}.")
    assert count() == short


def clinic_html(client, clinic, **query) -> str:
    response = client.get(reverse("clinic", args=[clinic.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_clinic_with_many_actions_counts_them_by_recommendation_and_regency(client_as, story, monkeypatch):
    monkeypatch.setattr(selectors, "CLINIC_ACTIONS_SHOWN", 2)
    html = clinic_html(client_as("pokja_kalteng"), story["cc6"])
    assert 'data-testid="action"' not in html.split('id="recommendations"')[1]
    table = html[html.index('data-testid="clinic-regencies"') : html.index("</table>", html.index("clinic-regencies"))]
    assert re.findall(r'data-regency="([^"]*)"', table) == ["", "62.12", "62.13"]  # the province's own first
    mura_row = table[table.index('data-regency="62.12"') :]
    assert re.search(r'data-figure="total">2<.*?data-figure="active">1<', mura_row, re.S)  # one done
    assert html.count('data-testid="recommendation-counts"') == 4


def test_choosing_a_regency_lists_its_actions(client_as, story, monkeypatch):
    monkeypatch.setattr(selectors, "CLINIC_ACTIONS_SHOWN", 2)
    html = clinic_html(client_as("pokja_kalteng"), story["cc6"], kabkota="62.12")
    listed = Actions(html.split('id="recommendations"')[1]).items
    assert set(listed) == {story["cc6_mura"].pk, story["cc6_done"].pk}
    own = Actions(
        clinic_html(client_as("pokja_kalteng"), story["cc6"], kabkota="provinsi").split('id="recommendations"')[1]
    )
    assert list(own.items) == [story["cc6_province"].pk]


def test_a_short_clinic_lists_every_action(client_as, story):
    html = clinic_html(client_as("pokja_kalteng"), story["cc6"], kabkota="99.99")  # not a covered regency: ignored
    assert 'data-testid="clinic-regencies"' not in html
    assert len(Actions(html.split('id="recommendations"')[1]).items) == 4  # CC5's carried-over one is above


def test_a_short_clinic_counts_its_figures_from_the_actions_it_lists(client_as, story):
    # The whole clinic listed: its figures come from those rows, one query less than a regency's list, which
    # holds only that regency's actions and counts the clinic's apart; the figures are the same rule's.
    client = client_as("pokja_kalteng")
    clinic = story["cc6"]

    def count(**query) -> tuple[int, str]:
        clinic_html(client, clinic, **query)
        with CaptureQueriesContext(connection) as queries:
            html = clinic_html(client, clinic, **query)
        return len(queries), html

    (whole, whole_html), (one, one_html) = count(), count(kabkota="62.12")
    assert whole == one - 1
    expected = selectors.clinic_figures(get_user_model().objects.get(username="pokja_kalteng"), clinic)
    assert expected.total > expected.done > 0
    for html in (whole_html, one_html):
        block = html[html.index('data-testid="clinic-follow-ups"') :].split("</p>")[0]
        shown = dict(re.findall(r'data-figure="(\w+)"[^>]*>([^<]*)', block))
        assert shown["active"].strip() == str(expected.active)
        assert shown["overdue"].strip() == str(expected.overdue)


def test_a_summarised_clinic_costs_the_same_queries_with_more_actions(
    client_as, story, mura, pokja_kalteng, monkeypatch
):
    monkeypatch.setattr(selectors, "CLINIC_ACTIONS_SHOWN", 2)
    client = client_as("pokja_kalteng")

    def count(**query) -> int:
        clinic_html(client, story["cc6"], **query)
        with CaptureQueriesContext(connection) as queries:
            clinic_html(client, story["cc6"], **query)
        return len(queries)

    before = count(), count(kabkota="62.12")
    for n in range(3):
        build.action(story["cc6"], pokja_kalteng, owner=mura, description=f"Tindak lanjut {n}.")
    assert (count(), count(kabkota="62.12")) == before


def test_an_officer_sees_only_their_own_carry_over(client_as, story):
    assert carried_over(client_as("officer_mura"), story["cc7"]) == [story["cc6_mura"].pk, story["cc6_province"].pk]
    assert client_as("officer_bartim").get(reverse("clinic", args=[story["cc7"].pk])).status_code == 404


# --- Completion rates and overdue ----------------------------------------------------------------------


def test_the_completion_rate_leaves_dropped_actions_out(kalteng, bartim, pokja_kalteng):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim])
    build.closed(build.action(clinic, pokja_kalteng, owner=bartim), pokja_kalteng)
    build.dropped(build.action(clinic, pokja_kalteng, owner=bartim), pokja_kalteng)
    build.action(clinic, pokja_kalteng, owner=bartim, due_date=datetime.date(2024, 3, 31))
    figures = selectors.regency_figures(pokja_kalteng, bartim)
    assert (figures.total, figures.done, figures.dropped, figures.active) == (3, 1, 1, 1)
    assert figures.completion_rate == 50  # 1 done of the 2 not dropped


def test_a_regency_with_only_dropped_actions_has_no_rate(kalteng, bartim, pokja_kalteng):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim])
    build.dropped(build.action(clinic, pokja_kalteng, owner=bartim), pokja_kalteng)
    assert selectors.regency_figures(pokja_kalteng, bartim).completion_rate is None


def test_a_rate_is_rounded_to_a_whole_percent(kalteng, bartim, pokja_kalteng):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim])
    for _ in range(2):
        build.closed(build.action(clinic, pokja_kalteng, owner=bartim), pokja_kalteng)
    build.action(clinic, pokja_kalteng, owner=bartim)
    assert selectors.regency_figures(pokja_kalteng, bartim).completion_rate == 67


def test_an_action_counts_for_the_regency_it_concerns_or_is_assigned_to(kalteng, bartim, mura, pokja_kalteng):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    build.action(clinic, pokja_kalteng, owner=build.provincial_pokja(kalteng), regency=bartim)  # concerns
    build.action(clinic, pokja_kalteng, owner=bartim)  # assigned
    build.action(clinic, pokja_kalteng, owner=build.regency_pokja(bartim))  # its Pokja
    build.action(clinic, pokja_kalteng, owner=build.provincial_pokja(kalteng))  # the province's own
    by_regency = selectors.province_follow_ups(pokja_kalteng, kalteng)
    assert {code: f.total for code, f in by_regency.items()} == {"62.13": 3, None: 1}


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(datetime.date(2023, 12, 31), 0), (datetime.date(2024, 1, 1), 2)],
    ids=["on-the-due-date", "the-day-after"],
)
def test_open_and_in_progress_actions_past_their_due_date_are_overdue(
    kalteng, bartim, pokja_kalteng, officer_bartim, today, overdue
):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim])
    build.action(clinic, pokja_kalteng, owner=bartim)  # due 31 December 2023, open
    services.start_action(action=build.action(clinic, pokja_kalteng, owner=bartim), actor=officer_bartim)
    build.closed(build.action(clinic, pokja_kalteng, owner=bartim), officer_bartim)  # done: never overdue
    build.dropped(build.action(clinic, pokja_kalteng, owner=bartim), pokja_kalteng)  # dropped: never overdue
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(23, 30), NOW.tzinfo), tick=False):
        assert selectors.regency_figures(pokja_kalteng, bartim).overdue == overdue
        assert selectors.regency_section(pokja_kalteng, bartim).figures.overdue == overdue  # counted in Python
        actions = FollowUpAction.objects.filter(regency=bartim)
        assert sum(a.is_overdue() for a in actions) == overdue


# --- The regency page's section ------------------------------------------------------------------------


def test_the_regency_section_lists_open_actions_first_and_flags_the_overdue(client_as, kalteng, bartim, pokja_kalteng):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim])
    done = build.closed(
        build.action(clinic, pokja_kalteng, owner=bartim, due_date=datetime.date(2023, 7, 1)), pokja_kalteng
    )
    later = build.action(clinic, pokja_kalteng, owner=bartim, due_date=datetime.date(2023, 12, 31))
    overdue = build.action(clinic, pokja_kalteng, owner=bartim, due_date=datetime.date(2023, 9, 30))
    html = client_as("officer_bartim").get(bartim.get_absolute_url()).content.decode()
    items = Actions(section(html, "regency-actions")).items
    assert list(items) == [overdue.pk, later.pk, done.pk]
    assert [items[pk]["data-overdue"] for pk in items] == ["1", "0", "0"]
    assert 'data-figure="completion_rate">33%<' in html
    assert reverse("clinic", args=[clinic.pk]) in html


def test_the_regency_section_shows_no_other_regencys_actions(client_as, kalteng, bartim, mura, pokja_kalteng):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    build.action(clinic, pokja_kalteng, owner=mura, description="Tugas Murung Raya.")
    html = client_as("pokja_kalteng").get(bartim.get_absolute_url()).content.decode()
    assert "Tugas Murung Raya." not in html
    assert 'data-figure="completion_rate">–<' in html


@pytest.mark.parametrize("persona", ["officer_bartim", "pokja_kalteng"])
def test_the_regency_section_has_the_rows_and_figures_of_the_regencys_scoped_actions(
    request, persona, kalteng, bartim, mura, pokja_kalteng, django_assert_num_queries
):
    """The section counts the rows it read (in Python): the same figures and list as the scope's own queries."""
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    elsewhere = build.clinic(kalteng, pokja_kalteng, regencies=[mura])
    for n in range(9):  # more than the section lists: open, overdue, done and dropped
        action = build.action(clinic, pokja_kalteng, owner=bartim, due_date=datetime.date(2023, 7 + n % 6, 1))
        if n % 3 == 1:
            build.closed(action, pokja_kalteng)
        elif n % 3 == 2:
            build.dropped(action, pokja_kalteng)
    build.action(clinic, pokja_kalteng, owner=build.regency_pokja(bartim))
    build.action(clinic, pokja_kalteng, owner=build.provincial_pokja(kalteng), regency=bartim)
    # Concerns Barito Timur but is Murung Raya's task (the service refuses it now; older rows may hold it).
    mixed = build.action(clinic, pokja_kalteng, owner=mura)
    FollowUpAction.objects.filter(pk=mixed.pk).update(regency=bartim)
    build.action(clinic, pokja_kalteng, owner=mura)  # Murung Raya's
    build.action(clinic, pokja_kalteng, owner=build.provincial_pokja(kalteng))  # the province's own
    build.action(elsewhere, pokja_kalteng, owner=mura)
    user = request.getfixturevalue(persona)
    section = selectors.regency_section(user, bartim)
    assert section.figures == selectors.regency_figures(user, bartim)
    listed = [action.pk for action in selectors.regency_actions(user, bartim)]
    assert [action.pk for action in section.actions] == listed[: selectors.REGENCY_ACTIONS]
    # The officer does not see the action assigned to Murung Raya; the province's Pokja does.
    assert section.figures.total == {"officer_bartim": 11, "pokja_kalteng": 12}[persona]
    assert section.figures.overdue > 0 and section.figures.done == 3 and section.figures.dropped == 3
    # The listed rows' regencies (set without joins) are those the joins give, and read no further query.
    joined = {action.pk: action for action in selectors.regency_actions(user, bartim)}
    with django_assert_num_queries(0):
        for action in section.actions:
            expected = joined[action.pk]
            assert (action.regency, action.assigned_regency) == (expected.regency, expected.assigned_regency)
            group, expected_group = action.assigned_working_group, expected.assigned_working_group
            assert (group and group.regency) == (expected_group and expected_group.regency)
    if persona == "pokja_kalteng":  # the mixed row's other regency: read by the section's one extra query
        assert mura in {action.assigned_regency for action in section.actions}


def test_only_the_provinces_pokja_gets_the_new_clinic_button(client_as, bartim):
    create = reverse("clinic_create", args=["62"])
    assert create in client_as("pokja_kalteng").get(bartim.get_absolute_url()).content.decode()
    assert create not in client_as("officer_bartim").get(bartim.get_absolute_url()).content.decode()


@pytest.fixture(scope="class")
def regency_page_queries_before(module_db, django_db_blocker) -> Iterator[dict[str, int]]:
    """Barito Timur's page with one clinic and one action: the queries each persona's second request
    makes (the first warms its client). Then seven more clinics, each with three actions (one closed with
    a file, one for the regency's Pokja, one for the province's concerning Barito Timur), built once for
    every persona's test."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
            users = get_user_model().objects
            pokja_kalteng, officer_bartim = users.get(username="pokja_kalteng"), users.get(username="officer_bartim")
            kalteng = Province.objects.get(code="62")
            bartim, mura = Regency.objects.get(code="62.13"), Regency.objects.get(code="62.12")
            regency_pokja, provincial_pokja = build.regency_pokja(bartim), build.provincial_pokja(kalteng)
            clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim])
            build.action(clinic, pokja_kalteng, owner=bartim)
            before = {}
            for persona in QUERY_COUNT_PERSONAS:
                client = Client()
                client.force_login(users.get(username=persona))
                client.get(bartim.get_absolute_url())
                with CaptureQueriesContext(connection) as queries:
                    client.get(bartim.get_absolute_url())
                before[persona] = len(queries)
            for number in range(1, 8):
                more = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura], number=number)
                build.closed(build.action(more, pokja_kalteng, owner=bartim), officer_bartim, files=[pdf()])
                build.action(more, pokja_kalteng, owner=regency_pokja)
                build.action(more, pokja_kalteng, owner=provincial_pokja, regency=bartim)
        yield before


class TestTheRegencyPageQueryCount:
    @pytest.mark.parametrize("persona", QUERY_COUNT_PERSONAS)
    def test_the_regency_page_query_count_does_not_grow_with_clinics_or_actions(
        self, client_as, bartim, regency_page_queries_before, persona
    ):
        client = client_as(persona)
        client.get(bartim.get_absolute_url())
        with CaptureQueriesContext(connection) as after:
            client.get(bartim.get_absolute_url())
        assert len(after) == regency_page_queries_before[persona], "\n".join(q["sql"] for q in after.captured_queries)


# --- actions_for_user ------------------------------------------------------------------------------


def test_actions_for_user_are_the_open_ones_a_user_may_act_on(story, personas, bartim, pokja_kalteng):
    regency_pokja_action = build.action(story["cc6"], pokja_kalteng, owner=build.regency_pokja(bartim))
    pks = {name: [a.pk for a in selectors.actions_for_user(personas[name])] for name in personas}
    assert pks["officer_bartim"] == [story["cc5_bartim"].pk, story["cc6_bartim"].pk, regency_pokja_action.pk]
    assert pks["officer_mura"] == [story["cc6_mura"].pk]
    assert sorted(pks["pokja_kalteng"]) == sorted(
        [story[k].pk for k in ("cc5_bartim", "cc6_bartim", "cc6_mura", "cc6_province")] + [regency_pokja_action.pk]
    )
    for reader in ("national", "balai_kalteng", "coordinator_kalteng", "pokja_kalsel", "administrator", "nobody"):
        assert pks[reader] == []


def test_actions_for_user_runs_one_query_with_everything_a_list_shows(story, officer_bartim):
    with CaptureQueriesContext(connection) as queries:
        for action in selectors.actions_for_user(officer_bartim):
            _ = (action.owner, action.regency, action.recommendation.clinic.number, action.province.name)
    assert len(queries) == 2  # the user's role (the scope, once) and the actions


@pytest.mark.parametrize("more", [0, 1])
def test_a_clinic_one_action_longer_than_shown_is_summarised_with_the_same_figures(client_as, story, monkeypatch, more):
    # The list reads at most one row more than are shown (the carried-over ones besides) to know the clinic
    # is whole: exactly as many as shown is listed, one more is summarised; the figures stay the SQL rule's.
    user = get_user_model().objects.get(username="pokja_kalteng")
    clinic = story["cc6"]  # CC5's action is carried over to it
    expected = selectors.clinic_figures(user, clinic)
    monkeypatch.setattr(selectors, "CLINIC_ACTIONS_SHOWN", expected.total - more)
    html = clinic_html(client_as("pokja_kalteng"), clinic)
    assert ('data-testid="clinic-regencies"' in html) is bool(more)
    block = html[html.index('data-testid="clinic-follow-ups"') :].split("</p>")[0]
    shown = dict(re.findall(r'data-figure="(\w+)"[^>]*>([^<]*)', block))
    assert (shown["active"].strip(), shown["overdue"].strip()) == (str(expected.active), str(expected.overdue))
