import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trellis.talent import actions
from trellis.talent.models import ActingUpOpportunity, GapAction, PotentialSupervisor, StageSupport
from trellis.workforce import actions as workforce_actions
from trellis.workforce.tests.factories import StaffRecordFactory, StageHistoryFactory, TeamFactory

D = datetime.date


def url(name, *args):
    return reverse(f"talent:{name}", args=["northshire", *args])


def date_parts(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year} if day else {}


def errors(response):
    """The error summary's messages, as a person reads them."""
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "<title>Error: " in page
    summary = page[page.index("govuk-error-summary__list") :]
    return re.findall(r"<a href=\"#[^\"]+\">([^<]+)</a>", summary[: summary.index("</ul>")])


# --- The career pathway -------------------------------------------------------------------------------


def test_a_practitioner_sees_the_steps_in_order_with_the_support_at_each(client_for, practitioner, person):
    person("Pat Practitioner", stage="Social worker", membership=practitioner)
    page = client_for(practitioner).get(url("career-pathway")).content.decode()
    steps = re.findall(r"Step (\d) of 8</span>([^<]+)</h2>", page)
    assert steps == [
        ("1", "Student social worker"),
        ("2", "ASYE / newly qualified social worker"),
        ("3", "Social worker"),
        ("4", "Senior or advanced practitioner"),
        ("5", "Practice supervisor"),
        ("6", "Team manager"),
        ("7", "Service manager"),
        ("8", "Practice leader / Principal Social Worker"),
    ]
    assert "Acting up to cover short absences or vacancies" in page
    assert "Your stage" in page and page.index("Your stage") > page.index("Step 3 of 8")
    # The practice-supervisor step explains the implementation pathway to someone who cannot open it.
    assert reverse("pathway:overview", args=["northshire"]) not in page
    assert "also working through an implementation pathway" in page
    assert "Change support at this stage" not in page


def test_the_practice_supervisor_step_links_to_the_implementation_pathway_for_those_who_may_see_it(client_for, supervisor):
    page = client_for(supervisor).get(url("career-pathway")).content.decode()
    assert f'href="{reverse("pathway:overview", args=["northshire"])}"' in page
    assert "Your stage" not in page  # no staff record linked


def test_the_career_pathway_is_in_everyones_navigation_and_succession_only_for_leads(client_for, practitioner, leader):
    page = client_for(practitioner).get(reverse("tenancy:organisation-home", args=["northshire"])).content.decode()
    assert url("career-pathway") in page and f'href="{url("pipeline")}"' not in page
    page = client_for(leader).get(url("career-pathway")).content.decode()
    assert (
        f'href="{url("pipeline")}"' in page
        and 'aria-current="true"><strong class="govuk-service-navigation__active-fallback">Career pathway' in page
    )


def test_an_admin_adds_changes_reorders_and_removes_support(client_for, admin, org, stages):
    client = client_for(admin)
    page = client.get(url("career-pathway")).content.decode()
    stage = stages["Social worker"]
    assert url("career-stage", stage.pk) in page

    response = client.post(url("support-add", stage.pk), {"kind": "research", "description": "  A monthly journal club.  "})
    assert response.status_code == 302 and response["Location"] == url("career-stage", stage.pk)
    new = StageSupport.objects.get(description="A monthly journal club.")
    page = client.get(url("career-stage", stage.pk)).content.decode()
    assert "Support added at the Social worker stage." in page and "A monthly journal club." in page

    assert errors(client.post(url("support-add", stage.pk), {"description": ""})) == [
        "Select the kind of support",
        "Enter what you offer",
    ]

    response = client.post(url("support-move", new.pk), {"direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith(f"#support-{new.pk}")
    rows = list(StageSupport.objects.filter(stage=stage).order_by("position"))
    assert rows[-2] == new

    data = {"stage": stage.pk, "kind": "research", "description": "A journal club, every month.", "version": 1}
    assert client.post(url("support-edit", new.pk), data).status_code == 302
    response = client.post(url("support-edit", new.pk), {**data, "description": "Stale words"})
    page = response.content.decode()
    assert "changed this after you opened it" in page and "A journal club, every month." in page

    assert "Are you sure you want to remove this support?" in client.get(url("support-delete", new.pk)).content.decode()
    assert client.post(url("support-delete", new.pk)).status_code == 302
    assert not StageSupport.objects.filter(pk=new.pk).exists()


# --- Recording a potential practice supervisor ---------------------------------------------------------


def plan_post(who, **overrides):
    data = {
        "staff": str(who.pk),
        "identified_by": str(who.line_manager_id or ""),
        "source": "appraisal",
        "strengths": "Reflective; newly qualified colleagues go to her for advice.",
        "best_placed_service": "",
        "readiness": "within_12_months",
        **date_parts("identified_on", D(2026, 10, 14)),
    }
    data.update(overrides)
    return data


@pytest.fixture
def wendy(person, team):
    north = team("North")
    boss = person("Sal Supervisor", stage="Practice supervisor", team=north)
    return person("Wendy Worker", team=north, line_manager=boss)


def test_recording_a_potential_supervisor_from_their_staff_record(client_for, admin, wendy):
    client = client_for(admin)
    page = client.get(reverse("workforce:staff", args=["northshire", wendy.pk])).content.decode()
    assert "has not been identified as a potential practice supervisor" in page
    add = f"{url('candidate-add')}?staff={wendy.pk}"
    assert add in page
    form = client.get(add).content.decode()
    assert f'<option value="{wendy.pk}" selected>Wendy Worker' in form
    assert f'<option value="{wendy.line_manager_id}" selected>Sal Supervisor' in form  # their line manager, likely

    response = client.post(url("candidate-add"), plan_post(wendy))
    plan = PotentialSupervisor.objects.get()
    assert response.status_code == 302 and response["Location"] == url("candidate", plan.pk)
    assert plan.identified_by == wendy.line_manager and plan.identified_on == D(2026, 10, 14)
    page = client.get(url("candidate", plan.pk)).content.decode()
    assert "Wendy Worker recorded as a potential practice supervisor." in page
    assert "Within 12 months" in page and "No actions in the gap plan yet." in page

    page = client.get(reverse("workforce:staff", args=["northshire", wendy.pk])).content.decode()
    assert "In the pipeline since 14 October 2026" in page and add not in page


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"staff": ""}, ["Select the person you are recording"]),
        ({"strengths": "  "}, ["Enter their strengths"]),
        ({"readiness": ""}, ["Select how ready they are"]),
        ({"identified_by": ""}, ["Select who identified them"]),
        ({"identified_on_day": ""}, ["Date identified must include a day, month and year"]),
        ({"identified_on_month": "13"}, ["Date identified must be a real date"]),
        (date_parts("identified_on", D(2026, 12, 1)), ["Date identified must be today or in the past"]),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client_for, admin, wendy, overrides, expected):
    response = client_for(admin).post(url("candidate-add"), plan_post(wendy, **overrides))
    assert errors(response) == expected
    assert not PotentialSupervisor.objects.exists()


def test_someone_already_in_the_pipeline_is_a_clear_error_not_a_crash(client_for, admin, wendy, nominate):
    nominate(wendy, identified_on=D(2026, 2, 3))
    response = client_for(admin).post(url("candidate-add"), plan_post(wendy))
    assert errors(response) == [
        "Wendy Worker is already in the pipeline, identified on 3 February 2026. Change their existing plan instead."
    ]
    assert 'href="#id_staff"' in response.content.decode()


def test_a_second_editor_is_told_what_changed_and_keeps_their_input(client_for, admin, leader, wendy, nominate):
    plan = nominate(wendy)
    actions.update_potential_supervisor(plan, actor=leader, expected_version=1, readiness="ready_now")
    data = plan_post(wendy, readiness="one_to_two_years", strengths="My new words.", version=1)
    response = client_for(admin).post(url("candidate-edit", plan.pk), data)
    page = response.content.decode()
    assert "Sam Senior changed this after you opened it" in page and "My new words." in page
    plan.refresh_from_db()
    assert plan.readiness == "ready_now"
    data["version"] = plan.version
    assert client_for(admin).post(url("candidate-edit", plan.pk), data).status_code == 302
    plan.refresh_from_db()
    assert plan.readiness == "one_to_two_years" and plan.strengths == "My new words."


def test_closing_a_plan(client_for, admin, wendy, nominate):
    plan = nominate(wendy, identified_on=D(2026, 3, 2))
    client = client_for(admin)
    assert errors(client.post(url("candidate-close", plan.pk), {"version": 1})) == [
        "Select why the plan is closing",
        "Enter the date",
        "Enter the reason",
    ]
    response = client.post(
        url("candidate-close", plan.pk),
        {"version": 1, "status": "appointed", "closing_note": "Appointed to North.", **date_parts("closed_on", D(2026, 3, 1))},
    )
    assert errors(response) == ["Date must be on or after 2 March 2026, when they were identified"]
    response = client.post(
        url("candidate-close", plan.pk),
        {"version": 1, "status": "appointed", "closing_note": "Appointed to North.", **date_parts("closed_on", D(2026, 11, 1))},
    )
    assert response.status_code == 302
    page = client.get(url("candidate", plan.pk)).content.decode()
    assert "Appointed as a supervisor on 1 November 2026" in page and "Appointed to North." in page
    assert "Change their plan" not in page and "Add an action to the gap plan" not in page
    assert reverse("workforce:staff-stage", args=["northshire", wendy.pk]) in page


# --- Gap plans --------------------------------------------------------------------------------------


def gap_post(owner, **overrides):
    data = {
        "kind": "shadowing",
        "description": "Shadow Sal in three supervision sessions.",
        "owner": str(owner.pk),
        "status": "not_started",
        **date_parts("due_date", D(2027, 2, 26)),
    }
    data.update(overrides)
    return data


def test_building_a_gap_plan(client_for, admin, wendy, nominate):
    plan = nominate(wendy)
    client = client_for(admin)
    response = client.post(url("gap-action-add", plan.pk), gap_post(wendy.line_manager))
    assert response["Location"] == url("candidate", plan.pk) + "#gap-plan"
    gap = GapAction.objects.get()
    assert gap.owner == wendy.line_manager and gap.created_by == admin

    assert errors(client.post(url("gap-action-add", plan.pk), {"status": "not_started"})) == [
        "Select the kind of action",
        "Enter the action",
        "Select who owns this action",
        "Enter the date it should be completed by",
    ]

    overdue = actions.add_gap_action(
        plan, actor=admin, kind="training", description="Supervision course.", due_date=D(2026, 9, 1)
    )
    page = client.get(url("candidate", plan.pk)).content.decode()
    assert "2 actions: 0 complete" in page and "1 overdue" in page
    assert page.count(">Overdue<") == 1 and page.index("Supervision course.") < page.index("Shadow Sal")

    response = client.post(url("gap-action-status", overdue.pk), {"status": "complete", "version": 1})
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.status == "complete"
    response = client.post(url("gap-action-status", overdue.pk), {"status": "blocked", "version": 1}, follow=True)
    assert "Not changed: Alex Admin changed this action after you opened the page." in response.content.decode()

    response = client.post(url("gap-action-edit", gap.pk), gap_post(wendy, description="Shadow Sal twice.", version=1))
    assert response.status_code == 302
    gap.refresh_from_db()
    assert gap.description == "Shadow Sal twice." and gap.owner == wendy

    assert "Are you sure you want to delete this action?" in client.get(url("gap-action-delete", gap.pk)).content.decode()
    client.post(url("gap-action-delete", gap.pk))
    assert list(GapAction.objects.all()) == [overdue]


def test_a_line_manager_and_the_person_see_the_plan_from_the_career_pathway(
    client_for, supervisor, practitioner, person, nominate
):
    boss = person("Priya Supervisor", stage="Practice supervisor", membership=supervisor)
    wendy = person("Wendy Worker", line_manager=boss, membership=practitioner)
    plan = nominate(wendy)
    actions.add_gap_action(plan, actor=supervisor, kind="mentoring", description="Monthly mentoring.")

    page = client_for(supervisor).get(url("career-pathway")).content.decode()
    assert f'href="{url("candidate", plan.pk)}">Wendy Worker</a>' in page
    page = client_for(supervisor).get(url("candidate", plan.pk)).content.decode()
    assert "Add an action to the gap plan" in page and "Close plan" not in page

    page = client_for(practitioner).get(url("career-pathway")).content.decode()
    assert f'href="{url("candidate", plan.pk)}">Your plan</a>' in page
    page = client_for(practitioner).get(url("candidate", plan.pk)).content.decode()
    assert "Monthly mentoring." in page and "Add an action to the gap plan" not in page and "Change their plan" not in page
    assert client_for(practitioner).get(url("candidate-edit", plan.pk)).status_code == 403


# --- Acting up ----------------------------------------------------------------------------------------


def opportunity_post(team, stage, **overrides):
    data = {
        "team": str(team.pk),
        "stage": str(stage.pk),
        "reason": "parental_leave",
        "notes": "",
        **date_parts("start_date", D(2027, 1, 4)),
        **date_parts("end_date", D(2027, 9, 30)),
    }
    data.update(overrides)
    return data


def test_an_acting_up_opportunity_from_start_to_assignment(client_for, leader, person, team, stages, nominate):
    north = team("North")
    ann, ben = person("Ann Able", team=north), person("Ben Bold", team=north)
    ann_plan, _ben_plan = nominate(ann, readiness="ready_now"), nominate(ben)
    client = client_for(leader)

    form = client.get(url("acting-up-add")).content.decode()
    assert f'<option value="{stages["Practice supervisor"].pk}" selected>' in form
    response = client.post(
        url("acting-up-add"), opportunity_post(north, stages["Practice supervisor"], **date_parts("end_date", D(2027, 1, 3)))
    )
    assert errors(response) == ["The end date must be on or after the start date, 4 January 2027"]
    response = client.post(url("acting-up-add"), opportunity_post(north, stages["Practice supervisor"]))
    job = ActingUpOpportunity.objects.get()
    assert response["Location"] == url("acting-up", job.pk)

    assert errors(client.post(url("acting-up-offer", job.pk), date_parts("offered_on", D(2026, 11, 20)))) == [
        "Select at least one person to offer it to"
    ]
    response = client.post(
        url("acting-up-offer", job.pk),
        {"candidates": [str(p.pk) for p in PotentialSupervisor.objects.all()], **date_parts("offered_on", D(2026, 11, 20))},
    )
    assert response.status_code == 302
    ann_offer = job.offers.get(candidate=ann_plan)
    client.post(url("acting-up-response", ann_offer.pk), {"response": "accepted"})
    page = client.get(url("acting-up", job.pk)).content.decode()
    assert "Ann Able: accepted." in page and "Offer it to more people in the pipeline" in page

    # Ben was offered but has not answered: assigning him takes a second, deliberate step.
    data = {"staff": str(ben.pk), "version": 1, **date_parts("assigned_on", D(2026, 11, 23))}
    response = client.post(url("acting-up-assign", job.pk), data)
    assert errors(response) == [
        "Ben Bold has not said yet whether they accept. Tick ‘Assign them anyway’ to assign them, or select someone who accepted."
    ]
    assert 'name="confirming"' in response.content.decode() and "Assign them anyway" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "open"

    form = client.get(url("acting-up-assign", job.pk)).content.decode()
    assert form.index('label="Accepted the offer"') < form.index("Ann Able") < form.index('label="Offered, no answer yet"')

    response = client.post(url("acting-up-assign", job.pk), {**data, "staff": str(ann.pk)})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "filled" and job.assigned_to == ann

    # Ann's staff record shows it in her acting-up history.
    page = client.get(reverse("workforce:staff", args=["northshire", ann.pk])).content.decode()
    history = page[page.index("Acting-up history") :]
    assert "Practice supervisor" in history and "4 Jan 2027 to 30 Sep 2027" in history and "Acting up" in history
    page = client.get(reverse("workforce:staff", args=["northshire", ben.pk])).content.decode()
    assert "Offered: no answer yet; given to someone else" in page


def test_assigning_someone_not_offered_after_confirming(client_for, leader, person, team, opportunity):
    north = team("North")
    carl = person("Carl Cover", team=north)
    job = opportunity(north)
    data = {"staff": str(carl.pk), "version": 1, **date_parts("assigned_on", D(2026, 11, 23))}
    client = client_for(leader)
    response = client.post(url("acting-up-assign", job.pk), data)
    assert errors(response) == [
        "Carl Cover was not offered this opportunity. Tick ‘Assign them anyway’ to assign them, or select someone who accepted."
    ]
    response = client.post(url("acting-up-assign", job.pk), {**data, "confirming": "1", "even_if_not_accepted": "on"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.assigned_to == carl


def test_cancelling_an_opportunity(client_for, leader, team, opportunity):
    job = opportunity(team("North"))
    client = client_for(leader)
    assert "Are you sure you want to cancel this opportunity?" in client.get(url("acting-up-cancel", job.pk)).content.decode()
    client.post(url("acting-up-cancel", job.pk))
    page = client.get(url("acting-up", job.pk)).content.decode()
    assert "Acting-up opportunity cancelled." in page and "Assign someone" not in page
    response = client.post(url("acting-up-cancel", job.pk), follow=True)
    assert "This acting-up opportunity was cancelled." in response.content.decode()


# --- The succession view ------------------------------------------------------------------------------


def test_the_succession_view_shows_the_pipeline_gaps_and_open_acting_up(
    client_for, admin, leader, person, team, nominate, opportunity
):
    north, south = team("North"), team("South")
    sal = person("Sal Leaving", stage="Practice supervisor", team=north)
    workforce_actions.record_leaving(sal, actor=admin, leaving_date=D(2027, 1, 31), leaving_reason="retirement")
    nina = nominate(person("Nia Nominee", team=north), readiness="one_to_two_years")
    nominate(person("Raj Ready", team=south), readiness="ready_now")
    opportunity(south, notes="Cover")
    page = client_for(leader).get(url("pipeline")).content.decode()
    assert "2 people in the pipeline, 1 ready now." in page
    gaps = page[page.index("Teams with a gap") : page.index("The pipeline by team and readiness")]
    assert "North" in gaps and "Sal Leaving" in gaps and "31 January 2027" in gaps and "Nia Nominee" in gaps
    assert "South" not in gaps
    table = page[page.index("The pipeline by team and readiness") : page.index("Open acting-up opportunities")]
    assert "Children's services: 2 people" in table and f'href="{url("candidate", nina.pk)}"' in table
    acting = page[page.index("Open acting-up opportunities") :]
    assert "South" in acting and "Not offered yet" in acting
    page = client_for(leader).get(url("pipeline"), {"service": "adults"}).content.decode()
    assert "0 people in the pipeline for adults' services" in page and "Nia Nominee" not in page


def test_the_list_of_plans_filters(client_for, admin, leader, person, team, nominate):
    north = team("North")
    nominate(person("Ann Able", team=north), readiness="ready_now")
    nominate(person("Ben Bold"), readiness="one_to_two_years")
    closed = nominate(person("Cat Closed"))
    actions.close_potential_supervisor(closed, actor=admin, status="withdrawn", closed_on=D(2026, 5, 1), closing_note="x")
    client = client_for(leader)

    def names(**params):
        page = client.get(url("candidate-list"), params).content.decode()
        return {n for n in ("Ann Able", "Ben Bold", "Cat Closed") if n in page}

    assert names() == {"Ann Able", "Ben Bold"}
    assert names(readiness="ready_now") == {"Ann Able"}
    assert names(team=str(north.pk)) == {"Ann Able"}
    assert names(status="withdrawn") == {"Cat Closed"}
    assert names(status="all") == {"Ann Able", "Ben Bold", "Cat Closed"}
    assert names(readiness="nonsense") == {"Ann Able", "Ben Bold"}


# --- Query counts -------------------------------------------------------------------------------------


def make_rows(org, admin, stages, n):
    """n teams, each with a new supervisor, two people in the pipeline with gap actions, and acting up."""
    for _ in range(n):
        team = TeamFactory(organisation=org)
        boss = StaffRecordFactory(organisation=org, team=team)
        StageHistoryFactory(staff=boss, stage=stages["Practice supervisor"], start_date=D(2026, 6, 1))
        plans = []
        for readiness in ("ready_now", "one_to_two_years"):
            worker = StaffRecordFactory(organisation=org, team=team, line_manager=boss)
            StageHistoryFactory(staff=worker, stage=stages["Senior or advanced practitioner"])
            plan = actions.record_potential_supervisor(
                actor=admin, staff=worker, identified_on=D(2026, 1, 5), source="appraisal", strengths="x", readiness=readiness
            )
            actions.add_gap_action(plan, actor=admin, kind="training", description="x", owner=boss, due_date=D(2026, 1, 1))
            plans.append(plan)
        job = actions.create_acting_up(
            actor=admin,
            team=team,
            stage=stages["Practice supervisor"],
            start_date=D(2027, 1, 4),
            end_date=D(2027, 2, 4),
            reason="sickness",
        )
        actions.offer_acting_up(job, actor=admin, candidates=plans, offered_on=D(2026, 11, 1))
        actions.assign_acting_up(job, actor=admin, staff=plans[0].staff, assigned_on=D(2026, 11, 2), even_if_not_accepted=True)
        actions.create_acting_up(
            actor=admin,
            team=team,
            stage=stages["Practice supervisor"],
            start_date=D(2027, 3, 4),
            end_date=D(2027, 4, 4),
            reason="vacancy",
        )
    return plans[0]


@pytest.mark.parametrize("name", ["pipeline", "candidate-list", "acting-up-list", "career-pathway", "candidate", "staff"])
def test_query_counts_do_not_grow_with_rows(client_for, admin, org, stages, name):
    client = client_for(admin)
    first = make_rows(org, admin, stages, 2)

    def address():
        if name == "candidate":
            return url("candidate", first.pk)
        if name == "staff":
            return reverse("workforce:staff", args=["northshire", first.staff_id])
        return url(name)

    client.get(address())  # warm up: session, default stages and pathway
    with CaptureQueriesContext(connection) as few:
        assert client.get(address()).status_code == 200
    make_rows(org, admin, stages, 8)
    # More gap actions and acting up for the same person, for the pages about one person.
    for _ in range(5):
        actions.add_gap_action(first, actor=admin, kind="coaching", description="y", owner=first.staff, due_date=D(2027, 1, 1))
        job = actions.create_acting_up(
            actor=admin,
            team=first.staff.team,
            stage=stages["Team manager"],
            start_date=D(2027, 5, 4),
            end_date=D(2027, 6, 4),
            reason="sickness",
        )
        actions.offer_acting_up(job, actor=admin, candidates=[first], offered_on=D(2026, 11, 3))
    with CaptureQueriesContext(connection) as many:
        assert client.get(address()).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- Every page is strict -----------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle=", re.IGNORECASE)


def test_every_talent_page_is_strict_with_one_h1_and_a_title(client_for, admin, org, stages, person, nominate, team, opportunity):
    north = team("North")
    plan = nominate(person("Wendy Worker", team=north), readiness="ready_now")
    gap = actions.add_gap_action(plan, actor=admin, kind="coaching", description="Coaching.")
    job = opportunity(north)
    actions.offer_acting_up(job, actor=admin, candidates=[plan], offered_on=D(2026, 11, 1))
    actions.ensure_default_career_pathway(org)
    support = StageSupport.objects.filter(organisation=org).first()
    pages = [
        url("career-pathway"),
        url("career-stage", support.stage_id),
        url("support-add", support.stage_id),
        url("support-edit", support.pk),
        url("support-delete", support.pk),
        url("pipeline"),
        url("candidate-list"),
        url("candidate-add"),
        url("candidate", plan.pk),
        url("candidate-edit", plan.pk),
        url("candidate-close", plan.pk),
        url("gap-action-add", plan.pk),
        url("gap-action-edit", gap.pk),
        url("gap-action-delete", gap.pk),
        url("acting-up-list"),
        url("acting-up-add"),
        url("acting-up", job.pk),
        url("acting-up-edit", job.pk),
        url("acting-up-offer", job.pk),
        url("acting-up-assign", job.pk),
        url("acting-up-cancel", job.pk),
        reverse("workforce:staff", args=["northshire", plan.staff_id]),
    ]
    client = client_for(admin)
    for address in pages:
        response = client.get(address)
        html = response.content.decode()
        assert response.status_code == 200, address
        assert not INLINE_SCRIPT.search(html) and not STYLE_ATTR.search(html), address
        assert html.count("<h1") == 1, address
        assert re.search(r"<title>[^<]+ – Trellis</title>", html), address
