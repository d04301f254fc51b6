"""The services page and the service record form: who sees and who edits, what is shown, query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from milestones.models import ServiceRecord
from milestones.services import documents as document_services
from milestones.services import service_records as services
from milestones.tests import builders
from milestones.tests import service_builders as sb


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def form_data(kecamatan, **extra):
    return {
        "kind": "lltt",
        "service_model": "LLTT terjadwal",
        "operator_kind": "uptd",
        "operator_name": "UPTD PALD",
        "kecamatan": [k.pk for k in kecamatan],
        "households_served": "1200",
        "volume_per_year": "450",
        **extra,
    }


def test_the_officer_records_the_service_and_the_page_shows_its_coverage(client_as, bartim):
    kecamatan = sb.kecamatan(bartim)
    client = client_as("officer_bartim")
    response = client.submit(reverse("service_create", args=[bartim.code]), form_data(kecamatan[:2]))
    assert response.status_code == 302
    record = ServiceRecord.objects.get(regency=bartim)
    assert (record.households_served, record.volume_per_year, record.kecamatan.count()) == (1200, Decimal(450), 2)
    page = client.get(reverse("regency_services", args=[bartim.code])).content.decode()
    assert "2/5" in page and "(40 %)" in page and "m³" in page


def test_a_kecamatan_of_another_regency_is_refused(bartim, mura, officer_bartim):
    other = sb.kecamatan(mura, ["Murung"])
    with pytest.raises(services.ActionRefused):
        services.save_service(
            regency=bartim,
            actor=officer_bartim,
            kind="lltt",
            service_model="x",
            operator_kind="uptd",
            kecamatan=other,
            households_served=1,
            volume_per_year=Decimal(1),
        )
    assert not ServiceRecord.objects.exists()


def test_bad_input_shows_a_message_and_saves_nothing(client_as, bartim):
    kecamatan = sb.kecamatan(bartim)
    response = client_as("officer_bartim").submit(
        reverse("service_create", args=[bartim.code]), form_data(kecamatan, households_served="-5")
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not ServiceRecord.objects.exists()


def test_another_regencys_officer_gets_404(client_as, bartim):
    record = sb.service(bartim)
    client = client_as("officer_mura")
    assert client.get(reverse("regency_services", args=[bartim.code])).status_code == 404
    assert client.get(reverse("service_edit", args=[record.pk])).status_code == 404


def test_the_balai_reads_but_cannot_edit(client_as, bartim):
    record = sb.service(bartim)
    client = client_as("balai_kalteng")
    assert client.get(reverse("regency_services", args=[bartim.code])).status_code == 200
    assert client.get(reverse("service_edit", args=[record.pk])).status_code == 403
    assert client.post(reverse("service_edit", args=[record.pk]), {"households_served": "1"}).status_code == 403
    assert client.get(reverse("threshold_edit", args=[bartim.code, "lltt"])).status_code == 403


def test_the_provinces_pokja_edits_the_service_and_sets_the_full_scale(client_as, bartim):
    record = sb.service(bartim)
    client = client_as("pokja_kalteng")
    response = client.submit(
        reverse("service_edit", args=[record.pk]), form_data(list(bartim.kecamatan.all()), households_served="3000")
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.households_served == 3000
    response = client.submit(
        reverse("threshold_edit", args=[bartim.code, "lltt"]), {"kecamatan_percent": "80", "households": ""}
    )
    assert response.status_code == 302
    page = client.get(reverse("regency_services", args=[bartim.code])).content.decode()
    assert "≥ 80 %" in page and 'data-testid="reached"' in page


def test_a_threshold_with_nothing_set_is_refused(client_as, bartim):
    response = client_as("pokja_kalteng").submit(
        reverse("threshold_edit", args=[bartim.code, "lltt"]), {"kecamatan_percent": "", "households": ""}
    )
    assert response.status_code == 200 and "alert-danger" in response.content.decode()


def test_the_monitoring_years_figures_give_the_trend(client_as, bartim, pokja_kalteng):
    m4 = builders.milestone(bartim, 4, year=2022)
    kecamatan = sb.kecamatan(bartim)
    sb.service(bartim)
    for index, households in [(2, 800), (3, 1100)]:
        monitoring = document_services.record_monitoring(
            cohort=m4.cohort, actor=pokja_kalteng, year_index=index, assessment="on_track"
        )
        services.record_year_figures(
            monitoring=monitoring,
            actor=pokja_kalteng,
            kind="lltt",
            kecamatan=kecamatan[: index + 1],
            households_served=households,
            volume_per_year=Decimal(100 * index),
        )
    page = client_as("officer_bartim").get(reverse("regency_services", args=[bartim.code])).content.decode()
    trend = page[page.index('data-testid="trend-lltt"') :]
    assert trend.index("2 (2023)") < trend.index("3 (2024)")
    assert "3/5" in trend and "4/5" in trend and "1.100" in trend


def test_the_regency_page_summarises_the_services(client_as, bartim):
    sb.service(bartim, covered=2)
    page = client_as("officer_bartim").get(reverse("regency", args=[bartim.code])).content.decode()
    assert 'id="services"' in page and reverse("regency_services", args=[bartim.code]) in page
    assert "2/5" in page


def test_the_services_page_costs_the_same_with_more_records(client_as, bartim, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("pokja_kalteng")
    url = reverse("regency_services", args=[bartim.code])
    sb.service(bartim, covered=1)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    sb.service(bartim, kind="solid_waste")
    sb.threshold(bartim, percent=50)
    sb.threshold(bartim, percent=50, kind="solid_waste")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
