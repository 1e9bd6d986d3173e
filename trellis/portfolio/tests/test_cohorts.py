"""Cohorts: creating them, choosing supervisors from the register, mentors, reviewers and moderators
(including network guests, ADR 0014), the cohort page, and the pathway outcome that can point at one."""

import ast
import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard
from trellis.mentoring import actions as mentoring_actions
from trellis.pathway.models import Outcome, OutcomeProgress
from trellis.portfolio import actions, queries
from trellis.portfolio.models import (
    Assessor,
    Cohort,
    Comment,
    EvidenceItem,
    EvidenceMapping,
    Moderation,
    Portfolio,
    PortfolioItem,
    Review,
    Submission,
)
from trellis.tenancy import policy
from trellis.tenancy.models import Membership, Network
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

D = datetime.date
TODAY = D(2026, 11, 24)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 0))


def url(name, *args):
    return reverse(f"portfolio:{name}", args=["northshire", *args])


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@pytest.fixture
def frameworks(org):
    """Two frameworks in force: a children's one with two standards and an adults' one with one."""

    def framework(key, short, service, titles):
        fw = Framework.objects.create(key=key, name=f"{short} framework", short_name=short, service=service)
        version = FrameworkVersion.objects.create(framework=fw, label="2018")
        standards = [
            Standard.objects.create(version=version, number=str(i), title=title, position=i, is_checked=True)
            for i, title in enumerate(titles, start=1)
        ]
        return FrameworkInUse.objects.create(organisation=org, version=version, service=service), standards

    children, children_standards = framework("ps-kss", "PS KSS", "children", ["Use of power", "Emotional intelligence"])
    adults, adult_standards = framework("adult-pqs", "Adult PQS", "adults", ["Relationship-based supervision"])
    return {"children": children, "adults": adults, "standards": children_standards + adult_standards}


@pytest.fixture
def stages(org):
    workforce_actions.ensure_default_career_stages(org)
    return {s.name: s for s in CareerStage.objects.filter(organisation=org)}


@pytest.fixture
def person(admin, stages):
    """person("Name", stage="Practice supervisor", login=membership, **fields) -> a staff record."""
    counter = iter(range(1, 10_000))

    def make(full_name, stage="Practice supervisor", login=None, **fields):
        fields.setdefault("employee_ref", f"P{next(counter):04d}")
        fields.setdefault("service", "children")
        fields.setdefault("employment_type", "permanent")
        fields.setdefault("start_date", D(2018, 4, 1))
        return workforce_actions.create_staff_record(
            actor=admin, full_name=full_name, career_stage=stages[stage], membership=login, **fields
        )

    return make


@pytest.fixture
def cohort(admin, frameworks):
    return actions.create_cohort(
        actor=admin,
        name="Cohort 1",
        frameworks=[frameworks["children"], frameworks["adults"]],
        starts_on=D(2026, 9, 1),
        expected_end_on=D(2027, 7, 31),
    )


@pytest.fixture
def network(org, other_org):
    partnership = Network.objects.create(name="North Teaching Partnership", slug="north")
    partnership.organisations.add(org, other_org)
    return partnership


def evidence(portfolio, title, *standards):
    """An evidence item in the portfolio, mapped to each standard."""
    item = EvidenceItem.objects.create(
        organisation=portfolio.organisation, staff=portfolio.staff, title=title, kind="reflective_account", occurred_on=TODAY
    )
    PortfolioItem.objects.create(organisation=portfolio.organisation, portfolio=portfolio, item=item)
    for standard in standards:
        EvidenceMapping.objects.create(organisation=portfolio.organisation, item=item, standard=standard, how="It shows it.")
    return item


def set_state(portfolio, state, **fields):
    Portfolio.objects.filter(pk=portfolio.pk).update(state=state, **fields)
    portfolio.refresh_from_db()
    return portfolio


def decided_review(portfolio, outcome, number=1, reviewer=None):
    submission = Submission.objects.create(organisation=portfolio.organisation, portfolio=portfolio, number=number)
    return Review.objects.create(
        organisation=portfolio.organisation,
        submission=submission,
        reviewer=reviewer,
        outcome=outcome,
        decided_at=timezone.now() - datetime.timedelta(days=10 - number),
    )


# --- Creating, changing and ending a cohort ------------------------------------------------------------


def test_an_admin_creates_a_cohort_against_frameworks_in_force(admin, frameworks):
    cohort = actions.create_cohort(
        actor=admin,
        name="  Cohort 1 ",
        description="Our first supervisors.",
        frameworks=[frameworks["children"]],
        starts_on=D(2026, 9, 1),
        expected_end_on=D(2027, 7, 31),
    )
    assert (cohort.name, cohort.moderation_share, cohort.created_by) == ("Cohort 1", 20, admin)
    assert list(cohort.frameworks.all()) == [frameworks["children"]]
    event = AuditEvent.objects.get(verb="created cohort")
    assert event.changes["frameworks"] == [None, ["PS KSS (2018)"]] and event.changes["name"] == [None, "Cohort 1"]


def test_a_cohort_explains_each_mistake(admin, frameworks, cohort, other_org):
    stranger = FrameworkInUse.objects.create(organisation=other_org, version=frameworks["children"].version, service="any")
    with pytest.raises(ValidationError) as refused:
        actions.create_cohort(
            actor=admin,
            name="cohort 1",
            frameworks=[],
            starts_on=D(2026, 9, 1),
            expected_end_on=D(2026, 8, 31),
            moderation_share=101,
        )
    errors = refused.value.message_dict
    assert errors["name"] == ["There is already a cohort called cohort 1. Give this one another name"]
    assert errors["frameworks"] == ["Select at least one framework"]
    assert errors["expected_end_on"] == ["Expected end date must be the same as or after the start date, 1 September 2026"]
    assert "moderation_share" in errors
    with pytest.raises(ValidationError) as refused:
        actions.create_cohort(
            actor=admin, name="Other", frameworks=[stranger], starts_on=D(2026, 9, 1), expected_end_on=D(2026, 9, 1)
        )
    assert refused.value.message_dict == {"frameworks": ["Select frameworks your organisation has in force"]}


def test_only_admins_run_cohorts(leader, member_with, frameworks, cohort):
    for member in (leader, member_with("moderator")):
        with pytest.raises(PermissionDenied):
            actions.create_cohort(
                actor=member, name="X", frameworks=[frameworks["children"]], starts_on=TODAY, expected_end_on=TODAY
            )
        with pytest.raises(PermissionDenied):
            actions.end_cohort(cohort, actor=member, ended_on=TODAY)


def test_changing_a_cohort_is_audited_and_a_stale_change_is_refused(admin, member_with, cohort, frameworks):
    other_admin = member_with("org_admin")
    actions.update_cohort(cohort, actor=other_admin, expected_version=1, name="Cohort one", moderation_share=25)
    cohort.refresh_from_db()
    assert (cohort.name, cohort.moderation_share, cohort.version) == ("Cohort one", 25, 2)
    event = AuditEvent.objects.get(verb="updated cohort")
    assert event.changes == {"name": ["Cohort 1", "Cohort one"], "moderation_share": [20, 25]}
    with pytest.raises(StaleEdit) as stale:
        actions.update_cohort(cohort, actor=admin, expected_version=1, name="Mine")
    assert ("Name", "Cohort 1", "Cohort one") in stale.value.changes


def test_frameworks_are_fixed_once_a_portfolio_is_submitted(admin, cohort, frameworks, person):
    actions.update_cohort(cohort, actor=admin, frameworks=[frameworks["children"]])
    assert list(cohort.frameworks.all()) == [frameworks["children"]]
    (portfolio,) = actions.add_supervisors(cohort, actor=admin, staff=[person("Aisha Rahman")])
    Submission.objects.create(organisation=cohort.organisation, portfolio=portfolio, number=1)
    with pytest.raises(ValidationError) as refused:
        actions.update_cohort(cohort, actor=admin, frameworks=[frameworks["children"], frameworks["adults"]])
    assert "frameworks cannot change now" in refused.value.message_dict["frameworks"][0]
    actions.update_cohort(cohort, actor=admin, frameworks=[frameworks["children"]], description="Still fine.")


def test_ending_and_reopening_a_cohort(admin, cohort):
    with pytest.raises(ValidationError) as refused:
        actions.end_cohort(cohort, actor=admin, ended_on=TODAY + datetime.timedelta(days=1))
    assert refused.value.message_dict == {"ended_on": ["End date must be today or in the past"]}
    with pytest.raises(ValidationError) as refused:
        actions.end_cohort(cohort, actor=admin, ended_on=D(2026, 8, 31))
    assert refused.value.message_dict == {"ended_on": ["End date must be on or after the start date, 1 September 2026"]}
    actions.end_cohort(cohort, actor=admin, ended_on=D(2026, 11, 20))
    cohort.refresh_from_db()
    assert cohort.ended_on == D(2026, 11, 20)
    with pytest.raises(ValidationError):
        actions.end_cohort(cohort, actor=admin, ended_on=TODAY)
    actions.reopen_cohort(cohort, actor=admin)
    cohort.refresh_from_db()
    assert cohort.ended_on is None
    assert list(AuditEvent.objects.filter(target_id=str(cohort.pk)).values_list("verb", flat=True).order_by("at")) == [
        "created cohort",
        "ended cohort",
        "reopened cohort",
    ]


# --- Supervisors from the register ----------------------------------------------------------------------


def test_supervisors_join_with_their_mentor_from_mentoring(admin, cohort, person, member_with):
    maya_login = member_with("mentor", user__full_name="Maya Mentor")
    maya = person("Maya Mentor", stage="Team manager", login=maya_login)
    aisha, ben = person("Aisha Rahman"), person("Ben Brown")
    mentoring_actions.add_mentor(actor=admin, staff=maya, capacity=2)
    mentoring_actions.match_mentor(actor=admin, mentor=maya, mentee=aisha, kind="mentoring", goals="x", started_on=D(2026, 6, 1))
    added = actions.add_supervisors(cohort, actor=admin, staff=[aisha, ben])
    assert {(p.staff, p.mentor, p.state) for p in added} == {(aisha, maya_login, "draft"), (ben, None, "draft")}
    assert AuditEvent.objects.filter(verb="added to cohort").count() == 2


def test_adding_supervisors_is_all_or_nothing_with_clear_refusals(admin, cohort, person, other_org, member_with):
    aisha, ben, cara = person("Aisha Rahman"), person("Ben Brown"), person("Cara Cole")
    actions.add_supervisors(cohort, actor=admin, staff=[aisha])
    with pytest.raises(ValidationError) as refused:
        actions.add_supervisors(cohort, actor=admin, staff=[ben, aisha])
    assert refused.value.message_dict == {"staff": ["Aisha Rahman is already in this cohort"]}
    assert not Portfolio.objects.filter(staff=ben).exists()
    workforce_actions.record_leaving(cara, actor=admin, leaving_date=D(2026, 10, 31), leaving_reason="resigned")
    cara.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        actions.add_supervisors(cohort, actor=admin, staff=[ben, cara])
    assert refused.value.message_dict == {"staff": ["Cara Cole has left, so cannot join a cohort"]}
    with pytest.raises(ValidationError) as refused:
        actions.add_supervisors(cohort, actor=admin, staff=[])
    assert refused.value.message_dict == {"staff": ["Select at least one supervisor to add"]}
    actions.end_cohort(cohort, actor=admin, ended_on=TODAY)
    with pytest.raises(ValidationError) as refused:
        actions.add_supervisors(cohort, actor=admin, staff=[ben])
    assert "ended on 24 November 2026. Reopen it" in refused.value.message_dict["staff"][0]


def test_only_an_empty_draft_portfolio_can_be_taken_out(admin, cohort, person, frameworks):
    aisha, ben, cara = person("Aisha Rahman"), person("Ben Brown"), person("Cara Cole")
    empty, with_item, shared = actions.add_supervisors(cohort, actor=admin, staff=[aisha, ben, cara])
    evidence(with_item, "Group supervision")
    set_state(shared, "with_mentor")
    actions.remove_supervisor(empty, actor=admin)
    assert not Portfolio.objects.filter(pk=empty.pk).exists()
    assert AuditEvent.objects.filter(verb="removed from cohort", target_id=str(empty.pk)).exists()
    with pytest.raises(ValidationError) as refused:
        actions.remove_supervisor(with_item, actor=admin)
    assert "Ben Brown has put evidence in their portfolio" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        actions.remove_supervisor(shared, actor=admin)
    assert "shared with mentor" in refused.value.messages[0]


def test_a_commented_or_once_submitted_draft_stays(admin, cohort, person, member_with):
    commented, submitted = actions.add_supervisors(cohort, actor=admin, staff=[person("Aisha Rahman"), person("Ben Brown")])
    Comment.objects.create(organisation=cohort.organisation, portfolio=commented, body="Good start.")
    Submission.objects.create(organisation=cohort.organisation, portfolio=submitted, number=1)
    assert "mentor has commented" in queries.supervisor_removal_blocker(commented)
    assert "submitted for review before" in queries.supervisor_removal_blocker(submitted)


def test_the_register_lists_current_supervisors_with_filters(admin, cohort, person, stages, member_with):
    team = workforce_actions.create_team(actor=admin, name="Assessment North", service="children")
    aisha = person("Aisha Rahman", team=team)
    person("Tom Manager", stage="Team manager")
    person("Sam Social Worker", stage="Social worker")
    leaver = person("Lee Leaver")
    workforce_actions.record_leaving(leaver, actor=admin, leaving_date=D(2026, 10, 1), leaving_reason="resigned")
    actions.add_supervisors(cohort, actor=admin, staff=[aisha])
    rows = {p.full_name: p for p in queries.supervisory_staff(admin, cohort)}
    assert set(rows) == {"Aisha Rahman", "Tom Manager"}
    assert rows["Aisha Rahman"].in_cohort and not rows["Tom Manager"].in_cohort
    assert [p.full_name for p in queries.supervisory_staff(admin, cohort, team=str(team.pk))] == ["Aisha Rahman"]
    stage = str(stages["Team manager"].pk)
    assert [p.full_name for p in queries.supervisory_staff(admin, cohort, stage=stage)] == ["Tom Manager"]


# --- Mentors and reviewers of each portfolio ------------------------------------------------------------


@pytest.fixture
def team(admin, cohort, person, member_with):
    """Aisha (with a login) in the cohort; Maya, a mentor; Rae, a reviewer of the cohort; Sam, any member."""
    aisha_login = member_with("practice_supervisor", user__full_name="Aisha Rahman")
    (portfolio,) = actions.add_supervisors(cohort, actor=admin, staff=[person("Aisha Rahman", login=aisha_login)])
    rae = member_with("reviewer", "mentor", user__full_name="Rae Reviewer")
    actions.add_assessor(cohort, actor=admin, role="reviewer", person=rae)
    return {
        "portfolio": portfolio,
        "aisha": aisha_login,
        "maya": member_with("mentor", user__full_name="Maya Mentor"),
        "rae": rae,
        "sam": member_with("senior_leader", user__full_name="Sam Senior"),
    }


def test_an_admin_chooses_a_mentor_and_a_reviewer(admin, team):
    portfolio = actions.assign_portfolio(
        team["portfolio"], actor=admin, mentor=team["sam"], reviewer=team["rae"], expected_version=1
    )
    assert (portfolio.mentor, portfolio.reviewer, portfolio.version) == (team["sam"], team["rae"], 2)
    event = AuditEvent.objects.get(verb="chose mentor and reviewer")
    assert event.changes == {"mentor": [None, "Sam Senior"], "reviewer": [None, "Rae Reviewer"]}
    with pytest.raises(StaleEdit):
        actions.assign_portfolio(portfolio, actor=admin, mentor=team["maya"], reviewer=team["rae"], expected_version=1)


def test_who_may_mentor_and_review_a_portfolio(admin, team, member_with, other_org, network):
    portfolio, aisha, rae, maya = team["portfolio"], team["aisha"], team["rae"], team["maya"]

    def refused(**choice):
        with pytest.raises(ValidationError) as error:
            actions.assign_portfolio(portfolio, actor=admin, **{"mentor": None, "reviewer": None, **choice})
        return error.value.message_dict

    assert refused(mentor=aisha) == {"mentor": ["Aisha Rahman cannot mentor their own portfolio. Choose someone else"]}
    assert refused(reviewer=maya) == {
        "reviewer": ["Choose one of this cohort's reviewers. Add reviewers on the reviewers and moderators page"]
    }
    assert refused(mentor=rae, reviewer=rae) == {
        "reviewer": ["Rae Reviewer is Aisha Rahman's mentor, so cannot also review the portfolio"]
    }
    guest_home = member_with("reviewer", organisation=other_org, user__full_name="Gita Guest")
    actions.add_assessor(portfolio.cohort, actor=admin, role="reviewer", person=guest_home)
    guest = Membership.objects.get(organisation=admin.organisation, user=guest_home.user)
    assert refused(mentor=guest) == {"mentor": ["Gita Guest is a guest here, so can review or moderate but not mentor"]}
    actions.assign_portfolio(portfolio, actor=admin, mentor=maya, reviewer=guest)
    set_state(portfolio, "with_mentor")
    assert "Choose a mentor rather than nobody" in refused(reviewer=guest)["mentor"][0]
    set_state(portfolio, "submitted")
    assert "Choose a reviewer rather than nobody" in refused(mentor=maya)["reviewer"][0]
    set_state(portfolio, "signed_off")
    assert "signed off" in refused(mentor=maya, reviewer=guest)["mentor"][0]
    with pytest.raises(PermissionDenied):
        actions.assign_portfolio(portfolio, actor=team["sam"], mentor=maya, reviewer=None)


# --- Reviewers and moderators, and network guests ---------------------------------------------------------


def test_reviewers_and_moderators_from_here(admin, cohort, member_with):
    rae, sam = member_with("reviewer", user__full_name="Rae Reviewer"), member_with("senior_leader")
    assessor = actions.add_assessor(cohort, actor=admin, role="reviewer", person=rae)
    assert (assessor.membership, assessor.role) == (rae, "reviewer")
    assert AuditEvent.objects.get(verb="added reviewer").changes == {"reviewer": [None, "Rae Reviewer"]}
    with pytest.raises(ValidationError) as refused:
        actions.add_assessor(cohort, actor=admin, role="reviewer", person=rae)
    assert refused.value.message_dict == {"person": ["Rae Reviewer is already a reviewer of this cohort"]}
    with pytest.raises(ValidationError) as refused:
        actions.add_assessor(cohort, actor=admin, role="moderator", person=sam)
    assert "is not a moderator here. Give them the role on the People page first" in refused.value.message_dict["person"][0]


def test_a_network_reviewer_becomes_a_guest_with_only_that_role(admin, cohort, member_with, other_org, network):
    home = member_with("reviewer", "org_admin", organisation=other_org, user__full_name="Gita Guest", job_title="PSW")
    assessor = actions.add_assessor(cohort, actor=admin, role="reviewer", person=home)
    guest = assessor.membership
    assert guest.organisation == admin.organisation and guest.user == home.user
    assert (guest.roles, guest.guest_of_network, guest.home_organisation, guest.is_active) == (
        ["reviewer"],
        network,
        other_org,
        True,
    )
    assert AuditEvent.objects.get(verb="added guest").changes["home organisation"] == [None, "Southvale Council"]
    # Policy: a guest is no member for organisation-wide pages, only for what is assigned to them.
    assert not policy.allows(guest, "pathway.view") and not policy.allows(guest, "portfolio.view_cohorts")
    assert policy.allows(guest, "portfolio.view_waiting")
    # Moderating a second cohort reuses the same guest membership, with the role added.
    second = actions.create_cohort(
        actor=admin, name="Cohort 2", frameworks=list(cohort.frameworks.all()), starts_on=TODAY, expected_end_on=TODAY
    )
    home.roles = ["reviewer", "moderator"]
    home.save()
    actions.add_assessor(second, actor=admin, role="moderator", person=home)
    guest.refresh_from_db()
    assert guest.roles == ["reviewer", "moderator"]
    assert Membership.objects.filter(user=home.user, organisation=admin.organisation).count() == 1
    # A guest sees only what is assigned to them, never a cohort's page (ADR 0014).
    assert not policy.allows(guest, "portfolio.view_cohort", second)


def test_network_guests_are_refused_without_a_shared_network_or_the_role(admin, cohort, member_with, other_org):
    home = member_with("reviewer", organisation=other_org, user__full_name="Gita Guest")
    with pytest.raises(ValidationError) as refused:
        actions.add_assessor(cohort, actor=admin, role="reviewer", person=home)
    assert refused.value.message_dict == {
        "person": ["Southvale Council is not in a network with Northshire County Council, so its people cannot be guests here."]
    }
    Network.objects.create(name="N", slug="n").organisations.add(admin.organisation, other_org)
    with pytest.raises(ValidationError) as refused:
        actions.add_assessor(cohort, actor=admin, role="moderator", person=home)
    assert "Gita Guest is not a moderator in Southvale Council" in refused.value.message_dict["person"][0]
    assert not Membership.objects.filter(organisation=admin.organisation, user=home.user).exists()


def test_a_guest_taken_off_their_last_cohort_stops_being_a_member(admin, cohort, member_with, other_org, network):
    home = member_with("reviewer", "moderator", organisation=other_org, user__full_name="Gita Guest")
    as_reviewer = actions.add_assessor(cohort, actor=admin, role="reviewer", person=home)
    as_moderator = actions.add_assessor(cohort, actor=admin, role="moderator", person=home)
    guest = as_reviewer.membership
    actions.remove_assessor(as_reviewer, actor=admin)
    guest.refresh_from_db()
    assert (guest.roles, guest.is_active) == (["moderator"], True)
    actions.remove_assessor(as_moderator, actor=admin)
    guest.refresh_from_db()
    assert guest.is_active is False
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"removed reviewer", "removed moderator", "removed guest role", "ended guest membership"} <= verbs
    # Lent again later: the same membership comes back with only the new role.
    actions.add_assessor(cohort, actor=admin, role="reviewer", person=home)
    guest.refresh_from_db()
    assert (guest.roles, guest.is_active) == (["reviewer"], True)


def test_an_assessor_with_work_in_the_cohort_cannot_be_removed(admin, team, member_with):
    actions.assign_portfolio(team["portfolio"], actor=admin, mentor=None, reviewer=team["rae"])
    reviewer = Assessor.objects.get(role="reviewer")
    with pytest.raises(ValidationError) as refused:
        actions.remove_assessor(reviewer, actor=admin)
    assert "Rae Reviewer reviews 1 portfolio in this cohort" in refused.value.messages[0]
    mod = member_with("moderator", user__full_name="Mo Derator")
    moderator = actions.add_assessor(team["portfolio"].cohort, actor=admin, role="moderator", person=mod)
    review = decided_review(team["portfolio"], "recommended", reviewer=team["rae"])
    Moderation.objects.create(organisation=admin.organisation, review=review, reason="sampled", moderator=mod)
    assert "Mo Derator has 1 moderation in this cohort to finish" in queries.assessor_removal_blocker(moderator)


def test_the_candidates_are_this_organisations_and_the_networks(admin, cohort, member_with, other_org, network, org):
    rae = member_with("reviewer", user__full_name="Rae Reviewer")
    member_with("mentor", user__full_name="Not A Reviewer")
    gita = member_with("reviewer", organisation=other_org, user__full_name="Gita Guest")
    member_with("reviewer", organisation=other_org, user__full_name="Olly Old", is_active=False)
    from trellis.tenancy.tests.factories import OrganisationFactory

    member_with("reviewer", organisation=OrganisationFactory(name="Faraway", slug="faraway"), user__full_name="Far Away")
    groups = queries.assessor_candidates(admin, cohort, "reviewer")
    assert [(label, [m.user.full_name for m in people]) for label, people in groups] == [
        ("Northshire County Council", ["Rae Reviewer"]),
        ("Southvale Council (network guests)", ["Gita Guest"]),
    ]
    actions.add_assessor(cohort, actor=admin, role="reviewer", person=gita)
    actions.add_assessor(cohort, actor=admin, role="reviewer", person=rae)
    assert queries.assessor_candidates(admin, cohort, "reviewer") == []


# --- What each portfolio waits on, and the cohort's progress ------------------------------------------------


def test_what_a_portfolio_waits_on(admin, team, member_with):
    portfolio, maya, rae = team["portfolio"], team["maya"], team["rae"]
    mod = member_with("moderator", user__full_name="Mo Derator")
    actions.add_assessor(portfolio.cohort, actor=admin, role="moderator", person=mod)
    actions.assign_portfolio(portfolio, actor=admin, mentor=maya, reviewer=rae)
    expected = {
        "draft": ("supervisor", ["Aisha Rahman"], [team["aisha"]]),
        "returned": ("supervisor", ["Aisha Rahman"], [team["aisha"]]),
        "referred_back": ("supervisor", ["Aisha Rahman"], [team["aisha"]]),
        "with_mentor": ("mentor", ["Maya Mentor"], [maya]),
        "submitted": ("reviewer", ["Rae Reviewer"], [rae]),
        "recommended": ("moderators", ["Mo Derator"], [mod]),
        "signed_off": ("", [], []),
    }
    for state, (role, names, members) in expected.items():
        waiting = queries.waiting_on(set_state(portfolio, state))
        assert (waiting.role, waiting.names, waiting.members) == (role, names, members), state
    assert str(queries.waiting_on(set_state(portfolio, "submitted"))) == "Reviewer: Rae Reviewer"
    assert str(queries.waiting_on(set_state(portfolio, "signed_off"))) == "Nobody: signed off"


def test_cohort_progress_counts_evidence_per_standard(admin, cohort, person, frameworks, member_with):
    power, emotion, relationships = frameworks["standards"]
    aisha, ben = actions.add_supervisors(cohort, actor=admin, staff=[person("Aisha Rahman"), person("Ben Brown")])
    evidence(aisha, "Team meeting", power, emotion)
    evidence(aisha, "Reflective log", power)
    EvidenceItem.objects.create(
        organisation=aisha.organisation, staff=aisha.staff, title="Not in it", kind="other", occurred_on=TODAY
    )
    decided_review(aisha, "returned", number=1)
    decided_review(aisha, "recommended", number=2)
    set_state(aisha, "recommended")
    rows = {row.portfolio.staff.full_name: row for row in queries.cohort_progress(cohort)}
    first = rows["Aisha Rahman"]
    assert [(s.title, n) for s, n in first.evidence] == [
        ("Relationship-based supervision", 0),
        ("Use of power", 2),
        ("Emotional intelligence", 1),
    ]
    assert (first.items, first.submissions, first.latest_outcome, first.standards_without_evidence) == (2, 2, "Recommended", 1)
    assert (first.waiting.role, first.state_colour) == ("moderators", "turquoise")
    second = rows["Ben Brown"]
    assert (second.items, second.submissions, second.latest_outcome, second.waiting.role) == (0, 0, "", "supervisor")
    assert [n for _s, n in second.evidence] == [0, 0, 0]


# --- Pages ----------------------------------------------------------------------------------------------


def test_an_admin_creates_a_cohort_then_adds_supervisors(client_for, admin, frameworks):
    client = client_for(admin)
    form = client.get(url("cohort-add")).content.decode()
    assert "PS KSS framework (2018), for children" in form
    response = client.post(
        url("cohort-add"),
        {
            "name": "Cohort 1",
            "frameworks": [frameworks["children"].pk],
            "moderation_share": "20",
            **date_fields("starts_on", D(2026, 9, 1)),
            **date_fields("expected_end_on", D(2027, 7, 31)),
        },
    )
    cohort = Cohort.objects.get()
    assert response["Location"] == url("cohort-add-supervisors", cohort.pk)


def test_the_cohort_form_explains_each_mistake(client_for, admin, frameworks):
    response = client_for(admin).post(
        url("cohort-add"),
        {"moderation_share": "x", **date_fields("starts_on", D(2026, 9, 1)), **date_fields("expected_end_on", D(2026, 8, 1))},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    for message in (
        "Enter a name for the cohort",
        "Select at least one framework",
        "Expected end date must be the same as or after the start date",
        "Share to moderate must be a whole number, like 20",
    ):
        assert message in page
    assert not Cohort.objects.exists()


def test_a_second_editor_is_told_what_changed(client_for, admin, member_with, cohort, frameworks):
    actions.update_cohort(cohort, actor=member_with("org_admin", user__full_name="Ola Other"), name="Renamed")
    data = {
        "version": "1",
        "name": "Mine",
        "frameworks": [frameworks["children"].pk],
        "moderation_share": "20",
        **date_fields("starts_on", D(2026, 9, 1)),
        **date_fields("expected_end_on", D(2027, 7, 31)),
    }
    page = client_for(admin).post(url("cohort-edit", cohort.pk), data).content.decode()
    assert "Ola Other changed this after you opened it" in page and "Renamed" in page
    cohort.refresh_from_db()
    assert cohort.name == "Renamed"


def test_ending_a_cohort_from_its_page(client_for, admin, cohort):
    client = client_for(admin)
    assert client.post(url("cohort-end", cohort.pk), {"version": "1", **date_fields("ended_on", TODAY)}).status_code == 302
    cohort.refresh_from_db()
    assert cohort.ended_on == TODAY
    assert "Reopen the cohort" in client.get(url("cohort-end", cohort.pk)).content.decode()
    client.post(url("cohort-end", cohort.pk))
    cohort.refresh_from_db()
    assert cohort.ended_on is None


def test_filter_tick_add(client_for, admin, cohort, person):
    team = workforce_actions.create_team(actor=admin, name="Assessment North", service="children")
    aisha, ben = person("Aisha Rahman", team=team), person("Ben Brown", team=team)
    person("Cara Elsewhere")
    client = client_for(admin)
    page = client.get(url("cohort-add-supervisors", cohort.pk) + f"?team={team.pk}").content.decode()
    assert "Aisha Rahman" in page and "Ben Brown" in page and "Cara Elsewhere" not in page
    assert "2 people match your filters" in page
    response = client.post(url("cohort-add-supervisors", cohort.pk) + f"?team={team.pk}", {"staff": [aisha.pk, ben.pk]})
    assert response["Location"] == url("cohort-people", cohort.pk)
    assert {p.staff for p in Portfolio.objects.all()} == {aisha, ben}
    page = client.get(url("cohort-add-supervisors", cohort.pk)).content.decode()
    assert page.count("Already in this cohort") == 2


def test_adding_nobody_or_someone_twice_is_explained(client_for, admin, cohort, person):
    aisha = person("Aisha Rahman")
    client = client_for(admin)
    page = client.post(url("cohort-add-supervisors", cohort.pk), {}).content.decode()
    assert "Select at least one supervisor to add" in page and 'href="#staff-choices"' in page and "<title>Error: " in page
    actions.add_supervisors(cohort, actor=admin, staff=[aisha])
    page = client.post(url("cohort-add-supervisors", cohort.pk), {"staff": [aisha.pk]}).content.decode()
    assert "Aisha Rahman is already in this cohort" in page


def test_the_people_page_saves_one_row_and_explains_a_refusal(client_for, admin, team):
    portfolio, rae, maya = team["portfolio"], team["rae"], team["maya"]
    client = client_for(admin)
    page = client.get(url("cohort-people", portfolio.cohort_id)).content.decode()
    assert '<optgroup label="Mentors and coaches">' in page and '<optgroup label="Other members">' in page
    response = client.post(url("cohort-member-assign", portfolio.pk), {"version": "1", "mentor": maya.pk, "reviewer": rae.pk})
    assert response["Location"] == url("cohort-people", portfolio.cohort_id) + f"#portfolio-{portfolio.pk}"
    response = client.post(url("cohort-member-assign", portfolio.pk), {"version": "2", "mentor": rae.pk, "reviewer": rae.pk})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert "Rae Reviewer is Aisha Rahman&#x27;s mentor, so cannot also review the portfolio" in page
    assert f'href="#reviewer-{portfolio.pk}"' in page
    stale = client.post(
        url("cohort-member-assign", portfolio.pk), {"version": "1", "mentor": "", "reviewer": ""}
    ).content.decode()
    assert "Not saved: Alex Admin changed Aisha Rahman&#x27;s mentor or reviewer" in stale
    portfolio.refresh_from_db()
    assert (portfolio.mentor, portfolio.reviewer) == (maya, rae)


def test_taking_a_supervisor_out_explains_why_not(client_for, admin, team, person):
    client = client_for(admin)
    portfolio = team["portfolio"]
    evidence(portfolio, "Team meeting")
    page = client.get(url("cohort-member-remove", portfolio.pk)).content.decode()
    assert "Aisha Rahman cannot be taken out" in page and "put evidence in their portfolio" in page
    assert client.post(url("cohort-member-remove", portfolio.pk)).status_code == 200
    (empty,) = actions.add_supervisors(portfolio.cohort, actor=admin, staff=[person("Ben Brown")])
    assert client.post(url("cohort-member-remove", empty.pk))["Location"] == url("cohort-people", portfolio.cohort_id)
    assert not Portfolio.objects.filter(pk=empty.pk).exists()


def test_an_admin_adds_a_network_reviewer_on_the_page(client_for, admin, cohort, member_with, other_org, network):
    gita = member_with("reviewer", organisation=other_org, user__full_name="Gita Guest")
    client = client_for(admin)
    page = client.get(url("cohort-assessors", cohort.pk)).content.decode()
    assert '<optgroup label="Southvale Council (network guests)">' in page
    response = client.post(url("cohort-assessors", cohort.pk), {"role": "reviewer", "reviewer-person": str(gita.pk)})
    assert response["Location"] == url("cohort-assessors", cohort.pk)
    page = client.get(url("cohort-assessors", cohort.pk)).content.decode()
    assert "Gita Guest" in page and "Guest from Southvale Council" in page
    error = client.post(url("cohort-assessors", cohort.pk), {"role": "moderator", "moderator-person": ""}).content.decode()
    assert "Choose a person" in error and "<title>Error: " in error
    assessor = Assessor.objects.get()
    assert "is a guest from Southvale Council" in client.get(url("assessor-remove", assessor.pk)).content.decode()
    assert client.post(url("assessor-remove", assessor.pk)).status_code == 302
    assert not Membership.objects.get(user=gita.user, organisation=admin.organisation).is_active


def test_the_cohort_page_shows_progress_and_who_is_waiting(client_for, admin, leader, team, frameworks, member_with):
    portfolio = team["portfolio"]
    evidence(portfolio, "Team meeting", frameworks["standards"][0])
    actions.assign_portfolio(portfolio, actor=admin, mentor=team["maya"], reviewer=team["rae"])
    set_state(portfolio, "submitted")
    page = client_for(admin).get(url("cohort", portfolio.cohort_id)).content.decode()
    assert "Reviewer:<br>Rae Reviewer" in page and "Reviewers: 1 portfolio" in page
    assert reverse("portfolio:portfolio", args=["northshire", portfolio.pk]) in page
    # Two standards without evidence, and the explanation above the table.
    assert page.count('<strong class="govuk-tag govuk-tag--red">0</strong>') == 3
    leader_page = client_for(leader).get(url("cohort", portfolio.cohort_id)).content.decode()
    assert "Rae Reviewer" in leader_page
    assert reverse("portfolio:portfolio", args=["northshire", portfolio.pk]) not in leader_page


def _fill_cohort(admin, cohort, person, frameworks, member_with, n, tag):
    mod = member_with("moderator", user__full_name=f"Moderator {tag}")
    actions.add_assessor(cohort, actor=admin, role="moderator", person=mod)
    rae = member_with("reviewer", user__full_name=f"Reviewer {tag}")
    actions.add_assessor(cohort, actor=admin, role="reviewer", person=rae)
    staff = [person(f"Supervisor {tag}{i}", team=None) for i in range(n)]
    for i, portfolio in enumerate(actions.add_supervisors(cohort, actor=admin, staff=staff)):
        actions.assign_portfolio(portfolio, actor=admin, mentor=member_with("mentor"), reviewer=rae)
        evidence(portfolio, f"Item {tag}{i}", *frameworks["standards"][:2])
        decided_review(portfolio, "returned", reviewer=rae)
        set_state(portfolio, ["draft", "with_mentor", "submitted", "recommended"][i % 4])


@pytest.mark.parametrize("name", ["cohort", "cohort-people", "cohort-add-supervisors", "cohort-assessors", "cohort-list"])
def test_query_counts_do_not_grow_with_members(
    client_for, admin, cohort, person, frameworks, member_with, other_org, network, name
):
    member_with("reviewer", organisation=other_org)
    _fill_cohort(admin, cohort, person, frameworks, member_with, 1, "a")
    client = client_for(admin)
    target = url(name) if name == "cohort-list" else url(name, cohort.pk)
    client.get(target)
    with CaptureQueriesContext(connection) as few:
        assert client.get(target).status_code == 200
    _fill_cohort(admin, cohort, person, frameworks, member_with, 7, "b")
    actions.create_cohort(
        actor=admin, name="Cohort 2", frameworks=[frameworks["children"]], starts_on=TODAY, expected_end_on=TODAY
    )
    for extra in range(3):
        member_with("reviewer", organisation=other_org)
        person(f"Not yet in a cohort {extra}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(target).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_cohorts_are_in_the_navigation_for_leads_and_on_the_admins_overview(client_for, admin, leader, supervisor):
    overview = reverse("pathway:overview", args=["northshire"])
    assert ">Cohorts</a>" in client_for(leader).get(overview).content.decode()
    assert "Cohorts and portfolios of evidence" in client_for(admin).get(overview).content.decode()
    assert "Cohorts and portfolios of evidence" not in client_for(leader).get(overview).content.decode()
    assert ">Cohorts</a>" not in client_for(supervisor).get(overview).content.decode()


# --- The pathway outcome that points at a cohort ---------------------------------------------------------------


def test_identify_priorities_can_point_at_a_cohort(client_for, admin, cohort):
    outcome_url = reverse("pathway:outcome-edit", args=["northshire", "preparation-priorities"])
    cohort_path = url("cohort", cohort.pk)
    client = client_for(admin)
    form = client.get(outcome_url).content.decode()
    assert "Evidence in Trellis (optional)" in form and "Cohort: Cohort 1" in form
    response = client.post(
        outcome_url, {"is_achieved": "yes", "evidence": "We chose who starts first.", "evidence_link": cohort_path}
    )
    assert response.status_code == 302
    progress = OutcomeProgress.objects.get(outcome__key="preparation-priorities")
    assert (progress.evidence_link, progress.evidence_link_label) == (cohort_path, "Cohort: Cohort 1")
    assert AuditEvent.objects.get(verb="marked achieved").changes["evidence_link_label"] == [None, "Cohort: Cohort 1"]
    stage = client.get(reverse("pathway:stage", args=["northshire", "preparation"])).content.decode()
    assert f'<a class="govuk-link" href="{cohort_path}">Cohort: Cohort 1</a>' in stage
    # Another outcome offers no such choice; a made-up link is refused.
    other = reverse(
        "pathway:outcome-edit", args=["northshire", Outcome.objects.exclude(key="preparation-priorities").first().key]
    )
    assert "Evidence in Trellis" not in client.get(other).content.decode()
    refused = client.post(
        outcome_url, {"is_achieved": "yes", "evidence_link": "https://example.com/", "version": progress.version}
    )
    assert "Select evidence from the list" in refused.content.decode()


def test_a_saved_link_stays_a_choice_after_its_cohort_goes(client_for, admin, cohort):
    outcome_url = reverse("pathway:outcome-edit", args=["northshire", "preparation-priorities"])
    client = client_for(admin)
    client.post(outcome_url, {"is_achieved": "yes", "evidence_link": url("cohort", cohort.pk)})
    cohort.delete()
    form = client.get(outcome_url).content.decode()
    assert "Cohort: Cohort 1" in form
    assert client.post(outcome_url, {"is_achieved": "no", "evidence_link": "", "version": "1"}).status_code == 302
    assert OutcomeProgress.objects.get().evidence_link == ""


def test_the_pathway_does_not_import_the_portfolio_app():
    pathway = Path(__file__).resolve().parents[2] / "pathway"
    for source in pathway.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any("portfolio" in name for name in names), source
