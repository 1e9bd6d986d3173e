"""Self-assessment and feedback, as people use them, in Chromium against the live server.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from trellis.assessment.models import FeedbackRequest, SelfAssessment
from trellis.assessment.tests.factories import framework_in_use
from trellis.tenancy.tests.factories import PASSWORD
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

ORG = "/o/northshire/assessment"


@pytest.fixture
def team(org, admin, member_with):
    """Nadia, new in post as a practice supervisor; Maggie, her manager; three social workers she
    supervises. Everyone signs in. The organisation works against a framework of its own."""
    workforce_actions.ensure_default_career_stages(org)
    stage = {s.name: s for s in CareerStage.objects.filter(organisation=org)}
    team = workforce_actions.create_team(actor=admin, name="Community West", service="adults")
    refs = iter(range(1, 100))

    def add(name, email, at, roles, **fields):
        return workforce_actions.create_staff_record(
            actor=admin,
            career_stage=stage[at],
            full_name=name,
            employee_ref=f"E{next(refs)}",
            team=team,
            service="adults",
            employment_type="permanent",
            start_date=datetime.date(2017, 9, 4),
            membership=member_with(*roles, user__full_name=name, user__email=email),
            **fields,
        )

    maggie = add("Maggie Manager", "maggie@northshire.gov.uk", "Team manager", ("practice_supervisor",))
    nadia = add(
        "Nadia Newman",
        "nadia@northshire.gov.uk",
        "Practice supervisor",
        ("practice_supervisor",),
        line_manager=maggie,
        stage_start_date=datetime.date.today() - datetime.timedelta(days=40),
    )
    workers = [
        add(f"Worker {n}", f"worker{n}@northshire.gov.uk", "Social worker", ("practitioner",), line_manager=nadia)
        for n in (1, 2, 3)
    ]
    framework = framework_in_use(org, standards=2, statements=1, service="adults", name="Northshire supervision standards")
    return {"maggie": maggie, "nadia": nadia, "workers": workers, "framework": framework}


def rate(page, question, label):
    page.get_by_role("group", name=question).get_by_label(label, exact=True).check()


def test_a_new_supervisor_completes_a_baseline_asks_for_feedback_and_sees_it_beside_their_own(ui, new_ui, team):
    page = ui.page
    ui.sign_in("nadia@northshire.gov.uk", PASSWORD, next_path=f"{ORG}/")
    assert ui.h1() == "Self-assessment"
    expect(page.locator("main")).to_contain_text("You have not submitted a self-assessment yet.")

    # Start: the one framework for her service is already chosen, and a baseline suggested.
    ui.follow(page.get_by_role("link", name="Start a self-assessment"))
    expect(page.get_by_label("Northshire supervision standards (2026)")).to_be_checked()
    expect(page.get_by_label("Baseline")).to_be_checked()
    ui.submit(page.get_by_role("button", name="Start"))
    assert ui.h1() == "Baseline self-assessment"
    expect(page.locator(".govuk-task-list").first).to_contain_text("Not yet started")

    # Standard 1. Saving without a rating is explained; then rated, with a priority learning need.
    ui.follow(page.get_by_role("link", name="1. Standard number 1"))
    ui.submit(page.get_by_role("button", name="Save and continue"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select a rating for standard 1")
    expect(summary).to_contain_text("Select a rating for statement 1.1")
    rate(page, "How would you rate yourself against this standard?", "Developing")
    rate(page, "1.1 Statement 1.1 text", "Developing")
    page.get_by_label("Your strengths in this standard").fill("I make time for reflective supervision.")
    page.get_by_label("Your learning needs in this standard").fill("Performance conversations that stay supportive.")
    page.get_by_label("This is one of my priority learning needs").check()
    ui.submit(page.get_by_role("button", name="Save and continue"))

    # Standard 2: half done, she comes back to it later.
    assert ui.h1() == "2. Standard number 2"
    rate(page, "How would you rate yourself against this standard?", "Confident")
    ui.submit(page.get_by_role("button", name="Save and come back later"))
    assert ui.h1() == "Baseline self-assessment"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Standard 2 saved")
    expect(
        page.locator("#rating-" + str(SelfAssessment.objects.get().ratings.order_by("standard__position")[1].pk))
    ).to_contain_text("In progress")
    ui.follow(page.get_by_role("link", name="2. Standard number 2"))
    expect(page.get_by_label("Confident", exact=True).first).to_be_checked()
    rate(page, "2.1 Statement 2.1 text", "Confident")
    ui.submit(page.get_by_role("button", name="Save and continue"))

    assert ui.h1() == "Strengths and learning needs overall"
    page.get_by_label("Your strengths overall").fill("Calm, reflective, knows the law.")
    page.get_by_label("Your learning needs overall").fill("Performance management, and using the team's data.")
    ui.submit(page.get_by_role("button", name="Save and continue"))
    assert ui.h1() == "Check your answers before submitting"
    ui.submit(page.get_by_role("button", name="Submit self-assessment"))
    assert ui.h1() == "Baseline self-assessment"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Baseline self-assessment submitted")
    assert SelfAssessment.objects.get().status == "submitted"

    # Feedback from her manager and, anonymously, her three supervisees.
    ui.follow(page.get_by_role("link", name="Ask for feedback, or see who has been asked"))
    assert ui.h1() == "Feedback"
    page.get_by_label("Your line manager, Maggie Manager").check()
    for worker in team["workers"]:
        page.get_by_label(worker.full_name).check()
    page.get_by_label("Yes, show me their answers only combined").check()
    page.get_by_label("Message (optional)").fill("Standard 1 matters most to me.")
    ui.submit(page.get_by_role("button", name="Send the requests"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Asked Maggie Manager, Worker 1")
    expect(page.locator("main")).to_contain_text("0 answered, 3 waiting")
    assert FeedbackRequest.objects.count() == 4

    # Her manager answers, in a browser without JavaScript.
    manager = new_ui(javascript=False)
    mpage = manager.page
    manager.sign_in("maggie@northshire.gov.uk", PASSWORD, next_path=f"{ORG}/")
    manager.follow(mpage.get_by_role("link", name=re.compile(r"^Nadia Newman\W+answer this request$")))
    assert manager.h1() == "Nadia Newman's baseline self-assessment"
    expect(mpage.locator("main")).to_contain_text("Standard 1 matters most to me.")
    manager.submit(mpage.get_by_role("button", name="Send feedback"))
    expect(mpage.locator(".govuk-error-summary")).to_contain_text("Select a rating for standard 1, or 'I cannot say'")
    rate(mpage, "How would you rate Nadia Newman against standard 1?", "Confident")
    mpage.get_by_label("Comments on standard 1 (optional)").fill("Supervision with Nadia is thoughtful and safe.")
    rate(mpage, "How would you rate Nadia Newman against standard 2?", "I cannot say")
    manager.submit(mpage.get_by_role("button", name="Send feedback"))
    assert manager.h1() == "Feedback you have been asked for"
    expect(mpage.locator(".govuk-notification-banner--success")).to_contain_text("Your feedback has been sent to Nadia Newman")

    # Her own view beside her manager's; the supervisees' is waiting for three answers.
    assessment = SelfAssessment.objects.get()
    ui.visit(f"{ORG}/{assessment.pk}/")
    table = page.get_by_role("table").filter(has_text="Line manager, Maggie Manager")
    expect(table.locator("tbody tr").first).to_contain_text("Developing")
    expect(table.locator("tbody tr").first).to_contain_text("Confident")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("Cannot say")
    expect(page.locator("main")).to_contain_text("Supervision with Nadia is thoughtful and safe.")
    expect(page.locator("main")).to_contain_text("0 of the 3 supervisees asked have answered anonymously")
    expect(page.locator("svg.app-chart__svg")).to_have_count(1)
