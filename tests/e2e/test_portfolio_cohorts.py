"""Cohorts as an admin runs them, in Chromium against the live server: create a cohort, choose its
supervisors from the register (filter, tick, add), their mentors, a reviewer lent by a network
organisation, and open the cohort page.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard
from trellis.portfolio import actions
from trellis.portfolio.models import Assessor, Cohort, Portfolio
from trellis.tenancy.models import Membership, Network
from trellis.tenancy.tests.factories import PASSWORD
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

ORG = "/o/northshire"


def fill_date(scope, legend, day):
    group = scope.get_by_role("group", name=legend)
    for label, value in zip(("Day", "Month", "Year"), (day.day, day.month, day.year), strict=True):
        group.get_by_label(label).fill(str(value))


@pytest.fixture
def world(org, other_org, admin, member_with):
    """Northshire's register (two supervisors in Assessment North, one elsewhere, one social worker),
    a mentor, a framework in force, and Southvale, in a teaching partnership, with a reviewer."""
    workforce_actions.ensure_default_career_stages(org)
    stages = {s.name: s for s in CareerStage.objects.filter(organisation=org)}
    north = workforce_actions.create_team(actor=admin, name="Assessment North", service="children")
    south = workforce_actions.create_team(actor=admin, name="Family Support South", service="children")
    refs = iter(range(1, 100))

    def add(name, stage="Practice supervisor", team=north):
        return workforce_actions.create_staff_record(
            actor=admin,
            career_stage=stages[stage],
            full_name=name,
            employee_ref=f"E{next(refs)}",
            team=team,
            service="children",
            employment_type="permanent",
            start_date=datetime.date(2019, 9, 2),
        )

    people = {name: add(name) for name in ("Aisha Rahman", "Ben Brown")}
    people["Cara Cole"] = add("Cara Cole", team=south)
    add("Sam Social Worker", stage="Social worker")
    member_with("mentor", user__full_name="Maya Mentor")
    member_with("senior_leader", user__full_name="Sol Senior")
    framework = Framework.objects.create(key="ps-kss", name="Practice supervisor KSS", short_name="PS KSS", service="children")
    version = FrameworkVersion.objects.create(framework=framework, label="2018")
    for position, title in ((1, "Promote and govern excellent practice"), (2, "Developing excellent practitioners")):
        Standard.objects.create(version=version, number=str(position), title=title, position=position, is_checked=True)
    FrameworkInUse.objects.create(organisation=org, version=version, service="children")
    partnership = Network.objects.create(name="North Teaching Partnership", slug="north")
    partnership.organisations.add(org, other_org)
    gita = member_with("reviewer", organisation=other_org, user__full_name="Gita Guest")
    return {"people": people, "gita": gita}


def test_an_admin_builds_a_cohort_from_the_register(ui, world, admin):
    page = ui.page
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    ui.follow(page.get_by_role("link", name="Cohorts", exact=True))
    assert ui.h1() == "Cohorts"
    ui.follow(page.get_by_role("link", name="Create a cohort"))

    # A mistake first: the cohort would end before it starts.
    page.get_by_label("Name", exact=True).fill("Practice supervisors 2026 to 2027")
    fill_date(page, "Start date", datetime.date(2026, 9, 7))
    fill_date(page, "Expected end date", datetime.date(2026, 7, 31))
    ui.submit(page.get_by_role("button", name="Create cohort"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Expected end date must be the same as or after the start date")
    assert page.title().startswith("Error: ")
    fill_date(page, "Expected end date", datetime.date(2027, 7, 30))
    expect(page.get_by_label("Practice supervisor KSS (2018), for children")).to_be_checked()
    ui.submit(page.get_by_role("button", name="Create cohort"))

    # Filter, tick, add.
    assert ui.h1() == "Add supervisors from the register"
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Now choose its supervisors from the register")
    page.get_by_label("Team").select_option(label="Assessment North")
    ui.submit(page.get_by_role("button", name="Apply"))
    expect(page.locator("main p[role=status]")).to_contain_text("2 people match your filters")
    expect(page.locator("table")).not_to_contain_text("Cara Cole")
    expect(page.locator("table")).not_to_contain_text("Sam Social Worker")
    page.get_by_role("checkbox", name=re.compile("^Aisha Rahman")).check()
    page.get_by_role("checkbox", name=re.compile("^Ben Brown")).check()
    ui.submit(page.get_by_role("button", name=re.compile("^Add to ")))
    cohort = Cohort.objects.get()
    assert {p.staff.full_name for p in Portfolio.objects.filter(cohort=cohort)} == {"Aisha Rahman", "Ben Brown"}

    # Mentors, one row at a time: a mentor for Aisha, anyone in the organisation for Ben.
    assert ui.h1() == "Supervisors, mentors and reviewers"
    page.get_by_label("Mentor for Aisha Rahman").select_option(label="Maya Mentor")
    ui.submit(page.get_by_role("button", name="Save mentor and reviewer for Aisha Rahman"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Aisha Rahman's mentor and reviewer saved.")
    page.get_by_label("Mentor for Ben Brown").select_option(label="Sol Senior")
    ui.submit(page.get_by_role("button", name="Save mentor and reviewer for Ben Brown"))

    # A reviewer lent by a network organisation.
    ui.follow(page.get_by_role("link", name="Add reviewers and moderators"))
    assert ui.h1() == "Reviewers and moderators"
    page.get_by_label("Add a reviewer").select_option(label="Gita Guest")
    ui.submit(page.get_by_role("button", name="Add reviewer"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Gita Guest added as a reviewer, as a guest from Southvale Council"
    )
    expect(page.locator("table").first).to_contain_text("Guest from Southvale Council")
    guest = Membership.objects.get(organisation=admin.organisation, user=world["gita"].user)
    assert guest.is_guest and guest.roles == ["reviewer"]
    assert Assessor.objects.filter(cohort=cohort, membership=guest, role="reviewer").exists()

    # Her as Aisha's reviewer; Aisha's mentor stays chosen.
    ui.follow(page.get_by_role("link", name="Supervisors, mentors and reviewers"))
    page.get_by_label("Reviewer for Aisha Rahman").select_option(label="Gita Guest (guest from Southvale Council)")
    ui.submit(page.get_by_role("button", name="Save mentor and reviewer for Aisha Rahman"))
    aisha = Portfolio.objects.get(staff__full_name="Aisha Rahman")
    assert (aisha.mentor.user.full_name, aisha.reviewer) == ("Maya Mentor", guest)

    # The cohort page: everyone's progress, and what waits on whom.
    ui.follow(page.get_by_role("link", name="Progress", exact=True))
    assert ui.h1() == "Practice supervisors 2026 to 2027"
    table = page.locator("table")
    expect(table).to_contain_text("Aisha Rahman")
    expect(table).to_contain_text("Ben Brown")
    expect(page.get_by_role("list").filter(has_text="Supervisors: 2 portfolios")).to_be_visible()


@pytest.mark.parametrize("ui", [False], indirect=True)
def test_choosing_a_mentor_works_without_javascript(ui, world, admin):
    cohort = actions.create_cohort(
        actor=admin,
        name="Cohort 1",
        frameworks=list(FrameworkInUse.objects.all()),
        starts_on=datetime.date(2026, 9, 7),
        expected_end_on=datetime.date(2027, 7, 30),
    )
    actions.add_supervisors(cohort, actor=admin, staff=[world["people"]["Aisha Rahman"]])
    page = ui.page
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/portfolio/cohorts/{cohort.pk}/people/")
    page.get_by_label("Mentor for Aisha Rahman").select_option(label="Maya Mentor")
    ui.submit(page.get_by_role("button", name="Save mentor and reviewer for Aisha Rahman"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Aisha Rahman's mentor and reviewer saved.")
    assert Portfolio.objects.get().mentor.user.full_name == "Maya Mentor"
    ui.visit(f"{ORG}/portfolio/cohorts/{cohort.pk}/supervisors/add/")
    ui.submit(page.get_by_role("button", name=re.compile("^Add to ")))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select at least one supervisor to add")
    ui.visit(f"{ORG}/portfolio/cohorts/{cohort.pk}/")
    expect(page.locator("table")).to_contain_text("Supervisor:")


@pytest.mark.parametrize("ui", [False], indirect=True)
def test_the_other_cohort_pages_and_a_guest(ui, new_ui, world, admin):
    """Change, end and reopen a cohort; take someone out; a guest on the People page, and the guest's
    own view: their organisation switcher and the page they land on."""
    cohort = actions.create_cohort(
        actor=admin,
        name="Cohort 1",
        frameworks=list(FrameworkInUse.objects.all()),
        starts_on=datetime.date(2026, 9, 7),
        expected_end_on=datetime.date(2027, 7, 30),
    )
    (portfolio,) = actions.add_supervisors(cohort, actor=admin, staff=[world["people"]["Aisha Rahman"]])
    assessor = actions.add_assessor(cohort, actor=admin, role="reviewer", person=world["gita"])
    page = ui.page
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/portfolio/cohorts/{cohort.pk}/edit/")
    page.get_by_label("Name", exact=True).fill("")
    ui.submit(page.get_by_role("button", name="Save changes"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the cohort")
    ui.follow(page.get_by_role("link", name="record that the cohort has ended"))
    ui.submit(page.get_by_role("button", name="End the cohort"))
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Ended")
    ui.visit(f"{ORG}/portfolio/cohorts/{cohort.pk}/end/")
    ui.submit(page.get_by_role("button", name="Reopen the cohort"))
    ui.visit(f"{ORG}/portfolio/cohorts/supervisors/{portfolio.pk}/remove/")
    assert ui.h1() == "Take Aisha Rahman out of Cohort 1?"
    ui.visit(f"{ORG}/portfolio/cohorts/assessors/{assessor.pk}/remove/")
    expect(page.locator("main")).to_contain_text("is a guest from Southvale Council")
    ui.visit(f"{ORG}/people/")
    expect(page.locator("table").first).to_contain_text("Guest from Southvale Council")
    ui.follow(page.get_by_role("link", name=re.compile("^About guests")))
    assert ui.h1() == "Gita Guest is a guest"

    guest = new_ui(javascript=False)
    guest.sign_in(world["gita"].user.email, PASSWORD)
    assert guest.h1() == "Your organisations"
    expect(guest.page.get_by_role("link", name="Northshire County Council (guest)")).to_be_visible()
