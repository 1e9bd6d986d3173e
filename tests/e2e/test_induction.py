"""The first 12 months as a practice supervisor, as people use it, in Chromium against the live server.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trellis.induction.models import CheckIn, ChecklistItem, FirstYear
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
    """Nia New, promoted from senior practitioner to practice supervisor five weeks ago; Mo Manager,
    a team manager, is her line manager. Both sign in to Trellis."""
    workforce_actions.ensure_default_career_stages(org)
    stage = {s.name: s for s in CareerStage.objects.filter(organisation=org)}
    team = workforce_actions.create_team(actor=admin, name="Hospital Discharge", service="adults")

    def add(name, ref, at, email, **fields):
        login = member_with("practice_supervisor", user__full_name=name, user__email=email)
        return workforce_actions.create_staff_record(
            actor=admin,
            career_stage=stage[at],
            full_name=name,
            employee_ref=ref,
            team=team,
            service="adults",
            employment_type="permanent",
            start_date=datetime.date(2016, 9, 5),
            membership=login,
            **fields,
        )

    mo = add("Mo Manager", "E1", "Team manager", "mo@northshire.gov.uk")
    nia = add("Nia New", "E2", "Senior or advanced practitioner", "nia@northshire.gov.uk", line_manager=mo)
    promoted_on = timezone.localdate() - datetime.timedelta(days=35)
    workforce_actions.change_career_stage(
        nia, actor=admin, stage=stage["Practice supervisor"], start_date=promoted_on, kind="promotion"
    )
    return {"nia": nia, "mo": mo, "promoted_on": promoted_on}


def test_a_new_supervisor_ticks_off_induction_items_and_their_manager_records_the_1_month_check_in(new_ui, new_supervisor):
    today = timezone.localdate()
    ui = new_ui()
    page = ui.page
    ui.sign_in("nia@northshire.gov.uk", PASSWORD)

    # Her development record shows her first 12 months, opened from the register's promotion.
    ui.follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="My development"))
    panel = page.locator("#part-induction")
    expect(panel).to_contain_text("Month 2 of 12")
    expect(panel).to_contain_text("internal promotion")
    ui.follow(panel.get_by_role("link", name="Your induction checklist and check-ins"))
    assert ui.h1() == "Your first 12 months"
    first_year = FirstYear.objects.get(staff=new_supervisor["nia"])
    assert first_year.start_date == new_supervisor["promoted_on"] and first_year.route == "promotion"
    expect(page.locator(".govuk-warning-text")).to_contain_text("induction items overdue")
    expect(page.locator(".govuk-task-list")).to_contain_text("Introduction to the IT department")

    # A date in the future first: explained, linked to the field, nothing saved.
    ui.follow(page.get_by_role("link", name="Introduction to the IT department"))
    assert ui.h1() == "Introduction to the IT department"
    fill_date(page, "Date done", today + datetime.timedelta(days=3))
    ui.submit(page.get_by_role("button", name="Mark as done"))
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date done must be today or in the past")
    page.locator(".govuk-error-summary").get_by_role("link", name="Date done must be today or in the past").click()
    expect(page.get_by_role("group", name="Date done").get_by_label("Day")).to_be_focused()

    fill_date(page, "Date done", today - datetime.timedelta(days=30))
    page.get_by_label("Note (optional)").fill("Approvals access in the case management system set up.")
    ui.submit(page.get_by_role("button", name="Mark as done"))
    assert ui.h1() == "Your first 12 months"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Ticked off: Introduction to the IT department.")
    it_item = page.locator(".govuk-task-list__item").filter(has_text="Introduction to the IT department")
    expect(it_item).to_contain_text("Done on")
    expect(it_item).to_contain_text("by Nia New")

    # A second one, done today: the date is filled in already.
    ui.follow(page.get_by_role("link", name="Meet your team as their practice supervisor"))
    ui.submit(page.get_by_role("button", name="Mark as done"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Ticked off: Meet your team")
    done = ChecklistItem.objects.filter(first_year=first_year, completed_on__isnull=False)
    assert sorted(done.values_list("title", flat=True)) == [
        "Introduction to the IT department",
        "Meet your team as their practice supervisor",
    ]
    assert {item.completed_by.user.email for item in done} == {"nia@northshire.gov.uk"}
    ui.screenshot("induction-journey-checklist")

    # Her line manager records the 1-month check-in, without JavaScript.
    manager = new_ui(javascript=False)
    page = manager.page
    manager.sign_in("mo@northshire.gov.uk", PASSWORD)
    manager.visit(f"{ORG}/induction/{first_year.pk}/")
    assert manager.h1() == "Nia New"
    expect(page.locator(".govuk-task-list__item").filter(has_text="Introduction to the IT department")).to_contain_text(
        "by Nia New"
    )
    one_month = page.locator(".govuk-summary-card").filter(has_text="1-month check-in")
    expect(one_month).to_contain_text("Overdue")
    manager.follow(one_month.get_by_role("link", name="Record 1-month check-in"))
    assert manager.h1() == "Record the 1-month check-in"
    expect(page.get_by_label("Held with")).to_have_value(str(new_supervisor["mo"].pk))
    expect(page.locator("main")).to_contain_text("Never record case detail")
    manager.submit(page.get_by_role("button", name="Record check-in"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date the check-in was held")

    fill_date(page, "Date held", today)
    page.get_by_label("Notes (optional)").fill("Settling in. Agreed to book the reflective supervision skills course.")
    manager.submit(page.get_by_role("button", name="Record check-in"))
    assert manager.h1() == "Nia New"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1-month check-in recorded.")
    one_month = page.locator(".govuk-summary-card").filter(has_text="1-month check-in")
    expect(one_month).to_contain_text("with Mo Manager")
    expect(one_month).to_contain_text("Settling in.")
    check_in = CheckIn.objects.get(first_year=first_year, months=1)
    assert (check_in.held_on, check_in.held_with, check_in.updated_by.user.email) == (
        today,
        new_supervisor["mo"],
        "mo@northshire.gov.uk",
    )
    manager.screenshot("induction-journey-check-in")


def test_an_admin_changes_the_template_and_opens_a_first_12_months_by_hand(ui, org, admin):
    workforce_actions.ensure_default_career_stages(org)
    hana = workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Senior or advanced practitioner"),
        full_name="Hana Hire",
        employee_ref="E7",
        service="children",
        employment_type="permanent",
        start_date=datetime.date(2019, 4, 1),
    )
    page = ui.page
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/induction/checklist-template/")
    assert ui.h1() == "Induction checklist template"
    ui.follow(page.get_by_role("link", name="Add an item"))
    ui.submit(page.get_by_role("button", name="Add item"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the item")
    expect(summary).to_contain_text("Enter how soon it is due")
    page.get_by_label("Item", exact=True).fill("Meet the Principal Social Worker")
    page.get_by_label("Due within").fill("3")
    page.get_by_label("Weeks").check()
    page.get_by_label("The new supervisor").check()
    ui.submit(page.get_by_role("button", name="Add item"))
    expect(page.locator("tbody tr").filter(has_text="Meet the Principal Social Worker")).to_contain_text("Within 3 weeks")

    # The register has not caught up with Hana's promotion yet: open her first 12 months by hand.
    ui.visit(f"{ORG}/workforce/staff/{hana.pk}/")
    expect(page.locator("#first-12-months ~ p").first).to_contain_text("no first 12 months")
    ui.follow(page.get_by_role("link", name="Open first 12 months for Hana Hire"))
    assert ui.h1() == "Open a first 12 months"
    expect(page.get_by_label("Person")).to_have_value(str(hana.pk))
    ui.submit(page.get_by_role("button", name="Open first 12 months"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how they came to the role")
    page.get_by_label("Internal promotion").check()
    ui.submit(page.get_by_role("button", name="Open first 12 months"))
    assert ui.h1() == "Hana Hire"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Hana Hire's first 12 months is open")
    expect(page.locator(".govuk-task-list")).to_contain_text("Meet the Principal Social Worker")
    first_year = FirstYear.objects.get(staff=hana)
    assert (first_year.route, first_year.opened, first_year.start_date) == ("promotion", "by_hand", timezone.localdate())
