"""`manage.py open_pathway_feedback`: open the questionnaire about the pathway of every cohort that has
ended, for the worker's daily schedule.

Ending a cohort asks its supervisors and mentors for feedback; this catches a cohort whose end was
recorded without that (or dated ahead). Safe to run as often as you like: a questionnaire opens once.
"""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from trellis.portfolio.actions import open_questionnaires_of_ended_cohorts
from trellis.tenancy.models import Organisation


class Command(BaseCommand):
    help = "Open the feedback questionnaire of every cohort that has ended."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", metavar="SLUG", help="Only this organisation (its slug).")

    def handle(self, *args, **options):
        organisations = Organisation.objects.order_by("name")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        total = 0
        for organisation in organisations:
            with scope(organisation=organisation):
                opened = open_questionnaires_of_ended_cohorts(organisation)
            total += len(opened)
            if opened:
                names = ", ".join(questionnaire.cohort.name for questionnaire in opened)
                self.stdout.write(f"{organisation.name}: opened {len(opened)} ({names}).")
        self.stdout.write(f"Feedback on the pathway: opened {total}.")
