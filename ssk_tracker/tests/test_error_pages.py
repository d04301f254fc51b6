"""The error pages users meet: 404, 403, 400, 500 and the refused-form (CSRF) page, styled, in the user's
language, also under DEBUG (the demo) for 404 and 403; and the icons browsers ask for (no 404 for /favicon.ico)."""

import json

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from ssk_tracker.errors import InputRefused

MISSING = "/tidak-ada-di-sini/"


def english(client: Client) -> Client:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def ours(page: str) -> bool:
    """Our layout (base.html's navigation and stylesheet), not Django's technical page."""
    return "/static/css/app.css" in page and "technical_404" not in page and "Django tried these URL" not in page


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_address_gets_our_404_in_indonesian(client_as, settings, debug):
    settings.DEBUG = debug
    response = client_as("national").get(MISSING)
    page = response.content.decode()
    assert response.status_code == 404
    assert ours(page) and 'lang="id"' in page and "Halaman tidak ditemukan" in page
    assert reverse("home") in page


@pytest.mark.parametrize("debug", [False, True])
def test_a_404_raised_by_a_view_is_ours_and_in_english_when_chosen(client_as, settings, debug):
    settings.DEBUG = debug
    response = english(client_as("national")).get("/kabkota/99.99/")
    page = response.content.decode()
    assert response.status_code == 404
    assert ours(page) and 'lang="en"' in page and "Page not found" in page


def test_under_debug_the_technical_404_can_be_asked_for(client_as, settings):
    settings.DEBUG = True
    page = client_as("national").get(MISSING + "?technical=1").content.decode()
    assert "Django tried these URL patterns" in page
    settings.TECHNICAL_ERROR_PAGES = True
    assert "Django tried these URL patterns" in client_as("national").get(MISSING).content.decode()


def test_under_debug_a_missing_slash_is_still_redirected(client_as, settings):
    settings.DEBUG = True
    response = client_as("national").get("/tugas-saya")
    assert response.status_code == 301 and response["Location"] == reverse("my_tasks")


@pytest.mark.parametrize("debug", [False, True])
def test_the_403_page_is_ours_in_both_languages(client_as, settings, debug):
    settings.DEBUG = debug
    response = client_as("nobody").get("/laporan/ekspor/milestones.csv")
    assert response.status_code == 403
    assert ours(response.content.decode()) and "Tidak diizinkan" in response.content.decode()
    response = english(client_as("nobody")).get("/laporan/ekspor/milestones.csv")
    assert response.status_code == 403 and "Not allowed" in response.content.decode()


def test_a_refused_input_is_our_400_with_its_message(client_as):
    response = client_as("national").get("/kabkota/62.13/?tahun=%00")
    page = response.content.decode()
    assert response.status_code == 400
    assert ours(page) and "Alamat berisi karakter yang tidak diizinkan" in page


def test_a_view_s_bad_request_under_debug_is_our_400(rf, settings, personas):
    from ssk_tracker.middleware import DebugErrorPagesMiddleware

    settings.DEBUG = True
    request = rf.get("/x/")
    request.user = personas["national"]
    request._messages = []  # base.html loops over the messages
    response = DebugErrorPagesMiddleware(lambda r: None).process_exception(request, InputRefused("Tahun tidak valid."))
    assert response.status_code == 400 and "Tahun tidak valid." in response.content.decode()
    settings.DEBUG = False
    assert DebugErrorPagesMiddleware(lambda r: None).process_exception(request, InputRefused("x")) is None


@pytest.mark.parametrize("debug", [False, True])
def test_a_form_refused_for_its_csrf_token_explains_what_to_do(officer_bartim, settings, debug):
    settings.DEBUG = debug
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "officer_bartim", "password": "pw"})
    page = response.content.decode()
    assert response.status_code == 403
    assert ours(page) and 'lang="id"' in page
    assert "Formulir tidak dapat dikirim" in page
    assert "terlalu lama" in page and "cookie" in page
    assert "Tidak ada yang disimpan." in page
    assert reverse("home") in page
    assert "cookie not set" not in page.lower()  # Django's reason is for the log, not for the user

    english(client)
    page = client.post(reverse("login"), {"username": "officer_bartim"}).content.decode()
    assert "The form could not be sent" in page and "Nothing was saved." in page


def test_the_500_page_renders_without_a_request_context_or_a_database():
    """No django_db mark: any query would fail the test. Django renders 500.html with no context at all."""
    request = RequestFactory().get("/")
    for language, heading in (("id", "Terjadi kesalahan di server"), ("en", "Something went wrong on the server")):
        with translation.override(language):
            response = server_error(request)
        page = response.content.decode()
        assert response.status_code == 500
        assert heading in page and f'lang="{language}"' in page
        assert "/static/css/app.css" in page and "/static/img/favicon.ico" in page


def test_favicon_ico_is_never_a_404(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200 or finders.find("img/favicon.ico")


def test_the_icon_links_of_the_head_resolve_through_staticfiles(client, db):
    page = client.get(reverse("login")).content.decode()
    for name in ("img/favicon.ico", "img/icon.svg", "img/apple-touch-icon.png"):
        assert f"/static/{name}" in page
        assert finders.find(name), name
    assert "/static/site.webmanifest" in page
    for name in ("img/favicon-32.png", "img/icon-192.png", "img/icon-512.png"):
        assert finders.find(name), name
    assert open(finders.find("img/favicon.ico"), "rb").read(4) == b"\x00\x00\x01\x00"
    assert open(finders.find("img/icon-512.png"), "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_web_manifest_s_icons_are_static_files():
    manifest = json.loads(open(finders.find("site.webmanifest"), encoding="utf-8").read())
    assert manifest["start_url"] == "/" and manifest["theme_color"] == "#146c43"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:  # relative to the manifest's own URL, /static/
        assert finders.find(icon["src"]), icon


def test_the_new_error_page_carries_no_inline_script_or_style():
    source = get_template("403_csrf.html").template.source
    assert "<script" not in source and "<style" not in source and "style=" not in source
