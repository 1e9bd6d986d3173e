"""Coaching, mentoring and peer support, as people use them, in Chromium against the live server.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard
from trellis.mentoring import actions
from trellis.mentoring.models import Attendance, MentoringSession, Mentorship
from trellis.tenancy.tests.factories import PASSWORD
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

ORG = "/o/northshire"


def fill_date(scope, legend, day):
    group = scope.get_by_role("group", name=legend)
    for label, value in zip(("Day", "Month", "Year"), (day.day, day.month, day.year), strict=True):
        group.get_by_label(label).fill(str(value))


@pytest.fixture
def people(org, admin, member_with):
    """Maya (a mentor with a login, capacity 2), Aisha (a new supervisor) and the standards in use."""
    workforce_actions.ensure_default_career_stages(org)
    stages = {s.name: s for s in CareerStage.objects.filter(organisation=org)}
    refs = iter(range(1, 100))

    def add(name, stage, login=None):
        return workforce_actions.create_staff_record(
            actor=admin,
            career_stage=stages[stage],
            full_name=name,
            employee_ref=f"E{next(refs)}",
            service="children",
            employment_type="permanent",
            start_date=datetime.date(2017, 9, 4),
            membership=login,
        )

    maya_login = member_with("mentor", user__full_name="Maya Mentor", user__email="maya@northshire.gov.uk")
    maya = add("Maya Mentor", "Team manager", maya_login)
    actions.add_mentor(actor=admin, staff=maya, capacity=2)
    framework = Framework.objects.create(key="ps-kss", name="Practice supervisor KSS", short_name="PS KSS", service="children")
    version = FrameworkVersion.objects.create(framework=framework, label="2018")
    for position, title in ((4, "Effective use of power and authority"), (7, "Emotionally intelligent practice supervision")):
        Standard.objects.create(version=version, number=str(position), title=title, position=position, is_checked=True)
    FrameworkInUse.objects.create(organisation=org, version=version, service="children")
    return {"maya": maya, "aisha": add("Aisha Rahman", "Practice supervisor"), "add": add}


def test_an_admin_matches_a_mentor_and_the_mentor_records_a_session(ui, new_ui, people):
    page = ui.page
    today = timezone.localdate()
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/mentoring/")
    assert ui.h1() == "Mentoring overview"
    expect(page.locator("#mentors ~ div table").first).to_contain_text("Maya Mentor")
    ui.follow(page.get_by_role("link", name="Match a mentor or coach"))

    # A mistake first: nothing chosen. Each problem is explained and linked to its field.
    ui.submit(page.get_by_role("button", name="Match them"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the mentee")
    expect(summary).to_contain_text("Select the mentor or coach")
    assert not Mentorship.objects.exists()

    page.get_by_label("Mentee").select_option(label=f"Aisha Rahman ({people['aisha'].employee_ref})")
    page.get_by_label("Mentoring", exact=True).check()
    page.get_by_label("Mentor or coach", exact=True).select_option(label="Maya Mentor: 0 of 2 mentees, mentoring")
    page.get_by_label("Goals").fill("Build confidence in performance conversations; develop against standard 7.")
    fill_date(page, "Start date", today)
    ui.submit(page.get_by_role("button", name="Match them"))
    assert ui.h1() == "Aisha Rahman with Maya Mentor"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("matched with Maya Mentor for mentoring")

    # Maya records their first session, tagged with the standards they worked on.
    mentor_ui = new_ui()
    mpage = mentor_ui.page
    mentor_ui.sign_in("maya@northshire.gov.uk", PASSWORD)
    mentor_ui.visit(f"{ORG}/mentoring/mine/")
    assert mentor_ui.h1() == "Your mentoring and peer support"
    mentor_ui.follow(mpage.get_by_role("link", name="Aisha Rahman"))
    mentor_ui.follow(mpage.get_by_role("link", name="Record a session"))
    fill_date(mpage, "Date", today)
    mpage.get_by_label("Length in minutes").fill("60")
    mpage.get_by_label("Themes").fill("Confidence in performance conversations")
    mpage.get_by_label("PS KSS 4. Effective use of power and authority").check()
    mpage.get_by_label("PS KSS 7. Emotionally intelligent practice supervision").check()
    mpage.get_by_label("Agreed actions (optional)").fill("Aisha: plan the next performance conversation.")
    mentor_ui.submit(mpage.get_by_role("button", name="Record session"))
    expect(mpage.locator(".govuk-notification-banner--success")).to_contain_text("Session recorded.")
    expect(mpage.locator("#standards ~ div table")).to_contain_text("PS KSS 7. Emotionally intelligent practice supervision")
    session = MentoringSession.objects.get()
    assert {s.number for s in session.standards.all()} == {"4", "7"}
    assert session.recorded_by.user.email == "maya@northshire.gov.uk"

    # Back on the overview, Maya has one mentee of two.
    ui.visit(f"{ORG}/mentoring/")
    row = page.locator("#mentors ~ div table").first.locator("tbody tr").filter(has_text="Maya Mentor")
    expect(row.locator("td").nth(2)).to_have_text("1")
    expect(page.locator("#relationships ~ div table").first).to_contain_text("Aisha Rahman")


def test_a_facilitator_records_an_action_learning_set_session(ui, admin, people, member_with):
    today = timezone.localdate()
    add = people["add"]
    fay = add("Fay Facilitator", "Service manager", member_with("practice_supervisor", user__email="fay@northshire.gov.uk"))
    group = actions.create_peer_group(
        actor=admin,
        kind="action_learning",
        name="New supervisors' action learning set",
        facilitator=fay,
        meets="Every 6 weeks",
        started_on=today - datetime.timedelta(days=90),
    )
    ben = add("Ben Bright", "Practice supervisor")
    for someone in (people["aisha"], ben):
        actions.add_group_member(group, actor=admin, staff=someone, joined_on=group.started_on)
    actions.schedule_peer_session(group, actor=admin, held_on=today - datetime.timedelta(days=2), place="Room 2.14")

    page = ui.page
    ui.sign_in("fay@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/mentoring/peer-groups/")
    ui.follow(page.get_by_role("link", name="New supervisors' action learning set"))
    assert ui.h1() == "New supervisors' action learning set"
    ui.follow(page.locator("#schedule ~ div table").get_by_role("link").first)
    ui.follow(page.get_by_role("link", name="Record attendance and commitments"))

    # Aisha presented but her attendance is not chosen, and Ben has a commitment without presenting.
    aisha = page.get_by_role("group", name="Aisha Rahman", exact=True)
    aisha.get_by_label("Aisha Rahman presented").check()
    page.get_by_label("What Ben Bright committed to do (optional)").fill("Something")
    ui.submit(page.get_by_role("button", name="Save attendance and commitments"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select whether Aisha Rahman attended")
    expect(summary).to_contain_text("Tick that Ben Bright presented, or remove their commitment")
    assert not Attendance.objects.exists()

    page.get_by_role("group", name="Aisha Rahman", exact=True).get_by_label("Attended", exact=True).check()
    page.get_by_label("What Aisha Rahman committed to do (optional)").fill(
        "Agree a team rule for rearranging cancelled supervision."
    )
    page.get_by_role("group", name="Ben Bright", exact=True).get_by_label("Sent apologies").check()
    page.get_by_label("What Ben Bright committed to do (optional)").fill("")
    ui.submit(page.get_by_role("button", name="Save attendance and commitments"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Attendance and commitments saved.")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Agree a team rule for rearranging cancelled supervision.")
    expect(table).to_contain_text("Sent apologies")

    ui.follow(page.get_by_role("link", name="New supervisors' action learning set"))
    expect(page.locator("#commitments ~ div table")).to_contain_text("Aisha Rahman")
