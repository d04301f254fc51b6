"""The audit-trail page (/jejak-audit/): who may browse it, its filters, its rows, its query count."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import AuditEntry, NawasisSubmission
from ssk_tracker.lib import audit

pytestmark = pytest.mark.django_db
URL = reverse("audit_trail")
JAKARTA = ZoneInfo("Asia/Jakarta")


def nawasis(regency, user, day=datetime.date(2026, 3, 2), **fields):
    """A NAWASIS entry recorded by ``user`` on ``day`` (an audited create), then its completeness changed."""
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(10), JAKARTA), tick=False):
        with audit.source("POST /kabkota/test/nawasis/baru/", actor=user):
            record = NawasisSubmission.objects.create(
                regency=regency, module="ssk", submitted_on=day, completeness=50, recorded_by=user, **fields
            )
            record.completeness = 75
            record.save()
    return record


def shown(response):
    return [int(pk) for pk in re.findall(r'data-entry="(\d+)"', response.content.decode())]


def ids(**lookup):
    return set(AuditEntry.objects.filter(**lookup).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("administrator", 200),
        ("national", 200),
        ("pokja_kalteng", 403),
        ("balai_kalteng", 403),
        ("coordinator_kalteng", 403),
        ("officer_bartim", 403),
        ("nobody", 403),
    ],
)
def test_only_administrators_and_the_national_pokja_browse_it(client_as, persona, status):
    assert client_as(persona).get(URL).status_code == status


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_link_is_in_the_navigation_for_those_who_may_browse(client_as):
    assert URL in client_as("national").get(reverse("my_tasks")).content.decode()
    assert URL not in client_as("pokja_kalteng").get(reverse("my_tasks")).content.decode()


def test_it_filters_by_regency(client_as, bartim, mura, officer_bartim, officer_mura):
    nawasis(bartim, officer_bartim)
    nawasis(mura, officer_mura)
    page = client_as("national").get(URL, {"regency": "62.13"})
    assert set(shown(page)) == ids(regency_id="62.13") and ids(regency_id="62.13")
    assert not set(shown(page)) & ids(regency_id="62.12")


def test_it_filters_by_user_model_and_date(client_as, bartim, officer_bartim, pokja_kalteng):
    early = nawasis(bartim, officer_bartim, day=datetime.date(2026, 3, 2))
    nawasis(bartim, pokja_kalteng, day=datetime.date(2026, 3, 20))
    client = client_as("administrator")

    by_user = shown(client.get(URL, {"user": officer_bartim.pk}))
    assert set(by_user) == ids(actor=officer_bartim) and len(by_user) == 2

    nawasis_type = ContentType.objects.get_for_model(NawasisSubmission)
    by_model = shown(client.get(URL, {"model": nawasis_type.pk}))
    assert set(by_model) == ids(content_type=nawasis_type) and len(by_model) >= 4

    march_first_half = shown(client.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-02"}))
    assert set(march_first_half) == ids(content_type=nawasis_type, object_pk=str(early.pk))


def test_newest_first_with_who_what_where_and_the_change(client_as, bartim, officer_bartim):
    record = nawasis(bartim, officer_bartim, notes="Catatan " + "panjang " * 40)
    criteria = {"regency": "62.13", "model": ContentType.objects.get_for_model(NawasisSubmission).pk}
    response = client_as("national").get(URL, criteria)
    html = response.content.decode()

    update, create = shown(response)
    assert AuditEntry.objects.get(pk=update).action == AuditEntry.Action.UPDATE
    assert AuditEntry.objects.get(pk=create).action == AuditEntry.Action.CREATE
    assert "Jejak audit" in html and "Kabupaten Barito Timur" in html
    assert "Officer_Bartim" in html and "POST /kabkota/test/nawasis/baru/" in html
    assert "50,00" in html or "50.00" in html
    assert "→ <span" in html and "Modul SSK" not in html  # choices by their label
    assert "SSK" in html
    assert "panjang …" not in html and "…" in html  # the long note is shortened
    assert record.notes not in html


def test_foreign_keys_show_the_related_row_by_name(client_as, bartim, officer_bartim):
    nawasis(bartim, officer_bartim)
    html = client_as("national").get(URL, {"regency": "62.13"}).content.decode()
    assert "Kabupaten Barito Timur" in html.split('data-testid="audit-entry"', 1)[1]


def test_a_bad_period_is_refused_with_a_message(client_as):
    response = client_as("national").get(URL, {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert response.status_code == 200
    assert "Akhir periode sebelum awalnya." in response.content.decode()
    assert shown(response) == []
    assert client_as("national").get(URL, {"date_from": "kemarin", "page": "x"}).status_code == 200


def test_the_query_count_does_not_grow_with_the_rows(client_as, bartim, mura, officer_bartim, officer_mura):
    client = client_as("national")
    criteria = {"model": ContentType.objects.get_for_model(NawasisSubmission).pk}
    nawasis(bartim, officer_bartim)
    with CaptureQueriesContext(connection) as few:
        assert len(shown(client.get(URL, criteria))) == 2
    for regency, officer in [(bartim, officer_bartim), (mura, officer_mura)] * 15:
        nawasis(regency, officer)
    with CaptureQueriesContext(connection) as many:
        assert len(shown(client.get(URL, criteria))) == 50  # a full page
    assert len(many) == len(few)
