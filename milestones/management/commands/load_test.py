"""manage.py load_test: simulated users of every role against gunicorn (README, "Performance").

Run it on a scratch copy of the national data set (``seed_scale``): the officers' submissions stay in it.
"""

import json
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import connection

from milestones.loadtest import journeys, server, stats
from ssk_tracker.lib.audit import AuditedCommand


class Command(AuditedCommand):
    help = (
        "Start gunicorn (production settings) on a free port of 127.0.0.1 against DATABASE_URL, run simulated "
        "users who sign in, browse their role's pages and submit milestone updates with evidence, and report "
        "throughput, p50/p95/p99 per page and whether every submission was stored exactly once. Exits 1 on "
        "any error, a lost or duplicated submission, uncompressed pages, or p95 at or above --max-p95-ms."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=50, help="simulated users (60 %% officers, 30 %% province)")
        parser.add_argument("--seconds", type=float, default=60, help="how long each user clicks after arriving")
        parser.add_argument("--think", type=float, default=2.0, help="seconds between clicks (± 25 %%)")
        # Each sign-in costs a worker ~0.4 s of password hashing (PBKDF2, Django's default strength): 50 at once
        # would queue every page behind them, which 50 people arriving at their desks do not do.
        parser.add_argument("--ramp-up", type=float, default=30, help="seconds over which the users arrive")
        parser.add_argument("--max-requests", type=int, default=20_000, help="hard cap on requests, all users")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--threads", type=int, help="threads per worker (default: gunicorn.conf.py's)")
        parser.add_argument("--password", default="skala-2026", help="every simulated account's password")
        parser.add_argument("--max-p95-ms", type=float, default=500, help="fail at or above this overall p95")
        parser.add_argument("--seed", type=int, default=0, help="seed of the think-time jitter")
        parser.add_argument("--json", type=Path, help="write the figures to this file")
        parser.add_argument("--no-collectstatic", action="store_true", help="STATIC_ROOT is collected already")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Set DATABASE_URL to a PostgreSQL database (a scratch copy: submissions stay).")
        if not os.environ.get("CACHE_URL"):
            raise CommandError("Set CACHE_URL to a Redis database: production settings require it.")
        users, seconds = options["users"], options["seconds"]
        if users < 1 or seconds <= 0 or options["max_requests"] < 1:
            raise CommandError("--users, --seconds and --max-requests must be positive.")
        try:
            personas = journeys.build_plan(users)
            journeys.usernames_exist(personas)
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        run_id = secrets.token_hex(4)
        with tempfile.TemporaryDirectory(prefix="ssk-load-") as scratch:
            env = server.production_env(os.environ, media_root=os.environ.get("MEDIA_ROOT") or scratch)
            if not options["no_collectstatic"]:
                server.collectstatic(env)
            log = Path(scratch) / "gunicorn.log"
            before = journeys.count_updates()
            load_before = server.load_average()
            connection.close()  # no connection of ours held open while the server works
            with server.gunicorn(env, workers=options["workers"], threads=options["threads"], log=log) as web:
                port = web.port
                self.stdout.write(
                    f"gunicorn on {server.HOST}:{port}, {options['workers']} workers; {users} users for "
                    f"{seconds:g} s, run {run_id}"
                )
                failed = journeys.warm_up(personas, host=server.HOST, port=port, password=options["password"])
                if failed:
                    raise CommandError(f"the warm-up failed: {stats.errors(failed)}")
                cpu_before = server.cpu_seconds(web.worker_pids())
                run = journeys.run_users(
                    personas,
                    host=server.HOST,
                    port=port,
                    password=options["password"],
                    seconds=seconds,
                    think=options["think"],
                    ramp_up=options["ramp_up"],
                    max_requests=options["max_requests"],
                    seed=options["seed"],
                    run_id=run_id,
                )
                time.sleep(0.5)  # let the last transactions commit before counting
                cpu_after = server.cpu_seconds(web.worker_pids())
            load_after = server.load_average()
            after = journeys.count_updates()
            stored, incomplete = journeys.stored_markers(run_id)
            server_log = log.read_text(errors="replace")
        summary = stats.summarise(run.samples, run.elapsed)
        workers_cpu = None
        if cpu_before is not None and cpu_after is not None:
            workers_cpu = round(cpu_after - cpu_before, 1)
        # Once every user has arrived (and signed in): the steady state, reported beside the whole run.
        arrived = [sample for sample in run.samples if sample.started >= options["ramp_up"]]
        steady = stats.summarise(arrived, max(run.elapsed - options["ramp_up"], 0.001))["overall"]
        check = journeys.exactly_once(run.submissions, stored, incomplete)
        check.update(before=before, after=after, added=after - before)
        check["ok"] = check["ok"] and after - before == sum(stored.values())
        overall = summary["overall"]
        uncompressed = overall["html_responses"] - overall["html_compressed"]
        problems = []
        if overall["errors"]:
            problems.append(f"{overall['errors']} requests failed")
        if not check["ok"]:
            problems.append("submissions not stored exactly once")
        if uncompressed:
            problems.append(f"{uncompressed} HTML responses not compressed")
        if overall["p95_ms"] >= options["max_p95_ms"]:
            problems.append(f"p95 {overall['p95_ms']} ms >= {options['max_p95_ms']:g} ms")
        report = {
            "run": run_id,
            "users": {role: sum(p.role == role for p in personas) for role in ("officer", "province", "national")},
            "seconds": seconds,
            "think_s": options["think"],
            "workers": options["workers"],
            "threads": options["threads"],
            "load_average_before": load_before,
            "load_average_after": load_after,
            "cpus": os.cpu_count(),
            # CPU seconds the gunicorn workers used during the run: against the run's wall time, how much of
            # the (shared) machine the server had.
            "workers_cpu_seconds": workers_cpu,
            **summary,
            "after_all_arrived": steady,
            "timeline": stats.timeline(run.samples),
            "submissions": check,
            "errors": stats.errors(run.samples),
            "server_errors_logged": server_log.count('"level": "ERROR"'),
            "problems": problems,
        }
        self.stdout.write(stats.table(summary))
        self.stdout.write(
            f"\n{overall['requests']} requests in {overall['seconds']} s: {overall['throughput_rps']} req/s; "
            f"p50/p95/p99 {overall['p50_ms']}/{overall['p95_ms']}/{overall['p99_ms']} ms; "
            f"{overall['errors']} errors; HTML compressed {overall['html_compressed']}/{overall['html_responses']}"
        )
        self.stdout.write(
            f"submissions: {check['sent']} sent, {check['told_saved']} told saved, {check['stored_once']} stored "
            f"exactly once; updates {before} -> {after} (+{after - before}); duplicated {len(check['duplicated'])}, "
            f"lost {len(check['lost'])}"
        )
        self.stdout.write(f"load average before {load_before}, after {load_after} ({os.cpu_count()} CPUs)")
        if workers_cpu is not None:
            self.stdout.write(
                f"CPU used by the gunicorn workers: {workers_cpu} s in {run.elapsed:.1f} s "
                f"({workers_cpu / run.elapsed:.2f} of {options['workers']} cores they could use)"
            )
        self.stdout.write(
            f"after every user arrived ({options['ramp_up']:g} s on): {steady['requests']} requests, "
            f"{steady['throughput_rps']} req/s, p50/p95/p99 {steady['p50_ms']}/{steady['p95_ms']}/{steady['p99_ms']} ms"
        )
        self.stdout.write(
            "by 10 s: "
            + ", ".join(f"{int(b['from_s'])}s {b['requests']} req p95 {b['p95_ms']:.0f}" for b in report["timeline"])
        )
        for error in report["errors"]:
            self.stdout.write(f"  error: {error}")
        if options["json"]:
            options["json"].write_text(json.dumps(report, indent=2) + "\n")
        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write(self.style.SUCCESS("load test passed"))
