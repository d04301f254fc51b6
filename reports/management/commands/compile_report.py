import datetime

from django.core.management.base import CommandError
from django.db.models import Q

from regencies.models import Balai, Province, Regency
from reports import services
from reports.models import Audience, Language, ReportJob
from ssk_tracker.lib import storage
from ssk_tracker.lib.audit import AuditedCommand


class Command(AuditedCommand):
    help = (
        "Compile one report in the foreground through the same code as the worker, store it like any other "
        "and print the stored file's path on the last line. Examples: compile_report national nasional; "
        "compile_report provincial 62; compile_report regency 62.13; compile_report balai 'BPPW Kalteng'."
    )

    def add_arguments(self, parser):
        parser.add_argument("audience", choices=Audience.values)
        parser.add_argument("scope", help="nasional | a province code (62) | a regency code (62.13) | a Balai")
        parser.add_argument("--period", help="YYYY, or YYYY-MM-DD:YYYY-MM-DD (default: this year so far)")
        parser.add_argument("--language", choices=Language.values, default=Language.INDONESIAN)

    def handle(self, *args, audience, scope, period, language, **options):
        target = self._scope(audience, scope)
        job = services.request_report(
            audience=audience, period=self._period(period), language=language, enqueue_job=False, **target
        )
        try:
            job = services.compile_job(job.pk)
        except services.CompileFailed as failed:  # no retries in the foreground: failed at once
            ReportJob.objects.fail(job.pk, failed.token, failed.error)
            raise CommandError(f"Report {job.pk} failed: {failed.error}") from failed.error
        self.stdout.write(
            f"Report {job.pk}: {job.page_count} pages, {job.compile_seconds:.2f} s, "
            f"{job.query_count} queries, sha256 {job.sha256}"
        )
        self.stdout.write(storage.where(job.file))  # the local path, or the name in the object store

    def _scope(self, audience, scope):
        try:
            if audience == "national":
                if scope.lower() not in {"nasional", "national", "id"}:
                    raise CommandError("The national report's scope is 'nasional'.")
                return {}
            if audience == "provincial":
                return {"province": Province.objects.get(code=scope)}
            if audience == "regency":
                return {"regency": Regency.objects.get(code=scope)}
            query = Q(short_name__iexact=scope) | Q(name__iexact=scope)
            if scope.isdigit():
                query |= Q(pk=int(scope))
            return {"balai": Balai.objects.get(query)}
        except (Province.DoesNotExist, Regency.DoesNotExist, Balai.DoesNotExist):
            raise CommandError(f"No {audience} scope {scope!r}.") from None

    def _period(self, period):
        if not period:
            return None
        try:
            if ":" in period:
                start, end = (datetime.date.fromisoformat(p) for p in period.split(":", 1))
            else:
                year = int(period)
                start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        except ValueError:
            raise CommandError("--period is YYYY or YYYY-MM-DD:YYYY-MM-DD.") from None
        if end < start:
            raise CommandError("--period ends before it starts.")
        return start, end
