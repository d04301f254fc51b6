"""A tiny load test against the live server: two users sign in, browse, and the officer's submissions are
each stored exactly once. Bounded by its request cap, not by time (no timing is asserted).

SQLite's shared in-memory test database refuses a read while another thread writes ("table is locked")
instead of waiting, so there the officer runs alone; on PostgreSQL (CI) the two run at once."""

from urllib.parse import urlsplit

import pytest
from django.db import connection

from milestones.loadtest import journeys
from milestones.tests import builders

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_users_sign_in_browse_and_each_submission_is_stored_once(
    live_server, settings, bartim, officer_bartim, pokja_kalteng, pokja_kalsel
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # the client says what nginx says
    builders.milestone(bartim, 4)  # a cohort: M1–M4 of Barito Timur take a new update
    together = connection.vendor == "postgresql"
    personas = journeys.build_plan(2 if together else 1)
    expected = [(officer_bartim.username, "officer"), (pokja_kalteng.username, "province")]
    assert [(p.username, p.role) for p in personas] == expected[: len(personas)]
    before = journeys.count_updates()
    server = urlsplit(live_server.url)

    run = journeys.run_users(
        personas,
        host=server.hostname or "",
        port=server.port or 80,
        password="pw",
        seconds=60,
        think=0.02,
        ramp_up=0,
        max_requests=45,
        seed=1,
        run_id="test",
    )

    assert [s for s in run.samples if s.failed] == []
    pages = {"sign_in_page", "static", "sign_in", "home", "regency", "milestone", "update_form", "update_submit"}
    assert pages | ({"province"} if together else set()) <= {s.page for s in run.samples}
    stored, incomplete = journeys.stored_markers("test")
    check = journeys.exactly_once(run.submissions, stored, incomplete)
    assert check["ok"], check
    assert check["told_saved"] >= 1
    assert journeys.count_updates() - before == sum(stored.values())
