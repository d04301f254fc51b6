"""A failed report: its requester reads why and what to do, in Indonesian; only an administrator sees the detail."""

import errno

import pytest
from django.urls import reverse

from reports.models import ReportJob, failure_message, failure_reason


@pytest.fixture
def failed_job(kalteng, coordinator_kalteng):
    def fail(error: BaseException) -> ReportJob:
        job = ReportJob.objects.queue(
            audience="provincial",
            province=kalteng,
            period_start="2023-01-01",
            period_end="2023-12-31",
            requested_by=coordinator_kalteng,
        )
        token = ReportJob.objects.claim(job.pk)
        assert token is not None
        assert ReportJob.objects.fail(job.pk, token, error)
        job.refresh_from_db()
        return job

    return fail


DISK_FULL = OSError(errno.ENOSPC, "No space left on device", "/srv/ssk/media/reports/7/3f2a.pdf")


@pytest.mark.parametrize(
    ("error", "phrase"),
    [
        (DISK_FULL, "ruang penyimpanan server penuh"),
        (RuntimeError("Typst could not lay out the table"), "kesalahan di server. Coba lagi"),
        (TimeoutError("compile"), "terlalu lama"),
    ],
)
def test_the_reason_is_readable_and_says_what_to_do(error, phrase):
    reason = failure_reason(failure_message(error))
    assert phrase in reason
    assert "administrator" in reason or "Coba lagi" in reason
    assert "/srv" not in reason and "Errno" not in reason and "Error" not in reason


def test_the_requester_sees_the_reason_but_not_the_detail(client_as, failed_job):
    failed_job(DISK_FULL)
    page = client_as("coordinator_kalteng").get(reverse("reports")).content.decode()
    assert "ruang penyimpanan server penuh" in page
    assert 'data-testid="failure-detail"' not in page
    assert "Errno" not in page and "/srv" not in page and "3f2a.pdf" not in page


def test_the_administrator_also_sees_the_detail_without_the_server_path(client_as, failed_job):
    failed_job(DISK_FULL)
    page = client_as("administrator").get(reverse("reports")).content.decode()
    assert "ruang penyimpanan server penuh" in page
    assert 'data-testid="failure-detail"' in page and "No space left on device" in page
    assert "/srv" not in page
