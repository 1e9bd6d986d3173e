"""Succession planning and the career pathway, as people use them, in Chromium against the live server.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trellis.talent.models import ActingUpOpportunity, GapAction, PotentialSupervisor, StageSupport
from trellis.tenancy.tests.factories import PASSWORD
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

ORG = "/o/northshire"


def fill_date(scope, legend, day):
    group = scope.get_by_role("group", name=legend)
    for label, value in zip(("Day", "Month", "Year"), (day.day, day.month, day.year), strict=True):
        group.get_by_label(label).fill(str(value))


@pytest.fixture
def team_with_a_leaver(org, admin):
    """Assessment North: its practice supervisor retires in two months; Wendy works for her."""
    today = timezone.localdate()
    workforce_actions.ensure_default_career_stages(org)
    stage = {s.name: s for s in CareerStage.objects.filter(organisation=org)}
    team = workforce_actions.create_team(actor=admin, name="Assessment North", service="children")

    def add(name, ref, at, **fields):
        return workforce_actions.create_staff_record(
            actor=admin,
            career_stage=stage[at],
            full_name=name,
            employee_ref=ref,
            team=team,
            service="children",
            employment_type="permanent",
            start_date=datetime.date(2017, 9, 4),
            **fields,
        )

    sal = add("Sal Supervisor", "E1", "Practice supervisor")
    workforce_actions.record_leaving(
        sal, actor=admin, leaving_date=today + datetime.timedelta(days=60), leaving_reason="retirement"
    )
    wendy = add("Wendy Worker", "E2", "Senior or advanced practitioner", line_manager=sal)
    return {"team": team, "sal": sal, "wendy": wendy}


def test_record_a_potential_supervisor_with_a_gap_plan_and_give_them_acting_up(ui, admin, team_with_a_leaver):
    page = ui.page
    today = timezone.localdate()
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)

    # From Wendy's staff record.
    ui.follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Workforce"))
    ui.follow(page.get_by_role("link", name="Wendy Worker"))
    expect(page.locator("#succession ~ p").first).to_contain_text("has not been identified")
    ui.follow(page.get_by_role("link", name="Record as a potential practice supervisor"))
    assert ui.h1() == "Record a potential practice supervisor"
    expect(page.get_by_label("Person")).to_have_value(str(team_with_a_leaver["wendy"].pk))

    # A mistake first: no strengths, no readiness. Both are explained and linked to their fields.
    ui.submit(page.get_by_role("button", name="Record them"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter their strengths")
    expect(summary).to_contain_text("Select how ready they are")
    assert not PotentialSupervisor.objects.exists()

    page.get_by_label("Strengths").fill("Reflective and calm; newly qualified colleagues already go to her for advice.")
    page.get_by_label("Within 12 months").check()
    page.get_by_label("Where they might be best placed: team (optional)").select_option(label="Assessment North")
    ui.submit(page.get_by_role("button", name="Record them"))
    assert ui.h1() == "Wendy Worker"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recorded as a potential practice supervisor")

    # Her gap plan: shadowing Sal, owned by Sal.
    ui.follow(page.get_by_role("link", name="Add an action to the gap plan"))
    page.get_by_label("Shadowing").check()
    page.get_by_label("Action", exact=True).fill("Shadow Sal in three supervision sessions.")
    page.get_by_label("Owner").select_option(label="Sal Supervisor (E1)")
    fill_date(page, "Date to be completed", today + datetime.timedelta(days=45))
    ui.submit(page.get_by_role("button", name="Add action"))
    row = page.locator("#gap-plan ~ div table tbody tr").first
    expect(row).to_contain_text("Shadow Sal in three supervision sessions.")
    row.get_by_label("Status of").select_option("in_progress")
    ui.submit(row.get_by_role("button", name="Change status"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Status changed to In progress.")
    assert GapAction.objects.get().status == "in_progress"

    # The succession view: Assessment North's supervisor is leaving and nobody is ready now.
    ui.follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Succession"))
    assert ui.h1() == "Succession"
    gaps = page.locator("table").first
    expect(gaps).to_contain_text("Assessment North")
    expect(gaps).to_contain_text("Sal Supervisor")
    expect(gaps).to_contain_text("Wendy Worker")

    # Cover for Sal's leave until her post is filled, offered to Wendy, accepted, and given to her.
    ui.follow(page.get_by_role("link", name="Record an acting-up opportunity"))
    page.get_by_label("Team", exact=True).select_option(label="Assessment North")
    expect(page.get_by_label("Acting up as")).to_contain_text("Practice supervisor")
    fill_date(page, "Start date", today + datetime.timedelta(days=61))
    fill_date(page, "End date", today + datetime.timedelta(days=150))
    page.get_by_label("Vacancy").check()
    ui.submit(page.get_by_role("button", name="Record opportunity"))
    assert ui.h1() == "Practice supervisor in Assessment North"

    ui.follow(page.get_by_role("link", name="Offer it to people in the pipeline"))
    page.get_by_label("Wendy Worker (within 12 months, Assessment North)").check()
    ui.submit(page.get_by_role("button", name="Record the offers"))
    page.get_by_label("Answer from Wendy Worker").select_option("accepted")
    ui.submit(page.get_by_role("button", name="Save answer from Wendy Worker"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Wendy Worker: accepted.")

    ui.follow(page.get_by_role("link", name="Assign someone"))
    page.get_by_label("Who will act up").select_option(label="Wendy Worker (E2)")
    ui.submit(page.get_by_role("button", name="Assign"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Wendy Worker is assigned to act up")
    assert ActingUpOpportunity.objects.get().assigned_to == team_with_a_leaver["wendy"]

    # Her staff record shows her plan and her acting-up history.
    ui.visit(f"{ORG}/workforce/staff/{team_with_a_leaver['wendy'].pk}/")
    panel = page.locator("main")
    expect(panel).to_contain_text("In the pipeline since")
    expect(panel).to_contain_text("1 action, 1 open")
    history = page.get_by_role("table").filter(has_text="Acting up as").last
    expect(history).to_contain_text("Assessment North")
    expect(history).to_contain_text("Acting up")


@pytest.mark.parametrize("ui", [False], indirect=True, ids=["no-js"])
def test_a_practitioner_reads_the_career_pathway(ui, org, admin, practitioner):
    workforce_actions.ensure_default_career_stages(org)
    workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Social worker"),
        full_name="Pat Practitioner",
        employee_ref="E9",
        service="adults",
        employment_type="permanent",
        start_date=datetime.date(2022, 9, 5),
        membership=practitioner,
    )
    page = ui.page
    ui.sign_in(practitioner.user.email, PASSWORD)
    ui.follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Career pathway"))
    assert ui.h1() == "Career pathway"
    expect(page.get_by_role("heading", level=2, name="Step 3 of 8 Social worker")).to_be_visible()
    expect(page.locator("main section").nth(2)).to_contain_text("Your stage")
    supervisor_step = page.locator("main section").nth(4)
    expect(supervisor_step).to_contain_text("also working through an implementation pathway")
    expect(supervisor_step.get_by_role("link")).to_have_count(0)
    ui.follow(page.get_by_role("link", name="Senior or advanced practitioner"))  # the steps list jumps down the page
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Succession")).to_have_count(0)


@pytest.mark.parametrize("ui", [False], indirect=True, ids=["no-js"])
def test_an_admin_adds_and_reorders_support_without_javascript(ui, org, admin):
    page = ui.page
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/talent/career-pathway/")
    # The stage's name is visually hidden text, which the accessible name joins with a space.
    ui.follow(page.get_by_role("link", name=re.compile(r"^Change support at this stage\W+Social worker$")))
    assert ui.h1() == "Social worker"
    ui.follow(page.get_by_role("link", name="Add support at this stage"))
    ui.submit(page.get_by_role("button", name="Add support"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the kind of support")
    page.get_by_label("Research").check()
    page.get_by_label("What you offer").fill("A monthly journal club, with time in the working day to read.")
    ui.submit(page.get_by_role("button", name="Add support"))
    last = page.locator("tbody tr").last
    expect(last).to_contain_text("A monthly journal club")
    ui.submit(last.get_by_role("button", name="Up"))
    expect(page.locator("tbody tr").last).not_to_contain_text("A monthly journal club")
    stage = StageSupport.objects.get(description__startswith="A monthly").stage
    assert list(StageSupport.objects.filter(stage=stage).order_by("-position").values_list("kind", flat=True))[1] == "research"
