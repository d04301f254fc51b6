"""The regency page's section: SSK documents, policy packages, monitoring, with actions for who may act."""

from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import QualityReview
from milestones.services import documents as services
from milestones.tests import document_builders as build
from milestones.tests.builders import cohort
from milestones.tests.shared_rows import rolled_back
from regencies.models import Regency

REGENCY = reverse("regency", args=["62.13"])


MID_2026 = "2026-07-01 09:00 +0700"


@pytest.fixture(autouse=True)
def in_mid_2026():
    with time_machine.travel(MID_2026, tick=False):
        yield


def page(client_as, persona):
    return client_as(persona).get(REGENCY).content.decode()


def test_the_section_shows_documents_packages_and_monitoring(client_as, bartim, officer_bartim, pokja_kalteng):
    document = build.enacted(bartim, officer_bartim, pokja_kalteng, number="DEMO/Perbup/12/2022")
    package = build.package(bartim, officer_bartim, kinds=["regulation", "promotion"], title="Paket Bartim 2022")
    services.record_monitoring(
        cohort=cohort(bartim, 2022),
        actor=pokja_kalteng,
        year_index=3,
        assessment="speed_up",
        summary="Cakupan layanan baru 40%.",
    )
    html = page(client_as, "balai_kalteng")
    assert reverse("document", args=[document.pk]) in html
    assert "2022–2026" in html and "DEMO/Perbup/12/2022" in html
    assert reverse("document_download", args=[document.pk]) in html
    assert reverse("policy_package", args=[package.pk]) in html and "Item promotion" in html
    assert "Cakupan layanan baru 40%." in html


def test_the_latest_review_outcome_is_shown(client_as, bartim, officer_bartim, pokja_kalteng):
    document = build.in_qa(bartim, officer_bartim)
    build.reviewed(document, pokja_kalteng, QualityReview.Outcome.REVISE)
    html = page(client_as, "officer_bartim")
    assert "badge text-bg-danger" in html  # the "revise" badge beside the draft


def test_the_officer_gets_the_regencys_actions(client_as, bartim, officer_bartim, pokja_kalteng):
    draft = build.draft(bartim, officer_bartim)
    final = build.final(bartim, officer_bartim, pokja_kalteng, period_start=2027, period_end=2031)
    package = build.package(bartim, officer_bartim)
    html = page(client_as, "officer_bartim")
    for url in (
        reverse("document_create", args=["62.13"]),
        reverse("document_edit", args=[draft.pk]),
        reverse("document_submit", args=[draft.pk]),
        reverse("document_enact", args=[final.pk]),
        reverse("policy_create", args=["62.13"]),
        reverse("policy_edit", args=[package.pk]),
    ):
        assert url in html
    assert reverse("monitoring_create", args=["62.13"]) not in html


def test_the_province_gets_review_enactment_and_monitoring(client_as, bartim, officer_bartim, pokja_kalteng):
    cohort(bartim, 2022)
    in_qa = build.in_qa(bartim, officer_bartim)
    final = build.final(bartim, officer_bartim, pokja_kalteng, period_start=2027, period_end=2031)
    html = page(client_as, "pokja_kalteng")
    assert reverse("document_review", args=[in_qa.pk]) in html
    assert reverse("document_enact", args=[final.pk]) in html
    assert reverse("monitoring_create", args=["62.13"]) in html
    assert reverse("document_create", args=["62.13"]) not in html
    assert reverse("policy_create", args=["62.13"]) not in html


def test_readers_get_no_actions(client_as, bartim, officer_bartim, pokja_kalteng):
    cohort(bartim, 2022)
    in_qa = build.in_qa(bartim, officer_bartim)
    html = page(client_as, "balai_kalteng")
    assert reverse("document_review", args=[in_qa.pk]) not in html
    assert reverse("document_create", args=["62.13"]) not in html
    assert reverse("monitoring_create", args=["62.13"]) not in html


def test_no_other_regencys_documents_appear(client_as, bartim, mura, officer_mura):
    document = build.draft(mura, officer_mura)
    assert reverse("document", args=[document.pk]) not in page(client_as, "pokja_kalteng")


QUERY_COUNT_PERSONAS = ["pokja_kalteng", "officer_bartim"]


@pytest.fixture(scope="class")
def regency_page_queries_before(module_db, django_db_blocker) -> Iterator[dict[str, int]]:
    """An enacted document, a package and a monitoring year: the queries each persona's first request of
    the page makes (at most 60). Then a document in QA again, a draft, a full package and three more
    monitoring years, built once for every persona's test."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock(), time_machine.travel(MID_2026, tick=False):
            users = get_user_model().objects
            officer_bartim, pokja_kalteng = users.get(username="officer_bartim"), users.get(username="pokja_kalteng")
            bartim = Regency.objects.get(code="62.13")
            c = cohort(bartim, 2022)
            build.enacted(bartim, officer_bartim, pokja_kalteng)
            build.package(bartim, officer_bartim, kinds=["regulation"])
            services.record_monitoring(cohort=c, actor=pokja_kalteng, year_index=2, assessment="on_track")
            before = {}
            for persona in QUERY_COUNT_PERSONAS:
                client = Client()
                client.force_login(users.get(username=persona))
                with CaptureQueriesContext(connection) as queries:
                    client.get(REGENCY)
                assert len(queries) <= 60, "\n".join(q["sql"] for q in queries.captured_queries)
                before[persona] = len(queries)

            again = build.in_qa(bartim, officer_bartim, period_start=2027, period_end=2031)
            build.reviewed(again, pokja_kalteng, QualityReview.Outcome.REVISE)
            services.submit_document_for_qa(document=again, actor=officer_bartim)
            build.draft(bartim, officer_bartim, period_start=2032, period_end=2036, file=False)
            build.package(
                bartim, officer_bartim, kinds=["regulation", "institution", "funding", "service", "promotion"]
            )
            for year_index in (3, 4, 5):
                services.record_monitoring(cohort=c, actor=pokja_kalteng, year_index=year_index, assessment="speed_up")
        yield before


class TestTheRegencyPageQueryCount:
    @pytest.mark.parametrize("persona", QUERY_COUNT_PERSONAS)
    def test_regency_page_query_count_does_not_grow(
        self, client_as, regency_page_queries_before, persona, django_assert_max_num_queries
    ):
        client = client_as(persona)
        with django_assert_max_num_queries(regency_page_queries_before[persona]):
            response = client.get(REGENCY)
        assert response.content.decode().count('data-testid="monitoring"') == 4
