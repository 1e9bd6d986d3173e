"""A cohort with decided reviews, built through the app's own actions, for the moderation tests (unit
and browser): two standards, a reviewer, two moderators, and supervisors who sign in to Trellis."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard
from trellis.portfolio import actions
from trellis.tenancy.tests.factories import MembershipFactory
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

REVIEWER_FEEDBACK = "Overall view from the reviewer: reflective and well evidenced."


@dataclass
class World:
    org: object
    admin: object
    reviewer: object
    moderator: object  # Mo Moderator
    other_moderator: object  # Max Moderator
    cohort: object
    standards: list
    portfolios: list = field(default_factory=list)
    counter: int = 0

    def supervisor(self, name):
        """A supervisor with a login, in the cohort, reviewed by the reviewer, with one item of evidence
        mapped to every standard. Returns their portfolio (a draft)."""
        self.counter += 1
        login = MembershipFactory(organisation=self.org, roles=["practice_supervisor"], user__full_name=name)
        person = workforce_actions.create_staff_record(
            actor=self.admin,
            career_stage=CareerStage.objects.get(organisation=self.org, name="Practice supervisor"),
            full_name=name,
            employee_ref=f"MW{self.counter:03d}",
            service="children",
            employment_type="permanent",
            start_date=datetime.date(2020, 1, 6),
            membership=login,
        )
        (portfolio,) = actions.add_supervisors(self.cohort, actor=self.admin, staff=[person])
        actions.assign_portfolio(portfolio, actor=self.admin, mentor=None, reviewer=self.reviewer)
        item = actions.create_evidence_item(
            actor=login,
            staff=person,
            title=f"Group supervision led by {name}",
            kind="reflective_account",
            occurred_on=timezone.localdate() - datetime.timedelta(days=30),
            reflection=f"{name} reflects on holding the group's anxiety.",
        )
        for standard in self.standards:
            actions.add_mapping(item, actor=login, standard=standard, how=f"Shows {standard.title.lower()}.")
        actions.add_to_portfolio(item, actor=login, portfolio=portfolio)
        self.portfolios.append(portfolio)
        return portfolio

    def decided(self, name, outcome="recommended", borderline=False, feedback=REVIEWER_FEEDBACK):
        """A supervisor whose portfolio was submitted and decided: recommended (every standard met) or
        returned (the first standard not yet met). Returns the review."""
        portfolio = self.supervisor(name)
        actions.submit(portfolio, actor=portfolio.staff.membership)
        decisions = {
            standard.pk: (
                outcome == "recommended" or index > 0,
                "" if outcome == "recommended" or index > 0 else f"The reviewer wants more on {standard.title}.",
            )
            for index, standard in enumerate(self.standards)
        }
        review = actions.decide_review(
            portfolio, actor=self.reviewer, outcome=outcome, decisions=decisions, feedback=feedback, borderline=borderline
        )
        portfolio.refresh_from_db()
        return review


def build_world(org, admin, *, share=20):
    workforce_actions.ensure_default_career_stages(org)
    framework = Framework.objects.create(key="ps-kss-mod", name="Practice supervisor KSS", short_name="PS KSS", service="any")
    version = FrameworkVersion.objects.create(framework=framework, label="2018")
    standards = [
        Standard.objects.create(version=version, number=str(position), title=title, position=position, is_checked=True)
        for position, title in ((1, "Effective use of power and authority"), (2, "Emotionally intelligent supervision"))
    ]
    in_use = FrameworkInUse.objects.create(organisation=org, version=version, service="any")
    reviewer = MembershipFactory(organisation=org, roles=["reviewer"], user__full_name="Rae Reviewer")
    moderator = MembershipFactory(organisation=org, roles=["moderator"], user__full_name="Mo Moderator")
    other = MembershipFactory(organisation=org, roles=["moderator"], user__full_name="Max Moderator")
    cohort = actions.create_cohort(
        actor=admin,
        name="Spring cohort",
        frameworks=[in_use],
        starts_on=timezone.localdate() - datetime.timedelta(days=200),
        expected_end_on=timezone.localdate() + datetime.timedelta(days=200),
        moderation_share=share,
    )
    actions.add_assessor(cohort, actor=admin, role="reviewer", person=reviewer)
    actions.add_assessor(cohort, actor=admin, role="moderator", person=moderator)
    actions.add_assessor(cohort, actor=admin, role="moderator", person=other)
    return World(
        org=org,
        admin=admin,
        reviewer=reviewer,
        moderator=moderator,
        other_moderator=other,
        cohort=cohort,
        standards=standards,
    )
