"""Per year, which regencies (and provinces) have delivered their report, to whom, acknowledged or not."""

import datetime
import re

import pytest
from django.urls import reverse

from reports import deliveries
from reports.tests.builders import done_report

BARTIM, MURA = "62.13", "62.12"


def send(job, user, keys):
    return deliveries.send_report(job=job, recipients=keys, sent_by=user)


@pytest.fixture
def all_keys(balai):
    return ["national", "provincial:62", f"balai:{balai.pk}"]


def row_of(rows, code):
    return next(row for row in rows if row.regency and row.regency.code == code)


def test_a_report_counts_for_the_year_its_period_ends_in_or_covers(bartim, officer_bartim, all_keys):
    semester = done_report(
        audience="regency", regency=bartim, period=(datetime.date(2023, 1, 1), datetime.date(2023, 6, 30))
    )
    send(semester, officer_bartim, all_keys)
    rows = {year: row_of(deliveries.regency_rows([bartim], year), BARTIM) for year in (2022, 2023, 2024)}
    assert [rows[y].delivered for y in (2022, 2023, 2024)] == [False, True, False]


def test_a_report_spanning_two_whole_years_counts_for_both(bartim, officer_bartim, all_keys):
    long = done_report(
        audience="regency", regency=bartim, period=(datetime.date(2022, 1, 1), datetime.date(2023, 12, 31))
    )
    send(long, officer_bartim, all_keys)
    assert row_of(deliveries.regency_rows([bartim], 2022), BARTIM).delivered
    assert row_of(deliveries.regency_rows([bartim], 2023), BARTIM).delivered


def test_delivered_means_every_recipient_partly_means_some(bartim, mura, officer_bartim, officer_mura, all_keys):
    send(done_report(audience="regency", regency=bartim), officer_bartim, all_keys)
    send(done_report(audience="regency", regency=mura), officer_mura, ["provincial:62"])
    rows = deliveries.regency_rows([bartim, mura], 2023)
    assert (row_of(rows, BARTIM).delivered, row_of(rows, MURA).delivered) == (True, False)
    assert row_of(rows, MURA).delivered_anywhere
    assert [c.kind for c in row_of(rows, MURA).missing] == ["national", "balai"]


def test_the_page_lists_each_regency_in_scope_with_its_status(
    client_as, bartim, mura, officer_bartim, all_keys, national
):
    (delivery, *_) = send(done_report(audience="regency", regency=bartim), officer_bartim, all_keys)
    deliveries.acknowledge(delivery=delivery, user=national)
    html = client_as("pokja_kalteng").get(reverse("report_deliveries"), {"tahun": 2023}).content.decode()
    assert html.count("data-delivery-regency=") == 14
    assert f'data-delivery-regency="{BARTIM}" data-delivered="all"' in html
    assert f'data-delivery-regency="{MURA}" data-delivered="none"' in html
    assert 'data-recipient="national" data-delivered="acknowledged"' in html
    assert 'data-recipient="provincial:62" data-delivered="sent"' in html
    assert 'data-delivery-province="62" data-delivered="none"' in html


def test_the_nation_sees_every_province_and_can_pick_one(client_as, kalsel):
    html = client_as("national").get(reverse("report_deliveries"), {"tahun": 2023, "provinsi": "63"}).content.decode()
    assert html.count("data-delivery-regency=") == 2
    assert 'data-delivery-province="63"' in html


@pytest.mark.parametrize("persona", ["officer_bartim", "nobody"])
def test_a_regency_officer_does_not_see_the_table(client_as, persona):
    assert client_as(persona).get(reverse("report_deliveries")).status_code == 404


def test_the_page_queries_do_not_grow_with_the_rows(
    client_as, django_assert_max_num_queries, bartim, mura, officer_bartim, officer_mura, all_keys
):
    send(done_report(audience="regency", regency=bartim), officer_bartim, all_keys)
    send(done_report(audience="regency", regency=mura), officer_mura, all_keys)
    client = client_as("national")
    with django_assert_max_num_queries(16):
        client.get(reverse("report_deliveries"), {"tahun": 2023})


def test_the_province_page_shows_who_delivered_for_the_year(client_as, bartim, officer_bartim, all_keys):
    send(done_report(audience="regency", regency=bartim), officer_bartim, all_keys)
    html = client_as("pokja_kalteng").get(reverse("province", args=["62"]), {"tahun": 2023}).content.decode()
    assert 'id="report-deliveries"' in html
    assert f'data-delivery-regency="{BARTIM}" data-delivered="all"' in html
    assert "Penyampaian laporan PDF 2023" in html
    assert "1 dari 14 kabupaten/kota kepada semua penerima" in html


def test_the_due_year_turns_on_the_due_day():
    assert deliveries.due_year(datetime.date(2024, 1, 14)) == 2022
    assert deliveries.due_year(datetime.date(2024, 1, 15)) == 2023
    assert deliveries.due_year(datetime.date(2024, 12, 31)) == 2023


def test_a_nation_wide_table_pages_the_provinces_own_rows_with_the_regencies(client_as, kalsel, monkeypatch):
    from reports.views import deliveries as views

    monkeypatch.setattr(views, "PER_PAGE", 5)
    client = client_as("national")
    first = client.get(reverse("report_deliveries"), {"tahun": 2023}).content.decode()
    assert first.count("data-delivery-province=") == 2 and first.count("data-delivery-regency=") == 3
    second = client.get(reverse("report_deliveries"), {"tahun": 2023, "page": 2}).content.decode()
    assert "data-delivery-province=" not in second and second.count("data-delivery-regency=") == 5
    codes = re.findall(r'data-delivery-regency="([\d.]+)"', first + second)
    assert codes == sorted(codes) and len(set(codes)) == 8  # in code order, none twice
