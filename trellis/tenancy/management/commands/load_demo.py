"""`manage.py load_demo`: two fictional organisations, their people, and a pathway under way.

So that someone who runs `make run` signs in to a living pathway rather than an empty one. Each
organisation is loaded whole or not at all, and skipped when its slug already exists, so running the
command again changes nothing (and never touches what people have since done in the demo).
"""

import re
from dataclasses import dataclass

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scope

from trellis.accounts.models import User
from trellis.assessment import demo as assessment_demo
from trellis.development import demo as development_demo
from trellis.frameworks import demo as frameworks_demo
from trellis.induction import demo as induction_demo
from trellis.insights import demo as insights_demo
from trellis.learning import demo as learning_demo
from trellis.mentoring import demo as mentoring_demo
from trellis.pathway import demo as pathway_demo
from trellis.pathway.template_loader import load_template
from trellis.portfolio import demo as portfolio_demo
from trellis.supervision import demo as supervision_demo
from trellis.talent import demo as talent_demo
from trellis.tenancy.actions import add_member
from trellis.tenancy.models import Organisation, Role
from trellis.workforce import demo as workforce_demo

# One password for every demo account, printed by `manage.py demo_logins`. It is public (it is in
# this file), which is why the demo is for local set-ups and never for a real deployment.
DEMO_PASSWORD = "trellis-demo-2026"  # noqa: S105


@dataclass(frozen=True)
class Person:
    full_name: str
    email: str

    @property
    def key(self):
        """How the pathway's demo content refers to this person: their first name, lower case."""
        return self.full_name.split()[0].lower()


def person(full_name, domain):
    """firstname.lastname@domain, with apostrophes and hyphens dropped as most email systems do."""
    local = ".".join(re.sub(r"[^a-z]", "", part.lower()) for part in full_name.split())
    return Person(full_name, f"{local}@{domain}")


@dataclass(frozen=True)
class Member:
    person: Person
    job_title: str
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    slug: str
    kind: Organisation.Kind
    services: Organisation.Services
    region: Organisation.Region
    members: tuple[Member, ...]


# Belongs to both organisations, so the demo shows the organisation switcher.
RUTH = person("Ruth Adeyemi", "pqsnetwork.example")

DEMO_ORGANISATIONS = (
    DemoOrganisation(
        name="Northshire County Council",
        slug="northshire",
        kind=Organisation.Kind.LOCAL_AUTHORITY,
        services=Organisation.Services.ADULTS,
        region=Organisation.Region.NORTH_WEST,
        members=(
            Member(
                person("Helen Marsden", "northshire.example"),
                "Principal Social Worker",
                (Role.ORG_ADMIN, Role.MENTOR, Role.MODERATOR),
            ),
            Member(
                person("Fiona Gallagher", "northshire.example"), "Workforce Development Manager", (Role.ORG_ADMIN, Role.REVIEWER)
            ),
            Member(person("David Okonkwo", "northshire.example"), "Head of Adult Social Care", (Role.SENIOR_LEADER,)),
            Member(
                person("Margaret Lloyd", "northshire.example"),
                "Service Manager, Locality Teams",
                (Role.SENIOR_LEADER, Role.MENTOR),
            ),
            Member(
                person("James Whitfield", "northshire.example"),
                "Team Manager, Hospital Discharge Team",
                (Role.PRACTICE_SUPERVISOR,),
            ),
            Member(
                person("Aisha Rahman", "northshire.example"),
                "Senior Practitioner, Learning Disability Team",
                (Role.PRACTICE_SUPERVISOR, Role.MENTOR),
            ),
            Member(
                person("Tom Brennan", "northshire.example"),
                "Deputy Team Manager, Community Mental Health",
                (Role.PRACTICE_SUPERVISOR,),
            ),
            Member(person("Gareth Price", "northshire.example"), "Advanced Practitioner", (Role.REVIEWER,)),
            Member(person("Chloe Bennett", "northshire.example"), "Social Worker, Community Team West", (Role.PRACTITIONER,)),
            Member(person("Sanjay Patel", "northshire.example"), "Social Worker (ASYE)", (Role.PRACTITIONER,)),
            Member(RUTH, "PQS Network Coordinator", (Role.MODERATOR, Role.NETWORK_COORDINATOR)),
        ),
    ),
    DemoOrganisation(
        name="Riverside Children's Trust",
        slug="riverside",
        kind=Organisation.Kind.TRUST,
        services=Organisation.Services.CHILDREN,
        region=Organisation.Region.SOUTH_WEST,
        members=(
            Member(person("Olivia Hargreaves", "riverside.example"), "Principal Social Worker", (Role.ORG_ADMIN, Role.MODERATOR)),
            Member(person("Bethan Evans", "riverside.example"), "Learning and Development Lead", (Role.ORG_ADMIN, Role.REVIEWER)),
            Member(person("Marcus Thompson", "riverside.example"), "Director of Practice", (Role.SENIOR_LEADER,)),
            Member(
                person("Priya Sharma", "riverside.example"), "Head of Service, Family Help", (Role.SENIOR_LEADER, Role.MENTOR)
            ),
            Member(person("Kwame Mensah", "riverside.example"), "Team Manager, Assessment Team", (Role.PRACTICE_SUPERVISOR,)),
            Member(
                person("Lucy Fraser", "riverside.example"), "Practice Supervisor, Children in Care", (Role.PRACTICE_SUPERVISOR,)
            ),
            Member(person("Niamh O'Connor", "riverside.example"), "Consultant Social Worker", (Role.MENTOR, Role.REVIEWER)),
            Member(person("Ellie Robinson", "riverside.example"), "Social Worker, Family Help", (Role.PRACTITIONER,)),
            Member(person("Jordan Ellis", "riverside.example"), "Social Worker, Children in Care", (Role.PRACTITIONER,)),
            Member(RUTH, "External Moderator, PQS Network", (Role.MODERATOR, Role.NETWORK_COORDINATOR)),
        ),
    ),
)


def demo_slugs():
    return [spec.slug for spec in DEMO_ORGANISATIONS]


def _user(who):
    # Someone in both organisations is created with the first and found with the second.
    return User.objects.filter(email=who.email).first() or User.objects.create_user(
        who.email, DEMO_PASSWORD, full_name=who.full_name
    )


def _members(organisation, spec):
    members = {}
    for member in spec.members:
        if member.person.key in members:
            raise ValueError(f"Two demo members of {spec.slug} are known as {member.person.key!r}")
        members[member.person.key] = add_member(
            organisation=organisation, user=_user(member.person), roles=list(member.roles), job_title=member.job_title
        )
    return members


@transaction.atomic
def load_organisation(spec):
    """Create one demo organisation with everything in it. Atomic, so a failure cannot leave an
    organisation that later runs would skip as already loaded."""
    organisation = Organisation.objects.create(
        name=spec.name, slug=spec.slug, kind=spec.kind, services=spec.services, region=spec.region
    )
    members = _members(organisation, spec)
    admin = next(m for m in members.values() if m.has_role(Role.ORG_ADMIN))
    with scope(organisation=organisation):
        summary = pathway_demo.load(organisation, members)
        summary.update(workforce_demo.load(organisation, admin, service=spec.services, members=members))
        summary.update(talent_demo.load(organisation, admin))
        # A supervisor's development (issue 5): the standards first, then what is recorded against them;
        # the development plan last, as it is agreed by mentors and reads the other records.
        for development_part in (frameworks_demo, learning_demo, mentoring_demo, supervision_demo, induction_demo):
            summary.update(development_part.load(organisation, members))
        summary.update(assessment_demo.load(organisation, members))
        summary.update(development_demo.load(organisation, members))
        # Cohorts and portfolios (issue 6) are made of the development records above.
        summary.update(portfolio_demo.load(organisation, members))
        summary.update(insights_demo.load(organisation, members))
    return len(members), summary


class Command(BaseCommand):
    help = "Load the fictional demo organisations, their people and pathway work. Safe to run again."

    def handle(self, *args, **options):
        load_template()
        for spec in DEMO_ORGANISATIONS:
            if Organisation.objects.filter(slug=spec.slug).exists():
                self.stdout.write(f"{spec.name}: already loaded, left as it is.")
                continue
            people, summary = load_organisation(spec)
            details = ", ".join(f"{count} {name}" for name, count in summary.items())
            self.stdout.write(self.style.SUCCESS(f"{spec.name}: loaded {people} people, {details}."))
        # Across organisations, so once both are there: a network that lends a reviewer (ADR 0014).
        network = portfolio_demo.load_network()
        if network:
            self.stdout.write(self.style.SUCCESS(network))
        self.stdout.write("Run `manage.py demo_logins` to see how to sign in.")
