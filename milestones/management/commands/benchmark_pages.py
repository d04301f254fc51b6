"""The page benchmark (docs/PERFORMANCE.md); the logic is in ssk_tracker/benchmark_pages.py.

    DATABASE_URL=postgres://root@127.0.0.1:5432/ssk_bench CACHE_URL=redis://127.0.0.1:6379/3 \\
        python manage.py benchmark_pages [--rounds 30] [--only province-dashboard tasks-nation] [--json out.json]

Run on data built by ``seed_scale``. With DEBUG on it runs itself again with DEBUG=0 (pages are measured as
production serves them); the table goes to stdout, ``--json PATH`` writes the figures and the machine.
"""

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from ssk_tracker import benchmark_pages
from ssk_tracker.benchmark_pages import Cast
from ssk_tracker.lib.audit import AuditedCommand

# What DEBUG=0 needs besides the caller's environment; CACHE_URL and DATABASE_URL must come from the caller.
_PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-pages-" + "x" * 40,
    "ALLOWED_HOSTS": "testserver",
    "ALLOW_CONSOLE_EMAIL": "1",
    "LOG_LEVEL": "WARNING",  # not axes' INFO line for every force_login; no page logs below WARNING
}


class Command(AuditedCommand):  # its sign-ins and sessions are written as manage.py benchmark_pages
    help = "Measure the key pages against the floor (base.html) and the admin's regency list (DEBUG off)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rounds", type=int, default=30, help="timed requests per page (default 30)")
        parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
        parser.add_argument(
            "--only",
            nargs="+",
            metavar="NAME",
            help=f"measure these pages only: {', '.join(benchmark_pages.PAGE_NAMES)}",
        )
        parser.add_argument("--json", type=Path, metavar="PATH", help="write the figures as JSON to PATH")
        parser.add_argument(
            "--user",
            action="append",
            default=[],
            metavar="ROLE=USERNAME",
            help=f"who requests a role's pages (roles: {', '.join(Cast.__dataclass_fields__)}); default: seed_scale's",
        )
        parser.add_argument(
            "--with-reports", action="store_true", help="then run benchmark_reports --skip-build on the same data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            self._rerun_without_debug()
            return
        # WhiteNoise warns once per client without collected static files; the pages do not need them.
        warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
        try:
            pages = benchmark_pages.select(options["only"])
            cast = Cast(**dict(self._user_option(item) for item in options["user"]))
            run = benchmark_pages.measure(
                pages,
                rounds=options["rounds"],
                warmup=options["warmup"],
                cast=cast,
                progress=lambda message: self.stderr.write(message),
            )
        except (ValueError, TypeError, benchmark_pages.SetupError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(benchmark_pages.table(run))
        if options["json"]:
            options["json"].write_text(json.dumps(run.as_json(), indent=2) + "\n")
            self.stderr.write(f"figures written to {options['json']}")
        if options["with_reports"]:
            call_command("benchmark_reports", skip_build=True, stdout=self.stdout, stderr=self.stderr)
        if run.errors:
            raise CommandError(
                "Pages that did not answer 200: " + ", ".join(f"{p.name} ({p.status})" for p in run.errors)
            )

    @staticmethod
    def _user_option(item: str) -> tuple[str, str]:
        role, sep, username = item.partition("=")
        if not sep or role not in Cast.__dataclass_fields__:
            raise ValueError(
                f"--user {item!r}: expected ROLE=USERNAME with ROLE one of {', '.join(Cast.__dataclass_fields__)}"
            )
        return role, username

    def _rerun_without_debug(self) -> None:
        """Settings are read once at start-up, so DEBUG off means a fresh process with DEBUG=0."""
        if os.environ.get("DEBUG") == "0" or "benchmark_pages" not in sys.argv:
            raise CommandError("benchmark_pages measures with DEBUG off: run it with DEBUG=0.")
        if not os.environ.get("CACHE_URL"):
            raise CommandError(
                "benchmark_pages measures as production runs: set CACHE_URL (e.g. redis://127.0.0.1:6379/3) "
                "and DATABASE_URL (PostgreSQL)."
            )
        self.stderr.write("DEBUG is on: running again with DEBUG=0.")
        env = {**_PRODUCTION_ENV, **{k: v for k, v in os.environ.items() if k != "DEBUG"}, "DEBUG": "0"}
        argv = sys.argv[sys.argv.index("benchmark_pages") :]
        result = subprocess.run([sys.executable, "manage.py", *argv], env=env, cwd=settings.BASE_DIR)
        if result.returncode:
            raise SystemExit(result.returncode)  # the run itself has said why
