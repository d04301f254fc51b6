"""The reminder "report for the period not yet delivered": its recipients and its threshold (15 January)."""

import datetime

import pytest
import time_machine

from milestones.selectors.reminders import Rule, pending_items
from reports import deliveries
from reports.tests.builders import done_report

# The other rules' tests: the late rule is tested on its own (test_day_work.py).
pytestmark = pytest.mark.usefixtures("without_late_rule")

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def undelivered(user, day):
    return [item for item in pending_items(user, day) if item.rule == Rule.UNDELIVERED]


@pytest.fixture
def all_keys(balai):
    return ["national", "provincial:62", f"balai:{balai.pk}"]


def test_the_2023_report_is_reminded_from_15_january_2024_not_the_day_before(officer_bartim):
    with time_machine.travel(datetime.datetime(2024, 1, 14, 23, 59, tzinfo=JAKARTA), tick=False):
        assert undelivered(officer_bartim, datetime.date(2024, 1, 14)) == []  # 2022: before deliveries were kept
    with time_machine.travel(datetime.datetime(2024, 1, 15, 0, 1, tzinfo=JAKARTA), tick=False):
        (item,) = undelivered(officer_bartim, datetime.date(2024, 1, 15))
    assert item.obj.year == 2023 and item.days == 0
    assert item.title == "Laporan PDF 2023 kepada Pokja PPAS Nasional, Pokja Provinsi Kalimantan Tengah, BPPW Kalteng"
    assert item.status_text == "tenggat hari ini"


def test_the_threshold_is_a_setting(officer_bartim, settings):
    settings.REPORT_DELIVERY_DUE_DAY = 20
    assert undelivered(officer_bartim, datetime.date(2024, 1, 19)) == []
    assert len(undelivered(officer_bartim, datetime.date(2024, 1, 20))) == 1


def test_a_report_delivered_to_every_recipient_is_not_reminded(bartim, officer_bartim, all_keys):
    deliveries.send_report(
        job=done_report(audience="regency", regency=bartim), recipients=all_keys, sent_by=officer_bartim
    )
    assert undelivered(officer_bartim, datetime.date(2024, 2, 1)) == []


def test_a_report_sent_to_some_recipients_names_the_others(bartim, officer_bartim):
    job = done_report(audience="regency", regency=bartim)
    deliveries.send_report(job=job, recipients=["provincial:62"], sent_by=officer_bartim)
    (item,) = undelivered(officer_bartim, datetime.date(2024, 2, 1))
    assert item.obj.missing == ("Pokja PPAS Nasional", "BPPW Kalteng")
    assert item.days == 17


def test_the_province_staff_are_reminded_of_the_provinces_own_report(pokja_kalteng, kalteng, all_keys):
    (item,) = undelivered(pokja_kalteng, datetime.date(2024, 1, 15))
    assert item.obj.regency is None and item.context_label == "Kalimantan Tengah"
    job = done_report(audience="provincial", province=kalteng)
    deliveries.send_report(job=job, recipients=["national", all_keys[2]], sent_by=pokja_kalteng)
    assert undelivered(pokja_kalteng, datetime.date(2024, 1, 15)) == []


@pytest.mark.parametrize("persona", ["national", "balai_kalteng", "coordinator_kalteng", "administrator", "nobody"])
def test_nobody_else_is_reminded(personas, persona):
    assert undelivered(personas[persona], datetime.date(2024, 1, 15)) == []


def test_another_regencys_delivery_does_not_count(mura, officer_bartim, officer_mura, all_keys):
    deliveries.send_report(job=done_report(audience="regency", regency=mura), recipients=all_keys, sent_by=officer_mura)
    assert len(undelivered(officer_bartim, datetime.date(2024, 1, 15))) == 1
    assert undelivered(officer_mura, datetime.date(2024, 1, 15)) == []


def test_my_tasks_turns_at_midnight_wib_on_15_january(client_as):
    client = client_as("officer_bartim")
    with time_machine.travel(datetime.datetime(2024, 1, 14, 23, 59, tzinfo=JAKARTA), tick=False):
        assert 'data-rule="undelivered"' not in client.get("/tugas-saya/").content.decode()
    # 00:01 WIB on the 15th is still the 14th in UTC: the day is the site's (WIB), not the server's.
    with time_machine.travel(datetime.datetime(2024, 1, 15, 0, 1, tzinfo=JAKARTA), tick=False):
        assert 'data-rule="undelivered"' in client.get("/tugas-saya/").content.decode()
