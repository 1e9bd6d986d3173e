"""`manage.py demo_logins`: how to sign in to the demo, read from the database so it stays true."""

from collections import defaultdict
from urllib.parse import urljoin

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse
from django_scopes import scopes_disabled

from trellis.tenancy.models import Membership, Role

from .load_demo import DEMO_PASSWORD, demo_slugs


def _seniority(membership):
    """Admins first, then the order of Role, so the account a newcomer wants is at the top."""
    return (min(Role.values.index(role) for role in membership.roles), membership.user.full_name)


def demo_memberships():
    with scopes_disabled():
        return list(
            Membership.objects.select_related("organisation", "user", "home_organisation").filter(
                organisation__slug__in=demo_slugs(), is_active=True, user__is_active=True
            )
        )


class Command(BaseCommand):
    help = "Print the demo accounts, their organisations and roles, and the demo password."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=settings.SITE_URL, help="Where Trellis is running, e.g. http://localhost:8000/")

    def handle(self, *args, url, **options):
        memberships = demo_memberships()
        if not memberships:
            self.stdout.write("No demo organisations are loaded. Run `manage.py load_demo` first.")
            return
        by_organisation = defaultdict(list)
        for membership in memberships:
            by_organisation[membership.organisation].append(membership)
        width = max(len(m.user.email) for m in memberships)

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Trellis demo: {url}"))
        self.stdout.write(f"Sign in as anyone below. The password for every account is {self.style.SUCCESS(DEMO_PASSWORD)}")
        for organisation in sorted(by_organisation, key=lambda org: org.name):
            self.stdout.write("")
            home = urljoin(url, reverse("tenancy:organisation-home", kwargs={"org_slug": organisation.slug}))
            self.stdout.write(self.style.MIGRATE_HEADING(organisation.name) + f"  {home}")
            for membership in sorted(by_organisation[organisation], key=_seniority):
                guest = f" (guest from {membership.home_organisation.name})" if membership.is_guest else ""
                self.stdout.write(f"  {membership.user.email:<{width}}  {', '.join(membership.role_labels)}{guest}")
        self._write_shared(memberships)
        self.stdout.write("")

    def _write_shared(self, memberships):
        """People in several organisations are where the organisation switcher shows."""
        organisations = defaultdict(set)
        for membership in memberships:
            organisations[membership.user.email].add(membership.organisation_id)
        shared = sorted(email for email, names in organisations.items() if len(names) > 1)
        if shared:
            self.stdout.write("")
            self.stdout.write("In more than one organisation, so they see the organisation switcher:")
            for email in shared:
                self.stdout.write(f"  {email}")
