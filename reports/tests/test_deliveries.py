"""Sending a report to its recipients, the notice and e-mail they get, and their acknowledgement."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from milestones.services import ActionRefused
from regencies import scoping
from regencies.models import Balai, Role
from reports import deliveries
from reports.models import ReportDelivery
from reports.tests.builders import done_report

ALL_THREE = ["national", "provincial:62", None]  # the Balai's key is filled in by the fixture below


@pytest.fixture
def recipients(balai):
    return ["national", "provincial:62", f"balai:{balai.pk}"]


@pytest.fixture
def bartim_report(bartim):
    return done_report(audience="regency", regency=bartim)


@pytest.fixture
def province_report(kalteng):
    return done_report(audience="provincial", province=kalteng)


def send(job, user, keys, **extra):
    return deliveries.send_report(job=job, recipients=keys, sent_by=user, **extra)


# --- Recipients ---------------------------------------------------------------------------------------


def test_a_regency_report_goes_to_the_nation_its_province_and_the_balai(bartim_report, balai):
    keys = [choice.key for choice in deliveries.recipients_of(bartim_report)]
    assert keys == ["national", "provincial:62", f"balai:{balai.pk}"]


def test_a_province_report_goes_to_the_nation_and_the_balai(province_report, balai):
    assert [c.key for c in deliveries.recipients_of(province_report)] == ["national", f"balai:{balai.pk}"]


def test_national_and_balai_reports_are_not_sent(kalteng, balai):
    assert deliveries.recipients_of(done_report(audience="national")) == []
    assert deliveries.recipients_of(done_report(audience="balai", balai=balai)) == []


# --- Sending, once ------------------------------------------------------------------------------------


def test_sending_records_one_delivery_per_recipient(bartim_report, officer_bartim, recipients, balai):
    made = send(bartim_report, officer_bartim, recipients, cover_note="  Laporan semester I.  ")
    assert [(d.recipient, d.province_id, d.balai_id) for d in made] == [
        ("national", None, None),
        ("provincial", "62", None),
        ("balai", None, balai.pk),
    ]
    assert {d.cover_note for d in made} == {"Laporan semester I."}
    assert {d.sent_by_id for d in made} == {officer_bartim.pk}


def test_pressing_send_twice_records_each_delivery_once(bartim_report, officer_bartim, recipients):
    first = send(bartim_report, officer_bartim, recipients)
    second = send(bartim_report, officer_bartim, recipients)
    assert len(first) == 3 and second == []
    assert ReportDelivery.objects.filter(job=bartim_report).count() == 3


def test_pressing_send_twice_on_the_page_records_each_delivery_once(client_as, bartim_report, recipients):
    client = client_as("officer_bartim")
    url = reverse("report_delivery", args=[bartim_report.pk])
    data = {**client.marks(url), "recipients": recipients, "cover_note": "Semester I"}  # one page, sent twice
    client.post(url, data)
    response = client.post(url, data, follow=True)
    assert ReportDelivery.objects.filter(job=bartim_report).count() == 3
    assert response.status_code == 200
    assert "sudah tersimpan" in response.content.decode()  # the second press is sent to what the first did


def test_a_later_send_adds_only_the_recipients_not_yet_sent(bartim_report, officer_bartim, recipients):
    send(bartim_report, officer_bartim, recipients[:1])
    made = send(bartim_report, officer_bartim, recipients)
    assert [d.recipient for d in made] == ["provincial", "balai"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL to race two transactions for real")
def test_two_concurrent_sends_record_each_delivery_once(bartim, balai):
    from django.db import connections

    from conftest import make_user

    officer = make_user("officer_bartim_2", Role.REGENCY_OFFICER, regency=bartim)
    job = done_report(audience="regency", regency=bartim)
    keys = ["national", "provincial:62", f"balai:{balai.pk}"]
    barrier = threading.Barrier(2)
    made = []

    def press():
        try:
            barrier.wait()
            made.extend(send(job, officer, keys))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(made) == 3
    assert ReportDelivery.objects.filter(job=job).count() == 3


def test_a_lost_race_is_skipped_not_raised(bartim_report, officer_bartim, recipients, monkeypatch):
    """The other press inserted its row between our look and our insert: the insert fails, we go on."""
    ReportDelivery.objects.create(
        job=bartim_report, recipient="national", sent_by=officer_bartim, sent_at=bartim_report.finished_at
    )
    made = send(bartim_report, officer_bartim, recipients)
    assert [d.recipient for d in made] == ["provincial", "balai"]


# --- Who may send -------------------------------------------------------------------------------------


def test_another_regencys_officer_cannot_send(bartim_report, officer_mura, recipients):
    with pytest.raises(ActionRefused):
        send(bartim_report, officer_mura, recipients)
    assert not ReportDelivery.objects.exists()


@pytest.mark.parametrize("persona", ["pokja_kalteng", "national", "balai_kalteng", "coordinator_kalteng"])
def test_only_the_regencys_own_officers_send_its_report(personas, bartim_report, persona):
    assert not scoping.can_send_report(personas[persona], bartim_report)


def test_the_province_staff_send_the_province_report_and_no_one_else(personas, province_report):
    allowed = {name for name, user in personas.items() if scoping.can_send_report(user, province_report)}
    assert allowed == {"pokja_kalteng"}


def test_the_send_page_is_404_outside_the_scope_and_403_in_it(client_as, bartim_report, recipients):
    url = reverse("report_delivery", args=[bartim_report.pk])
    assert client_as("officer_mura").get(url).status_code == 404
    assert client_as("pokja_kalteng").post(url, {"recipients": recipients}).status_code == 403
    assert not ReportDelivery.objects.exists()


def test_a_recipient_the_report_does_not_have_is_refused(bartim_report, officer_bartim):
    with pytest.raises(ActionRefused):
        send(bartim_report, officer_bartim, ["provincial:63"])


def test_sending_nothing_is_refused_on_the_page(client_as, bartim_report):
    response = client_as("officer_bartim").post(reverse("report_delivery", args=[bartim_report.pk]), {})
    assert response.status_code == 400
    assert "Centang paling sedikit satu penerima" in response.content.decode()


def test_a_report_not_done_cannot_be_sent(bartim, officer_bartim):
    from reports.models import ReportJob

    job = ReportJob.objects.queue(
        audience="regency",
        regency=bartim,
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 6, 30),
    )
    with pytest.raises(ActionRefused):
        send(job, officer_bartim, ["national"])


# --- The notice and the e-mail ------------------------------------------------------------------------


def test_each_delivery_mails_its_recipients_users_once_with_a_link(
    django_capture_on_commit_callbacks,
    bartim_report,
    officer_bartim,
    recipients,
    national,
    pokja_kalteng,
    balai_kalteng,
):
    with django_capture_on_commit_callbacks(execute=True):
        made = send(bartim_report, officer_bartim, recipients)
    by_subject = {tuple(message.to): message for message in mail.outbox}
    assert set(by_subject) == {(national.email,), (pokja_kalteng.email,), (balai_kalteng.email,)}
    message = by_subject[(balai_kalteng.email,)]
    assert f"/laporan/{bartim_report.pk}/unduh/" in message.body
    assert not message.attachments
    assert "Barito Timur" in message.subject
    assert deliveries.mail_delivery(made[0].pk) == 0  # a redelivered task sends nothing
    assert len(mail.outbox) == 3


def test_a_second_press_mails_nobody(django_capture_on_commit_callbacks, bartim_report, officer_bartim, recipients):
    send(bartim_report, officer_bartim, recipients)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(bartim_report, officer_bartim, recipients)
    assert callbacks == []


def test_the_e_mail_goes_to_the_recipients_users_only(bartim_report, officer_bartim, balai, pokja_kalteng):
    (delivery,) = send(bartim_report, officer_bartim, ["provincial:62"])
    assert deliveries.recipient_emails(delivery) == [pokja_kalteng.email]


def test_the_inbox_and_the_badge_count_what_waits_for_acknowledgement(
    client_as, bartim_report, mura, officer_bartim, officer_mura, recipients
):
    send(bartim_report, officer_bartim, recipients)
    send(done_report(audience="regency", regency=mura), officer_mura, ["provincial:62"])
    html = client_as("pokja_kalteng").get(reverse("reports")).content.decode()
    assert html.count('data-testid="inbox-item"') == 2
    assert '<span class="badge rounded-pill text-bg-warning" data-testid="inbox-badge"' in html
    assert 'data-testid="inbox-badge" title="Laporan PDF diterima, perlu dikonfirmasi">2<' in html
    national_html = client_as("national").get(reverse("reports")).content.decode()
    assert national_html.count('data-testid="inbox-item"') == 1
    assert 'data-testid="inbox-badge"' not in client_as("officer_mura").get(reverse("reports")).content.decode()


def test_recipients_may_open_and_download_the_report(client_as, bartim_report):
    for persona in ("national", "pokja_kalteng", "balai_kalteng"):
        assert client_as(persona).get(reverse("report_download", args=[bartim_report.pk])).status_code == 200


# --- Acknowledgement ----------------------------------------------------------------------------------


def test_acknowledging_twice_records_the_first(bartim_report, officer_bartim, balai_kalteng):
    delivery = send(bartim_report, officer_bartim, [f"balai:{Balai.objects.get().pk}"])[0]
    assert deliveries.acknowledge(delivery=delivery, user=balai_kalteng) is True
    delivery.refresh_from_db()
    first = delivery.acknowledged_at
    assert deliveries.acknowledge(delivery=delivery, user=balai_kalteng) is False
    delivery.refresh_from_db()
    assert delivery.acknowledged_at == first and delivery.acknowledged_by == balai_kalteng


def test_pressing_received_twice_on_the_page_keeps_the_first(client_as, bartim_report, officer_bartim):
    delivery = send(bartim_report, officer_bartim, ["national"])[0]
    client = client_as("national")
    client.post(reverse("report_acknowledge", args=[delivery.pk]))
    delivery.refresh_from_db()
    first = delivery.acknowledged_at
    response = client.post(reverse("report_acknowledge", args=[delivery.pk]), follow=True)
    delivery.refresh_from_db()
    assert delivery.acknowledged_at == first
    assert "sudah mengonfirmasi" in response.content.decode()


def test_a_balai_user_of_another_balai_cannot_acknowledge(client_as, bartim_report, officer_bartim, balai, kalsel):
    from conftest import make_user

    other = Balai.objects.create(name="Balai Prasarana Permukiman Wilayah Kalimantan Selatan", short_name="BPPW Kalsel")
    other.provinces.add(kalsel)
    outsider = make_user("balai_kalsel", Role.BALAI_STAFF, balai=other)
    delivery = send(bartim_report, officer_bartim, [f"balai:{balai.pk}"])[0]
    with pytest.raises(ActionRefused):
        deliveries.acknowledge(delivery=delivery, user=outsider)
    client = client_as("nobody")
    client.force_login(outsider)
    assert client.post(reverse("report_acknowledge", args=[delivery.pk])).status_code == 404
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is None


@pytest.mark.parametrize(
    "persona", ["officer_bartim", "pokja_kalsel", "coordinator_kalteng", "national", "administrator"]
)
def test_only_the_provinces_pokja_acknowledges_a_delivery_to_it(personas, bartim_report, officer_bartim, persona):
    delivery = send(bartim_report, officer_bartim, ["provincial:62"])[0]
    with pytest.raises(ActionRefused):
        deliveries.acknowledge(delivery=delivery, user=personas[persona])


def test_the_sender_sees_the_acknowledgement_on_the_row(client_as, bartim_report, officer_bartim, pokja_kalteng):
    delivery = send(bartim_report, officer_bartim, ["provincial:62"])[0]
    deliveries.acknowledge(delivery=delivery, user=pokja_kalteng)
    html = client_as("officer_bartim").get(reverse("reports")).content.decode()
    assert f'data-delivery-of="{bartim_report.pk}"' in html
    assert 'data-recipient="provincial:62" data-delivered="acknowledged"' in html
    assert 'data-recipient="national" data-delivered="no"' in html


def test_recipient_users_and_receives_for_agree(personas, balai):
    for kind, province, balai_id in (("national", None, None), ("provincial", "62", None), ("balai", None, balai.pk)):
        users = set(scoping.recipient_users(recipient=kind, province_code=province, balai_id=balai_id))
        accepted = {
            user
            for user in personas.values()
            if scoping.receives_for(user, recipient=kind, province_code=province, balai_id=balai_id)
        }
        assert {u.username for u in accepted} == {u.username for u in users if u.username in personas}
