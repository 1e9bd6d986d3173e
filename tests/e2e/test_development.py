"""A supervisor's development plan, as people use it, in Chromium against the live server.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trellis.development.models import DevelopmentAction, DevelopmentPlan, Goal, PlanReview
from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard
from trellis.mentoring.models import Mentorship
from trellis.tenancy.tests.factories import PASSWORD
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

ORG = "/o/northshire"


def fill_date(scope, legend, day):
    group = scope.get_by_role("group", name=legend)
    for label, value in zip(("Day", "Month", "Year"), (day.day, day.month, day.year), strict=True):
        group.get_by_label(label).fill(str(value))


@pytest.fixture
def new_supervisor(org, admin, member_with):
    """Lucy, three months a practice supervisor, mentored by Niamh; her team manager Kwame has no login.
    Her organisation works against a children's framework with two standards."""
    workforce_actions.ensure_default_career_stages(org)
    stage = {s.name: s for s in CareerStage.objects.filter(organisation=org)}
    team = workforce_actions.create_team(actor=admin, name="Children in care", service="children")
    lucy_login = member_with("practice_supervisor", user__full_name="Lucy Fraser", user__email="lucy@northshire.gov.uk")
    niamh_login = member_with("mentor", user__full_name="Niamh O'Connor", user__email="niamh@northshire.gov.uk")

    def hire(name, at, **fields):
        return workforce_actions.create_staff_record(
            actor=admin,
            career_stage=stage[at],
            full_name=name,
            employee_ref=name.split()[0].upper(),
            team=team,
            service="children",
            employment_type="permanent",
            start_date=datetime.date(2019, 9, 2),
            **fields,
        )

    kwame = hire("Kwame Mensah", "Team manager")
    lucy = hire("Lucy Fraser", "Practice supervisor", line_manager=kwame, membership=lucy_login)
    niamh = hire("Niamh O'Connor", "Senior or advanced practitioner", membership=niamh_login)
    Mentorship.objects.create(
        organisation=org,
        mentor=niamh,
        mentee=lucy,
        kind="mentoring",
        goals="Settling into the role.",
        started_on=datetime.date(2026, 9, 1),
    )
    framework = Framework.objects.create(
        organisation=org,
        key="ps-kss",
        name="Knowledge and skills statement for practice supervisors",
        short_name="PS KSS",
        service="children",
    )
    version = FrameworkVersion.objects.create(framework=framework, label="2018")
    for position, title in enumerate(["Effective use of power and authority", "Emotionally intelligent practice supervision"], 1):
        Standard.objects.create(
            version=version, number=str(4 + 3 * (position - 1)), title=title, position=position, is_checked=True
        )
    FrameworkInUse.objects.create(organisation=org, version=version, service="children")
    return {"lucy": lucy, "niamh": niamh}


def test_a_new_supervisor_builds_a_plan_shares_it_the_mentor_agrees_it_and_an_action_is_completed(ui, new_ui, new_supervisor):
    page = ui.page
    today = timezone.localdate()
    ui.sign_in("lucy@northshire.gov.uk", PASSWORD)

    # Lucy's own development, from the navigation.
    ui.follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="My development"))
    assert ui.h1() == "My development"
    expect(page.locator("#plan ~ div").first).to_contain_text("You have no goals in your plan yet")

    # A goal, with a mistake first: no words and no standard, both explained.
    ui.follow(page.get_by_role("link", name="Add a goal"))
    ui.submit(page.get_by_role("button", name="Add goal"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the goal")
    expect(summary).to_contain_text("Select at least one standard this goal develops")
    page.get_by_label("Goal", exact=True).fill("Use my authority with care in difficult conversations")
    page.get_by_label("4. Effective use of power and authority").check()
    page.get_by_label("7. Emotionally intelligent practice supervision").check()
    page.get_by_label("How you will know you have achieved it (optional)").fill("Supervisees say I am clear and fair.")
    ui.submit(page.get_by_role("button", name="Add goal"))
    assert ui.h1() == "My development"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Goal added")
    card = page.locator(".govuk-summary-card").first
    expect(card).to_contain_text("PS KSS 4. Effective use of power and authority")

    # Two actions: shadowing, and a course already booked.
    ui.follow(card.get_by_role("link", name="Add an action to the goal"))
    page.get_by_label("Shadowing").check()
    page.get_by_label("Action", exact=True).fill("Shadow Kwame in a performance conversation, with the supervisee's agreement.")
    fill_date(page, "Date to be completed", today + datetime.timedelta(days=40))
    ui.submit(page.get_by_role("button", name="Add action"))
    ui.follow(page.locator(".govuk-summary-card").first.get_by_role("link", name="Add an action to the goal"))
    page.get_by_label("Training").check()
    page.get_by_label("Action", exact=True).fill("Performance management procedures: half-day session with HR.")
    page.get_by_label("Support needed (optional)").fill("A place on the January session.")
    fill_date(page, "Start date (optional)", today + datetime.timedelta(days=30))
    fill_date(page, "Date to be completed", today + datetime.timedelta(days=20))
    ui.submit(page.get_by_role("button", name="Add action"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be on or after the start date")
    fill_date(page, "Date to be completed", today + datetime.timedelta(days=60))
    ui.submit(page.get_by_role("button", name="Add action"))
    expect(page.locator(".govuk-summary-card").first.locator("tbody tr")).to_have_count(2)
    expect(page.locator("#plan ~ div").first).to_contain_text("Not agreed yet")

    # Shared with her mentor.
    ui.submit(page.get_by_role("button", name="Share with your mentor"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your mentor can now see")
    assert DevelopmentPlan.objects.get().shared_with_mentor

    # Niamh finds Lucy among the people she mentors, comments, then agrees the plan.
    mentor = new_ui()
    mentor.sign_in("niamh@northshire.gov.uk", PASSWORD)
    mentor.visit(f"{ORG}/development/")
    mentees = mentor.page.locator("h2", has_text="People you mentor or coach").locator("+ ul")
    mentor.follow(mentees.get_by_role("link", name="Lucy Fraser"))
    assert mentor.h1() == "Lucy Fraser"
    expect(mentor.page.locator(".govuk-summary-card").first).to_contain_text("Use my authority with care")
    mentor.follow(mentor.page.get_by_role("link", name="Review and agree this plan"))
    mentor.page.get_by_label("Not yet: I am adding a comment").check()
    mentor.submit(mentor.page.get_by_role("button", name="Save review"))
    expect(mentor.page.locator(".govuk-error-summary")).to_contain_text("Enter a comment, or agree the plan")
    mentor.page.get_by_label("Yes, I agree it").check()
    mentor.page.get_by_label("Comment", exact=True).fill("A clear plan. Let us talk about the shadowing when we next meet.")
    mentor.submit(mentor.page.get_by_role("button", name="Save review"))
    expect(mentor.page.locator(".govuk-notification-banner--success")).to_contain_text("Lucy Fraser’s plan is agreed")
    review = PlanReview.objects.get()
    assert (
        review.agreed and review.reviewer_role == "mentor" and review.plan_version == DevelopmentPlan.objects.get().plan_version
    )

    # Lucy sees the agreement, and marks the course complete: progress keeps the plan agreed.
    ui.visit(f"{ORG}/development/")
    expect(page.locator("#plan ~ div").first).to_contain_text("By Niamh O'Connor (mentor)")
    expect(page.locator("#review ~ div")).to_contain_text("Let us talk about the shadowing")
    ui.follow(page.get_by_role("link", name="Performance management procedures: half-day session with HR."))
    page.get_by_role("group", name="Status").get_by_label("Complete").check()
    page.get_by_label("Progress note").fill("Went on the course; have the procedure notes for supervision.")
    ui.submit(page.get_by_role("button", name="Save progress"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Status changed to Complete.")
    expect(page.locator("#progress ~ ul")).to_contain_text("have the procedure notes")
    action = DevelopmentAction.objects.get(kind="training")
    assert action.status == "complete" and action.completed_on == today
    ui.follow(page.get_by_role("link", name="Back to your development plan"))
    expect(page.locator("#plan ~ div").first).to_contain_text("Agreed")
    assert Goal.objects.count() == 1


@pytest.mark.parametrize("ui", [False], indirect=True)
def test_a_supervisor_without_javascript_records_a_partnership_role(ui, new_supervisor):
    page = ui.page
    ui.sign_in("lucy@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/development/")
    ui.follow(page.get_by_role("link", name="Add a partnership role"))
    page.get_by_label("Housing partnership").check()
    page.get_by_label("Partnership or group").fill("Riverside housing partnership: homelessness prevention panel")
    page.get_by_label("Your role in it").fill("Children's social care representative")
    fill_date(page, "Start date", datetime.date(2026, 9, 7))
    ui.submit(page.get_by_role("button", name="Add partnership role"))
    expect(page.locator("#partnership ~ div table")).to_contain_text("homelessness prevention panel")


def test_every_development_page_an_admin_or_manager_reaches_is_accessible(ui, new_ui, admin, new_supervisor):
    """The pages the journey above does not reach: the organisation's view, a record an admin keeps for
    someone without a login (with each form's error state), and a line manager's team."""
    from trellis.development import actions

    kwame = new_supervisor["lucy"].line_manager
    # Tess has no login, nor has her manager Kwame: an admin keeps her plan and records his review.
    tess = workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=admin.organisation, name="Social worker"),
        full_name="Tess Worker",
        employee_ref="TESS",
        line_manager=kwame,
        service="children",
        employment_type="permanent",
        start_date=datetime.date(2022, 9, 5),
    )
    goal = actions.add_goal(tess, actor=admin, title="Lead the team's practice week", standards=list(Standard.objects.all()[:1]))
    action = actions.add_action(goal, actor=admin, kind="other", description="Plan the week", due_date=datetime.date(2027, 2, 1))
    role = actions.add_partnership_role(
        tess,
        actor=admin,
        kind="exploitation",
        body="Exploitation risk meeting",
        role="Deputy chair",
        start_date=datetime.date(2025, 4, 7),
    )
    page = ui.page
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    ui.follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Supervisor development"))
    ui.follow(page.get_by_role("link", name="Coverage by team"))
    expect(page.locator("table").first).to_contain_text("Children in care")
    ui.follow(page.get_by_role("link", name="See who is included, by name"))
    # Kwame line-manages Lucy, so he is on the supervisors register; Lucy manages nobody yet.
    ui.follow(page.get_by_role("link", name="Kwame Mensah"))
    assert ui.h1() == "Kwame Mensah"
    ui.visit(f"{ORG}/development/people/{tess.pk}/")
    for link in ("Change goal: Lead the team's practice week", "Delete goal: Lead the team's practice week"):
        ui.follow(page.get_by_role("link", name=link))
        ui.follow(page.get_by_role("link", name="Cancel"))
    ui.follow(page.get_by_role("link", name="Plan the week"))
    ui.follow(page.get_by_role("link", name="Change this action"))
    page.get_by_label("Action", exact=True).fill("")
    ui.submit(page.get_by_role("button", name="Save changes"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the action")
    ui.visit(f"{ORG}/development/actions/{action.pk}/delete/")
    ui.visit(f"{ORG}/development/partnership-roles/{role.pk}/edit/")
    ui.visit(f"{ORG}/development/partnership-roles/{role.pk}/delete/")
    ui.visit(f"{ORG}/development/plans/{goal.plan_id}/review/")
    ui.submit(page.get_by_role("button", name="Save review"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether you agree the plan")
    ui.visit(f"{ORG}/development/")  # an admin with no staff record of their own

    manager = new_ui()
    manager.sign_in("lucy@northshire.gov.uk", PASSWORD)
    manager.visit(f"{ORG}/development/team/")
    assert manager.h1() == "My team"
