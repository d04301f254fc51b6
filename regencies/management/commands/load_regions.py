from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from regencies.regions_csv import NATIONAL_LIST, RegionFileError, load_regions
from ssk_tracker.lib.audit import AuditedCommand


class Command(AuditedCommand):
    help = "Load provinces and regencies: the national list shipped with the tracker, or a CSV in its format."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            type=Path,
            nargs="?",
            default=NATIONAL_LIST,
            help="a newer list in the same format (default: regencies/data/wilayah_indonesia.csv)",
        )

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            result = load_regions(path)
        except RegionFileError as exc:
            shown = exc.errors[:50]
            more = f"\n… and {len(exc.errors) - 50} more." if len(exc.errors) > 50 else ""
            raise CommandError("Nothing was loaded:\n" + "\n".join(shown) + more) from None
        if options["verbosity"] > 1:
            for change in result.changes:
                self.stdout.write(change)
        self.stdout.write(self.style.SUCCESS(f"Provinces: {result.provinces}. Regencies: {result.regencies}."))
