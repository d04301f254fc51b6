"""The demo's report deliveries: CC6's fourth follow-up points at real, compiled 2023 reports."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from milestones.demo.clinics import seed_clinics
from milestones.demo.milestones import seed_officers
from milestones.models import FollowUpAction
from milestones.tests.demo_fixtures import seed_once
from reports.demo import seed_deliveries
from reports.models import ReportDelivery

pytestmark = pytest.mark.empty_database

demo = seed_once(seed_officers, seed_clinics, seed_deliveries)


def cc6_report_actions():
    return FollowUpAction.objects.filter(
        recommendation__clinic__number=6, recommendation__order=4, description__startswith="Menyampaikan laporan"
    ).order_by("regency")


def test_cc6s_fourth_follow_up_links_to_the_deliveries(demo, db):
    assert len(demo.created["seed_deliveries"]) == 17
    mura, bartim = cc6_report_actions()
    assert sorted(d.recipient for d in bartim.report_deliveries.all()) == ["balai", "national", "provincial"]
    assert [d.recipient for d in mura.report_deliveries.all()] == ["provincial"]
    for delivery in ReportDelivery.objects.select_related("job"):
        assert delivery.job.is_done and delivery.job.file.storage.exists(delivery.job.file.name)
        assert delivery.job.page_count >= 1 and delivery.job.period_end.year in (2023, 2024, 2025)


def test_some_are_acknowledged_some_not(demo, db):
    acknowledged = sorted(
        (d.job.regency_id, d.recipient, d.is_acknowledged) for d in ReportDelivery.objects.select_related("job")
    )
    assert ("62.13", "national", False) in acknowledged and ("62.13", "balai", True) in acknowledged
    assert ("62.12", "provincial", False) in acknowledged
    assert all(ack for code, _, ack in acknowledged if code == "62.04")


def test_the_action_page_shows_its_deliveries(demo, client):
    client.force_login(get_user_model().objects.get(username="pokja.kalteng"))
    bartim = cc6_report_actions()[1]
    html = client.get(reverse("follow_up", args=[bartim.pk])).content.decode()
    assert html.count("data-delivery=") == 3
    assert "BPPW Kalteng" in html and "belum dikonfirmasi" in html


def test_the_province_page_shows_who_has_delivered_for_2023(demo, client):
    client.force_login(get_user_model().objects.get(username="pokja.kalteng"))
    html = client.get(reverse("province", args=["62"]), {"tahun": 2023}).content.decode()
    assert 'data-delivery-regency="62.13" data-delivered="all"' in html
    assert 'data-delivery-regency="62.04" data-delivered="all"' in html
    assert 'data-delivery-regency="62.12" data-delivered="some"' in html
    assert html.count('data-delivered="none"') == 12  # eleven regencies and the province's own report


def test_running_it_twice_creates_nothing_new(demo, db):
    before = ReportDelivery.objects.count()
    assert seed_deliveries() == []
    assert ReportDelivery.objects.count() == before


def test_the_later_years_are_delivered_but_barito_timurs_2025_report_is_still_to_send(demo, client):
    client.force_login(get_user_model().objects.get(username="pokja.kalteng"))
    html = client.get(reverse("province", args=["62"]), {"tahun": 2024}).content.decode()
    assert 'data-delivery-regency="62.13" data-delivered="all"' in html
    assert 'data-delivery-regency="62.08" data-delivered="some"' in html
    html = client.get(reverse("province", args=["62"]), {"tahun": 2025}).content.decode()
    assert 'data-delivery-regency="62.04" data-delivered="all"' in html
    assert 'data-delivery-regency="62.13" data-delivered="none"' in html
