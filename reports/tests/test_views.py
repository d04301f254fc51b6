import pytest
from django.urls import reverse

from reports import services
from reports.models import ReportJob


def request(client, **data):
    form = {
        "audience": "provincial",
        "province": "62",
        "period_start": "2023-01-01",
        "period_end": "2023-12-31",
        "language": "id",
        **data,
    }
    return client.submit(reverse("reports"), form)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator_kalteng", 200),
        ("pokja_kalteng", 200),
        ("national", 200),
        ("balai_kalteng", 200),
        ("officer_bartim", 200),
        ("administrator", 200),
        ("nobody", 403),
    ],
)
def test_reports_page_access(client_as, kalteng, persona, status):
    assert client_as(persona).get(reverse("reports")).status_code == status


def test_the_coordinator_requests_and_downloads_the_provincial_report(
    client_as, kalteng, kalteng_progress, django_capture_on_commit_callbacks
):
    client = client_as("coordinator_kalteng")
    with django_capture_on_commit_callbacks(execute=True):
        assert request(client).status_code == 302
    job = ReportJob.objects.get()
    assert job.status == "done" and job.requested_by.username == "coordinator_kalteng"
    page = client.get(reverse("reports")).content.decode()
    assert reverse("report_download", args=[job.pk]) in page
    response = client.get(reverse("report_download", args=[job.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="laporan-ssk-provincial-62-')
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_status_table_polls_while_a_report_is_queued(client_as, kalteng):
    services.request_report(audience="provincial", province=kalteng, enqueue_job=False)
    client = client_as("coordinator_kalteng")
    html = client.get(reverse("report_status")).content.decode()
    assert 'hx-trigger="every 2s"' in html and 'data-status="queued"' in html
    ReportJob.objects.update(status="failed", error="x")
    assert "hx-trigger" not in client.get(reverse("report_status")).content.decode()


def test_a_request_outside_the_scope_is_refused(client_as, kalteng, kalsel):
    client = client_as("coordinator_kalteng")
    response = request(client, province="63")
    assert response.status_code == 200 and not ReportJob.objects.exists()
    response = request(client, audience="national", province="")
    assert response.status_code == 200 and not ReportJob.objects.exists()


def test_an_officer_may_request_only_their_regency(client_as, bartim, django_capture_on_commit_callbacks):
    client = client_as("officer_bartim")
    with django_capture_on_commit_callbacks(execute=True):
        request(client, audience="regency", regency="62.13", province="")
    assert ReportJob.objects.get().regency_id == "62.13"
    request(client, audience="regency", regency="62.12", province="")
    assert ReportJob.objects.count() == 1


def test_a_missing_scope_is_explained(client_as, kalteng):
    html = request(client_as("coordinator_kalteng"), province="").content.decode()
    assert "Pilih" in html and not ReportJob.objects.exists()


def test_the_list_query_count_does_not_grow(client_as, kalteng, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("coordinator_kalteng")
    services.request_report(audience="provincial", province=kalteng, enqueue_job=False)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("reports"))
    for _ in range(15):
        services.request_report(audience="provincial", province=kalteng, enqueue_job=False)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("reports"))
