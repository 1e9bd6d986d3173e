"""A supervisor's own supervision, as people use it, in Chromium against the live server, with
JavaScript on and off. Every page is checked by tests/e2e/conftest.py (axe, console, one h1)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trellis.supervision.models import SupervisionAgreement, SupervisionSession
from trellis.tenancy.tests.factories import PASSWORD
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

ORG = "/o/northshire"


def fill_date(scope, legend, day):
    group = scope.get_by_role("group", name=legend)
    for label, value in zip(("Day", "Month", "Year"), (day.day, day.month, day.year), strict=True):
        group.get_by_label(label).fill(str(value))


@pytest.fixture
def sal(org, admin, member_with):
    """Sal, a practice supervisor with a login, line-managed by Hari."""
    workforce_actions.ensure_default_career_stages(org)
    stages = {s.name: s for s in CareerStage.objects.filter(organisation=org)}

    def add(name, ref, stage, **fields):
        return workforce_actions.create_staff_record(
            actor=admin,
            career_stage=stages[stage],
            full_name=name,
            employee_ref=ref,
            service="adults",
            employment_type="permanent",
            start_date=datetime.date(2016, 9, 5),
            **fields,
        )

    hari = add("Hari Head", "E1", "Service manager")
    login = member_with("practice_supervisor", user__full_name="Sal Supervisor", user__email="sal@northshire.gov.uk")
    return add("Sal Supervisor", "E2", "Practice supervisor", line_manager=hari, membership=login)


@pytest.mark.parametrize("ui", [True, False], indirect=True, ids=["js", "no-js"])
def test_a_supervisor_agrees_their_supervision_and_records_a_session(ui, sal):
    page = ui.page
    today = timezone.localdate()
    ui.sign_in("sal@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/supervision/mine/")
    assert ui.h1() == "Your supervision"
    expect(page.locator("main")).to_contain_text("You do not have a supervision agreement yet")

    ui.follow(page.get_by_role("link", name="Set up the agreement"))
    expect(page.get_by_label("Supervised by")).to_have_value(str(sal.line_manager_id))
    page.get_by_label("Other", exact=True).check()
    page.get_by_label("Expected length in minutes").fill("")
    ui.submit(page.get_by_role("button", name="Set up agreement"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the number of weeks between sessions")
    expect(summary).to_contain_text("Enter how long each session is expected to last, in minutes")
    assert not SupervisionAgreement.objects.exists()

    page.get_by_label("Monthly").check()
    page.get_by_label("Expected length in minutes").fill("90")
    fill_date(page, "Start date", today - datetime.timedelta(days=60))
    fill_date(page, "Review date", today + datetime.timedelta(days=300))
    ui.submit(page.get_by_role("button", name="Set up agreement"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Supervision agreement set up.")
    # No session yet, and the first was due a month after the start: overdue.
    expect(page.locator(".govuk-warning-text")).to_contain_text("Supervision is overdue")

    ui.follow(page.get_by_role("link", name="Record a session"))
    expect(page.get_by_label("Length in minutes")).to_have_value("90")
    page.get_by_label("Themes").fill("Workload of a new team")
    page.get_by_label("Containment of anxiety", exact=True).check()
    page.get_by_label("Reflection on containment of anxiety (optional)").fill("Space to say what worried me about the duty week.")
    page.get_by_label("Reflection on diversity and power (optional)").fill("Thought about power with former peers.")
    ui.submit(page.get_by_role("button", name="Record session"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Tick diversity and power if you talked about it, or clear the reflection"
    )
    assert not SupervisionSession.objects.exists()

    page.get_by_label("Diversity and power", exact=True).check()
    ui.submit(page.get_by_role("button", name="Record session"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Supervision session recorded.")
    expect(page.locator("main")).to_contain_text("The next session is due by")
    sessions = page.locator("#sessions ~ div table")
    expect(sessions).to_contain_text("Workload of a new team")
    expect(sessions).to_contain_text("Containment of anxiety")
    expect(sessions).to_contain_text("Diversity and power")
    session = SupervisionSession.objects.get()
    assert (session.containment, session.skill_development, session.diversity_power) == (True, False, True)
    assert session.supervisor == sal.line_manager
