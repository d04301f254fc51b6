"""Build the national-scale data set (milestones/scale.py) on an empty programme database:

    DATABASE_URL=postgres://root@127.0.0.1:5432/ssk_scale python manage.py migrate
    DATABASE_URL=postgres://root@127.0.0.1:5432/ssk_scale python manage.py seed_scale

Deterministic for ``--seed`` and ``--today``; prints what it made and how long it took.
"""

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser

from milestones import scale
from ssk_tracker.lib.audit import AuditedCommand


class Command(AuditedCommand):
    help = "Fill an empty database with national-scale programme data (benchmarks, load test)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=scale.DEFAULT_SEED, help="random seed (default: %(default)s)")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="the data's today, YYYY-MM-DD (default: now)",
        )
        parser.add_argument("--password", default=scale.DEFAULT_PASSWORD, help="every user's password")
        parser.add_argument("--provinces", nargs="+", help="only these province codes (a slice)")
        parser.add_argument("--regencies-per-province", type=int, help="at most this many regencies per province")

    def handle(self, *args: Any, **options: Any) -> None:
        if scale.has_programme_data():
            raise CommandError(
                "This database already has programme data (cohorts, updates or activities): "
                "seed_scale fills an empty one. Use a scratch database (createdb, migrate)."
            )
        result = scale.build(
            seed=options["seed"],
            today=options["today"],
            password=options["password"],
            provinces=options["provinces"],
            regencies_per_province=options["regencies_per_province"],
        )
        width = max(len(k) for k in result.counts)
        for name, count in result.counts.items():
            self.stdout.write(f"{name:<{width}}  {count:>9,}")
        self.stdout.write(self.style.SUCCESS(f"Built in {result.seconds:.1f} s."))
