from django.core.management.base import BaseCommand, CommandError

from trellis.frameworks.loader import LoaderError, load_frameworks


class Command(BaseCommand):
    help = "Load or update the frameworks that ship with Trellis, from trellis/frameworks/data/*.yaml. Safe to run again."

    def handle(self, *args, **options):
        try:
            counts, warnings = load_frameworks()
        except LoaderError as error:
            raise CommandError(str(error)) from error
        for warning in warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            f"Frameworks: {counts['created']} created, {counts['updated']} updated, {counts['removed']} removed, "
            f"{counts['kept']} kept because people have rated against them."
        )
