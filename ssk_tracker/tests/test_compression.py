"""Pages go out gzip-compressed to a browser that asks for it; files that are compressed already do not."""

import gzip
import io
import re

import pytest
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from ssk_tracker.middleware import CompressPagesMiddleware

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _through_middleware(response):
    request = RequestFactory().get("/", headers={"accept-encoding": "gzip, deflate, br"})
    return CompressPagesMiddleware(lambda request: response)(request)


def test_a_page_is_compressed_for_a_browser_that_asks():
    page = _through_middleware(HttpResponse("<p>Kabupaten Barito Timur</p>" * 100))
    assert page["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page["Vary"]
    assert gzip.decompress(page.content).startswith(b"<p>Kabupaten")


@pytest.mark.parametrize("content_type", ["application/pdf", "application/zip", "image/png"])
def test_a_file_that_is_compressed_already_passes_untouched(content_type):
    body = b"%PDF-1.7 " + bytes(range(256)) * 100
    response = _through_middleware(FileResponse(io.BytesIO(body), content_type=content_type))
    assert not response.has_header("Content-Encoding")
    assert b"".join(response.streaming_content) == body


def test_a_csv_export_is_compressed():
    response = _through_middleware(HttpResponse("kode,nama\n62.13,Barito Timur\n" * 100, content_type="text/csv"))
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.django_db
def test_the_login_page_is_compressed_and_its_csrf_token_differs_every_time(client):
    """BREACH reads a secret from the compressed size of many responses: the CSRF token in the page is masked
    afresh in every response (and Django pads the compressed length at random), so there is none to read."""
    first = client.get(reverse("login"), headers={"accept-encoding": "gzip"})
    second = client.get(reverse("login"), headers={"accept-encoding": "gzip"})
    assert first["Content-Encoding"] == "gzip"
    tokens = [TOKEN.search(gzip.decompress(page.content).decode()).group(1) for page in (first, second)]
    assert tokens[0] != tokens[1]
