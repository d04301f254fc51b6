"""A first visit — the login page, signing in, the user's home and every file those pages make the browser
fetch — transfers at most 150 KB compressed, all from this site, every file under a hashed name cached for a
year (issue 11: officers work over slow mobile connections).

Production's set-up as far as a test can have it: DEBUG off, ``collectstatic`` once for the module into a
temporary STATIC_ROOT with the manifest storage (hashed names, gzip files beside them), WhiteNoise serving
them, pages compressed by the app's middleware; the client asks for gzip as every browser does.
"""

import gzip
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

from milestones.loadtest.client import fetch_assets

BUDGET_BYTES = 150 * 1024
YEAR_SECONDS = 365 * 24 * 3600
HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"


@pytest.fixture(scope="module")
def production_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    middleware = [name for name in settings.MIDDLEWARE if name != WHITENOISE]
    middleware.insert(middleware.index("django.middleware.security.SecurityMiddleware") + 1, WHITENOISE)
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(DEBUG=False, STATIC_ROOT=str(root), STORAGES=storages, MIDDLEWARE=middleware):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def _body(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return body


def _text(response, body: bytes) -> bytes:
    return gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_bartim", "pokja_kalteng", "national"])
def test_a_first_visit_is_light_and_comes_from_this_site_only(production_static, personas, persona):
    browser = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    transferred: dict[str, int] = {}

    login = browser.get("/masuk/")
    assert login.status_code == 200 and login["Content-Encoding"] == "gzip"
    transferred["/masuk/"] = len(login.content)
    signed_in = browser.post("/masuk/", {"username": personas[persona].username, "password": "pw"})
    assert signed_in.status_code == 302
    transferred["POST /masuk/"] = len(signed_in.content)
    home = browser.get(signed_in["Location"])
    assert home.status_code == 200 and home["Content-Encoding"] == "gzip"
    transferred[signed_in["Location"]] = len(home.content)

    files = {}

    def fetch(url: str) -> tuple[str, bytes]:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{url} comes from another host"
        response = browser.get(url)
        assert response.status_code == 200, url
        body = _body(response)
        files[url] = response
        transferred[url] = len(body)
        return response["Content-Type"], _text(response, body)

    pages = (gzip.decompress(login.content) + gzip.decompress(home.content)).decode()
    fetched = fetch_assets(fetch, pages)

    assert {"css", "js"} <= {url.rsplit(".", 1)[-1] for url in fetched}  # the style sheets and scripts were found
    for url, response in files.items():
        assert HASHED.search(urlsplit(url).path), f"{url} is not under a hashed (cache-busting) name"
        cache = response["Cache-Control"]
        max_age = int(re.search(r"max-age=(\d+)", cache).group(1))
        assert max_age >= YEAR_SECONDS and "immutable" in cache, f"{url}: Cache-Control {cache}"
        if response["Content-Type"].startswith(("text/", "application/javascript", "image/svg")):
            assert response["Content-Encoding"] == "gzip", f"{url} is sent uncompressed"
    total = sum(transferred.values())
    assert total <= BUDGET_BYTES, f"{total / 1024:.1f} KB: {transferred}"
