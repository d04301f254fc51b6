"""The page benchmark behind ``manage.py benchmark_pages`` (docs/PERFORMANCE.md).

Each key page is requested in-process (Django's test client, DEBUG off, the project's own settings:
sessions, cache, database) as the role that uses it, interleaved round by round with two references:

- the **floor**: a signed-in page that renders only ``base.html`` (the nav bar). Its view exists only in
  this module's URLconf, never in the product's URLs;
- the **peer**: the Django admin's changelist of regencies, 100 per page, what a hurried team would ship.

Every page is reported as a ratio to the floor's median of the same run, so a noisy machine cancels out.
The objects measured are resolved from the data (the officer's regency, the province with most regencies,
the milestone with most updates, the clinic with most follow-ups), never hard-coded ids.

It lives in the project package because it spans apps (milestones, reports, the admin), and in one
module with a thin command so it can be dropped into an older commit to measure "before" figures.
"""

from __future__ import annotations

import datetime as dt
import gzip
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path, reverse

from ssk_tracker import urls as product_urls

# The targets of issue 11: every key page within 5x the floor's median and 60 KB of HTML.
RATIO_TARGET = 5.0
HTML_TARGET_BYTES = 60 * 1024

FLOOR = "floor"
PEER = "admin-regencies"


class SetupError(Exception):
    """A user or an object the benchmark needs is missing from the database."""


@login_required
def floor_view(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


# The benchmark's URLconf: the floor, then every product URL unchanged (names resolve as usual).
urlpatterns = [path("__benchmark-floor__/", floor_view, name="benchmark_floor"), path("", include(product_urls))]
# The product's error handlers too (whichever it sets), so an error page is the one production sends.
globals().update(
    (name, getattr(product_urls, name))
    for name in ("handler400", "handler403", "handler404", "handler500")
    if hasattr(product_urls, name)
)


@dataclass(frozen=True)
class Cast:
    """Who requests the pages: a username per role (the users of ``seed_scale``)."""

    officer: str = "petugas.35.78"
    provincial: str = "pokja.35"
    national: str = "nasional"
    coordinator_province: str = "koordinator.35"
    coordinator: str = "koordinator"
    admin: str = "admin"


class Resolver:
    """Finds, once each, the users and objects the pages are about; a missing one is a SetupError."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self._cache: dict[str, Any] = {}

    def _once(self, key: str, fetch: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = fetch()
        return self._cache[key]

    def user(self, role: str) -> Any:
        username = getattr(self.cast, role)

        def fetch() -> Any:
            found = get_user_model().objects.filter(username=username).first()
            if found is None:
                raise SetupError(f"User {username!r} ({role}) does not exist: run seed_scale first.")
            return found

        return self._once(f"user:{role}", fetch)

    def officer_regency(self) -> Any:
        def fetch() -> Any:
            from regencies.models import UserRole

            user_role = UserRole.objects.filter(user=self.user("officer")).select_related("regency").first()
            if user_role is None or user_role.regency is None:
                raise SetupError(f"User {self.cast.officer!r} has no regency: run seed_scale first.")
            return user_role.regency

        return self._once("officer_regency", fetch)

    def largest_province(self) -> Any:
        def fetch() -> Any:
            from regencies.models import Province

            province = Province.objects.annotate(n=Count("regencies")).filter(n__gt=0).order_by("-n", "code").first()
            if province is None:
                raise SetupError("No province with regencies: run seed_scale first.")
            return province

        return self._once("largest_province", fetch)

    def provincial_province(self) -> Any:
        def fetch() -> Any:
            from regencies.models import UserRole

            user_role = UserRole.objects.filter(user=self.user("provincial")).select_related("province").first()
            if user_role is None or user_role.province is None:
                raise SetupError(f"User {self.cast.provincial!r} has no province: run seed_scale first.")
            return user_role.province

        return self._once("provincial_province", fetch)

    def busiest_milestone(self) -> Any:
        def fetch() -> Any:
            from milestones.models import Milestone

            regency = self.officer_regency()
            found = Milestone.objects.filter(regency=regency).annotate(n=Count("updates")).order_by("-n", "pk").first()
            if found is None:
                raise SetupError(f"Regency {regency.code} has no milestone: run seed_scale first.")
            return found

        return self._once("busiest_milestone", fetch)

    def busiest_clinic(self) -> Any:
        def fetch() -> Any:
            from milestones.models import CoachingClinic

            province = self.provincial_province()
            found = (
                CoachingClinic.objects.filter(province=province)
                .annotate(n=Count("recommendations__actions"))
                .order_by("-n", "pk")
                .first()
            )
            if found is None:
                raise SetupError(f"Province {province.code} has no coaching clinic: run seed_scale first.")
            return found

        return self._once("busiest_clinic", fetch)


@dataclass(frozen=True)
class PageSpec:
    """One page to measure: a short slug, the role requesting it, and how to build its URL."""

    name: str
    role: str
    url: Callable[[Resolver], str]
    label: str = ""


def _regency_url(name: str) -> Callable[[Resolver], str]:
    return lambda r: reverse(name, args=[r.officer_regency().code])


FLOOR_SPEC = PageSpec(FLOOR, "officer", lambda r: reverse("benchmark_floor"), "floor: base.html only")
PEER_SPEC = PageSpec(
    PEER, "admin", lambda r: reverse("admin:regencies_regency_changelist"), "peer: admin regencies, 100/page"
)
KEY_PAGES: tuple[PageSpec, ...] = (
    PageSpec("national-overview", "national", lambda r: reverse("national_overview"), "national overview"),
    PageSpec(
        "province-dashboard",
        "provincial",
        lambda r: reverse("province", args=[r.largest_province().code]),
        "province dashboard (largest)",
    ),
    PageSpec("regency-page", "officer", _regency_url("regency"), "regency page"),
    PageSpec(
        "milestone-page",
        "officer",
        lambda r: reverse("milestone", args=[r.busiest_milestone().pk]),
        "milestone (most updates)",
    ),
    PageSpec("review-province", "provincial", lambda r: reverse("review_queue"), "review queue, province"),
    PageSpec("review-nation", "national", lambda r: reverse("review_queue"), "review queue, nation"),
    # /klinik/ sends a provincial user on to their province's list: measure the page they land on.
    PageSpec(
        "clinics",
        "provincial",
        lambda r: reverse("province_clinics", args=[r.provincial_province().code]),
        "clinic list (province)",
    ),
    PageSpec(
        "clinic-page",
        "provincial",
        lambda r: reverse("clinic", args=[r.busiest_clinic().pk]),
        "clinic (most follow-ups)",
    ),
    PageSpec("tasks-officer", "officer", lambda r: reverse("my_tasks"), "my tasks, officer"),
    PageSpec("tasks-province", "provincial", lambda r: reverse("my_tasks"), "my tasks, province"),
    PageSpec("tasks-nation", "national", lambda r: reverse("my_tasks"), "my tasks, nation"),
    PageSpec("home-officer", "officer", lambda r: reverse("home"), "home, officer"),
    PageSpec("home-province", "provincial", lambda r: reverse("home"), "home, province"),
    PageSpec("home-nation", "national", lambda r: reverse("home"), "home, nation"),
    PageSpec("reports-province", "coordinator_province", lambda r: reverse("reports"), "reports, province"),
    PageSpec("reports-nation", "coordinator", lambda r: reverse("reports"), "reports, nation"),
    PageSpec("activities", "officer", _regency_url("activities"), "activities"),
    PageSpec("nawasis-regency", "officer", _regency_url("nawasis_regency"), "NAWASIS, regency"),
    PageSpec(
        "nawasis-province",
        "provincial",
        lambda r: reverse("nawasis_province", args=[r.largest_province().code]),
        "NAWASIS, province",
    ),
    PageSpec("verification", "coordinator", lambda r: reverse("report_verify"), "report verification"),
)
PAGE_NAMES: tuple[str, ...] = tuple(spec.name for spec in KEY_PAGES)


@dataclass
class PageResult:
    name: str
    label: str
    user: str
    url: str
    status: int
    queries: int
    html_bytes: int
    gzip_bytes: int
    times: list[float] = field(default_factory=list, repr=False)
    median_ms: float | None = None
    p95_ms: float | None = None
    ratio: float | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def over_ratio(self) -> bool:
        return self.ratio is not None and self.ratio > RATIO_TARGET

    @property
    def over_size(self) -> bool:
        return self.html_bytes > HTML_TARGET_BYTES

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("times")
        data.update(ok=self.ok, over_ratio_target=self.over_ratio, over_size_target=self.over_size)
        return data


@dataclass
class Run:
    rounds: int
    warmup: int
    floor: PageResult
    peer: PageResult
    pages: list[PageResult]
    started: dt.datetime

    @property
    def errors(self) -> list[PageResult]:
        return [p for p in [self.floor, self.peer, *self.pages] if not p.ok]

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.started.isoformat(timespec="seconds"),
            "machine": {**machine_facts(), "date": self.started.isoformat(timespec="seconds")},
            "settings": {
                "debug": settings.DEBUG,
                "session_engine": settings.SESSION_ENGINE,
                "cache_backend": settings.CACHES["default"]["BACKEND"],
                "conn_max_age": connection.settings_dict.get("CONN_MAX_AGE"),
            },
            "rounds": self.rounds,
            "warmup": self.warmup,
            "targets": {"ratio_to_floor": RATIO_TARGET, "html_bytes": HTML_TARGET_BYTES},
            "floor": self.floor.as_json(),
            "peer": self.peer.as_json(),
            "pages": [p.as_json() for p in self.pages],
            "errors": [p.name for p in self.errors],
        }


def select(only: Iterable[str] | None) -> list[PageSpec]:
    """The key pages named (all without a selection); an unknown name is a ValueError."""
    if not only:
        return list(KEY_PAGES)
    wanted = list(only)
    unknown = [n for n in wanted if n not in PAGE_NAMES]
    if unknown:
        raise ValueError(f"Unknown page(s) {', '.join(unknown)}; known: {', '.join(PAGE_NAMES)}.")
    return [spec for spec in KEY_PAGES if spec.name in wanted]


def _percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 30 values is the 29th)."""
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def _static_storages() -> dict[str, Any]:
    """Production's manifest storage needs collectstatic's manifest; without one, plain storage (the
    template's {% static %} then costs a little less than in production)."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        return settings.STORAGES
    return {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def measure(
    pages: Sequence[PageSpec],
    *,
    rounds: int = 30,
    warmup: int = 3,
    cast: Cast | None = None,
    progress: Callable[[str], None] | None = None,
) -> Run:
    """Measure the floor, the peer and ``pages``; raises SetupError when the data lacks something."""
    if rounds < 1 or warmup < 1:
        raise ValueError("rounds and warmup must be at least 1")
    started = dt.datetime.now(dt.UTC)
    resolver = Resolver(cast or Cast())
    specs = [FLOOR_SPEC, PEER_SPEC, *pages]
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=hosts, STORAGES=_static_storages()):
        # Resolve every user and URL before the first request, so a missing object fails fast.
        targets = [(spec, resolver.user(spec.role), spec.url(resolver)) for spec in specs]
        clients: dict[str, Client] = {}
        for _, user, _ in targets:
            if user.username not in clients:
                client = Client(raise_request_exception=False)
                client.force_login(user)
                clients[user.username] = client

        def get(user: Any, url: str) -> Any:  # the test client's response type (django-stubs' private one)
            # secure: as behind the production proxy (no SSL redirect, secure cookies).
            return clients[user.username].get(url, secure=True)

        results: list[PageResult] = []
        for spec, user, url in targets:
            for _ in range(warmup - 1):
                get(user, url)
            with CaptureQueriesContext(connection) as queries:
                response = get(user, url)
            content = response.content
            results.append(
                PageResult(
                    name=spec.name,
                    label=spec.label,
                    user=user.username,
                    url=url,
                    status=response.status_code,
                    queries=len(queries),
                    html_bytes=len(content),
                    gzip_bytes=len(gzip.compress(content, compresslevel=6)),
                )
            )
        timed = [(result, user, url) for result, (_, user, url) in zip(results, targets, strict=True) if result.ok]
        for round_no in range(rounds):
            for result, user, url in timed:
                begin = time.perf_counter()
                get(user, url)
                result.times.append(time.perf_counter() - begin)
            if progress and (round_no + 1) % 10 == 0:
                progress(f"round {round_no + 1}/{rounds}")
    for result in results:
        if result.times:
            ordered = sorted(result.times)
            result.median_ms = round(statistics.median(ordered) * 1000, 2)
            result.p95_ms = round(_percentile(ordered, 0.95) * 1000, 2)
    floor = results[0]
    for result in results:
        if floor.median_ms and result.median_ms is not None:
            result.ratio = round(result.median_ms / floor.median_ms, 2)
    return Run(rounds=rounds, warmup=warmup, floor=floor, peer=results[1], pages=results[2:], started=started)


def machine_facts() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "django": django.get_version(),
        "database": {"vendor": connection.vendor, "version": _database_version()},
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
        else:
            return "unknown"
        return str(cursor.fetchone()[0])


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def table(run: Run) -> str:
    """The run as a plain-text table; flags mark errors and pages over the targets."""
    header = ("page", "user", "status", "median ms", "p95 ms", "x floor", "queries", "KB", "gzip KB", "flags")
    rows = [header]
    for result in [run.floor, run.peer, *run.pages]:
        flags = []
        if not result.ok:
            flags.append(f"ERROR {result.status}")
        if result.over_ratio:
            flags.append(f">{RATIO_TARGET:g}x")
        if result.over_size:
            flags.append(f">{HTML_TARGET_BYTES // 1024}KB")
        rows.append(
            (
                result.name,
                result.user,
                str(result.status),
                _fmt(result.median_ms, ".1f"),
                _fmt(result.p95_ms, ".1f"),
                _fmt(result.ratio, ".2f"),
                str(result.queries),
                f"{result.html_bytes / 1024:.1f}",
                f"{result.gzip_bytes / 1024:.1f}",
                " ".join(flags),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    numeric = set(range(2, 9))

    def line(row: Sequence[str]) -> str:
        cells = [
            cell.rjust(w) if i in numeric else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    out = [line(rows[0]), line(["-" * w for w in widths])]
    out += [line(row) for row in rows[1:]]
    facts = machine_facts()
    out.append("")
    out.append(
        f"{run.rounds} rounds after {run.warmup} warm-up requests, {run.started:%Y-%m-%d %H:%M} UTC; "
        f"{facts['cpu_count']} CPU {facts['cpu_model']}; Python {facts['python']}, Django {facts['django']}, "
        f"{facts['database']['vendor']} {facts['database']['version']}; targets <= {RATIO_TARGET:g}x floor, "
        f"<= {HTML_TARGET_BYTES // 1024} KB HTML"
    )
    return "\n".join(out)
