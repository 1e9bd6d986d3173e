import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trellis.development import actions
from trellis.development.models import DevelopmentAction, DevelopmentPlan, Goal, PartnershipRole, PlanReview

D = datetime.date


def url(name, *args):
    return reverse(f"development:{name}", args=["northshire", *args])


def date_parts(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year} if day else {}


def errors(response):
    """The error summary's messages, as a person reads them."""
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "<title>Error: " in page, page[:300]
    summary = page[page.index("govuk-error-summary__list") :]
    return re.findall(r"<a href=\"#[^\"]+\">([^<]+)</a>", summary[: summary.index("</ul>")])


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- My development ---------------------------------------------------------------------------------------


def test_a_member_with_no_staff_record_is_told_why_and_who_to_ask(client_for, practitioner, admin):
    response = client_for(practitioner).get(url("mine"))
    page = text(response)
    assert response.status_code == 200
    assert "Your Trellis login is not linked to a staff record yet" in page
    assert "Alex Admin" in page and "admin@northshire.gov.uk" in page


def test_my_development_shows_an_empty_plan_with_a_way_to_start(client_for, people):
    page = text(client_for(people["sam_login"]).get(url("mine")))
    assert "My development" in page and "You have no goals in your plan yet" in page
    assert "Add a goal" in page and "Share with your mentor" in page
    assert "My team" not in page  # Sam line-manages nobody


def test_the_nav_has_my_development_for_everyone_and_supervisor_development_for_leads(client_for, practitioner, leader):
    home = reverse("tenancy:organisation-home", args=["northshire"])
    assert "My development" in text(client_for(practitioner).get(home))
    page = text(client_for(leader).get(url("overview")))
    assert "My development" in page and "Supervisor development" in page


def test_adding_a_goal_with_standards_and_fixing_mistakes(client_for, people, standards):
    client = client_for(people["sam_login"])
    add = url("goal-add", people["sam"].pk)
    page = client.get(add).content.decode()
    assert "PS-KSS framework (2018)" in page and "Effective use of power and authority" in page
    assert "Relationship-based practice supervision" not in page  # adults' framework: not Sam's service
    assert errors(client.post(add, {"title": " "})) == ["Enter the goal", "Select at least one standard this goal develops"]
    assert errors(client.post(add, {"title": "Goal", "standards": [str(standards["adults"][0].pk)]})) == [
        "Select standards from the list"
    ]
    assert errors(
        client.post(
            add,
            {
                "title": "Goal",
                "standards": [str(standards["children"][0].pk)],
                **date_parts("target_date", None),
                "target_date_day": "31",
                "target_date_month": "2",
                "target_date_year": "2027",
            },
        )
    ) == ["Target date (optional) must be a real date"]
    response = client.post(add, {"title": "Use my authority with care", "standards": [str(standards["children"][0].pk)]})
    goal = Goal.objects.get()
    assert response.status_code == 302 and response["Location"] == url("mine") + f"#goal-{goal.pk}"
    page = text(client.get(url("mine")))
    assert "Goal added: Use my authority with care" in page and "Not agreed yet" in page
    assert "PS-KSS 1. Effective use of power and authority" in page


def test_a_stale_goal_edit_keeps_what_was_typed_and_shows_what_changed(client_for, people, goal_for):
    goal = goal_for(people["sam"], people["sam_login"])
    client = client_for(people["sam_login"])
    seen = goal.version
    actions.update_goal(goal, actor=people["sam_login"], expected_version=seen, title="Changed in another tab")
    response = client.post(url("goal-edit", goal.pk), {"version": seen, "title": "My words", "status": "active"})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert "changed this after you opened it" in page and "Changed in another tab" in page
    assert 'value="My words"' in page
    goal.refresh_from_db()
    assert goal.title == "Changed in another tab"


def test_adding_an_action_checks_its_dates(client_for, people, goal_for):
    goal = goal_for(people["sam"], people["sam_login"], with_action=False)
    client = client_for(people["sam_login"])
    add = url("action-add", goal.pk)
    assert errors(client.post(add, {"status": "not_started"})) == [
        "Select the kind of action",
        "Enter the action",
        "Enter the date it should be completed by",
    ]
    data = {
        "kind": "shadowing",
        "description": "Shadow Morgan",
        "status": "not_started",
        **date_parts("start_date", D(2027, 2, 1)),
        **date_parts("due_date", D(2027, 1, 1)),
    }
    assert errors(client.post(add, data)) == ["The date to be completed must be on or after the start date, 1 February 2027"]
    data.update(date_parts("due_date", D(2027, 3, 1)))
    assert client.post(add, data).status_code == 302
    assert DevelopmentAction.objects.get().description == "Shadow Morgan"


def test_progress_is_recorded_on_the_action_page_and_overdue_shows(client_for, people, goal_for):
    goal = goal_for(people["sam"], people["sam_login"], with_action=False)
    action = actions.add_action(
        goal, actor=people["sam_login"], kind="reading", description="Read the policy", due_date=D(2026, 11, 1)
    )
    client = client_for(people["sam_login"])
    page = text(client.get(url("action", action.pk)))
    assert "Overdue" in page and "No progress recorded yet" in page
    record = url("action-progress", action.pk)
    response = client.post(record, {"version": action.version, "status": "not_started", "text": ""})
    assert errors(response) == ["Enter a progress note, or change the status"]
    response = client.post(
        record, {"version": action.version, "status": "complete", "text": "Read it; two questions for supervision."}
    )
    assert response.status_code == 302
    page = text(client.get(url("action", action.pk)))
    assert "Status changed to Complete" in page and "two questions for supervision" in page and "Overdue" not in page


def test_the_line_manager_reviews_and_agrees_and_a_stale_review_is_refused(client_for, people, goal_for):
    goal = goal_for(people["sam"], people["sam_login"])
    plan = DevelopmentPlan.objects.get()
    client = client_for(people["morgan_login"])
    page = text(client.get(url("person", people["sam"].pk)))
    assert "Review and agree this plan" in page and "Add a goal" not in page
    review = url("plan-review", plan.pk)
    assert "Performance management course" in text(client.get(review))
    assert errors(client.post(review, {"plan_version": plan.plan_version})) == ["Select whether you agree the plan"]
    assert errors(client.post(review, {"plan_version": plan.plan_version, "agree": "no"})) == [
        "Enter a comment, or agree the plan"
    ]
    seen = plan.plan_version
    actions.update_goal(goal, actor=people["sam_login"], expected_version=goal.version, title="Changed meanwhile")
    assert errors(client.post(review, {"plan_version": seen, "agree": "yes"})) == [
        "Sam Supervisor’s plan changed after you opened it, so your review was not saved. Read the plan as it is now, then review it again."
    ]
    plan.refresh_from_db()
    response = client.post(review, {"plan_version": plan.plan_version, "agree": "yes", "comment": "Agreed in supervision."})
    assert response.status_code == 302
    page = text(client_for(people["sam_login"]).get(url("mine")))
    assert (
        "Agreed" in page and "By Morgan Manager (line manager) on 24 November 2026" in page and "Agreed in supervision." in page
    )


def test_an_admin_records_a_review_for_a_line_manager_without_a_login(client_for, admin, person, team, goal_for):
    manager = person("Ian Kaur", stage="Team manager", team=team)
    nia = person("Nia Nologin", stage="Social worker", team=team, line_manager=manager)
    plan = goal_for(nia, admin).plan
    plan.refresh_from_db()
    client = client_for(admin)
    page = text(client.get(url("plan-review", plan.pk)))
    assert "Ian Kaur, Nia Nologin’s line manager, does not sign in to Trellis" in page
    assert "Did Ian Kaur agree this version of the plan?" in page
    data = {
        "plan_version": plan.plan_version,
        "agree": "yes",
        "reviewed_on_day": "",
        "reviewed_on_month": "",
        "reviewed_on_year": "",
    }
    assert errors(client.post(url("plan-review", plan.pk), data)) == ["Enter the date they reviewed it"]
    data.update(date_parts("reviewed_on", D(2026, 10, 2)))
    assert client.post(url("plan-review", plan.pk), data).status_code == 302
    page = text(client.get(url("person", nia.pk)))
    assert "By Ian Kaur (line manager) on 2 October 2026" in page and "Recorded by Alex Admin" in page


def test_sharing_with_a_mentor_is_a_button_the_person_presses(client_for, people):
    client = client_for(people["sam_login"])
    response = client.post(url("plan-share"), {"shared": "yes"})
    assert response.status_code == 302 and DevelopmentPlan.objects.get().shared_with_mentor
    assert "Stop sharing with your mentor" in text(client.get(url("mine")))
    client.post(url("plan-share"), {"shared": "no"})
    assert not DevelopmentPlan.objects.get().shared_with_mentor


def test_partnership_roles_are_added_with_clear_errors(client_for, people):
    client = client_for(people["sam_login"])
    add = url("partnership-add", people["sam"].pk)
    assert errors(client.post(add, {})) == [
        "Select the kind of partnership",
        "Enter the name of the partnership or group",
        "Enter the role",
        "Enter the start date",
    ]
    data = {
        "kind": "housing",
        "body": "Housing partnership",
        "role": "Member",
        **date_parts("start_date", D(2026, 3, 2)),
        **date_parts("end_date", D(2026, 1, 1)),
    }
    assert errors(client.post(add, data)) == ["The end date must be on or after the start date, 2 March 2026"]
    data.update(date_parts("end_date", None), end_date_day="", end_date_month="", end_date_year="")
    assert client.post(add, data).status_code == 302
    page = text(client.get(url("mine")))
    assert "Housing partnership" in page and "2 Mar 2026 to now" in page
    assert PartnershipRole.objects.get().created_by == people["sam_login"]


# --- My team and coverage ---------------------------------------------------------------------------------


@pytest.fixture
def supervisors(admin, person, team, stages, member_with, mentorship):
    """A team of three supervisors, each managing a practitioner: Ada has an agreed plan, a mentor and a
    current self-assessment; Ben a draft plan; Cal nothing. Their manager Morgan signs in."""
    morgan_login = member_with("practice_supervisor", user__full_name="Morgan Manager")
    morgan = person("Morgan Manager", stage="Team manager", login=morgan_login, team=team)
    rows = {}
    for name in ("Ada", "Ben", "Cal"):
        login = member_with("practice_supervisor", user__full_name=f"{name} Supervisor")
        rows[name] = person(f"{name} Supervisor", login=login, team=team, line_manager=morgan)
        person(f"{name}'s practitioner", stage="Social worker", team=team, line_manager=rows[name])
    return {"morgan": morgan, "morgan_login": morgan_login, **rows}


def _plan(staff, manager_login=None, agree=False):
    login = staff.membership
    goal = actions.add_goal(staff, actor=login, title="A goal")
    actions.add_action(goal, actor=login, kind="training", description="A course", due_date=D(2027, 1, 1))
    if agree:
        plan = DevelopmentPlan.objects.get(staff=staff)
        actions.review_plan(plan, actor=manager_login, plan_version=plan.plan_version, agree=True)


def _self_assessment(org, staff, submitted_at):
    from trellis.assessment.models import SelfAssessment
    from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion

    fw, _ = Framework.objects.get_or_create(organisation=org, key="sa", defaults={"name": "SA", "short_name": "SA"})
    version, _ = FrameworkVersion.objects.get_or_create(framework=fw, label="1")
    in_use, _ = FrameworkInUse.objects.get_or_create(organisation=org, version=version)
    return SelfAssessment.objects.create(
        organisation=org, staff=staff, framework_in_use=in_use, round="baseline", status="submitted", submitted_at=submitted_at
    )


def test_my_team_shows_each_persons_plan_self_assessment_first_year_and_mentor(client_for, org, supervisors, person, mentorship):
    _plan(supervisors["Ada"], supervisors["morgan_login"], agree=True)
    _plan(supervisors["Ben"])
    mentorship(person("Maya Mentor", stage="Team manager"), supervisors["Ada"])
    _self_assessment(org, supervisors["Ada"], timezone.make_aware(datetime.datetime(2026, 9, 1, 12)))
    _self_assessment(org, supervisors["Ben"], timezone.make_aware(datetime.datetime(2025, 9, 1, 12)))
    page = client_for(supervisors["morgan_login"]).get(url("team")).content.decode()
    rows = {name: text_of(row) for name, row in re.findall(r">(\w+) Supervisor</a></th>(.*?)</tr>", page, re.S)}
    assert rows["Ada"] == "Practice supervisor Agreed 1 Sep 2026 No Yes"
    assert "Not agreed yet" in rows["Ben"] and "1 Sep 2025 More than 12 months ago" in rows["Ben"]
    assert "No plan" in rows["Cal"] and "None" in rows["Cal"]


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_coverage_counts_per_team_for_leaders_and_names_only_for_admins(
    client_for, org, supervisors, person, mentorship, leader, admin
):
    _plan(supervisors["Ada"], supervisors["morgan_login"], agree=True)
    _plan(supervisors["Ben"])
    mentorship(person("Maya Mentor", stage="Team manager"), supervisors["Ada"])
    _self_assessment(org, supervisors["Ada"], timezone.make_aware(datetime.datetime(2026, 9, 1, 12)))
    page = client_for(leader).get(url("coverage")).content.decode()
    row = re.search(r"Assessment North</th>(.*?)</tr>", page, re.S).group(1)
    # Morgan, a team manager who manages people, is a supervisor too.
    assert re.findall(r">(\d+)<", row) == ["4", "1", "2", "1", "1"]
    assert "Ada Supervisor" not in page and url("coverage-names") not in page
    assert client_for(leader).get(url("coverage-names")).status_code == 403
    page = client_for(admin).get(url("coverage-names") + f"?team={supervisors['Ada'].team_id}").content.decode()
    assert "Ada Supervisor" in page and "Supervisors: Assessment North" in page
    overview = text(client_for(leader).get(url("overview")))
    assert "Have a development plan 2 50%" in overview and "Coverage by team" in overview


# --- Query counts -----------------------------------------------------------------------------------------


def _grow(supervisors, person, size):
    """`size` more plans, goals, actions and notes for Ada; `size` more people for Morgan."""
    ada = supervisors["Ada"]
    for n in range(size):
        goal = actions.add_goal(ada, actor=ada.membership, title=f"Goal {n}")
        for m in range(2):
            action = actions.add_action(
                goal, actor=ada.membership, kind="reading", description=f"Read {n}.{m}", due_date=D(2026, 11, 1)
            )
            actions.record_progress(action, actor=ada.membership, status="in_progress", text="Started.")
        actions.add_partnership_role(
            ada, actor=ada.membership, kind="other", body=f"Group {n}", role="Member", start_date=D(2025, 1, 1)
        )
        new = person(f"Extra {size}-{n}", team=supervisors["Ada"].team, line_manager=supervisors["morgan"])
        person(f"Extra {size}-{n}'s practitioner", stage="Social worker", line_manager=new)
    plan = DevelopmentPlan.objects.get(staff=ada)
    actions.review_plan(plan, actor=supervisors["morgan_login"], plan_version=plan.plan_version, agree=False, comment="More.")


@pytest.mark.parametrize("page", ["mine", "team", "coverage", "coverage-names", "overview"])
def test_query_counts_do_not_grow_with_rows(page, client_for, supervisors, person, admin):
    viewer = {"mine": supervisors["Ada"].membership, "team": supervisors["morgan_login"]}.get(page, admin)
    client = client_for(viewer)
    counts = []
    for size in (1, 4):
        _grow(supervisors, person, size)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(page)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_record_page_query_count_does_not_grow_for_a_line_manager(client_for, supervisors, person):
    client = client_for(supervisors["morgan_login"])
    counts = []
    for size in (1, 4):
        _grow(supervisors, person, size)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("person", supervisors["Ada"].pk)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert PlanReview.objects.count() == 2
