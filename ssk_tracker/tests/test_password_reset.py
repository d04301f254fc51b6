"""Password reset by e-mail (/lupa-kata-sandi/, Django's views through regencies/accounts.py)."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

NEW_PASSWORD = "Sanitasi-Aman-2026"


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()  # django-ratelimit's counters live in the cache, which outlives a test's transaction
    yield
    cache.clear()


def _ask(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def _link(message) -> str:
    match = re.search(re.escape(settings.SITE_URL) + r"(/lupa-kata-sandi/\S+/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_login_page_links_to_the_reset(client, db):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in html
    assert "Lupa kata sandi?" in html


def test_the_reset_request_page_is_in_indonesian(client, db):
    html = client.get(reverse("password_reset")).content.decode()
    assert "Lupa kata sandi?" in html
    assert "Kirim tautan" in html


def test_reset_by_e_mail_end_to_end(client, officer_bartim):
    officer_bartim.first_name, officer_bartim.last_name = 'Maria "Ulfah"', "O'Neil & Co"
    officer_bartim.save()
    response = _ask(client, "officer_bartim@example.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer_bartim@example.test"]
    assert message.subject == "[SSK] Pilih kata sandi baru"
    assert 'Maria "Ulfah" O\'Neil & Co' in message.body  # plain text: not HTML-escaped
    assert "&quot;" not in message.body and "&amp;" not in message.body and "&#x27;" not in message.body
    html_body, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "&quot;Ulfah&quot;" in html_body

    page = client.get(_link(message), follow=True)  # Django moves the token out of the URL into the session
    assert "Pilih kata sandi baru" in page.content.decode()
    set_password_url = page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")

    signed_in = client.post(reverse("login"), {"username": "officer_bartim", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(officer_bartim.pk)
    client.logout()
    assert client.get(_link(message), follow=True).context["validlink"] is False  # the link works once


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, officer_bartim):
    known = _ask(client, "officer_bartim@example.test")
    unknown = _ask(client, "tidak.ada@example.test")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [message.to for message in mail.outbox] == [["officer_bartim@example.test"]]
    done = client.get(unknown["Location"]).content.decode()
    assert "Jika ada akun yang memakai alamat itu" in done


def test_reset_requests_are_rate_limited(client, officer_bartim, settings):
    settings.PASSWORD_RESET_RATE = "2/h"
    assert _ask(client, "a@example.test").status_code == 302
    assert _ask(client, "b@example.test").status_code == 302
    limited = _ask(client, "officer_bartim@example.test")
    assert limited.status_code == 429
    assert "Terlalu banyak permintaan" in limited.content.decode()
    assert mail.outbox == []


def test_a_new_password_by_e_mail_lifts_a_lockout(client, officer_bartim):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "officer_bartim", "password": "salah"})
    assert AccessAttempt.objects.filter(username="officer_bartim").exists()
    _ask(client, "officer_bartim@example.test")
    page = client.get(_link(mail.outbox[0]), follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not AccessAttempt.objects.filter(username="officer_bartim").exists()
    assert client.post(reverse("login"), {"username": "officer_bartim", "password": NEW_PASSWORD}).status_code == 302
