"""The demo's report deliveries: CC6's fourth follow-up points at real, compiled 2023 reports."""

import datetime

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
    # 17 of the story up to 2024 and Barito Selatan's of 2025 (3); of the other 2025 reports, 9 regencies
    # with an officer × 3 recipients and the province's own (national and Balai).
    assert len(demo.created["seed_deliveries"]) == 17 + 9 * 3 + 2
    mura, bartim = cc6_report_actions()
    assert sorted(d.recipient for d in bartim.report_deliveries.all()) == ["balai", "national", "provincial"]
    assert [d.recipient for d in mura.report_deliveries.all()] == ["provincial"]
    for delivery in ReportDelivery.objects.select_related("job"):
        assert delivery.job.is_done and delivery.job.file.storage.exists(delivery.job.file.name)
        assert delivery.job.page_count >= 1 and delivery.job.period_end.year in (
            2023,
            2024,
            2025,
        )  # none of 2026: due in 2027


def test_some_are_acknowledged_some_not(demo, db):
    acknowledged = sorted(
        (d.job.regency_id or "", d.recipient, d.is_acknowledged) for d in ReportDelivery.objects.select_related("job")
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


def test_the_later_years_are_delivered_2025_by_every_regency_with_an_officer_and_the_province(demo, client):
    client.force_login(get_user_model().objects.get(username="pokja.kalteng"))
    html = client.get(reverse("province", args=["62"]), {"tahun": 2024}).content.decode()
    assert 'data-delivery-regency="62.13" data-delivered="all"' in html
    assert 'data-delivery-regency="62.08" data-delivered="some"' in html
    html = client.get(reverse("province", args=["62"]), {"tahun": 2025}).content.decode()
    for code in ("62.03", "62.04", "62.07", "62.12", "62.13"):
        assert f'data-delivery-regency="{code}" data-delivered="all"' in html
    assert html.count('data-delivered="all"') == 10 + 1  # ten regencies with an officer and the province
    # Barito Timur, always late, sent it eight weeks after it fell due (15 January 2026).
    bartim = ReportDelivery.objects.filter(job__regency="62.13", job__period_end__year=2025)
    assert {d.sent_at.date() for d in bartim} == {datetime.date(2026, 3, 12)}
