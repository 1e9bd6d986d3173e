"""`manage.py open_first_years`: bring every organisation's first 12 months up to date with its
workforce register, for the worker's daily schedule.

Pages do the same for what they show (the list, a person's panel), so this matters for people nobody
has looked at: it opens a first 12 months for a supervisor whose spell began in the last year, and
closes the ones that have finished. Safe to run as often as you like.
"""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from trellis.induction.actions import bring_up_to_date
from trellis.tenancy.models import Organisation


class Command(BaseCommand):
    help = "Open a first 12 months for new practice supervisors in the workforce register, and close finished ones."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", metavar="SLUG", help="Only this organisation (its slug).")

    def handle(self, *args, **options):
        organisations = Organisation.objects.order_by("name")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        total_opened = total_closed = 0
        for organisation in organisations:
            with scope(organisation=organisation):
                opened, closed = bring_up_to_date(organisation)
            total_opened += len(opened)
            total_closed += len(closed)
            if opened or closed:
                self.stdout.write(f"{organisation.name}: opened {len(opened)}, closed {len(closed)}.")
        self.stdout.write(f"First 12 months: opened {total_opened}, closed {total_closed}.")
