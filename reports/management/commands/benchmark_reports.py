"""The report benchmark (see README, "Performance"). Run it on a scratch database:

    DATABASE_URL=postgres://root@127.0.0.1:5432/ssk_bench python manage.py benchmark_reports --workers 2

It loads the national regions (the list shipped in regencies/data/, or a newer one given with
``--regions``), builds the national-scale data set of ``seed_scale`` (milestones/scale.py), then
measures: the national report end to end vs the Typst render of the same document (ratio), its queries
and peak memory (in a separate process); a provincial report; and all regency reports queued at once
on ``--workers`` Celery workers (needs CELERY_BROKER_URL).
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import translation

from milestones import scale
from regencies.models import Province, Regency
from regencies.regions_csv import NATIONAL_LIST
from reports import render, services
from reports.models import ReportJob
from ssk_tracker.lib.audit import AuditedCommand


class Command(AuditedCommand):
    help = "Measure report compilation on national data (prints the figures)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--regions",
            type=Path,
            default=NATIONAL_LIST,
            help="regions loaded first (default: the national list shipped in regencies/data/)",
        )
        parser.add_argument("--workers", type=int, default=0, help="Celery workers for the all-regencies run")
        parser.add_argument("--skip-build", action="store_true", help="reuse data built by an earlier run")
        parser.add_argument("--probe", nargs="+", help="internal: one measurement in this process")

    def handle(self, *args, regions, workers, skip_build, probe, **options):
        if probe:
            return self._run_probe(probe[0], probe[1] if len(probe) > 1 else None)
        if not skip_build:
            if scale.has_programme_data():
                raise CommandError(
                    "This database already has programme data: use a scratch database "
                    "(or --skip-build to reuse a benchmark's data)."
                )
            call_command("load_regions", str(regions), verbosity=0)
            built = scale.build()  # the national-scale set of seed_scale (milestones/scale.py)
            self.stdout.write(f"built {built.counts} in {built.seconds:.1f} s")
        figures = {"regencies": Regency.objects.count()}
        figures.update(self._national())
        figures.update(self._provincial())
        if workers:
            figures.update(self._all_regencies(workers))
        self.stdout.write(json.dumps(figures, indent=2))

    def _national(self):
        """Each run in a fresh process, as a worker's first job: the national report end to end (data ->
        stored file), and Typst rendering the same document alone. Typst memoises layouts within a
        process, so repeating a render in one process would measure its cache, not the work."""
        compiles = [self._probe("compile") for _ in range(3)]
        payload = Path(settings.MEDIA_ROOT) / "benchmark-national-payload.json"
        renders = [self._probe("render", str(payload)) for _ in range(3)]
        payload.unlink(missing_ok=True)
        compile_s = sorted(c["seconds"] for c in compiles)[1]
        render_s = sorted(r["seconds"] for r in renders)[1]
        inside = sorted(c["seconds"] / c["render_seconds"] for c in compiles)[1]
        return {
            "national_pages": compiles[0]["pages"],
            "national_seconds": compile_s,
            "national_typst_render_seconds": render_s,
            "national_ratio": round(compile_s / render_s, 2),
            "national_ratio_within_each_compile": round(inside, 2),
            "national_queries": compiles[0]["queries"],
            "national_peak_mb": max(c["peak_mb"] for c in compiles),
            "national_render_only_peak_mb": max(r["peak_mb"] for r in renders),
        }

    def _probe(self, mode, *extra):
        result = subprocess.run(
            [sys.executable, "manage.py", "benchmark_reports", "--probe", mode, *extra],
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
        )
        if result.returncode:
            raise CommandError(result.stderr[-2000:])
        return json.loads(result.stdout.strip().splitlines()[-1])

    def _run_probe(self, mode, payload_path):
        if mode == "compile":
            job = services.request_report(audience="national", enqueue_job=False)
            with translation.override(job.language):  # a worker has its catalogues loaded already
                translation.gettext("Summary")
            render_times = []
            original = services.render_pdf

            def timed_render(payload):
                started = time.perf_counter()
                try:
                    return original(payload)
                finally:
                    render_times.append(time.perf_counter() - started)

            services.render_pdf = timed_render  # the Typst share of this very compile
            started = time.perf_counter()
            job = services.compile_job(job.pk)
            seconds = time.perf_counter() - started
            services.render_pdf = original
            with translation.override(job.language):
                payload = services.build_payload(job, now=job.data_as_of)
            render.stamp_content_sha256(payload)  # as compile_job does before rendering: the template prints it
            out = Path(settings.MEDIA_ROOT) / "benchmark-national-payload.json"
            out.write_text(json.dumps(payload, default=str))
            result = {
                "seconds": round(seconds, 3),
                "render_seconds": round(render_times[0], 3),
                "pages": job.page_count,
                "queries": job.query_count,
            }
        else:
            payload = json.loads(Path(payload_path).read_text())
            started = time.perf_counter()
            render.render_pdf(payload)
            result = {"seconds": round(time.perf_counter() - started, 3)}
        result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        self.stdout.write(json.dumps(result))

    def _provincial(self):
        province = Province.objects.annotate(n=Count("regencies")).order_by("-n").first()
        timings = []
        for _ in range(3):
            job = services.request_report(audience="provincial", province=province, enqueue_job=False)
            started = time.perf_counter()
            job = services.compile_job(job.pk)
            timings.append(time.perf_counter() - started)
        return {
            "provincial_province": f"{province.code} {province.name} ({province.n} regencies)",
            "provincial_seconds": round(min(timings), 3),
            "provincial_pages": job.page_count,
            "provincial_queries": job.query_count,
        }

    def _all_regencies(self, workers):
        if not settings.CELERY_BROKER_URL:
            raise CommandError("--workers needs CELERY_BROKER_URL (a Redis broker).")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ssk_tracker.settings"}
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "ssk_tracker",
                    "worker",
                    "--concurrency=1",
                    "--loglevel=WARNING",
                    "-n",
                    f"bench{i}@%h",
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                start_new_session=True,
            )
            for i in range(workers)
        ]
        try:
            time.sleep(3)  # let the workers connect
            started = time.perf_counter()
            jobs = [services.request_report(audience="regency", regency=r).pk for r in Regency.objects.all()]
            while ReportJob.objects.filter(pk__in=jobs).exclude(status__in=["done", "failed"]).exists():
                if time.perf_counter() - started > 600:
                    raise CommandError("The regency reports did not finish within 10 minutes.")
                time.sleep(0.25)
            elapsed = time.perf_counter() - started
            failed = ReportJob.objects.filter(pk__in=jobs, status="failed").count()
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(30)
        return {
            "regency_reports": len(jobs),
            "regency_reports_failed": failed,
            "regency_workers": workers,
            "regency_all_seconds": round(elapsed, 1),
        }
