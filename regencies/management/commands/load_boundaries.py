from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from regencies.boundaries import PROVINCE_FILE, REGENCY_FILE, BoundaryFileError, load_boundaries
from ssk_tracker.lib.audit import AuditedCommand


class Command(AuditedCommand):
    help = (
        "Load the province and regency boundaries (GeoJSON, plain or gzip) as projected, simplified SVG path "
        "data for the maps: the files shipped with the tracker, or newer ones in the same form. Safe to re-run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provinces", type=Path, default=PROVINCE_FILE, help="the provinces' GeoJSON")
        parser.add_argument("--regencies", type=Path, default=REGENCY_FILE, help="the regencies' GeoJSON")
        parser.add_argument("--force", action="store_true", help="rebuild even if the files have not changed")

    def handle(self, *args: Any, provinces: Path, regencies: Path, force: bool, **options: Any) -> None:
        try:
            result = load_boundaries(provinces, regencies, force=force)
        except BoundaryFileError as exc:
            shown = exc.errors[:50]
            more = f"\n… and {len(exc.errors) - 50} more." if len(exc.errors) > 50 else ""
            raise CommandError("Nothing was loaded:\n" + "\n".join(shown) + more) from None
        if result.unchanged:
            self.stdout.write(
                f"Unchanged (the same files as last time): {result.provinces} provinces, {result.regencies} "
                "regencies. --force rebuilds."
            )
            return
        if options["verbosity"] > 1:
            for name, size in result.sizes.items():
                self.stdout.write(f"  {name}: {size / 1024:.1f} KB of path data")
        self.stdout.write(self.style.SUCCESS(f"Shapes: {result.provinces} provinces, {result.regencies} regencies."))
