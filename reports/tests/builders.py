"""Report rows for tests that need a done report but not its compile (compiling is the costly part)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import ReportJob


def done_report(*, period: tuple[datetime.date, datetime.date] | None = None, **scope) -> ReportJob:
    """A done report of ``scope`` (audience and its region) with a small stored file, as compile_job leaves it."""
    start, end = period or (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    job = ReportJob.objects.queue(period_start=start, period_end=end, **scope)
    name = job.file.storage.save(f"reports/{job.pk}/test.pdf", ContentFile(b"%PDF-1.4 test report\n"))
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.DONE, file=name, page_count=1, size=21, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job
