import argparse
import datetime

from django.core.management.base import CommandError
from django.db import transaction

from regencies import demo
from ssk_tracker.lib.audit import AuditedCommand


class Command(AuditedCommand):
    help = "Create the Kalimantan Tengah demo: regions, Pokja, Balai, demo users and their data. Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="The day the demo's story ends on, YYYY-MM-DD (default: today in WIB, or the day of the demo "
            "already in the database). Recent events, such as updates waiting for review, are dated back from it.",
        )

    def handle(self, *args, **options):
        from milestones.demo import loader
        from milestones.demo.clinics import seeded_day

        # Run again, the demo goes on ending on the day it was first seeded: what is dated back from that day
        # is found again (and nothing is added for a later day), so the second run changes nothing.
        day, seeded = options["today"], seeded_day()
        if day is not None and seeded is not None and day != seeded:
            raise CommandError(
                f"This database holds the demo as of {seeded:%Y-%m-%d}: it cannot end on {day:%Y-%m-%d} as well. "
                f"Run seed_demo without --today (or --today {seeded:%Y-%m-%d}), or seed an empty database."
            )
        try:
            loader.set_today(day or seeded)
        except loader.DemoDataError as error:
            raise CommandError(str(error)) from error
        try:
            with transaction.atomic():
                balai = demo.seed_organisations()
                users = demo.seed_users(balai)
                for seed in demo_extensions():
                    seed()
        finally:
            loader.set_today(None)
        self.stdout.write(
            self.style.SUCCESS("Demo data for Kalimantan Tengah is ready. Demo users (username / password):")
        )
        for user, created in users:
            # An account that already existed keeps its password: the printed one would not be true.
            password = user.password if created else "(existing password kept)"
            self.stdout.write(f"  {user.username:<22} {password:<24} {user.role.label}")


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def demo_extensions():
    """Each feature's demo data (milestones/demo/data/*.toml), in order; each is safe to run again."""
    from milestones.demo.apbd_sectors import seed_apbd_sectors
    from milestones.demo.clinics import seed_clinics
    from milestones.demo.closings import seed_closings
    from milestones.demo.dak import seed_dak
    from milestones.demo.documents import seed_documents
    from milestones.demo.indicators import seed_indicators
    from milestones.demo.milestones import seed_milestones
    from milestones.demo.monitoring import seed_monitoring
    from milestones.demo.nawasis import seed_nawasis
    from milestones.demo.planning import seed_planning
    from milestones.demo.roadmaps import seed_roadmaps
    from milestones.demo.service_records import seed_service_figures  # seed_services: by seed_milestones
    from regencies.boundaries import seed_boundaries  # the maps: the boundaries shipped with the tracker
    from reports.demo import seed_deliveries  # the one demo of the app above: the yearly reports delivered

    return [
        seed_milestones,
        seed_documents,
        seed_indicators,  # after the SSK documents (the years lie in their periods)
        seed_monitoring,
        seed_service_figures,
        seed_clinics,
        seed_planning,
        seed_apbd_sectors,
        seed_dak,  # after the planning rows (the DAK lines)
        seed_nawasis,
        seed_deliveries,
        seed_boundaries,
        seed_closings,  # after the records its proofs link to
        seed_roadmaps,
    ]
