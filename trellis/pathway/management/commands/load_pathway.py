from django.core.management.base import BaseCommand

from trellis.pathway.template_loader import load_template


class Command(BaseCommand):
    help = "Load or update the implementation pathway template from trellis/pathway/data/pathway.yaml."

    def handle(self, *args, **options):
        counts = load_template()
        self.stdout.write(
            f"Pathway template: {counts['created']} created, {counts['updated']} updated, {counts['removed']} removed or retired."
        )
