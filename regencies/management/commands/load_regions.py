from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regencies.regions_csv import RegionFileError, load_regions


class Command(BaseCommand):
    help = "Load provinces and regencies from a CSV in the format of shared/data/wilayah_indonesia.csv."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
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
