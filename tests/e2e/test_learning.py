"""Training, as people use it, in Chromium against the live server: an admin adds a course linked to
the standards and a session of it; a practice supervisor books a place; the admin keeps the register;
the supervisor's training record shows the course completed.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard
from trellis.learning.models import Booking, Course, TrainingSession
from trellis.tenancy.tests.factories import PASSWORD
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

ORG = "/o/northshire"
LONDON = ZoneInfo("Europe/London")


def fill_date(scope, legend, day):
    group = scope.get_by_role("group", name=legend)
    for label, value in zip(("Day", "Month", "Year"), (day.day, day.month, day.year), strict=True):
        group.get_by_label(label).fill(str(value))


@pytest.fixture
def training_day():
    """A Tuesday morning a week or two ahead, before the session starts; the server's clock moves
    through the day, the browser's does not need to."""
    day = timezone.localdate() + datetime.timedelta(days=7)
    while day.weekday() != 1:
        day += datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=LONDON), tick=True):
        yield day


@pytest.fixture
def kss(org, admin):
    """The children's practice supervisor KSS in use, with its two confirmed standards."""
    framework = Framework.objects.create(
        key="practice-supervisor-kss",
        name="Knowledge and skills statement for practice supervisors",
        short_name="PS KSS",
        service="any",
    )
    version = FrameworkVersion.objects.create(framework=framework, label="2018", effective_from=datetime.date(2018, 5, 18))
    Standard.objects.create(
        version=version, number="4", title="Effective use of power and authority", position=1, is_checked=True
    )
    Standard.objects.create(
        version=version, number="7", title="Emotionally intelligent practice supervision", position=2, is_checked=True
    )
    FrameworkInUse.objects.create(organisation=org, version=version, service="any", updated_by=admin)
    return version


@pytest.fixture
def priya(org, admin, supervisor):
    """The supervisor fixture's login, linked to her staff record."""
    workforce_actions.ensure_default_career_stages(org)
    return workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Practice supervisor"),
        full_name="Priya Supervisor",
        employee_ref="E1",
        service="children",
        employment_type="permanent",
        start_date=datetime.date(2019, 9, 2),
        membership=supervisor,
    )


def test_a_course_is_added_booked_attended_and_on_the_training_record(new_ui, admin, supervisor, kss, priya, training_day):
    long_day = f"{training_day.day} {training_day:%B %Y}"

    # The admin adds a course linked to a standard.
    ui = new_ui()
    page = ui.page
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/learning/")
    assert ui.h1() == "Training"
    expect(page.locator("#core")).to_be_visible()  # the default core training is already there
    ui.follow(page.get_by_role("link", name="Add a course"))
    ui.submit(page.get_by_role("button", name="Add course"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the course title")
    expect(summary).to_contain_text("Enter the length in hours")
    page.get_by_label("Title").fill("Containing anxiety in supervision")
    page.get_by_label("What it covers").fill("Recognising and containing anxiety, in supervisees and in yourself.")
    page.get_by_label("Who it is for").fill("Practice supervisors in their first year.")
    page.get_by_label("Provider").fill("Workforce development team")
    page.get_by_label("Length in hours").fill("3")
    page.get_by_label("Core training for practice supervisors").check()
    page.get_by_role("group", name="PS KSS (2018)").get_by_label("7. Emotionally intelligent practice supervision").check()
    ui.submit(page.get_by_role("button", name="Add course"))
    assert ui.h1() == "Containing anxiety in supervision"
    expect(page.locator(".govuk-summary-list")).to_contain_text("7. Emotionally intelligent practice supervision")
    course = Course.objects.get(title="Containing anxiety in supervision")
    assert [s.number for s in course.standards.all()] == ["7"]

    # ... and a morning session of it.
    ui.follow(page.get_by_role("link", name="Add a session"))
    fill_date(page, "Date", training_day)
    page.get_by_label("Start time").fill("9:30am")
    page.get_by_label("End time").fill("9am")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Where").fill("Room 2, Civic Centre")
    page.get_by_label("Places").fill("2")
    ui.submit(page.get_by_role("button", name="Add session"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The end time must be after the start time, 9:30am")
    page.get_by_label("End time").fill("12:30pm")
    ui.submit(page.get_by_role("button", name="Add session"))
    assert ui.h1() == f"Session on {long_day}"
    expect(page.locator(".govuk-summary-list")).to_contain_text("9:30am to 12:30pm")
    session = TrainingSession.objects.get(course=course)

    # A practice supervisor finds it in the catalogue and books a place.
    them = new_ui()
    their = them.page
    them.sign_in(supervisor.user.email, PASSWORD)
    them.visit(f"{ORG}/learning/")
    them.follow(their.get_by_role("link", name="Containing anxiety in supervision"))
    expect(their.locator("#sessions ~ div table")).to_contain_text("2 of 2 left")
    them.follow(their.get_by_role("link", name=f"Book a place on {long_day}"))
    assert them.h1() == "Book a place"
    them.submit(their.get_by_role("button", name="Confirm booking"))
    expect(their.locator(".govuk-notification-banner--success")).to_contain_text(
        f"You have a place on Containing anxiety in supervision: {long_day}, 9:30am to 12:30pm."
    )
    assert Booking.objects.get(session=session).staff == priya
    them.follow(their.get_by_role("link", name="Training", exact=True))  # the breadcrumb
    them.follow(their.get_by_role("navigation", name="Training").get_by_role("link", name="My training"))
    expect(their.locator("#upcoming ~ div table")).to_contain_text("Containing anxiety in supervision")

    # After the session, the admin keeps the register.
    with time_machine.travel(datetime.datetime.combine(training_day, datetime.time(12, 45), tzinfo=LONDON), tick=True):
        ui.visit(f"{ORG}/learning/sessions/")
        ui.follow(page.locator("#registers ~ ul").get_by_role("link", name=f"Containing anxiety in supervision, {long_day}"))
        assert ui.h1() == "Attendance register"
        row = page.get_by_role("row", name="Priya Supervisor")
        row.get_by_label("Attended", exact=True).check()
        row.get_by_label("Completed").check()
        expect(page.get_by_role("group", name="Completion date").get_by_label("Day")).to_have_value(str(training_day.day))
        ui.submit(page.get_by_role("button", name="Save register"))
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Register saved: 1 person updated.")
        expect(page.locator("#places ~ div table")).to_contain_text(f"Completed {training_day:%-d %b %Y}")

        # The supervisor's training record shows it completed, with its hours.
        them.visit(f"{ORG}/learning/my-training/")
        core = their.locator(".govuk-task-list")
        expect(core.get_by_role("listitem").filter(has_text="Containing anxiety in supervision")).to_contain_text(
            f"Completed {training_day:%-d %b %Y}"
        )
        expect(their.locator("#courses ~ div table")).to_contain_text("Completed")
        expect(their.locator("main .govuk-body-l")).to_contain_text("3 hours of training in the last 12 months")


@pytest.mark.parametrize("ui", [False], indirect=True, ids=["no-js"])
def test_the_waiting_list_works_without_javascript(ui, org, admin, supervisor, priya):
    """A full session: the supervisor joins the waiting list, leaves it, and joins again."""
    from trellis.learning import actions

    actions.ensure_default_catalogue(org)
    course = Course.objects.get(organisation=org, default_key="supervision-model")
    full = actions.create_session(
        course,
        actor=admin,
        date=timezone.localdate() + datetime.timedelta(days=10),
        start_time=datetime.time(13, 30),
        end_time=datetime.time(16, 30),
        mode="online",
        location="Teams link sent the week before",
        capacity=1,
    )
    other = workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Practice supervisor"),
        full_name="Omar Other",
        employee_ref="E2",
        service="children",
        employment_type="permanent",
        start_date=datetime.date(2019, 9, 2),
    )
    actions.book_place(full, actor=admin, staff=other)
    page = ui.page
    ui.sign_in(supervisor.user.email, PASSWORD)
    ui.visit(f"{ORG}/learning/sessions/{full.pk}/")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Full")
    ui.follow(page.get_by_role("link", name="Join the waiting list"))
    ui.submit(page.get_by_role("button", name="Join the waiting list"))
    expect(page.locator("#your-booking ~ p").first).to_contain_text("You are number 1 on the waiting list")
    ui.follow(page.get_by_role("link", name="Leave the waiting list"))
    ui.submit(page.get_by_role("button", name="Yes, leave the waiting list"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your booking on Our supervision model is cancelled."
    )
    assert Booking.objects.get(staff=priya).status == "cancelled"
