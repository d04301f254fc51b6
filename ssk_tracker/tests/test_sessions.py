"""Production keeps sessions in the cache, written through to the database (cached_db): a page reads no
session row, and signing out still ends the session everywhere it is kept."""

from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ssk_tracker import settings as production_settings

CACHED_DB = "django.contrib.sessions.backends.cached_db"


def test_production_reads_sessions_from_the_cache():
    assert production_settings.SESSION_ENGINE == CACHED_DB


@override_settings(SESSION_ENGINE=CACHED_DB)
def test_a_page_reads_no_session_row_and_signing_out_ends_the_session(client, officer_bartim):
    cache.clear()
    client.force_login(officer_bartim)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()  # written through
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not any('"django_session"' in query["sql"] for query in queries.captured_queries)

    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key  # the old cookie, replayed
    assert client.get(reverse("home")).status_code == 302  # to the sign-in page
