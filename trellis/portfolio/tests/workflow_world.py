"""A cohort for the workflow tests (unit and browser), built through the app's own actions: a framework
with two standards (the first with a statement), a supervisor who signs in ("Pia") with a mentor and a
reviewer, and evidence in her portfolio mapped to both standards."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard, Statement
from trellis.portfolio import actions
from trellis.tenancy.tests.factories import MembershipFactory
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

REFLECTION = "I held the group's anxiety about a complex case and helped them think."


@dataclass
class World:
    org: object
    admin: object
    mentor: object  # Maya Mentor's membership
    reviewer: object  # Rae Reviewer's membership
    other_reviewer: object  # Ray Other, a reviewer of the cohort not assigned to Pia
    moderator: object
    cohort: object
    standards: list
    statement: object
    pia: object = None  # Pia's membership
    portfolio: object = None
    items: list = field(default_factory=list)
    counter: int = 0

    def supervisor(self, name, *, mentor=None, reviewer=None, login=True, items=1, email=None):
        """A supervisor in the cohort with `items` pieces of evidence in their draft portfolio."""
        self.counter += 1
        membership = None
        if login:
            extra = {"user__email": email} if email else {}
            membership = MembershipFactory(organisation=self.org, roles=["practice_supervisor"], user__full_name=name, **extra)
        person = workforce_actions.create_staff_record(
            actor=self.admin,
            career_stage=CareerStage.objects.get(organisation=self.org, name="Practice supervisor"),
            full_name=name,
            employee_ref=f"WF{self.counter:03d}",
            service="children",
            employment_type="permanent",
            start_date=datetime.date(2020, 1, 6),
            membership=membership,
        )
        (portfolio,) = actions.add_supervisors(self.cohort, actor=self.admin, staff=[person])
        portfolio = actions.assign_portfolio(portfolio, actor=self.admin, mentor=mentor, reviewer=reviewer)
        keeper = membership or self.admin
        made = []
        for number in range(1, items + 1):
            item = actions.create_evidence_item(
                actor=keeper,
                staff=person,
                title=f"Group supervision {number} led by {name}",
                kind="reflective_account",
                occurred_on=timezone.localdate() - datetime.timedelta(days=30 + number),
                reflection=REFLECTION,
            )
            actions.add_mapping(item, actor=keeper, standard=self.standards[0], statement=self.statement, how="Held anxiety.")
            actions.add_mapping(item, actor=keeper, standard=self.standards[1], how="Stayed curious.")
            actions.add_to_portfolio(item, actor=keeper, portfolio=portfolio)
            made.append(item)
        portfolio.refresh_from_db()
        return membership, portfolio, made

    def all_met(self):
        return {s.pk: (True, "") for s in self.standards}

    def first_not_met(self, feedback="Add an observation of your supervision."):
        return {s.pk: (index > 0, feedback if index == 0 else "") for index, s in enumerate(self.standards)}


def build_world(org, admin):
    workforce_actions.ensure_default_career_stages(org)
    framework = Framework.objects.create(key="ps-kss-wf", name="Practice supervisor KSS", short_name="PS KSS", service="any")
    version = FrameworkVersion.objects.create(framework=framework, label="2018")
    standards = [
        Standard.objects.create(version=version, number=str(position), title=title, position=position, is_checked=True)
        for position, title in ((1, "Effective use of power and authority"), (2, "Emotionally intelligent supervision"))
    ]
    statement = Statement.objects.create(
        standard=standards[0], number="1.1", text="Helps supervisees hold anxiety.", position=1, is_checked=True
    )
    in_use = FrameworkInUse.objects.create(organisation=org, version=version, service="any")
    mentor = MembershipFactory(
        organisation=org, roles=["mentor"], user__full_name="Maya Mentor", user__email="maya@northshire.gov.uk"
    )
    reviewer = MembershipFactory(
        organisation=org, roles=["reviewer"], user__full_name="Rae Reviewer", user__email="rae@northshire.gov.uk"
    )
    other_reviewer = MembershipFactory(organisation=org, roles=["reviewer"], user__full_name="Ray Other")
    moderator = MembershipFactory(organisation=org, roles=["moderator"], user__full_name="Mo Moderator")
    cohort = actions.create_cohort(
        actor=admin,
        name="Spring cohort",
        frameworks=[in_use],
        starts_on=timezone.localdate() - datetime.timedelta(days=200),
        expected_end_on=timezone.localdate() + datetime.timedelta(days=200),
    )
    for role, person in (("reviewer", reviewer), ("reviewer", other_reviewer), ("moderator", moderator)):
        actions.add_assessor(cohort, actor=admin, role=role, person=person)
    world = World(
        org=org,
        admin=admin,
        mentor=mentor,
        reviewer=reviewer,
        other_reviewer=other_reviewer,
        moderator=moderator,
        cohort=cohort,
        standards=standards,
        statement=statement,
    )
    world.pia, world.portfolio, world.items = world.supervisor(
        "Pia Portfolio", mentor=mentor, reviewer=reviewer, items=2, email="pia@northshire.gov.uk"
    )
    return world
