"""`manage.py network`: the organisations that lend each other portfolio reviewers and moderators.

Networks are set up by the people who run Trellis, not by an organisation (ADR 0014):

    manage.py network add "North Teaching Partnership" northshire southvale
    manage.py network list
    manage.py network remove-org "North Teaching Partnership" southvale

Taking an organisation out of a network ends the guest memberships lent through that network between
it and the others (unless another network still joins the two), so nobody keeps seeing portfolios
through a partnership that has ended.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.text import slugify
from django_scopes import scopes_disabled

from trellis.audit.actions import record_event
from trellis.tenancy.actions import shared_network
from trellis.tenancy.models import Membership, Network, Organisation


def _organisations(slugs):
    found = {org.slug: org for org in Organisation.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise CommandError(f"No organisation with the slug {', '.join(unknown)}. Nothing was changed.")
    return [found[slug] for slug in dict.fromkeys(slugs)]


def _network(name):
    network = Network.objects.filter(Q(name=name) | Q(slug=name)).first()
    if network is None:
        raise CommandError(f"No network called {name!r}. `manage.py network list` shows them.")
    return network


class Command(BaseCommand):
    help = "Set up networks of organisations that share portfolio reviewers and moderators."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        add = commands.add_parser("add", help="Add organisations to a network, making the network if it is new.")
        add.add_argument("name", help="The network's name (or the slug of one that exists), e.g. 'North Teaching Partnership'.")
        add.add_argument("slugs", nargs="+", help="The organisations' slugs (as in /o/<slug>/).")
        commands.add_parser("list", help="List the networks and their organisations.")
        remove = commands.add_parser("remove-org", help="Take organisations out of a network, ending guests lent through it.")
        remove.add_argument("name", help="The network's name or slug.")
        remove.add_argument("slugs", nargs="+", help="The organisations' slugs.")

    def handle(self, *args, command, **options):
        with scopes_disabled():
            if command == "add":
                self.add(options["name"], options["slugs"])
            elif command == "list":
                self.list_networks()
            else:
                self.remove(options["name"], options["slugs"])

    @transaction.atomic
    def add(self, name, slugs):
        organisations = _organisations(slugs)
        network = Network.objects.filter(Q(name=name) | Q(slug=name)).first()
        if network is None:
            slug = slugify(name)[:60]
            if not slug or Network.objects.filter(slug=slug).exists():
                raise CommandError(f"Choose another name: {name!r} gives the slug {slug!r}, which is empty or taken.")
            network = Network.objects.create(name=name, slug=slug)
            self.stdout.write(f"Made the network {network.name}.")
        already = set(network.organisations.values_list("pk", flat=True))
        for organisation in organisations:
            if organisation.pk in already:
                self.stdout.write(f"{organisation.name} is already in {network.name}.")
                continue
            network.organisations.add(organisation)
            record_event(
                actor=None,
                verb="joined network",
                target=network,
                organisation=organisation,
                changes={"network": [None, network.name]},
            )
            self.stdout.write(self.style.SUCCESS(f"Added {organisation.name} to {network.name}."))

    def list_networks(self):
        networks = Network.objects.prefetch_related("organisations").annotate(
            guests=Count("guest_memberships", filter=Q(guest_memberships__is_active=True))
        )
        if not networks:
            self.stdout.write('No networks yet. Make one with `manage.py network add "Name" slug1 slug2`.')
            return
        for network in networks:
            self.stdout.write(self.style.MIGRATE_HEADING(f"{network.name} ({network.slug})"))
            for organisation in network.organisations.all():
                self.stdout.write(f"  {organisation.name} ({organisation.slug})")
            if not network.organisations.all():
                self.stdout.write("  No organisations.")
            self.stdout.write(f"  Guests lent through it now: {network.guests}")

    @transaction.atomic
    def remove(self, name, slugs):
        network = _network(name)
        organisations = _organisations(slugs)
        members = set(network.organisations.values_list("pk", flat=True))
        for organisation in organisations:
            if organisation.pk not in members:
                self.stdout.write(f"{organisation.name} is not in {network.name}.")
                continue
            network.organisations.remove(organisation)
            guests = Membership.objects.select_related("user", "organisation").filter(
                Q(organisation=organisation) | Q(home_organisation=organisation), guest_of_network=network, is_active=True
            )
            ended = 0
            for guest in guests:
                other = shared_network(guest.organisation, guest.home_organisation)
                if other is not None:
                    guest.guest_of_network = other
                    guest.save(update_fields=["guest_of_network"])
                    record_event(
                        actor=None,
                        verb="moved guest to another network",
                        target=guest,
                        organisation=guest.organisation,
                        changes={"network": [network.name, other.name]},
                    )
                    continue
                guest.is_active = False
                guest.save(update_fields=["is_active"])
                record_event(
                    actor=None,
                    verb="ended guest membership",
                    target=guest,
                    organisation=guest.organisation,
                    changes={"active": [True, False], "reason": f"{organisation.name} left {network.name}"},
                )
                ended += 1
            record_event(
                actor=None,
                verb="left network",
                target=network,
                organisation=organisation,
                changes={"network": [network.name, None]},
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Took {organisation.name} out of {network.name}; ended {ended} guest membership{'s' if ended != 1 else ''}."
                )
            )
