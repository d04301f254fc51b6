"""The bell, the list, opening a notice, marking all read: each user sees their own notices only."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import Notice
from milestones.selectors import notices as selectors
from milestones.tests import builders

Kind = Notice.Kind


@pytest.fixture
def returned(bartim, officer_bartim, pokja_kalteng):
    return builders.returned(builders.milestone(bartim, 4), officer_bartim, pokja_kalteng, reason="Lampirkan SK UPTD.")


def digest_notice(user, count=2):
    return Notice.objects.create(
        recipient=user, kind=Kind.REMINDER_DIGEST, params={"count": count}, target_name="my_tasks"
    )


def notice_queries(queries):
    return [q["sql"] for q in queries.captured_queries if 'FROM "milestones_notice"' in q["sql"]]


class TestTheBell:
    def test_it_shows_the_unread_count_with_text_for_screen_readers(self, client_as, officer_bartim, returned):
        digest_notice(officer_bartim)
        html = client_as("officer_bartim").get(reverse("home"), follow=True).content.decode()
        assert 'data-testid="notice-bell"' in html
        assert 'data-testid="notice-count" aria-hidden="true">2<' in html
        assert '<span class="visually-hidden">2 pemberitahuan belum dibaca</span>' in html

    def test_without_unread_notices_it_shows_no_badge(self, client_as, officer_bartim):
        html = client_as("officer_bartim").get(reverse("notices")).content.decode()
        assert 'data-testid="notice-bell"' in html and 'data-testid="notice-count"' not in html
        assert "0 pemberitahuan belum dibaca" in html

    def test_it_costs_one_query_on_a_page(self, client_as, officer_bartim, returned):
        client = client_as("officer_bartim")
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("my_tasks"))
        (count,) = notice_queries(queries)
        assert "COUNT(*)" in count and '"read_at" IS NULL' in count

    def test_an_anonymous_visitor_has_no_bell_and_no_query(self, rf, db):
        request = rf.get("/")
        request.user, request.session = AnonymousUser(), {}
        request._messages = FallbackStorage(request)
        with CaptureQueriesContext(connection) as queries:
            html = render_to_string("base.html", {}, request)
        assert 'data-testid="notice-bell"' not in html and notice_queries(queries) == []
        assert selectors.unread_count(AnonymousUser()) == 0


class TestTheList:
    def test_it_lists_the_users_own_notices_unread_highlighted(self, client_as, officer_bartim, returned, officer_mura):
        digest_notice(officer_mura)
        read = digest_notice(officer_bartim, count=5)
        Notice.objects.filter(pk=read.pk).update(read_at=read.created_at)
        html = client_as("officer_bartim").get(reverse("notices")).content.decode()
        assert html.count('data-testid="notice"') == 2
        assert html.count("data-unread") == 1
        assert "Laporan kemajuan Anda untuk M4 (Kabupaten Barito Timur) dikembalikan untuk direvisi" in html
        assert "Alasan: Lampirkan SK UPTD." in html

    def test_it_is_paged(self, client_as, officer_bartim, monkeypatch):
        monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
        for _ in range(3):
            digest_notice(officer_bartim)
        client = client_as("officer_bartim")
        first = client.get(reverse("notices")).content.decode()
        second = client.get(reverse("notices"), {"page": 2}).content.decode()
        assert first.count('data-testid="notice"') == 2 and second.count('data-testid="notice"') == 1

    def test_it_is_worded_in_the_readers_language(self, client_as, officer_bartim, returned, settings):
        client = client_as("officer_bartim")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        html = client.get(reverse("notices")).content.decode()
        assert "Your update on M4 (Kabupaten Barito Timur) was returned for revision" in html
        assert "Reason: Lampirkan SK UPTD." in html and "1 unread notice" in html
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
        html = client.get(reverse("notices")).content.decode()
        assert "dikembalikan untuk direvisi" in html and "Alasan: Lampirkan SK UPTD." in html

    def test_a_return_reason_is_escaped(self, client_as, bartim, officer_bartim, pokja_kalteng):
        builders.returned(builders.milestone(bartim, 4), officer_bartim, pokja_kalteng, reason="<b>x</b>")
        html = client_as("officer_bartim").get(reverse("notices")).content.decode()
        assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html

    def test_signing_in_is_required(self, client):
        response = client.get(reverse("notices"))
        assert response.status_code == 302 and reverse("login") in response["Location"]


class TestOpening:
    def test_it_marks_read_and_leads_to_the_target(self, client_as, officer_bartim, returned):
        notice = Notice.objects.get(recipient=officer_bartim)
        client = client_as("officer_bartim")
        response = client.get(reverse("notice_open", args=[notice.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("milestone", args=[returned.milestone_id])
        notice.refresh_from_db()
        first = notice.read_at
        assert first is not None
        client.get(reverse("notice_open", args=[notice.pk]))  # again: the first reading stays
        notice.refresh_from_db()
        assert notice.read_at == first and selectors.unread_count(officer_bartim) == 0

    def test_another_users_notice_is_404_and_stays_unread(self, client_as, officer_bartim, returned):
        notice = Notice.objects.get(recipient=officer_bartim)
        for persona in ("officer_mura", "pokja_kalteng", "national", "administrator"):
            assert client_as(persona).get(reverse("notice_open", args=[notice.pk])).status_code == 404
        notice.refresh_from_db()
        assert notice.is_unread

    def test_the_target_still_checks_scope(self, client_as, officer_bartim, officer_mura, returned):
        # A notice of an officer who has since moved regency leads to the milestone, whose own view refuses.
        notice = Notice.objects.get(recipient=officer_bartim)
        Notice.objects.filter(pk=notice.pk).update(recipient=officer_mura)
        response = client_as("officer_mura").get(reverse("notice_open", args=[notice.pk]), follow=True)
        assert response.redirect_chain[0][0] == reverse("milestone", args=[returned.milestone_id])
        assert response.status_code == 404


class TestMarkAllRead:
    def test_it_marks_only_the_users_own_notices(self, client_as, officer_bartim, officer_mura, returned):
        digest_notice(officer_bartim)
        other = digest_notice(officer_mura)
        response = client_as("officer_bartim").post(reverse("notice_read_all"), follow=True)
        assert selectors.unread_count(officer_bartim) == 0
        assert "2 pemberitahuan ditandai sudah dibaca." in response.content.decode()
        other.refresh_from_db()
        assert other.is_unread

    def test_it_wants_a_post(self, client_as, officer_bartim, returned):
        assert client_as("officer_bartim").get(reverse("notice_read_all")).status_code == 405
        assert selectors.unread_count(officer_bartim) == 1
