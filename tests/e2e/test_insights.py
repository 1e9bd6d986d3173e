"""A senior leader prepares a recruitment and retention oversight meeting, in Chromium against the live
server: opens the retention figures, looks at another 12 months, records the meeting with an action.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trellis.insights.models import MeetingAction, OversightMeeting
from trellis.tenancy.tests.factories import PASSWORD
from trellis.workforce import actions
from trellis.workforce.models import CareerStage


@pytest.fixture
def register(admin):
    """Enough of a register for every section to have something to show, dated from today."""
    today = timezone.localdate()
    years_ago = lambda n: today - datetime.timedelta(days=365 * n)  # noqa: E731
    actions.ensure_default_career_stages(admin.organisation)
    stages = {s.name: s for s in CareerStage.objects.filter(organisation=admin.organisation)}
    team = actions.create_team(actor=admin, name="Assessment", service="children")
    actions.update_team(team, actor=admin, establishment_fte=8)
    people = []
    for n in range(8):
        people.append(
            actions.create_staff_record(
                actor=admin,
                career_stage=stages["Practice supervisor" if n == 0 else "Social worker"],
                full_name=f"Person {n}",
                employee_ref=f"E{n}",
                team=team,
                line_manager=people[0] if people else None,
                service="children",
                employment_type="agency" if n == 7 else "permanent",
                start_date=years_ago(6 - n % 3),
            )
        )
        actions.save_equality_answers(people[-1], actor=admin, sex="female" if n % 3 else "male")
    actions.record_leaving(people[3], actor=admin, leaving_date=today - datetime.timedelta(days=40), leaving_reason="resignation")
    return people


def fill_date(scope, legend, day):
    group = scope.get_by_role("group", name=legend)
    for label, value in zip(("Day", "Month", "Year"), (day.day, day.month, day.year), strict=True):
        group.get_by_label(label).fill(str(value))


def test_a_senior_leader_reviews_the_figures_and_records_a_meeting(ui, leader, register, member_with):
    page = ui.page
    owner = member_with("practice_supervisor", user__full_name="Olu Owner")
    leader.user.email = "sam.senior@northshire.gov.uk"
    leader.user.save()
    ui.sign_in("sam.senior@northshire.gov.uk", PASSWORD)

    ui.follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Retention"))
    assert ui.h1() == "Recruitment and retention oversight"
    expect(page.get_by_role("heading", name="At a glance")).to_be_visible()
    expect(page.get_by_role("img", name="Turnover and stability, with national figures")).to_be_visible()

    # The 12 months to last 30 September, children's services only: bookmarkable.
    census = timezone.localdate().replace(month=9, day=30)
    if census > timezone.localdate():
        census = census.replace(year=census.year - 1)
    fill_date(page, "Figures for the 12 months up to", census)
    page.get_by_role("radio", name="Children", exact=True).check()
    ui.submit(page.get_by_role("button", name="Show figures"))
    assert f"window_end_year={census.year}" in page.url and "service=children" in page.url
    expect(page.get_by_role("status").filter(has_text="12 months from")).to_contain_text(
        f"to {census.day} September {census.year}: children"
    )
    expect(page.get_by_text("13.8%").first).to_be_visible()

    # The figures go to the meeting as they are now.
    ui.follow(page.get_by_role("link", name="Record a meeting with these figures"))
    assert ui.h1() == "Record an oversight meeting"
    expect(page.get_by_role("group", name="Figures for the 12 months up to").get_by_label("Year")).to_have_value(str(census.year))
    page.get_by_label("Title").fill("Autumn recruitment and retention oversight")
    page.get_by_label("Attendees (optional)").fill("Sam Senior, Director\nAlex Admin, Principal Social Worker")
    page.get_by_label("Notes (optional)").fill("Agency use is low; look at why people leave.")
    ui.submit(page.get_by_role("button", name="Record meeting"))
    assert ui.h1() == "Autumn recruitment and retention oversight"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Meeting recorded")
    expect(page.get_by_text("The figures below are the ones this meeting looked at")).to_be_visible()

    # An action, with the action plan's columns.
    ui.follow(page.get_by_role("link", name="Add an action"))
    page.get_by_label("Action(s)").fill("Offer an exit interview to every leaver")
    page.get_by_label("Support needed").fill("HR business partner time")
    page.get_by_label("Owner").select_option(label="Olu Owner")
    fill_date(page, "Date to be completed", timezone.localdate() + datetime.timedelta(days=60))
    ui.submit(page.get_by_role("button", name="Add action"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Action added to the meeting.")
    row = page.locator("section[aria-labelledby=actions] tbody tr").first
    expect(row).to_contain_text("Offer an exit interview to every leaver")
    expect(row).to_contain_text("Olu Owner")
    expect(page.get_by_text("0 of 1 action complete")).to_be_visible()

    # Started: the status changes in place.
    row.get_by_label("Status of Offer an exit interview").select_option(label="In progress")
    row.get_by_role("button", name="Change status").click()
    expect(page.locator("#live-announcer")).to_have_text("Status changed to In progress.")
    ui.check()

    meeting = OversightMeeting.objects.get()
    assert meeting.service == "children" and meeting.window_end == census
    assert MeetingAction.objects.get().owner_member == owner
    assert MeetingAction.objects.get().status == "in_progress"

    ui.follow(page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Oversight meetings"))
    expect(page.locator("tbody tr").first).to_contain_text("Autumn recruitment and retention oversight")
    ui.screenshot("insights-journey-meetings")
