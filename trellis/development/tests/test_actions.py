import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.development import actions
from trellis.development.models import DevelopmentPlan, PlanReview, PlanStatus, ProgressNote
from trellis.workforce import actions as workforce_actions

D = datetime.date


def status_of(staff):
    plan = DevelopmentPlan.objects.filter(staff=staff).with_status(D(2026, 11, 24)).first()
    return plan.status if plan else PlanStatus.NONE


# --- Goals ----------------------------------------------------------------------------------------------


def test_the_person_adds_a_goal_linked_to_standards_and_it_is_in_the_audit_trail(people, standards):
    sam = people["sam"]
    goal = actions.add_goal(
        sam, actor=people["sam_login"], title="Use my authority with care", standards=[standards["children"][0]]
    )
    assert goal.plan.staff == sam and goal.plan.plan_version == 1
    assert list(goal.standards.all()) == [standards["children"][0]]
    event = AuditEvent.objects.get(verb="added goal")
    assert event.changes["standards"] == [None, ["1. Effective use of power and authority"]]
    assert event.actor == people["sam_login"].user
    assert status_of(sam) == PlanStatus.DRAFT


@pytest.mark.parametrize("who", ["morgan_login", "admin", "leader", "supervisor"])
def test_nobody_else_changes_the_plan_of_someone_with_a_login(people, who, admin, leader, supervisor):
    actor = {"admin": admin, "leader": leader, "supervisor": supervisor}.get(who) or people[who]
    with pytest.raises(PermissionDenied):
        actions.add_goal(people["sam"], actor=actor, title="Not mine to write")
    assert not DevelopmentPlan.objects.exists()


def test_an_admin_keeps_the_plan_of_someone_without_a_login_but_their_manager_cannot(people, admin):
    goal = actions.add_goal(people["nia"], actor=admin, title="Prepare to supervise a student")
    assert goal.plan.staff == people["nia"]
    with pytest.raises(PermissionDenied):
        actions.add_goal(people["nia"], actor=people["morgan_login"], title="Written by the manager")


def test_standards_must_come_from_the_frameworks_the_person_works_against(people, standards):
    sam, login = people["sam"], people["sam_login"]
    with pytest.raises(ValidationError) as error:
        actions.add_goal(sam, actor=login, title="Adults' standard", standards=[standards["adults"][0]])
    assert error.value.message_dict == {"standards": ["Select standards from the frameworks listed"]}
    with pytest.raises(ValidationError) as error:
        actions.add_goal(sam, actor=login, title="No standard")
    assert error.value.message_dict == {"standards": ["Select at least one standard this goal develops"]}


def test_with_no_framework_in_use_a_goal_needs_no_standard(people):
    goal = actions.add_goal(people["sam"], actor=people["sam_login"], title="Before the frameworks are chosen")
    assert not goal.standards.exists()


def test_a_stale_goal_edit_is_refused_and_a_real_change_moves_the_plan_on(people, standards):
    sam, login = people["sam"], people["sam_login"]
    goal = actions.add_goal(sam, actor=login, title="First words", standards=standards["children"][:1])
    seen = goal.version
    actions.update_goal(goal, actor=login, expected_version=seen, title="Second words")
    with pytest.raises(StaleEdit) as stale:
        actions.update_goal(goal, actor=login, expected_version=seen, title="Third words")
    assert ("Goal", "First words", "Second words") in stale.value.changes
    goal.refresh_from_db()
    assert goal.title == "Second words" and goal.plan.plan_version == 2
    # Saving what is already there writes nothing.
    actions.update_goal(
        goal, actor=login, expected_version=goal.version, title="Second words", standards=standards["children"][:1]
    )
    goal.refresh_from_db()
    assert goal.plan.plan_version == 2 and AuditEvent.objects.filter(verb="updated goal").count() == 1


def test_changing_a_goals_standards_is_recorded(people, standards):
    login = people["sam_login"]
    goal = actions.add_goal(people["sam"], actor=login, title="Goal", standards=standards["children"][:1])
    actions.update_goal(goal, actor=login, expected_version=goal.version, standards=standards["children"])
    event = AuditEvent.objects.get(verb="updated goal")
    assert event.changes["standards"][1] == [
        "1. Effective use of power and authority",
        "2. Emotionally intelligent practice supervision",
    ]


def test_deleting_a_goal_takes_its_actions_and_keeps_a_record(people, goal_for):
    login = people["sam_login"]
    goal = goal_for(people["sam"], login)
    actions.delete_goal(goal, actor=login)
    event = AuditEvent.objects.get(verb="deleted goal")
    assert event.changes["actions"] == [["Performance management course"], None]
    plan = DevelopmentPlan.objects.get()
    assert plan.plan_version == 3 and not plan.goals.exists()
    assert status_of(people["sam"]) == PlanStatus.NONE


# --- Actions and progress --------------------------------------------------------------------------------


def test_an_action_is_due_on_or_after_it_starts(people, goal_for):
    goal = goal_for(people["sam"], people["sam_login"], with_action=False)
    with pytest.raises(ValidationError) as error:
        actions.add_action(
            goal,
            actor=people["sam_login"],
            kind="shadowing",
            description="Shadow",
            start_date=D(2027, 2, 1),
            due_date=D(2027, 1, 1),
        )
    assert "on or after the start date, 1 February 2027" in error.value.message_dict["due_date"][0]


def test_a_stale_action_edit_is_refused(people, goal_for):
    login = people["sam_login"]
    action = goal_for(people["sam"], login).actions.get()
    seen = action.version
    actions.update_action(action, actor=login, expected_version=seen, description="Changed once")
    with pytest.raises(StaleEdit):
        actions.update_action(action, actor=login, expected_version=seen, description="Changed twice")
    with pytest.raises(TypeError):
        actions.update_action(action, actor=login, expected_version=seen + 1, status="complete")


def test_progress_changes_the_status_and_leaves_the_agreed_plan_agreed(people, goal_for):
    sam, login, morgan = people["sam"], people["sam_login"], people["morgan_login"]
    action = goal_for(sam, login).actions.get()
    plan = DevelopmentPlan.objects.get()
    actions.review_plan(plan, actor=morgan, plan_version=plan.plan_version, agree=True)
    note = actions.record_progress(
        action, actor=login, status="complete", text="Went on the course.", expected_version=action.version
    )
    action.refresh_from_db()
    assert action.status == "complete" and action.completed_on == D(2026, 11, 24)
    assert note.status == "complete" and note.author_name == "Sam Supervisor"
    assert status_of(sam) == PlanStatus.AGREED
    event = AuditEvent.objects.get(verb="recorded progress")
    assert event.changes["status"] == ["Not started", "Complete"] and event.changes["progress note"] == [
        None,
        "Went on the course.",
    ]


def test_a_progress_note_needs_words_or_a_new_status(people, goal_for):
    action = goal_for(people["sam"], people["sam_login"]).actions.get()
    with pytest.raises(ValidationError) as error:
        actions.record_progress(action, actor=people["sam_login"], status="not_started", text="  ")
    assert error.value.message_dict == {"text": ["Enter a progress note, or change the status"]}
    actions.record_progress(action, actor=people["sam_login"], status="not_started", text="Booked for January.")
    assert ProgressNote.objects.get().status == ""


def test_a_stale_status_change_is_refused(people, goal_for):
    login = people["sam_login"]
    action = goal_for(people["sam"], login).actions.get()
    seen = action.version
    actions.record_progress(action, actor=login, status="in_progress", expected_version=seen)
    with pytest.raises(StaleEdit):
        actions.record_progress(action, actor=people["morgan_login"], status="blocked", expected_version=seen)


def test_the_line_manager_and_a_mentor_it_is_shared_with_record_progress(people, goal_for, person, member_with, mentorship):
    sam, login = people["sam"], people["sam_login"]
    action = goal_for(sam, login).actions.get()
    actions.record_progress(action, actor=people["morgan_login"], status="not_started", text="Discussed in supervision.")
    mentor_login = member_with("mentor", user__full_name="Maya Mentor")
    mentorship(person("Maya Mentor", stage="Team manager", login=mentor_login), sam)
    with pytest.raises(PermissionDenied):
        actions.record_progress(action, actor=mentor_login, status="not_started", text="Not shared with me yet.")
    actions.set_sharing(sam, actor=login, shared=True)
    actions.record_progress(action, actor=mentor_login, status="not_started", text="We talked it through.")
    assert [n.author_name for n in ProgressNote.objects.order_by("created_at")] == ["Morgan Manager", "Maya Mentor"]


# --- Sharing ----------------------------------------------------------------------------------------------


def test_only_the_person_chooses_to_share(people, admin):
    plan = actions.set_sharing(people["sam"], actor=people["sam_login"], shared=True)
    assert plan.shared_with_mentor
    assert AuditEvent.objects.get(verb="shared plan with mentor").changes == {"shared with their mentor": [False, True]}
    with pytest.raises(PermissionDenied):
        actions.set_sharing(people["nia"], actor=admin, shared=True)
    with pytest.raises(PermissionDenied):
        actions.set_sharing(people["sam"], actor=people["morgan_login"], shared=False)


# --- Review -----------------------------------------------------------------------------------------------


def test_the_line_manager_agrees_a_version_and_a_later_change_shows_changed_since_agreed(people, goal_for):
    sam, login, morgan = people["sam"], people["sam_login"], people["morgan_login"]
    goal = goal_for(sam, login)
    plan = goal.plan
    plan.refresh_from_db()
    review = actions.review_plan(plan, actor=morgan, plan_version=plan.plan_version, agree=True, comment="Good plan.")
    assert (review.reviewer_name, review.reviewer_role, review.plan_version, review.reviewed_on) == (
        "Morgan Manager",
        PlanReview.Role.LINE_MANAGER,
        2,
        D(2026, 11, 24),
    )
    assert status_of(sam) == PlanStatus.AGREED
    assert AuditEvent.objects.get(verb="agreed plan").changes["comment"] == [None, "Good plan."]
    actions.add_action(goal, actor=login, kind="reading", description="Read the supervision policy", due_date=D(2027, 2, 1))
    assert status_of(sam) == PlanStatus.CHANGED
    plan.refresh_from_db()
    changes = plan.history.filter(plan_version__gt=review.plan_version).values_list("history_change_reason", flat=True)
    assert list(changes) == ["Added action to “Give feedback on performance clearly”: Read the supervision policy"]


def test_agreeing_a_version_the_reviewer_did_not_see_is_refused(people, goal_for):
    plan = goal_for(people["sam"], people["sam_login"]).plan
    plan.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        actions.review_plan(plan, actor=people["morgan_login"], plan_version=plan.plan_version - 1, agree=True)
    assert "changed after you opened it, so your review was not saved" in error.value.messages[0]
    assert not PlanReview.objects.exists()


def test_a_plan_without_goals_cannot_be_agreed_and_a_comment_needs_words(people, goal_for):
    goal = goal_for(people["sam"], people["sam_login"], with_action=False)
    actions.delete_goal(goal, actor=people["sam_login"])
    plan = DevelopmentPlan.objects.get()
    with pytest.raises(ValidationError) as error:
        actions.review_plan(plan, actor=people["morgan_login"], plan_version=plan.plan_version, agree=True)
    assert error.value.message_dict == {"agree": ["There is nothing to agree yet: the plan has no goals"]}
    with pytest.raises(ValidationError) as error:
        actions.review_plan(plan, actor=people["morgan_login"], plan_version=plan.plan_version, agree=False, comment=" ")
    assert error.value.message_dict == {"comment": ["Enter a comment, or agree the plan"]}


def test_nobody_agrees_their_own_plan(people, goal_for, admin, stages):
    plan = goal_for(people["sam"], people["sam_login"]).plan
    with pytest.raises(PermissionDenied):
        actions.review_plan(plan, actor=people["sam_login"], plan_version=plan.plan_version, agree=True)
    # An admin whose own line manager has no login may record that manager's agreement of other
    # people's plans, but not of their own.
    boss = workforce_actions.create_staff_record(
        actor=admin,
        full_name="Bo Boss",
        employee_ref="B1",
        career_stage=stages["Service manager"],
        service="children",
        employment_type="permanent",
        start_date=D(2015, 1, 5),
    )
    me = workforce_actions.create_staff_record(
        actor=admin,
        full_name="Alex Admin",
        employee_ref="A1",
        career_stage=stages["Practice leader / Principal Social Worker"],
        service="children",
        employment_type="permanent",
        start_date=D(2016, 1, 4),
        line_manager=boss,
        membership=admin,
    )
    own = goal_for(me, admin).plan
    with pytest.raises(PermissionDenied):
        actions.review_plan(own, actor=admin, plan_version=own.plan_version, agree=True, reviewed_on=D(2026, 11, 1))


def test_a_mentor_reviews_only_a_plan_shared_with_them(people, goal_for, person, member_with, mentorship):
    sam, login = people["sam"], people["sam_login"]
    plan = goal_for(sam, login).plan
    plan.refresh_from_db()
    mentor_login = member_with("mentor", user__full_name="Maya Mentor")
    relationship = mentorship(person("Maya Mentor", stage="Team manager", login=mentor_login), sam)
    with pytest.raises(PermissionDenied):
        actions.review_plan(plan, actor=mentor_login, plan_version=plan.plan_version, agree=True)
    plan = actions.set_sharing(sam, actor=login, shared=True)
    review = actions.review_plan(
        plan, actor=mentor_login, plan_version=plan.plan_version, agree=False, comment="Add a wellbeing goal?"
    )
    assert review.reviewer_role == PlanReview.Role.MENTOR and not review.agreed
    assert status_of(sam) == PlanStatus.DRAFT
    # Once the relationship ends, so does the mentor's part.
    relationship.ended_on = D(2026, 11, 20)
    relationship.save()
    with pytest.raises(PermissionDenied):
        actions.review_plan(plan, actor=mentor_login, plan_version=plan.plan_version, agree=True)


def test_an_admin_records_the_agreement_of_a_line_manager_who_has_no_login(admin, person, team, goal_for):
    manager = person("Ian Kaur", stage="Team manager", team=team)
    nia = person("Nia Nologin", stage="Social worker", team=team, line_manager=manager)
    plan = goal_for(nia, admin).plan
    plan.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        actions.review_plan(plan, actor=admin, plan_version=plan.plan_version, agree=True)
    assert error.value.message_dict == {"reviewed_on": ["Enter the date the plan was reviewed"]}
    with pytest.raises(ValidationError) as error:
        actions.review_plan(plan, actor=admin, plan_version=plan.plan_version, agree=True, reviewed_on=D(2026, 11, 25))
    assert error.value.message_dict == {"reviewed_on": ["The date they reviewed it must be today or in the past"]}
    # A paper plan agreed before it was typed in: an earlier date is fine.
    review = actions.review_plan(plan, actor=admin, plan_version=plan.plan_version, agree=True, reviewed_on=D(2026, 3, 9))
    assert (review.reviewer_name, review.on_behalf_of, review.recorded_by_name, review.reviewed_on) == (
        "Ian Kaur",
        manager,
        "Alex Admin",
        D(2026, 3, 9),
    )
    assert AuditEvent.objects.get(verb="agreed plan").changes["on behalf of"] == [None, "Ian Kaur"]


def test_an_admin_does_not_speak_for_a_line_manager_who_signs_in(people, admin, goal_for):
    plan = goal_for(people["sam"], people["sam_login"]).plan
    with pytest.raises(PermissionDenied):
        actions.review_plan(plan, actor=admin, plan_version=plan.plan_version, agree=True, reviewed_on=D(2026, 11, 1))


# --- Partnership working ------------------------------------------------------------------------------------


def test_partnership_roles_are_added_changed_with_stale_edits_refused_and_deleted(people):
    sam, login = people["sam"], people["sam_login"]
    role = actions.add_partnership_role(
        sam,
        actor=login,
        kind="safeguarding",
        body="Safeguarding partnership: practice review sub-group",
        role="Member",
        start_date=D(2025, 9, 1),
    )
    seen = role.version
    actions.update_partnership_role(role, actor=login, expected_version=seen, role="Vice-chair")
    with pytest.raises(StaleEdit):
        actions.update_partnership_role(role, actor=login, expected_version=seen, role="Chair")
    with pytest.raises(ValidationError) as error:
        actions.update_partnership_role(role, actor=login, expected_version=seen + 1, end_date=D(2025, 8, 1))
    assert "on or after the start date, 1 September 2025" in error.value.message_dict["end_date"][0]
    with pytest.raises(PermissionDenied):
        actions.delete_partnership_role(role, actor=people["morgan_login"])
    actions.delete_partnership_role(role, actor=login)
    verbs = list(
        AuditEvent.objects.filter(target_type="development.partnershiprole").order_by("at").values_list("verb", flat=True)
    )
    assert verbs == ["added partnership role", "updated partnership role", "deleted partnership role"]


# --- Someone who has left ---------------------------------------------------------------------------------


def test_the_record_of_someone_who_has_left_is_kept_but_not_changed(people, admin, goal_for):
    sam, login = people["sam"], people["sam_login"]
    goal = goal_for(sam, login)
    workforce_actions.record_leaving(sam, actor=admin, leaving_date=D(2026, 11, 1), leaving_reason="resignation")
    sam.refresh_from_db()
    goal.plan.staff.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        actions.add_action(goal, actor=login, kind="other", description="Too late", due_date=D(2027, 1, 1))
    assert "left on 1 November 2026" in error.value.messages[0]


# --- Statuses across people ---------------------------------------------------------------------------------


def test_plan_summaries_count_goals_actions_and_overdue_actions_in_one_query(people, goal_for, django_assert_num_queries):
    sam, login = people["sam"], people["sam_login"]
    goal = goal_for(sam, login)
    actions.add_action(goal, actor=login, kind="reading", description="Overdue reading", due_date=D(2026, 10, 1))
    done = actions.add_action(goal, actor=login, kind="reading", description="Done reading", due_date=D(2026, 9, 1))
    actions.record_progress(done, actor=login, status="complete")
    with django_assert_num_queries(1):
        summaries = DevelopmentPlan.objects.summaries(D(2026, 11, 24))
    plan = summaries[sam.pk]
    assert (plan.goal_count, plan.action_count, plan.overdue_count, plan.status) == (1, 3, 1, PlanStatus.DRAFT)
