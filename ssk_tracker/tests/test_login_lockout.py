"""Login throttling (django-axes, regencies/accounts.py): both login pages lock a username+address after
AXES_FAILURE_LIMIT wrong passwords, answer 429 in Indonesian, and open again after the cool-off or an
administrator's unlock."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LOGIN_PAGES = [pytest.param("login", id="masuk"), pytest.param("admin:login", id="admin")]


def _sign_in(client, page, username, password):
    return client.post(reverse(page), {"username": username, "password": password, "next": "/"})


def _fail_until_locked(client, page, username):
    answers = [_sign_in(client, page, username, "salah").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    return answers


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_the_limit_th_wrong_password_locks_with_an_indonesian_429(client, administrator, page):
    with time_machine.travel(START, tick=False):
        answers = _fail_until_locked(client, page, "administrator")
        assert answers[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)  # the form again, with its error
        locked = _sign_in(client, page, "administrator", "salah")
    assert answers[-1] == 429
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal" in html
    assert "30 menit" in html
    assert "administrator SSK Tracker" in html
    assert reverse("password_reset") in html


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_the_right_password_is_refused_until_the_cool_off_ends(client, administrator, page):
    with time_machine.travel(START, tick=False) as clock:
        _fail_until_locked(client, page, "administrator")
        clock.shift(dt.timedelta(minutes=29))
        assert _sign_in(client, page, "administrator", "pw").status_code == 429
        assert "_auth_user_id" not in client.session
        clock.shift(dt.timedelta(minutes=31))  # 30 minutes after the last attempt, which restarted the wait
        response = _sign_in(client, page, "administrator", "pw")
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(administrator.pk)  # inside: the session's expiry is frozen too


def test_failures_are_counted_per_username_and_address(client, officer_bartim, officer_mura):
    _fail_until_locked(client, "login", "officer_bartim")
    assert _sign_in(client, "login", "officer_mura", "pw").status_code == 302  # another user, same address
    elsewhere = Client(REMOTE_ADDR="10.9.8.7")
    assert _sign_in(elsewhere, "login", "officer_bartim", "pw").status_code == 302  # same user, elsewhere


def test_a_success_before_the_limit_clears_the_count(client, officer_bartim):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "login", "officer_bartim", "salah")
    assert _sign_in(client, "login", "officer_bartim", "pw").status_code == 302
    client.logout()
    assert _sign_in(client, "login", "officer_bartim", "salah").status_code == 200  # counting from one again


def test_an_administrator_unlocks_by_deleting_the_access_attempt(client, officer_bartim, administrator):
    _fail_until_locked(client, "login", "officer_bartim")
    assert _sign_in(client, "login", "officer_bartim", "pw").status_code == 429
    attempt = AccessAttempt.objects.get(username="officer_bartim")

    admin = Client()
    admin.force_login(administrator)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "officer_bartim" in admin.get(changelist, {"locked_out": "yes"}).content.decode()
    response = admin.post(changelist, {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"})
    assert response.status_code == 302

    assert not AccessAttempt.objects.filter(username="officer_bartim").exists()
    assert _sign_in(client, "login", "officer_bartim", "pw").status_code == 302
