"""The roll-up the dashboards and the reports read: per service kind, per province, the whole area."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from milestones.models.service_records import volume_unit
from milestones.selectors import service_records as selectors
from milestones.tests import service_builders as sb
from regencies import scoping
from regencies.models import Regency
from reports import data as report_data


@pytest.fixture
def services(bartim, mura, kalsel):
    sb.service(bartim, covered=3, households=1200)  # 3 of 5 kecamatan
    sb.service(bartim, kind="solid_waste", covered=5, households=4000)
    sb.kecamatan(mura, ["Murung", "Tanah Siang", "Laung Tuhup", "Permata Intan"])
    sb.service(mura, covered=2, households=800)


def test_totals_per_kind_and_for_the_area(services, kalteng):
    rollup = selectors.service_rollup(Regency.objects.filter(province=kalteng))
    by_kind = {k.kind: k for k in rollup.kinds}
    assert (by_kind["lltt"].regencies, by_kind["lltt"].households, by_kind["lltt"].covered) == (2, 2000, 5)
    assert by_kind["lltt"].volume == Decimal(1000)
    assert (by_kind["solid_waste"].regencies, by_kind["solid_waste"].covered, by_kind["solid_waste"].unit) == (
        1,
        5,
        volume_unit("solid_waste"),
    )
    total = rollup.total
    # Bartim's 5 kecamatan are covered (by either service), Mura's 2 of 4: 7 of 9.
    assert (total.with_service, total.households, total.covered, total.kecamatan, total.percent) == (2, 6000, 7, 9, 78)
    assert total.regencies == Regency.objects.filter(province=kalteng).count()
    assert rollup.provinces == []


def test_per_province_rows_count_each_province_alone(services, kalsel):
    rollup = selectors.service_rollup(Regency.objects.all(), by_province=True)
    rows = {p.code: p for p in rollup.provinces}
    assert (rows["62"].with_service, rows["62"].covered) == (2, 7)
    assert (rows["63"].with_service, rows["63"].households, rows["63"].kecamatan) == (0, 0, 0)


def test_the_rollup_costs_a_fixed_number_of_queries(services, django_assert_num_queries):
    with django_assert_num_queries(3):
        selectors.service_rollup(Regency.objects.all(), by_province=True)


def test_the_dashboards_and_the_report_show_the_same_figures(services, client_as, kalteng):
    translation.activate("id")
    province_page = client_as("pokja_kalteng").get(reverse("province_outcomes", args=["62"])).content.decode()
    section = province_page[province_page.index('id="services"') :]
    assert "2/" in section and "7/9 (78 %)" in section and "6.000" in section
    national_page = client_as("national").get(reverse("national_outcomes")).content.decode()
    assert 'data-testid="services-province-62"' in national_page
    assert 'data-testid="services-province-63"' not in national_page  # no service in Kalsel
    with translation.override("id"):
        gathered = report_data.services(scoping.Scope(province_codes=frozenset({"62"})))
    assert gathered["total"]["covered"] == "7/9 (78 %)" and gathered["total"]["households"] == "6.000"
    assert [p["name"] for p in gathered["provinces"]] == [kalteng.name]
