"""The demo data a newcomer meets on `make run`: load_demo and demo_logins."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from trellis.accounts.models import User
from trellis.audit.models import AuditEvent
from trellis.pathway.continuum import continuum, current_stage
from trellis.pathway.demo import STORIES
from trellis.pathway.models import Action, OutcomeProgress, ProgressUpdate, Reflection, Stakeholder
from trellis.tenancy.management.commands.load_demo import DEMO_ORGANISATIONS, DEMO_PASSWORD
from trellis.tenancy.models import Membership, Organisation, Role


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """Five years of two organisations take seconds to write, so this module loads them once and
    each test reads them inside its own rolled-back transaction. Emptied afterwards, because the rest
    of the suite expects an empty database. Tests that need no demo data are in test_demo_commands.py."""
    with django_db_blocker.unblock():
        run("load_demo")
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(_demo_loaded, db):
    return {org.slug: org for org in Organisation.objects.filter(slug__in=[spec.slug for spec in DEMO_ORGANISATIONS])}


def admin_of(organisation):
    return next(m for m in Membership.objects.filter(organisation=organisation) if m.has_role(Role.ORG_ADMIN))


def row_counts():
    """Every table's row count, history and audit trail included."""
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def test_loads_both_organisations(demo):
    assert set(demo) == {"northshire", "riverside"}
    assert demo["northshire"].services == Organisation.Services.ADULTS
    assert demo["riverside"].services == Organisation.Services.CHILDREN


def test_every_role_is_held_in_each_organisation(demo):
    for organisation in demo.values():
        held = {role for m in Membership.objects.filter(organisation=organisation) for role in m.roles}
        assert held == set(Role.values), organisation


def test_someone_holds_several_roles_and_someone_belongs_to_both(demo):
    memberships = list(Membership.objects.select_related("user"))
    assert any(len(m.roles) > 1 for m in memberships)
    organisations_by_user = {}
    for m in memberships:
        organisations_by_user.setdefault(m.user_id, set()).add(m.organisation_id)
    assert any(len(orgs) == 2 for orgs in organisations_by_user.values())


def test_accounts_use_the_reserved_example_domain_and_the_demo_password(demo):
    users = User.objects.filter(memberships__organisation__in=demo.values()).distinct()
    assert users.exists()
    for user in users:
        assert user.email.endswith(".example")
        assert user.check_password(DEMO_PASSWORD)
    assert all(m.job_title for m in Membership.objects.all())


def test_stakeholders_in_each_organisation(demo):
    for organisation in demo.values():
        stakeholders = Stakeholder.objects.filter(organisation=organisation)
        assert 6 <= stakeholders.count() <= 8
        assert len({s.engagement for s in stakeholders}) > 1


def test_action_plans_cover_every_status_with_some_overdue(demo):
    today = timezone.localdate()
    assert Action.objects.count() == sum(len(story.actions) for story in STORIES.values())
    for organisation in demo.values():
        plan = Action.objects.filter(organisation=organisation)
        assert set(plan.values_list("status", flat=True)) == set(Action.Status.values), organisation
        assert plan.overdue(today).count() >= 2
        assert plan.filter(owner_member__isnull=False).exists()
        assert plan.filter(owner_stakeholder__isnull=False).exists()
        assert plan.exclude(support_needed="").count() > plan.count() / 2
        assert plan.filter(due_date__lt=today).exists()
        assert plan.filter(due_date__gt=today).exists()


def test_actions_have_progress_updates_and_status_changes(demo):
    assert ProgressUpdate.objects.exclude(status="").exists()
    assert ProgressUpdate.objects.filter(status="").exists()
    assert AuditEvent.objects.filter(verb="changed status").exists()
    assert AuditEvent.objects.filter(verb="updated", changes__has_key="due_date").exists()


def test_each_organisation_is_at_its_designed_stage(demo):
    today = timezone.localdate()
    expected = {"northshire": ("preparation", ["awareness", "understanding"]), "riverside": ("understanding", ["awareness"])}
    for slug, (current, done) in expected.items():
        states = continuum(admin_of(demo[slug]))
        assert current_stage(states).stage.key == current
        complete = [s for s in states if s.is_complete]
        assert [s.stage.key for s in complete] == done
        assert all(s.completed_on < today for s in complete)
        assert all(o.progress.evidence for s in complete for o in s.outcomes)


def test_reflections_are_answered_on_stages_reached_and_one_was_revised(demo):
    for organisation in demo.values():
        states = continuum(admin_of(organisation))
        reached = current_stage(states).stage.position
        answers = Reflection.objects.filter(organisation=organisation).select_related("stage")
        assert len({a.author_id for a in answers}) >= 2
        assert len({a.stage_id for a in answers}) >= 2
        assert all(a.stage.position <= reached for a in answers)
        revised = [a for a in answers if a.version > 1]
        assert revised
        assert all(a.history.count() == a.version for a in revised)


def test_every_write_is_in_the_audit_trail(demo):
    for organisation in demo.values():
        trail = AuditEvent.objects.filter(organisation=organisation)
        created = trail.filter(verb="created", target_type="pathway.action").count()
        assert created == Action.objects.filter(organisation=organisation).count()
        assert (
            trail.filter(verb="marked achieved").count()
            == OutcomeProgress.objects.filter(organisation=organisation, is_achieved=True).count()
        )


def test_running_again_changes_nothing(demo):
    before = row_counts()
    out = run("load_demo")
    assert row_counts() == before
    assert "already loaded" in out


def test_demo_logins_lists_every_account_and_the_password(demo):
    out = run("demo_logins", "--url", "http://localhost:8000/")
    assert "http://localhost:8000/" in out
    assert DEMO_PASSWORD in out
    for membership in Membership.objects.select_related("user", "organisation"):
        assert membership.user.email in out
        assert membership.organisation.name in out
        for label in membership.role_labels:
            assert label in out


def test_demo_logins_leaves_out_other_organisations(demo, member_with, other_org):
    stranger = member_with(Role.ORG_ADMIN, organisation=other_org, user__email="someone@southvale.example")
    assert stranger.user.email not in run("demo_logins")


def test_the_demo_workforce_has_five_years_of_history(demo):
    from trellis.workforce.models import EqualityRecord, StaffRecord, StageHistory, Team

    today = timezone.localdate()
    for organisation in demo.values():
        staff = StaffRecord.objects.filter(organisation=organisation)
        current, left = staff.current(), staff.left()
        assert 130 <= current.count() <= 170, organisation
        assert left.count() >= 60
        assert left.order_by("leaving_date").first().leaving_date < today - datetime.timedelta(days=4 * 365)
        assert set(left.values_list("leaving_reason", flat=True)) >= {"resignation", "retirement"}
        assert staff.filter(employment_type="agency").exists()
        supervisors = staff.supervisors()
        assert supervisors.count() >= 15 and supervisors.filter(in_first_year=True).count() >= 2
        assert supervisors.filter(leaving_date__gt=today).exists(), "a supervisor working their notice"
        kinds = set(StageHistory.objects.filter(organisation=organisation).values_list("kind", flat=True))
        assert kinds >= {"appointment", "promotion", "acting_up", "return"}
        assert EqualityRecord.objects.filter(organisation=organisation).count() > staff.count() * 0.8
        assert not Team.objects.filter(organisation=organisation, establishment_fte__isnull=True).exists()


def test_demo_members_have_staff_records_that_match_their_roles(demo):
    from trellis.workforce.models import StaffRecord

    aisha = StaffRecord.objects.supervisors().get(membership__user__email="aisha.rahman@northshire.example")
    assert aisha.in_first_year and aisha.supervisees_count >= 5
    chloe = StaffRecord.objects.with_current_stage().get(membership__user__email="chloe.bennett@northshire.example")
    assert chloe.current_stage_name == "Social worker" and chloe.line_manager is not None
    assert StaffRecord.objects.filter(membership__isnull=False).count() >= 14


def test_the_demo_has_a_pipeline_acting_up_and_oversight_meetings(demo):
    from trellis.insights.models import MeetingAction, OversightMeeting
    from trellis.talent.models import ActingUpOpportunity, PotentialSupervisor

    today = timezone.localdate()
    for organisation in demo.values():
        plans = PotentialSupervisor.objects.filter(organisation=organisation)
        assert plans.filter(status="active").count() >= 8
        assert set(plans.values_list("readiness", flat=True)) == set(PotentialSupervisor.Readiness.values)
        assert ActingUpOpportunity.objects.filter(organisation=organisation, status="filled").exists()
        meetings = OversightMeeting.objects.filter(organisation=organisation)
        assert meetings.count() == 2
        assert all(m.snapshot["headcount"]["end"]["direct"] > 100 for m in meetings)
        agreed = MeetingAction.objects.filter(organisation=organisation)
        assert any(a.is_overdue for a in agreed) and agreed.filter(status="complete").exists()
        assert all(a.due_date for a in agreed) and meetings.filter(held_on__lt=today).count() == 2
    # A practitioner who signs in can open their own plan.
    assert plans.model.objects.filter(staff__membership__user__email="chloe.bennett@northshire.example").exists()
