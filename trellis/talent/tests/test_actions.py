import datetime

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.talent import actions
from trellis.talent.models import ActingUpOffer, CareerPathway, GapAction, PotentialSupervisor, StageSupport
from trellis.talent.succession import succession
from trellis.workforce import actions as workforce_actions
from trellis.workforce.actions import DEFAULT_CAREER_STAGES

D = datetime.date


def events(obj, pk=None):
    """Verbs of the audit events for `obj`, oldest first; `pk` for a row already deleted."""
    rows = AuditEvent.objects.filter(target_type=obj._meta.label_lower, target_id=str(pk or obj.pk))
    return list(rows.order_by("at").values_list("verb", flat=True))


# --- The career development pathway ---------------------------------------------------------------


def test_the_default_pathway_covers_every_default_stage_with_known_kinds():
    data = actions.default_pathway()
    assert list(data["stages"]) == [name for name, _ in DEFAULT_CAREER_STAGES]
    kinds = {item["kind"] for items in data["stages"].values() for item in items}
    assert kinds <= set(StageSupport.Kind.values)
    # Seed 000 section 1 names each kind: the default uses all of them somewhere.
    assert kinds == set(StageSupport.Kind.values)


def test_the_default_pathway_loads_once(org):
    assert actions.ensure_default_career_pathway(org) is True
    assert actions.ensure_default_career_pathway(org) is False
    loaded = StageSupport.objects.filter(organisation=org)
    total = sum(len(items) for items in actions.default_pathway()["stages"].values())
    assert loaded.count() == total
    first = loaded.filter(stage__name="Practice supervisor").order_by("position").first()
    assert first.kind == "training" and first.position == 1 and first.version == 1
    event = AuditEvent.objects.get(verb="loaded the default career pathway")
    assert event.organisation == org and event.changes["support"] == [None, total]


def test_removing_every_item_does_not_bring_the_defaults_back(org, admin):
    actions.ensure_default_career_pathway(org)
    for support in StageSupport.objects.filter(organisation=org):
        actions.remove_stage_support(support, actor=admin)
    assert actions.ensure_default_career_pathway(org) is False
    assert not StageSupport.objects.filter(organisation=org).exists()


def test_a_renamed_stage_gets_no_defaults(org, stages, tmp_path):
    stages["Social worker"].name = "Level 2 social worker"
    stages["Social worker"].save()
    actions.ensure_default_career_pathway(org)
    assert not StageSupport.objects.filter(stage=stages["Social worker"]).exists()
    assert StageSupport.objects.filter(stage=stages["Student social worker"]).exists()


def test_a_bad_kind_in_the_file_fails_loudly(org, tmp_path):
    path = tmp_path / "pathway.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "stages": {"Social worker": [{"kind": "lunch", "description": "x"}]}}))
    with pytest.raises(ValueError, match="lunch"):
        actions.ensure_default_career_pathway(org, path=path)
    assert not CareerPathway.objects.exists()


def test_only_admins_change_the_career_pathway(org, leader, stages):
    with pytest.raises(PermissionDenied):
        actions.add_stage_support(actor=leader, stage=stages["Social worker"], kind="training", description="x")


def test_adding_changing_moving_and_removing_support(org, admin, member_with, stages):
    actions.ensure_default_career_pathway(org)
    stage = stages["Social worker"]
    new = actions.add_stage_support(actor=admin, stage=stage, kind="research", description="A journal club.")
    rows = list(StageSupport.objects.filter(stage=stage).order_by("position"))
    assert rows[-1] == new and new.position == len(rows)
    assert AuditEvent.objects.for_target(new).get().changes["description"] == [None, "A journal club."]

    moved = actions.move_stage_support(new, actor=admin, direction="up")
    order = list(StageSupport.objects.filter(stage=stage).order_by("position").values_list("pk", flat=True))
    assert order[-2] == new.pk and moved.pk == new.pk
    assert [r.position for r in StageSupport.objects.filter(stage=stage).order_by("position")] == list(range(1, len(order) + 1))
    top = StageSupport.objects.filter(stage=stage).order_by("position").first()
    assert actions.move_stage_support(top, actor=admin, direction="up").position == 1  # already first: nothing moves

    other = member_with("org_admin", user__full_name="Bea Admin")
    actions.update_stage_support(new, actor=other, expected_version=1, description="A monthly journal club.")
    with pytest.raises(StaleEdit) as stale:
        actions.update_stage_support(new, actor=admin, expected_version=1, description="Something else")
    assert ("What we offer", "A journal club.", "A monthly journal club.") in stale.value.changes

    actions.update_stage_support(new, actor=admin, expected_version=2, stage=stages["Team manager"])
    new.refresh_from_db()
    assert new.stage == stages["Team manager"]
    assert new.position == StageSupport.objects.filter(stage=stages["Team manager"]).count()

    pk = new.pk
    actions.remove_stage_support(new, actor=admin)
    assert not StageSupport.objects.filter(pk=pk).exists()
    assert events(new, pk) == ["added support", "moved support up", "updated", "updated", "removed support"]


# --- Potential practice supervisors -----------------------------------------------------------------


def test_recording_a_potential_supervisor_is_audited(admin, person, team, nominate):
    north = team("North")
    boss = person("Sal Supervisor", stage="Practice supervisor", team=north)
    wendy = person("Wendy Worker", team=north, line_manager=boss)
    plan = nominate(wendy, readiness="ready_now", identified_by=boss, best_placed_team=north)
    assert plan.is_active and plan.created_by == admin and plan.version == 1
    event = AuditEvent.objects.for_target(plan).get()
    assert event.verb == "recorded potential practice supervisor"
    assert event.changes["person"] == [None, "Wendy Worker"]
    assert event.changes["readiness"] == [None, "Ready now"]
    assert event.changes["identified_by"] == [None, "Sal Supervisor"]


def test_only_leads_record_potential_supervisors(supervisor, person, nominate):
    with pytest.raises(PermissionDenied):
        nominate(person("Wendy Worker"), actor=supervisor)


def test_one_plan_in_the_pipeline_per_person(person, nominate):
    wendy = person("Wendy Worker")
    nominate(wendy, identified_on=D(2026, 2, 3))
    with pytest.raises(ValidationError) as error:
        nominate(wendy)
    assert error.value.message_dict["staff"] == [
        "Wendy Worker is already in the pipeline, identified on 3 February 2026. Change their existing plan instead."
    ]
    assert PotentialSupervisor.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"identified_on": D(2026, 11, 25)}, "identified_on", "Date identified must be today or in the past"),
        (
            {"identified_on": D(2018, 3, 31)},
            "identified_on",
            "Date identified must be on or after 1 April 2018, when Wendy Worker started",
        ),
    ],
)
def test_dates_identified_are_checked(person, nominate, fields, field, message):
    with pytest.raises(ValidationError) as error:
        nominate(person("Wendy Worker"), **fields)
    assert error.value.message_dict[field] == [message]


def test_best_placed_team_and_service_must_agree(person, team, nominate):
    adults = team("Hospital discharge", service="adults")
    with pytest.raises(ValidationError) as error:
        nominate(person("Wendy Worker"), best_placed_team=adults, best_placed_service="children")
    assert error.value.message_dict["best_placed_service"] == [
        "Hospital discharge is in adults' services. Select adults, or leave the service blank."
    ]


def test_someone_who_has_left_cannot_be_recorded(admin, person, nominate):
    gone = person("Gus Gone")
    workforce_actions.record_leaving(gone, actor=admin, leaving_date=D(2026, 10, 31), leaving_reason="resignation")
    gone.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        nominate(gone)
    assert "Gus Gone left on 31 October 2026" in error.value.message_dict["staff"][0]


def test_the_manager_who_identified_them_is_not_themselves(person, nominate):
    wendy = person("Wendy Worker")
    with pytest.raises(ValidationError) as error:
        nominate(wendy, identified_by=wendy)
    assert "not the person themselves" in error.value.message_dict["identified_by"][0]


def test_a_line_manager_changes_the_plan_and_a_stale_edit_is_refused(admin, supervisor, person, nominate):
    boss = person("Priya Supervisor", stage="Practice supervisor", membership=supervisor)
    wendy = person("Wendy Worker", line_manager=boss)
    plan = nominate(wendy)
    plan = actions.update_potential_supervisor(plan, actor=supervisor, expected_version=1, readiness="ready_now")
    assert plan.version == 2 and plan.updated_by == supervisor
    assert AuditEvent.objects.for_target(plan).filter(verb="updated").get().changes == {
        "readiness": ["Within 12 months", "Ready now"]
    }
    with pytest.raises(StaleEdit) as stale:
        actions.update_potential_supervisor(plan, actor=admin, expected_version=1, strengths="Something else")
    assert ("Readiness", "Within 12 months", "Ready now") in stale.value.changes
    assert stale.value.changed_by == supervisor


def test_other_members_and_the_person_themselves_cannot_change_a_plan(practitioner, member_with, person, nominate):
    wendy = person("Wendy Worker", membership=practitioner)
    plan = nominate(wendy)
    for member in (practitioner, member_with("practice_supervisor")):
        with pytest.raises(PermissionDenied):
            actions.update_potential_supervisor(plan, actor=member, expected_version=1, readiness="ready_now")
        with pytest.raises(PermissionDenied):
            actions.add_gap_action(plan, actor=member, kind="training", description="x")


def test_closing_a_plan_and_recording_them_again(admin, person, nominate):
    wendy = person("Wendy Worker")
    plan = nominate(wendy, identified_on=D(2025, 5, 1))
    with pytest.raises(ValidationError) as error:
        actions.close_potential_supervisor(
            plan, actor=admin, status="appointed", closed_on=D(2025, 4, 30), closing_note="Appointed", expected_version=1
        )
    assert error.value.message_dict["closed_on"] == ["Date must be on or after 1 May 2025, when they were identified"]
    plan = actions.close_potential_supervisor(
        plan, actor=admin, status="withdrawn", closed_on=D(2026, 1, 5), closing_note="Staying in practice.", expected_version=1
    )
    assert plan.status == "withdrawn" and plan.closed_on == D(2026, 1, 5) and not plan.is_active
    assert AuditEvent.objects.for_target(plan).get(verb="closed plan").changes["status"] == [
        "In the pipeline",
        "No longer in the pipeline",
    ]
    with pytest.raises(ValidationError, match="closed on 5 January 2026"):
        actions.update_potential_supervisor(plan, actor=admin, expected_version=2, readiness="ready_now")
    with pytest.raises(ValidationError, match="closed on 5 January 2026"):
        actions.add_gap_action(plan, actor=admin, kind="training", description="x")
    again = nominate(wendy)
    assert again.is_active and PotentialSupervisor.objects.filter(staff=wendy).count() == 2


def test_closing_is_for_leads_not_line_managers(supervisor, person, nominate):
    boss = person("Priya Supervisor", stage="Practice supervisor", membership=supervisor)
    plan = nominate(person("Wendy Worker", line_manager=boss))
    with pytest.raises(PermissionDenied):
        actions.close_potential_supervisor(plan, actor=supervisor, status="appointed", closed_on=D(2026, 6, 1), closing_note="x")


# --- Gap plans --------------------------------------------------------------------------------------


def test_a_gap_plan_is_added_changed_and_deleted_with_an_audit_trail(admin, supervisor, person, nominate):
    boss = person("Priya Supervisor", stage="Practice supervisor", membership=supervisor)
    wendy = person("Wendy Worker", line_manager=boss)
    plan = nominate(wendy)
    gap = actions.add_gap_action(
        plan, actor=supervisor, kind="shadowing", description="Shadow Priya.", owner=boss, due_date=D(2026, 10, 1)
    )
    assert gap.is_overdue and list(GapAction.objects.overdue()) == [gap]
    gap = actions.change_gap_action_status(gap, actor=supervisor, status="complete", expected_version=1)
    assert not gap.is_overdue and gap.version == 2
    with pytest.raises(StaleEdit) as stale:
        actions.change_gap_action_status(gap, actor=admin, status="blocked", expected_version=1)
    assert ("Status", "Not started", "Complete") in stale.value.changes
    gap = actions.update_gap_action(gap, actor=admin, expected_version=2, description="Shadow Priya twice.", owner=wendy)
    assert gap.owner == wendy and gap.version == 3
    pk = gap.pk
    actions.delete_gap_action(gap, actor=admin)
    assert not GapAction.objects.exists()
    assert events(gap, pk) == ["added gap plan action", "changed status", "updated", "deleted gap plan action"]
    assert AuditEvent.objects.get(target_id=str(pk), verb="deleted gap plan action").changes["description"] == [
        "Shadow Priya twice.",
        None,
    ]


def test_a_gap_action_owner_must_still_be_in_post(admin, person, nominate):
    gone = person("Gus Gone")
    workforce_actions.record_leaving(gone, actor=admin, leaving_date=D(2026, 10, 31), leaving_reason="resignation")
    gone.refresh_from_db()
    plan = nominate(person("Wendy Worker"))
    with pytest.raises(ValidationError) as error:
        actions.add_gap_action(plan, actor=admin, kind="mentoring", description="x", owner=gone)
    assert "Gus Gone left on 31 October 2026" in error.value.message_dict["owner"][0]


# --- Acting-up opportunities --------------------------------------------------------------------------


def test_acting_up_dates_must_be_in_order(team, opportunity):
    with pytest.raises(ValidationError) as error:
        opportunity(team("North"), start=D(2027, 1, 4), end=D(2027, 1, 3))
    assert error.value.message_dict["end_date"] == ["The end date must be on or after the start date, 4 January 2027"]


def test_offer_answer_and_assign(admin, leader, person, team, nominate, opportunity):
    north = team("North")
    ann, ben = person("Ann Able", team=north), person("Ben Bold", team=north)
    ann_plan, ben_plan = nominate(ann, readiness="ready_now"), nominate(ben)
    job = opportunity(north)
    offers = actions.offer_acting_up(job, actor=leader, candidates=[ann_plan, ben_plan], offered_on=D(2026, 11, 20))
    assert [o.response for o in offers] == ["offered", "offered"]
    with pytest.raises(ValidationError, match="Ann Able has already been offered"):
        actions.offer_acting_up(job, actor=leader, candidates=[ann_plan], offered_on=D(2026, 11, 20))
    actions.record_acting_up_response(offers[0], actor=leader, response="accepted")
    actions.record_acting_up_response(offers[1], actor=leader, response="declined")
    assert events(job) == [
        "created acting-up opportunity",
        "offered acting up",
        "recorded answer to acting-up offer",
        "recorded answer to acting-up offer",
    ]

    with pytest.raises(ValidationError) as error:
        actions.assign_acting_up(job, actor=leader, staff=ben, assigned_on=D(2026, 11, 23))
    (item,) = error.value.error_dict["staff"]
    assert item.code == "not_accepted" and item.params["reason"] == "Ben Bold declined this opportunity"

    job = actions.assign_acting_up(job, actor=leader, staff=ann, assigned_on=D(2026, 11, 23), expected_version=1)
    assert job.status == "filled" and job.assigned_to == ann and job.version == 2
    assert AuditEvent.objects.for_target(job).get(verb="assigned acting up").changes["assigned_to"] == [None, "Ann Able"]
    with pytest.raises(ValidationError, match="already filled by Ann Able"):
        actions.offer_acting_up(job, actor=leader, candidates=[ben_plan], offered_on=D(2026, 11, 24))


def test_assigning_someone_not_offered_takes_a_deliberate_step(leader, person, team, opportunity):
    north = team("North")
    carl = person("Carl Cover", team=north)
    job = opportunity(north)
    with pytest.raises(ValidationError) as error:
        actions.assign_acting_up(job, actor=leader, staff=carl, assigned_on=D(2026, 11, 23))
    assert error.value.error_dict["staff"][0].params["reason"] == "Carl Cover was not offered this opportunity"
    job = actions.assign_acting_up(job, actor=leader, staff=carl, assigned_on=D(2026, 11, 23), even_if_not_accepted=True)
    event = AuditEvent.objects.for_target(job).get(verb="assigned acting up")
    assert event.changes["note"] == [None, "Carl Cover was not offered this opportunity"]


def test_who_can_be_assigned(admin, leader, person, team, opportunity):
    north = team("North")
    job = opportunity(north, end=D(2027, 4, 30))
    gone = person("Gus Gone")
    workforce_actions.record_leaving(gone, actor=admin, leaving_date=D(2026, 10, 31), leaving_reason="resignation")
    gone.refresh_from_db()
    with pytest.raises(ValidationError, match="Gus Gone left on 31 October 2026"):
        actions.assign_acting_up(job, actor=leader, staff=gone, assigned_on=D(2026, 11, 23), even_if_not_accepted=True)
    leaving = person("Lee Leaving")
    workforce_actions.record_leaving(leaving, actor=admin, leaving_date=D(2027, 2, 28), leaving_reason="retirement")
    leaving.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        actions.assign_acting_up(job, actor=leader, staff=leaving, assigned_on=D(2026, 11, 23), even_if_not_accepted=True)
    assert "leaves on 28 February 2027, before this acting up ends on 30 April 2027" in error.value.message_dict["staff"][0]


def test_a_cancelled_opportunity_cannot_be_assigned_offered_or_changed(leader, person, team, nominate, opportunity):
    north = team("North")
    ann = person("Ann Able", team=north)
    job = actions.cancel_acting_up(opportunity(north), actor=leader)
    assert job.status == "cancelled"
    for attempt in (
        lambda: actions.assign_acting_up(job, actor=leader, staff=ann, assigned_on=D(2026, 11, 23), even_if_not_accepted=True),
        lambda: actions.offer_acting_up(job, actor=leader, candidates=[nominate(ann)], offered_on=D(2026, 11, 23)),
        lambda: actions.update_acting_up(job, actor=leader, expected_version=2, notes="x"),
        lambda: actions.cancel_acting_up(job, actor=leader),
    ):
        with pytest.raises(ValidationError, match="was cancelled"):
            attempt()


def test_a_stale_acting_up_edit_is_refused(admin, leader, team, opportunity):
    job = opportunity(team("North"))
    actions.update_acting_up(job, actor=admin, expected_version=1, notes="Cover for Sal.")
    with pytest.raises(StaleEdit) as stale:
        actions.update_acting_up(job, actor=leader, expected_version=1, end_date=D(2027, 5, 31))
    assert ("Notes", "", "Cover for Sal.") in stale.value.changes


def test_only_leads_manage_acting_up(supervisor, team, stages):
    with pytest.raises(PermissionDenied):
        actions.create_acting_up(
            actor=supervisor,
            team=team("North"),
            stage=stages["Practice supervisor"],
            start_date=D(2027, 1, 4),
            end_date=D(2027, 2, 4),
            reason="sickness",
        )


def test_another_organisations_team_is_refused(admin, other_org, stages):
    from trellis.workforce.models import Team

    theirs = Team.objects.create(organisation=other_org, name="Elsewhere", service="adults")
    with pytest.raises(ValueError, match="another organisation"):
        actions.create_acting_up(
            actor=admin,
            team=theirs,
            stage=stages["Practice supervisor"],
            start_date=D(2027, 1, 4),
            end_date=D(2027, 2, 4),
            reason="sickness",
        )


# --- The succession view ------------------------------------------------------------------------------


def test_gaps_are_teams_with_a_supervisor_leaving_or_new_and_nobody_ready(admin, leader, person, team, nominate):
    north, south, east, west = team("North"), team("South"), team("East"), team("West")
    # North: supervisor leaving, only someone in 1 to 2 years. A gap.
    sal = person("Sal Leaving", stage="Practice supervisor", team=north, stage_start_date=D(2019, 1, 1))
    workforce_actions.record_leaving(sal, actor=admin, leaving_date=D(2027, 1, 31), leaving_reason="retirement")
    nominate(person("Nia Nominee", team=north), readiness="one_to_two_years")
    # South: a supervisor in their first 12 months, and someone from East ready now and best placed in South. Covered.
    person("Noor New", stage="Practice supervisor", team=south, stage_start_date=D(2026, 6, 1))
    nominate(person("Ed East", team=east), readiness="ready_now", best_placed_team=south)
    # East: a long-standing supervisor. No risk, so no gap even with nobody in the pipeline for it.
    person("Olive Old", stage="Practice supervisor", team=east, stage_start_date=D(2015, 1, 1))
    # West: a new supervisor; its only ready-now person has left. A gap, and their plan is flagged.
    person("Wil New", stage="Practice supervisor", team=west, stage_start_date=D(2026, 9, 1))
    gone = person("Gus Gone", team=west)
    nominate(gone, readiness="ready_now", identified_on=D(2026, 1, 5))
    workforce_actions.record_leaving(gone, actor=admin, leaving_date=D(2026, 10, 31), leaving_reason="resignation")

    view = succession(leader)
    assert [(g.team.name, [p.full_name for p in g.supervisors]) for g in view.gaps] == [
        ("North", ["Sal Leaving"]),
        ("West", ["Wil New"]),
    ]
    assert [(g.team.name, [p.staff.full_name for p in g.ready_now]) for g in view.covered] == [("South", ["Ed East"])]
    assert [p.staff.full_name for p in view.left] == ["Gus Gone"]
    assert view.in_pipeline == 2 and view.ready_now == 1
    (children,) = view.services
    rows = {row.team.name: [[p.staff.full_name for p in cell] for cell in row.columns] for row in children.rows}
    assert rows["South"] == [["Ed East"], [], []]  # counted where best placed
    assert rows["North"] == [[], [], ["Nia Nominee"]]
    assert rows["East"] == [[], [], []]
    assert children.totals == [1, 0, 1]


def test_the_succession_view_filters_by_service(leader, person, team, nominate):
    nominate(person("Ann Adults", team=team("Hospital discharge", service="adults"), service="adults"))
    nominate(person("Cal Children", team=team("Fostering")))
    nominate(person("Una Unplaced"), best_placed_service="adults")
    view = succession(leader, service="adults")
    assert [s.value for s in view.services] == ["adults"]
    rows = {row.team.name if row.team else None: row.total for row in view.services[0].rows}
    assert rows == {"Hospital discharge": 1, None: 1}
    assert view.in_pipeline == 2


def test_acting_up_history_includes_offers_and_assignments(leader, person, team, nominate, opportunity):
    from trellis.talent.models import ActingUpOpportunity

    north = team("North")
    ann = person("Ann Able", team=north)
    plan = nominate(ann)
    offered = opportunity(north)
    actions.offer_acting_up(offered, actor=leader, candidates=[plan], offered_on=D(2026, 11, 1))
    given = opportunity(north, start=D(2026, 2, 2), end=D(2026, 3, 2))
    actions.assign_acting_up(given, actor=leader, staff=ann, assigned_on=D(2026, 1, 20), even_if_not_accepted=True)
    opportunity(north)  # nothing to do with Ann
    assert set(ActingUpOpportunity.objects.for_person(ann)) == {offered, given}
    assert ActingUpOffer.objects.get().candidate == plan


def test_support_added_before_the_defaults_arrive_stays_first(org, admin, stages):
    mine = actions.add_stage_support(actor=admin, stage=stages["Social worker"], kind="research", description="Ours.")
    actions.ensure_default_career_pathway(org)
    rows = list(StageSupport.objects.filter(stage=stages["Social worker"]).order_by("position"))
    assert rows[0] == mine and [r.position for r in rows] == list(range(1, len(rows) + 1))
