"""The Laporan page at national volume: the first schedules and reports to acknowledge, then "show all";
the same number of queries however many jobs, schedules and deliveries there are."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import deliveries, services
from reports.models import ReportJob, ReportSchedule
from reports.tests.builders import done_report
from reports.views.jobs import INBOX_SHOWN, JOBS_PER_PAGE
from reports.views.schedules import SCHEDULES_SHOWN


def add_schedules(province, count: int) -> None:
    ReportSchedule.objects.bulk_create(
        ReportSchedule(
            name=f"Laporan {n}", audience="provincial", province=province, day_of_month=15, recipients="a@b.id"
        )
        for n in range(count)
    )


def deliver_province_reports(province, pokja, count: int) -> None:
    """``count`` reports of the province sent to the national Pokja."""
    for _ in range(count):
        job = done_report(audience="provincial", province=province)
        deliveries.send_report(job=job, recipients=["national"], sent_by=pokja)


def test_the_first_schedules_then_all(client_as, kalteng):
    add_schedules(kalteng, SCHEDULES_SHOWN + 2)
    client = client_as("pokja_kalteng")
    html = client.get(reverse("reports")).content.decode()
    assert html.count("data-schedule=") == SCHEDULES_SHOWN and 'data-testid="schedules-all"' in html
    every = client.get(reverse("reports"), {"jadwal": "semua"}).content.decode()
    assert every.count("data-schedule=") == SCHEDULES_SHOWN + 2 and 'data-testid="schedules-all"' not in every


def test_the_oldest_reports_to_acknowledge_then_all(client_as, kalteng, pokja_kalteng):
    deliver_province_reports(kalteng, pokja_kalteng, INBOX_SHOWN + 1)
    client = client_as("national")
    html = client.get(reverse("reports")).content.decode()
    assert html.count('data-testid="inbox-item"') == INBOX_SHOWN
    assert f'<span class="badge text-bg-primary">{INBOX_SHOWN + 1}</span>' in html  # the badge counts them all
    assert 'data-testid="inbox-all"' in html
    every = client.get(reverse("reports"), {"kotak": "semua"}).content.decode()
    assert every.count('data-testid="inbox-item"') == INBOX_SHOWN + 1 and 'data-testid="inbox-all"' not in every


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports")).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_a_few_and_many_rows(client_as, kalteng, kalsel, pokja_kalteng):
    client = client_as("national")
    deliver_province_reports(kalteng, pokja_kalteng, 1)
    add_schedules(kalteng, 1)
    done_report(audience="provincial", province=kalteng)
    few = _queries(client)
    deliver_province_reports(kalteng, pokja_kalteng, INBOX_SHOWN + 3)
    add_schedules(kalteng, SCHEDULES_SHOWN + 5)
    for _ in range(25):  # more than a page of the jobs table, each with its delivery row
        services.request_report(audience="provincial", province=kalteng, enqueue_job=False)
        done_report(audience="provincial", province=kalteng)
    assert _queries(client) == few


def test_the_jobs_table_pages_with_its_total_counted_in_the_same_query(client_as, kalteng):
    for _ in range(JOBS_PER_PAGE + 5):
        services.request_report(audience="provincial", province=kalteng, enqueue_job=False)
    client = client_as("coordinator_kalteng")

    def jobs_on(page: int) -> tuple[int, str]:
        html = client.get(reverse("reports"), {"page": page}).content.decode()
        return html.count("data-job="), html

    count, html = jobs_on(1)
    assert count == JOBS_PER_PAGE and "Halaman 1 dari 2" in html
    count, html = jobs_on(2)
    assert count == 5 and "Halaman 2 dari 2" in html
    count, html = jobs_on(9)  # past the end: the last page
    assert count == 5 and "Halaman 2 dari 2" in html


def test_the_jobs_rows_show_the_labels_and_periods_their_fields_give(client_as, kalteng):
    """The table's labels are set per page (reports.views.jobs._label_rows), not read per row: the same text
    as ``get_FOO_display`` and ``|date:"SHORT_DATE_FORMAT"``, for a shared and a distinct period."""
    done_report(audience="provincial", province=kalteng)
    done_report(audience="provincial", province=kalteng)
    queued = services.request_report(
        audience="provincial",
        province=kalteng,
        period=(datetime.date(2024, 2, 1), datetime.date(2024, 11, 30)),
        language="en",
        enqueue_job=False,
    )
    html = client_as("coordinator_kalteng").get(reverse("reports")).content.decode()
    assert html.count("01/01/2023 – 31/12/2023") == 2 and html.count("01/02/2024 – 30/11/2024") == 1
    assert html.count(f">{ReportJob.Status.DONE.label}</span>") == 2  # Indonesian: the page's language
    assert f"{ReportJob.Status(queued.status).label}</span>" in html
    assert f"{queued.scope_label} · {queued.get_language_display()}" in html
    assert f"<strong>{queued.get_audience_display()}</strong>" in html


def test_each_job_says_who_asked_for_it(client_as, kalteng, national):
    """The requester's full name, else their username; a scheduled report names its schedule."""
    national.first_name, national.last_name = "Sri", "Wahyuni"
    national.save()
    nameless = type(national).objects.create(username="tanpa.nama")
    schedule = ReportSchedule.objects.create(
        name="Laporan bulanan Kalteng", audience="provincial", province=kalteng, day_of_month=15, recipients="a@b.id"
    )
    done_report(audience="provincial", province=kalteng, requested_by=national)
    done_report(audience="provincial", province=kalteng, requested_by=nameless)
    done_report(audience="provincial", province=kalteng, schedule=schedule)
    html = client_as("national").get(reverse("reports")).content.decode()
    assert '<div class="text-muted">Sri Wahyuni</div>' in html
    assert '<div class="text-muted">tanpa.nama</div>' in html
    assert '<div class="text-muted">Laporan bulanan Kalteng</div>' in html
