"""Hostile and odd input in URLs: a 400 or 404 with a message in Indonesian, never a 500 (SQLite and PostgreSQL)."""

import re

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls.resolvers import RoutePattern

from ssk_tracker.lib.params import int_param, page_param

CONTROL_MESSAGE = "Alamat berisi karakter yang tidak diizinkan"


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and isinstance(pattern.pattern, RoutePattern):
            yield prefix + str(pattern.pattern)


STRING_ROUTES = [r for r in _routes(get_resolver().url_patterns) if "<str:" in r]
SAMPLE = {"code": ("62", "62.13"), "fmt": "csv", "table": "milestones"}


def _fill(route: str, bad: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "code":
            return ("62.13" if route.startswith("kabkota") else "62") + bad
        return str(SAMPLE.get(name, "x")) + bad

    return "/" + re.sub(r"<str:(\w+)>", value, route).replace("<int:pk>", "1")


def test_the_walk_finds_the_string_captures():
    assert len(STRING_ROUTES) >= 20 and any(r.startswith("kabkota/<str:code>/") for r in STRING_ROUTES)


@pytest.mark.parametrize("bad", ["\x00", "%00", "\x01", "%0d%0a", "\x1b", "%09", "\x7f", "\x85"], ids=repr)
@pytest.mark.parametrize("persona", ["national", "officer_bartim"])
def test_control_characters_in_every_string_capture_are_a_400(client_as, persona, bad):
    client = client_as(persona)
    for route in STRING_ROUTES:
        response = client.get(_fill(route, bad))
        assert response.status_code == 400, route
        assert CONTROL_MESSAGE in response.content.decode(), route


@pytest.mark.parametrize(
    "url",
    ["/?q=\x00", "/provinsi/62/?tahun=2024%00", "/laporan/ekspor/milestones.csv?provinsi=62%00", "/klinik/?a%00=1"],
)
def test_control_characters_in_a_query_string_are_a_400(client_as, url):
    response = client_as("national").get(url)
    assert response.status_code == 400
    assert CONTROL_MESSAGE in response.content.decode()


def test_a_signed_out_visitor_gets_the_400_too(client):
    response = client.get("/kabkota/62.13%00/")
    assert response.status_code == 400 and CONTROL_MESSAGE in response.content.decode()


def test_an_unknown_code_is_still_a_404(client_as):
    assert client_as("national").get("/kabkota/99.99/").status_code == 404
    assert client_as("national").get("/kabkota/62.13'--/").status_code == 404


# --- integer query parameters ----------------------------------------------------------------------

BAD_NUMBERS = ["²", "٣", "１", "-1", "1e9", "1.5", "9" * 30, "9" * 5000, " ", "0x10", "NaN"]
INTEGER_PARAMETERS = [
    "/provinsi/62/?tahun={}",
    "/provinsi/62/?page={}",
    "/provinsi/62/?milestone={}",
    "/nasional/?milestone={}",
    "/nasional/?page={}",
    "/kabkota/62.13/kegiatan/?tahun={}",
    "/laporan/?page={}",
    "/laporan/status/?page={}",
    "/laporan/penyampaian/?tahun={}",
    "/laporan/penyampaian/?tahun=2024&page={}",
    "/reviu/?page={}",
    "/reviu/?milestone={}",
    "/klinik/?page={}",
    "/provinsi/62/klinik/?year={}",
    "/provinsi/62/klinik/?page={}",
]


@pytest.mark.parametrize("url", INTEGER_PARAMETERS)
def test_odd_numbers_in_integer_parameters_never_break_a_page(client_as, url):
    client = client_as("national")
    for value in BAD_NUMBERS:
        response = client.get(url.format(value))
        assert response.status_code in (200, 400, 404), (url, value[:10])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2024", 2024), ("²", None), ("٣", None), ("１", None), ("-1", None), ("9" * 5000, None), ("", None), ("7 ", 7)],
)
def test_int_param_reads_ascii_digits_only(rf, raw, expected):
    assert int_param(rf.get("/", {"n": raw}), "n") == expected


def test_int_param_keeps_to_its_bounds(rf):
    assert int_param(rf.get("/", {"tahun": "1999"}), "tahun", minimum=2000, maximum=2100) is None
    assert int_param(rf.get("/", {"tahun": "2100"}), "tahun", minimum=2000, maximum=2100) == 2100
    assert page_param(rf.get("/", {"page": "٣"})) == 1
    assert page_param(rf.get("/", {"page": "3"})) == 3


# --- the error pages ------------------------------------------------------------------------------


def _boom(request):
    raise RuntimeError("/srv/ssk/secret/path failed with password=hunter2")


def _ok(request):
    return HttpResponse("ok")


urlpatterns = [path("boom/", _boom), path("", _ok)]


@pytest.mark.urls(__name__)
def test_the_500_page_is_indonesian_and_leaks_nothing(client, settings):
    client.raise_request_exception = False
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan di server" in page and "administrator" in page
    assert "/srv" not in page and "hunter2" not in page and "RuntimeError" not in page


def test_the_404_page_is_indonesian(client_as):
    page = client_as("national").get("/tidak-ada/").content.decode()
    assert "Halaman tidak ditemukan" in page and 'lang="id"' in page


def test_the_403_page_is_indonesian(client_as):
    response = client_as("nobody").get("/laporan/ekspor/milestones.csv")
    assert response.status_code == 403
    assert "Tidak diizinkan" in response.content.decode()


def test_the_error_pages_carry_no_inline_script_or_style():
    from django.template.loader import get_template

    for name in ("400.html", "403.html", "404.html", "500.html", "missing_file.html"):
        source = get_template(name).template.source
        assert "<script" not in source and "<style" not in source and "style=" not in source, name
