"""The REST API (ssk_tracker/api/): tokens, the scope, the errors, the throttle and the schema."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openapi_spec_validator import validate
from rest_framework import exceptions

from milestones.tests import builders
from regencies import tokens
from regencies.models import ApiToken
from ssk_tracker.api import docs
from ssk_tracker.api.errors import api_exception_handler
from ssk_tracker.api.throttles import TokenRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the throttle's counters
    yield
    cache.clear()


def token_client(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture
def officer_key(officer_bartim) -> str:
    _token, key = tokens.create_token(user=officer_bartim, name="skrip")
    return key


def test_an_officers_token_reads_their_regency_and_its_milestones(officer_key, bartim):
    milestone = builders.milestone(bartim, 1)
    client = token_client(officer_key)
    response = client.get(reverse("api_regency", args=["62.13"]))
    assert response.status_code == 200
    assert response.json()["code"] == "62.13"
    assert response.json()["province"] == "62"
    listed = client.get(reverse("api_regency_milestones", args=["62.13"])).json()
    assert milestone.pk in [row["id"] for row in listed["results"]]
    assert {"status", "number", "progress"} <= set(listed["results"][0])
    one = client.get(reverse("api_milestone", args=[milestone.pk])).json()
    assert (one["id"], one["regency"], one["number"], one["status"]) == (milestone.pk, "62.13", 1, "not_started")
    regencies = client.get(reverse("api_regencies")).json()
    assert [row["code"] for row in regencies["results"]] == ["62.13"]
    assert regencies["count"] == 1


def test_another_regency_and_its_milestone_are_404(officer_key, mura, kalsel):
    other = builders.milestone(mura, 1)
    client = token_client(officer_key)
    for url in (
        reverse("api_regency", args=["62.12"]),
        reverse("api_regency_milestones", args=["62.12"]),
        reverse("api_milestone", args=[other.pk]),
        reverse("api_province", args=["63"]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"


def test_the_404_message_is_indonesian_by_default_and_english_on_request(officer_key, mura):
    client = token_client(officer_key)
    url = reverse("api_regency", args=["62.12"])
    assert client.get(url).json()["message"] == "Tidak ditemukan, atau di luar wilayah kerja Anda."
    client.cookies["django_language"] = "en"  # the language switcher's choice
    assert client.get(url).json()["message"] == "Not found, or outside your working area."


def test_a_script_asks_for_english_with_accept_language_on_the_api_only(officer_key, mura, officer_bartim):
    client = token_client(officer_key)
    url = reverse("api_regency", args=["62.12"])
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["message"] == "Not found, or outside your working area."
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="fr").json()["message"].startswith("Tidak ditemukan")
    page = Client()
    page.force_login(officer_bartim)
    assert page.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "id"  # the pages: Indonesian


def test_the_province_filter_and_the_pokjas_scope(pokja_kalteng, kalsel):
    _token, key = tokens.create_token(user=pokja_kalteng, name="dasbor")
    client = token_client(key)
    codes = [row["code"] for row in client.get(reverse("api_regencies"), {"province": "62"}).json()["results"]]
    assert codes and all(code.startswith("62.") for code in codes)
    assert client.get(reverse("api_regencies"), {"province": "63"}).json()["count"] == 0
    assert [row["code"] for row in client.get(reverse("api_provinces")).json()["results"]] == ["62"]


def test_no_token_is_401_json():
    response = Client().get(reverse("api_regencies"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_or_unknown_token_is_refused(officer_bartim, officer_key):
    token = ApiToken.objects.get(user=officer_bartim)
    assert tokens.revoke_token(user=officer_bartim, pk=token.pk) is not None
    response = token_client(officer_key).get(reverse("api_regencies"))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert token_client("not-a-key").get(reverse("api_regencies")).status_code == 401


def test_someone_elses_token_cannot_be_revoked(officer_bartim, officer_mura, officer_key):
    token = ApiToken.objects.get(user=officer_bartim)
    assert tokens.revoke_token(user=officer_mura, pk=token.pk) is None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_last_use_is_written_at_most_once_a_minute(officer_bartim, officer_key):
    client = token_client(officer_key)
    client.get(reverse("api_regencies"))
    first = ApiToken.objects.get(user=officer_bartim).last_used_at
    assert first is not None
    client.get(reverse("api_regencies"))
    assert ApiToken.objects.get(user=officer_bartim).last_used_at == first
    token = ApiToken.objects.get(user=officer_bartim)
    tokens.mark_used(token, now=first + datetime.timedelta(minutes=2))
    assert ApiToken.objects.get(user=officer_bartim).last_used_at == first + datetime.timedelta(minutes=2)


def test_the_token_page_shows_the_key_once_and_stores_only_its_hash(client, officer_bartim):
    client.force_login(officer_bartim)
    response = client.post(reverse("api_tokens"), {"name": "Skrip dasbor"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # the key is in this page
    key = re.search(r'<code class="user-select-all text-body">([^<]+)</code>', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=officer_bartim)
    assert token.key_hash == tokens.hash_key(key) != key
    assert token.prefix == key[:8]
    assert key not in str(list(ApiToken.objects.values()))
    page = client.get(reverse("api_tokens")).content.decode()
    assert key not in page
    assert "Skrip dasbor" in page and token.prefix in page
    assert token_client(key).get(reverse("api_regencies")).status_code == 200
    response = client.post(reverse("api_tokens"), {"revoke": token.pk})
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert token_client(key).get(reverse("api_regencies")).status_code == 401


def test_the_token_page_refuses_an_empty_name(client, officer_bartim):
    client.force_login(officer_bartim)
    assert client.post(reverse("api_tokens"), {"name": ""}).status_code == 400
    assert not ApiToken.objects.exists()


def test_too_many_requests_are_429_throttled(officer_key, monkeypatch):
    # DRF reads DEFAULT_THROTTLE_RATES into the class once, at import: the rate is overridden there.
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api": "2/minute"})
    client = token_client(officer_key)
    assert [client.get(reverse("api_regencies")).status_code for _ in range(2)] == [200, 200]
    response = client.get(reverse("api_regencies"))
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert "detik" in response.json()["message"]
    assert "Retry-After" in response


def api_v1_routes(patterns=None, prefix: str = "") -> set[str]:
    """Every /api/v1/ URL pattern, written as OpenAPI writes a path (/api/v1/regencies/{code}/)."""
    found: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found |= api_v1_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
            found.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    return found


def test_the_schema_is_valid_openapi_and_lists_every_api_url(client, officer_bartim):
    client.force_login(officer_bartim)
    response = client.get(reverse("api_schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert set(schema["paths"]) == api_v1_routes()
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_docs_page_lists_every_endpoint_from_the_schema(client, officer_bartim):
    client.force_login(officer_bartim)
    page = client.get(reverse("api_docs")).content.decode()
    for path in api_v1_routes():
        assert f'<code class="text-body">{path}</code>' in page
    assert "cdn" not in page.lower()
    openapi = docs.schema()
    operations = [
        (path, method) for path, item in openapi["paths"].items() for method in item if method in docs.METHODS
    ]
    assert len(docs.endpoints(openapi)) == len(operations) > len(api_v1_routes())  # the writes share paths
    assert '<code class="text-body">narrative</code>' in page  # a write's request body is listed


def test_the_schema_needs_a_sign_in():
    assert Client().get(reverse("api_schema")).status_code == 401


def test_revoked_tokens_are_kept_as_the_record(officer_bartim, officer_key):
    token = ApiToken.objects.get(user=officer_bartim)
    tokens.revoke_token(user=officer_bartim, pk=token.pk)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    tokens.revoke_token(user=officer_bartim, pk=token.pk)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert first is not None and first <= timezone.now()


def test_a_deactivated_users_token_is_refused(officer_bartim, officer_key):
    officer_bartim.is_active = False
    officer_bartim.save()
    assert token_client(officer_key).get(reverse("api_regencies")).status_code == 401


def test_a_page_past_the_last_is_404_and_says_so(officer_key):
    response = token_client(officer_key).get(reverse("api_regencies"), {"page": 9})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "wilayah kerja" not in response.json()["message"]


def test_the_error_format_for_403_and_invalid_input():
    forbidden = api_exception_handler(PermissionDenied(), {})
    assert forbidden is not None and forbidden.status_code == 403
    assert forbidden.data == {"code": "forbidden", "message": "Peran Anda tidak boleh melakukan ini."}
    invalid = api_exception_handler(exceptions.ValidationError({"name": ["Wajib diisi."]}), {})
    assert invalid is not None and invalid.status_code == 400
    assert invalid.data["code"] == "invalid"
    assert invalid.data["errors"] == {"name": ["Wajib diisi."]}
    assert invalid.data["message"] == "Permintaan tidak valid; lihat kesalahan per kolom."


def test_each_token_has_its_own_count(officer_bartim, officer_key, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api": "1/minute"})
    _token, second = tokens.create_token(user=officer_bartim, name="kedua")
    assert token_client(officer_key).get(reverse("api_regencies")).status_code == 200
    assert token_client(officer_key).get(reverse("api_regencies")).status_code == 429
    assert token_client(second).get(reverse("api_regencies")).status_code == 200


def test_a_list_costs_the_same_queries_for_many_milestones(officer_key, bartim, django_assert_max_num_queries):
    for year in (2022, 2023, 2024):
        builders.milestone(bartim, 1, year=year)
    with django_assert_max_num_queries(8):
        response = token_client(officer_key).get(reverse("api_regency_milestones", args=["62.13"]))
    assert response.json()["count"] >= 12


def test_the_schema_describes_fields_in_indonesian(client, officer_bartim):
    client.force_login(officer_bartim)
    schema = client.get(reverse("api_schema"), {"format": "json"}).json()
    regency = schema["components"]["schemas"]["Regency"]["properties"]
    assert regency["code"]["description"] == "Kode kabupaten/kota Kemendagri, PP.KK (misalnya 62.13)."
    (page,) = [p for p in schema["paths"]["/api/v1/regencies/"]["get"]["parameters"] if p["name"] == "page"]
    assert page["description"].startswith("Nomor halaman")  # not DRF's English


def test_an_administrator_revokes_a_token_in_the_admin(client, administrator, officer_bartim, officer_key):
    client.force_login(administrator)
    token = ApiToken.objects.get(user=officer_bartim)
    page = client.get(reverse("admin:regencies_apitoken_change", args=[token.pk])).content.decode()
    assert token.key_hash not in page
    client.post(reverse("admin:regencies_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert token_client(officer_key).get(reverse("api_regencies")).status_code == 401


def test_a_session_post_without_csrf_is_403_forbidden(officer_bartim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_bartim)
    response = client.post(reverse("api_regencies"))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "CSRF" in response.json()["message"]


def test_a_list_takes_no_post(officer_key):
    response = token_client(officer_key).post(reverse("api_regencies"))  # a token needs no CSRF token
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
