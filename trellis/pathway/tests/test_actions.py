import datetime

import pytest
from django.core.exceptions import PermissionDenied

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.pathway import actions
from trellis.pathway.continuum import continuum, current_stage
from trellis.pathway.models import Action, Outcome, Reflection, Stage

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def outcome():
    return Outcome.objects.get(key="preparation-priorities")


def events(obj):
    return list(AuditEvent.objects.for_target(obj).order_by("at").values_list("verb", flat=True))


def test_create_action_records_who_and_an_audit_event(leader, outcome):
    action = actions.create_action(
        actor=leader,
        outcome=outcome,
        description="Map our practice supervisors",
        support_needed="HR data",
        owner_member=leader,
        due_date=TODAY,
    )
    assert action.created_by == leader and action.updated_by == leader and action.version == 1
    event = AuditEvent.objects.for_target(action).get()
    assert event.verb == "created" and event.actor == leader.user
    assert event.changes["description"] == [None, "Map our practice supervisors"]


def test_only_leaders_add_actions(supervisor, outcome):
    with pytest.raises(PermissionDenied):
        actions.create_action(actor=supervisor, outcome=outcome, description="x", owner_member=supervisor)


def test_an_owner_in_another_organisation_is_refused(leader, outsider, outcome):
    with pytest.raises(ValueError, match="another organisation"):
        actions.create_action(actor=leader, outcome=outcome, description="x", owner_member=outsider)


def test_update_action_records_the_changed_fields_only(leader, outcome):
    action = actions.create_action(actor=leader, outcome=outcome, description="Draft", owner_member=leader)
    action = actions.update_action(
        action, actor=leader, expected_version=1, description="Draft the supervision policy", support_needed=""
    )
    assert action.version == 2
    update = AuditEvent.objects.for_target(action).filter(verb="updated").get()
    assert update.changes == {"description": ["Draft", "Draft the supervision policy"]}


def test_a_stale_edit_is_refused_and_says_what_changed(leader, admin, outcome):
    action = actions.create_action(actor=leader, outcome=outcome, description="Draft", owner_member=leader)
    actions.update_action(action, actor=admin, expected_version=1, description="Draft the policy", status="in_progress")
    with pytest.raises(StaleEdit) as stale:
        actions.update_action(action, actor=leader, expected_version=1, description="Something else")
    assert ("Action(s)", "Draft", "Draft the policy") in stale.value.changes
    assert ("Status", "Not started", "In progress") in stale.value.changes
    assert stale.value.changed_by == admin
    action.refresh_from_db()
    assert action.description == "Draft the policy"


def test_the_owner_may_change_their_own_action_but_not_others(leader, supervisor, member_with, outcome):
    mine = actions.create_action(actor=leader, outcome=outcome, description="Mine", owner_member=supervisor)
    theirs = actions.create_action(actor=leader, outcome=outcome, description="Theirs", owner_member=leader)
    actions.change_action_status(mine, actor=supervisor, status="in_progress")
    with pytest.raises(PermissionDenied):
        actions.change_action_status(theirs, actor=supervisor, status="in_progress")


def test_status_change_with_a_comment_keeps_a_dated_progress_update(leader, outcome):
    action = actions.create_action(actor=leader, outcome=outcome, description="Audit supervision", owner_member=leader)
    actions.change_action_status(action, actor=leader, status="blocked", comment="Waiting for HR data")
    update = action.updates.get()
    assert update.text == "Waiting for HR data" and update.status == "blocked" and update.author == leader
    assert events(action) == ["created", "changed status", "added progress update"]


def test_delete_action_leaves_its_record_in_the_audit_trail(leader, outcome):
    action = actions.create_action(actor=leader, outcome=outcome, description="Short-lived", owner_member=leader)
    pk = action.pk
    actions.delete_action(action, actor=leader)
    assert not Action.objects.filter(pk=pk).exists()
    deleted = AuditEvent.objects.get(target_id=str(pk), verb="deleted")
    assert deleted.changes["description"] == ["Short-lived", None]


def test_overdue_means_past_its_date_and_not_complete_or_cancelled(leader, outcome, time_machine):
    time_machine.move_to(TODAY)

    def make(status, due):
        return actions.create_action(
            actor=leader, outcome=outcome, description=status, owner_member=leader, due_date=due, status=status
        )

    late = make("in_progress", TODAY - datetime.timedelta(days=1))
    done = make("complete", TODAY - datetime.timedelta(days=1))
    cancelled = make("cancelled", TODAY - datetime.timedelta(days=3))
    due_today = make("not_started", TODAY)
    assert late.is_overdue and not done.is_overdue and not cancelled.is_overdue and not due_today.is_overdue
    assert list(Action.objects.overdue()) == [late]


def test_the_current_stage_is_the_first_with_an_outcome_not_achieved(admin):
    assert current_stage(continuum(admin)).stage.key == "awareness"
    actions.mark_outcome(actor=admin, outcome=Outcome.objects.get(key="awareness-what"), is_achieved=True, achieved_on=TODAY)
    states = continuum(admin)
    assert states[0].is_complete and states[0].completed_on == TODAY
    assert current_stage(states).stage.key == "understanding"


def test_marking_not_yet_clears_the_achieved_date(admin):
    outcome = Outcome.objects.get(key="awareness-what")
    actions.mark_outcome(actor=admin, outcome=outcome, is_achieved=True, achieved_on=TODAY)
    progress = actions.mark_outcome(
        actor=admin, outcome=outcome, is_achieved=False, evidence="Intranet page taken down", expected_version=1
    )
    assert progress.achieved_on is None and progress.version == 2


def test_reflections_keep_earlier_versions(supervisor):
    stage = Stage.objects.get(key="awareness")
    first = actions.save_reflection(actor=supervisor, stage=stage, answer="Films")
    actions.save_reflection(actor=supervisor, stage=stage, answer="Films and team briefings", expected_version=first.version)
    reflection = Reflection.objects.get()
    assert reflection.version == 2
    assert [h.answer for h in reflection.history.order_by("history_date")] == ["Films", "Films and team briefings"]


def test_several_people_answer_the_same_question(supervisor, leader):
    stage = Stage.objects.get(key="awareness")
    actions.save_reflection(actor=supervisor, stage=stage, answer="A")
    actions.save_reflection(actor=leader, stage=stage, answer="B")
    assert Reflection.objects.filter(stage=stage).count() == 2


def test_a_stakeholder_who_owns_actions_cannot_be_deleted(leader, outcome):
    stakeholder = actions.create_stakeholder(actor=leader, name="PSW", role="Principal Social Worker", engagement="champion")
    actions.create_action(actor=leader, outcome=outcome, description="x", owner_stakeholder=stakeholder)
    with pytest.raises(actions.StakeholderInUse, match="owns 1 action"):
        actions.delete_stakeholder(stakeholder, actor=leader)


@pytest.mark.scoped
def test_tenant_queries_without_an_organisation_scope_fail_loudly(db):
    from django_scopes.exceptions import ScopeError

    with pytest.raises(ScopeError):
        list(Action.objects.all())
