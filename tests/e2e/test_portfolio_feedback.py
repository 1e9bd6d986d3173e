"""Feedback on the pathway, as people use it, in Chromium against the live server: an admin prepares,
changes and opens a cohort's questionnaire; a supervisor answers it from what is waiting on them (with
JavaScript off); the admin reads the results with small numbers hidden.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard
from trellis.portfolio import actions
from trellis.portfolio.feedback import DEFAULT_QUESTIONS
from trellis.portfolio.models import Question, Questionnaire, QuestionnaireResponse
from trellis.tenancy.tests.factories import PASSWORD, MembershipFactory
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

ORG = "/o/northshire"


@pytest.fixture
def cohort(org, admin):
    """A cohort with six supervisors who sign in (Pia first) and one mentor for them all."""
    workforce_actions.ensure_default_career_stages(org)
    framework = Framework.objects.create(key="ps-kss-e2e", name="Practice supervisor KSS", short_name="PS KSS", service="any")
    version = FrameworkVersion.objects.create(framework=framework, label="2018")
    Standard.objects.create(version=version, number="1", title="Effective use of power", position=1, is_checked=True)
    in_use = FrameworkInUse.objects.create(organisation=org, version=version, service="any")
    today = timezone.localdate()
    cohort = actions.create_cohort(
        actor=admin,
        name="Spring cohort",
        frameworks=[in_use],
        starts_on=today - datetime.timedelta(days=300),
        expected_end_on=today,
    )
    mentor = MembershipFactory(organisation=org, roles=["mentor"], user__full_name="Maya Mentor")
    logins = []
    for number, name in enumerate(["Pia Portfolio", "Sol One", "Sol Two", "Sol Three", "Sol Four", "Sol Five"], start=1):
        email = "pia@northshire.gov.uk" if number == 1 else f"sol{number}@northshire.gov.uk"
        login = MembershipFactory(organisation=org, roles=["practice_supervisor"], user__full_name=name, user__email=email)
        person = workforce_actions.create_staff_record(
            actor=admin,
            career_stage=CareerStage.objects.get(organisation=org, name="Practice supervisor"),
            full_name=name,
            employee_ref=f"FB{number}",
            service="children",
            employment_type="permanent",
            start_date=datetime.date(2020, 1, 6),
            membership=login,
        )
        (portfolio,) = actions.add_supervisors(cohort, actor=admin, staff=[person])
        actions.assign_portfolio(portfolio, actor=admin, mentor=mentor, reviewer=None)
        logins.append(login)
    return {"cohort": cohort, "pia": logins[0], "others": logins[1:]}


def answer_for(member, questionnaire, rating):
    questionnaire.refresh_from_db()
    values = {
        q.pk: rating if q.kind == Question.Kind.SCALE else "More protected time to write." for q in questionnaire.questions.all()
    }
    actions.answer_questionnaire(questionnaire, actor=member, expected_version=questionnaire.version, answers=values)


def test_an_admin_opens_the_questionnaire_a_supervisor_answers_and_the_admin_reads_the_results(new_ui, cohort):
    admin_ui = new_ui()
    page = admin_ui.page
    admin_ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    admin_ui.visit(f"{ORG}/portfolio/cohorts/{cohort['cohort'].pk}/feedback/")
    assert admin_ui.h1() == "Feedback on the pathway"
    expect(page.get_by_role("table")).to_contain_text(DEFAULT_QUESTIONS[0][1])
    admin_ui.submit(page.get_by_role("button", name="Use these questions"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Questionnaire prepared")

    # Add a question (a rating, unless they choose otherwise): a mistake first, explained, then the question.
    admin_ui.follow(page.get_by_role("link", name="Add a question"))
    admin_ui.submit(page.get_by_role("button", name="Add the question"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the question")
    page.get_by_label("Question", exact=True).fill("How useful were the action learning sets?")
    page.get_by_label("Rating from 1 (poor) to 5 (excellent)").check()
    admin_ui.submit(page.get_by_role("button", name="Add the question"))
    expect(page.locator("#questions ~ table")).to_contain_text("How useful were the action learning sets?")

    # Move it up one, and reword the second question.
    admin_ui.submit(page.get_by_role("button", name="Move up question 8"))
    questions = list(Questionnaire.objects.get().questions.values_list("text", flat=True))
    assert questions[6] == "How useful were the action learning sets?"
    admin_ui.follow(page.get_by_role("link", name="Change question 2"))
    page.get_by_label("Question", exact=True).fill("How useful was building a portfolio of evidence?")
    admin_ui.submit(page.get_by_role("button", name="Save the question"))
    expect(page.locator("#questions ~ table")).to_contain_text("How useful was building a portfolio of evidence?")

    # Open it, closing in two weeks.
    closes = timezone.localdate() + datetime.timedelta(days=14)
    admin_ui.follow(page.get_by_role("link", name="Open the questionnaire"))
    assert admin_ui.h1() == "Open the questionnaire"
    expect(page.locator("main")).to_contain_text("7 supervisors and mentors in Spring cohort will be asked")
    group = page.get_by_role("group", name="Closing date (optional)")
    for label, value in zip(("Day", "Month", "Year"), (closes.day, closes.month, closes.year), strict=True):
        group.get_by_label(label).fill(str(value))
    admin_ui.submit(page.get_by_role("button", name="Open it"))
    expect(page.locator(".govuk-summary-list")).to_contain_text("Open")
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.is_open and questionnaire.closes_on == closes

    # Five of Pia's cohort answer; then Pia, without JavaScript, from what is waiting on her.
    for rating, member in zip((4, 4, 4, 5, 2), cohort["others"], strict=True):
        answer_for(member, questionnaire, rating)
    pia_ui = new_ui(javascript=False)
    pia = pia_ui.page
    pia_ui.sign_in("pia@northshire.gov.uk", PASSWORD)
    pia_ui.visit(f"{ORG}/portfolio/waiting/")
    pia_ui.follow(pia.get_by_role("link", name="Tell us about your experience of Spring cohort"))
    assert pia_ui.h1() == "Feedback on the pathway"
    expect(pia.locator(".govuk-inset-text")).to_contain_text("Your answers are anonymous")
    pia_ui.submit(pia.get_by_role("button", name="Send my answers"))
    expect(pia.locator(".govuk-error-summary")).to_contain_text(f"Select a rating for “{DEFAULT_QUESTIONS[0][1]}”")
    for question in questionnaire.questions.filter(kind=Question.Kind.SCALE):
        pia.get_by_role("group", name=question.text).get_by_label("4", exact=True).check()
    pia.get_by_label("What should we change for the next cohort? (optional)").fill("Shorter reflective accounts.")
    pia_ui.submit(pia.get_by_role("button", name="Send my answers"))
    assert pia_ui.h1() == "Thank you"
    assert QuestionnaireResponse.objects.filter(respondent__isnull=True).count() == 6
    pia_ui.visit(f"{ORG}/portfolio/waiting/")
    expect(pia.locator("main")).not_to_contain_text("Tell us about your experience of Spring cohort")

    # The admin reads the results: six answers, small counts hidden, written answers listed.
    admin_ui.follow(page.get_by_role("link", name="See the results"))
    assert admin_ui.h1() == "Feedback on the pathway: results"
    expect(page.locator("main")).to_contain_text("6 people answered")
    first = page.locator("#question-1 + .app-table-wrapper table")
    everyone = first.get_by_role("row", name="Everyone")
    # Ratings 2, 4, 4, 4, 4, 5: every count is from 1 to 4, so each is hidden, and so is the average.
    expect(everyone).to_contain_text("fewer than 5")
    expect(everyone).to_contain_text("not shown")
    expect(first.get_by_role("row", name="Supervisors")).to_contain_text("not shown")
    expect(page.locator("main")).to_contain_text("Shorter reflective accounts.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the results (Excel)").click()
    assert download.value.suggested_filename.startswith("spring-cohort-feedback-")
