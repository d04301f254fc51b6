"""Every create form is safe against a double click: the same POST twice creates one row, and the second
is sent to what the first created; a POST without a valid token of its user creates nothing."""

import datetime
import threading

import pytest
import time_machine
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from milestones.forms.edits import TOKEN_FIELD
from milestones.models import UsedFormToken
from milestones.services.edits import TOKEN_MAX_AGE, issue_token
from milestones.tests.edits.cases import CREATE_CASES
from milestones.tests.form_client import form_values


@pytest.fixture
def indonesian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    return client


@pytest.mark.parametrize("case", CREATE_CASES, ids=str)
def test_the_same_post_twice_creates_one_row(case, client_as, indonesian):
    client = client_as(case.persona)
    url = case.url()
    data = {**client.marks(url), **case.data()}
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    second = client.post(url, {**data, **case.data()})  # the same page sent again (files read anew)
    assert second.status_code == 302 and second.url == first.url
    assert case.rows().count() == 1
    assert "sudah tersimpan" in client.get(second.url).content.decode()


@pytest.mark.parametrize("case", CREATE_CASES, ids=str)
def test_a_post_without_a_token_creates_nothing_and_keeps_what_was_typed(case, client_as, indonesian):
    client = client_as(case.persona)
    url = case.url()
    response = client.post(url, case.data())
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert "muat ulang formulir" in html
    assert case.rows().count() == 0
    shown = form_values(html)
    field, typed = case.typed
    assert shown[field] == [typed]
    assert shown[TOKEN_FIELD][0]  # a fresh token: sending the form again now goes through
    assert client.post(url, {**case.data(), TOKEN_FIELD: shown[TOKEN_FIELD][0]}).status_code == 302
    assert case.rows().count() == 1


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("1:abc:forged", id="forged"),
        pytest.param("x" * 5000, id="oversized"),
        pytest.param(lambda personas: issue_token(personas["pokja_kalsel"]), id="another_users"),
    ],
)
@pytest.mark.parametrize("case", [c for c in CREATE_CASES if c.name in ("clinic", "activity")], ids=str)
def test_a_forged_or_borrowed_token_is_refused(case, token, client_as, personas, indonesian):
    client = client_as(case.persona)
    url = case.url()
    value = token(personas) if callable(token) else token
    response = client.post(url, {**case.data(), TOKEN_FIELD: value})
    assert "muat ulang formulir" in response.content.decode()
    assert case.rows().count() == 0 and not UsedFormToken.objects.filter(token=value).exists()


def test_a_form_left_open_too_long_is_refused_with_what_was_typed_and_saves_on_the_next_try(client_as, indonesian):
    case = next(c for c in CREATE_CASES if c.name == "activity")
    client = client_as(case.persona)
    url = case.url()
    marks = client.marks(url)
    with time_machine.travel(timezone.now() + TOKEN_MAX_AGE + datetime.timedelta(hours=1)):
        response = client.post(url, {**marks, **case.data()})
        assert "terlalu lama" in response.content.decode() and case.rows().count() == 0
        fresh = form_values(response.content.decode())[TOKEN_FIELD][0]
        assert client.post(url, {**case.data(), TOKEN_FIELD: fresh}).status_code == 302
    assert case.rows().count() == 1


def test_a_refused_create_does_not_use_up_its_token(client_as):
    case = next(c for c in CREATE_CASES if c.name == "activity")
    client = client_as(case.persona)
    url = case.url()
    marks = client.marks(url)
    refused = client.post(url, {**marks, **case.data(), "year_end": "2000"})  # ends before it starts
    assert refused.status_code == 200 and case.rows().count() == 0
    assert not UsedFormToken.objects.filter(token=marks[TOKEN_FIELD]).exists()
    assert client.post(url, {**marks, **case.data()}).status_code == 302  # corrected, the same page saves


def test_old_tokens_are_removed_when_tokens_are_used(client_as, officer_bartim):
    old = UsedFormToken.objects.create(token="old", user=officer_bartim, result_url="/")
    UsedFormToken.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - TOKEN_MAX_AGE - datetime.timedelta(days=1)
    )
    case = next(c for c in CREATE_CASES if c.name == "nawasis")
    client = client_as(case.persona)
    assert client.submit(case.url(), case.data()).status_code == 302
    assert not UsedFormToken.objects.filter(pk=old.pk).exists()
    assert UsedFormToken.objects.filter(user=officer_bartim).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL to race two transactions for real")
def test_two_simultaneous_posts_with_one_token_create_one_row(bartim):
    """The second POST waits on the token's unique index, then finds the first one's row."""
    from conftest import make_user
    from milestones.tests.form_client import FormClient
    from regencies.models import Role

    officer = make_user("officer_bartim_race", Role.REGENCY_OFFICER, regency=bartim)
    case = next(c for c in CREATE_CASES if c.name == "nawasis")
    url = case.url()
    token = issue_token(officer)
    barrier = threading.Barrier(2)
    answers = []

    def press():
        try:
            client = FormClient()
            client.force_login(officer)
            barrier.wait()
            answers.append(client.post(url, {**case.data(), TOKEN_FIELD: token}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert answers == [302, 302]
    assert case.rows().filter(recorded_by=officer).count() == 1
