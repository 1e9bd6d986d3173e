"""A portfolio's journey, as its supervisor, mentor and reviewer take it, in Chromium against the live
server: shared with the mentor, commented on, submitted, returned with a decision on each standard,
changed and submitted again, then recommended; what the reviewer saw the first time is kept.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import re

import pytest
from playwright.sync_api import expect

from trellis.portfolio.models import Portfolio, Submission
from trellis.portfolio.tests.workflow_world import build_world
from trellis.tenancy.tests.factories import PASSWORD

ORG = "/o/northshire"


@pytest.fixture
def world(org, admin):
    return build_world(org, admin)


def decide(page, standard, decision, feedback=""):
    page.get_by_role("group", name=f"PS KSS {standard.number}. {standard.title}").get_by_label(decision, exact=True).check()
    if feedback:
        page.get_by_label(f"Feedback on PS KSS {standard.number}").fill(feedback)


def test_shared_commented_submitted_returned_resubmitted_and_recommended(new_ui, world):
    first, second = world.standards
    item = world.items[0]
    old_title = item.title

    # Pia shares her draft with her mentor.
    pia = new_ui()
    page = pia.page
    pia.sign_in("pia@northshire.gov.uk", PASSWORD)
    pia.visit(f"{ORG}/portfolio/mine/")
    assert pia.h1() == "Your portfolios"
    pia.follow(page.get_by_role("link", name="Spring cohort"))
    assert pia.h1() == "Pia Portfolio"
    expect(page.locator("#coverage ~ .app-table-wrapper").first).to_contain_text("Effective use of power and authority")
    pia.follow(page.get_by_role("link", name="Share with your mentor"))
    page.get_by_label("Message to your mentor (optional)").fill("Please start with the group supervision.")
    pia.submit(page.get_by_role("button", name="Share with Maya Mentor"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("shared with Maya Mentor")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Shared with mentor")

    # Maya opens the notice and comments on one piece of evidence.
    maya = new_ui()
    mpage = maya.page
    maya.sign_in("maya@northshire.gov.uk", PASSWORD)
    maya.visit(f"{ORG}/notifications/")
    expect(mpage.get_by_role("link", name="Notifications (1 unread)")).to_be_visible()
    maya.follow(mpage.get_by_role("button", name=re.compile(r"^Open")).first)
    assert maya.h1() == "Pia Portfolio"
    maya.follow(mpage.get_by_role("link", name=f"Comment on {old_title}"))
    maya.submit(mpage.get_by_role("button", name="Add comment"))
    expect(mpage.locator(".govuk-error-summary")).to_contain_text("Enter your comment")
    mpage.get_by_label("Comment", exact=True).fill("Say what you did after the session, and what changed.")
    maya.submit(mpage.get_by_role("button", name="Add comment"))
    expect(mpage.locator("#comments ~ div").first).to_contain_text("Say what you did after the session")

    # Pia reads the comment and submits for review.
    pia.visit(f"{ORG}/portfolio/portfolios/{world.portfolio.pk}/")
    expect(page.get_by_text("Say what you did after the session, and what changed.")).to_be_visible()
    pia.follow(page.get_by_role("link", name="Submit for review"))
    page.get_by_label("Note to the reviewer (optional)").fill("Standard 2 is the strongest.")
    pia.submit(page.get_by_role("button", name="Submit for review"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Rae Reviewer has been told")

    # Rae finds it waiting on her, saves a draft, then returns it with a decision on each standard.
    rae = new_ui()
    rpage = rae.page
    rae.sign_in("rae@northshire.gov.uk", PASSWORD)
    rae.visit(f"{ORG}/portfolio/waiting/")
    assert rae.h1() == "Waiting on you"
    rae.follow(rpage.get_by_role("link", name="Pia Portfolio"))
    assert rae.h1() == "Review the portfolio"
    expect(rpage.get_by_text("Standard 2 is the strongest.")).to_be_visible()
    decide(rpage, first, "Not yet met", "Add an observation of your supervision.")
    rae.submit(rpage.get_by_role("button", name="Save as draft"))
    expect(rpage.locator(".govuk-notification-banner--success")).to_contain_text("Draft saved")
    rae.submit(rpage.get_by_role("button", name="Make the decision"))  # standard 2 and the outcome missing
    summary = rpage.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select met or not yet met for PS KSS 2")
    expect(summary).to_contain_text("Select recommend, or return for more evidence")
    decide(rpage, second, "Met")
    rpage.get_by_label("Overall feedback").fill("A thoughtful start: show the observation.")
    rpage.get_by_label("Return for more evidence").check()
    rae.submit(rpage.get_by_role("button", name="Make the decision"))
    assert rae.h1() == "What the reviewer saw: submission 1"
    expect(rpage.get_by_role("table", name="Decision on each standard")).to_contain_text(
        "Add an observation of your supervision."
    )

    # Pia reads the decision, changes the evidence and submits again.
    pia.visit(f"{ORG}/portfolio/portfolios/{world.portfolio.pk}/")
    expect(page.locator("#decision")).to_contain_text("A thoughtful start: show the observation.")
    pia.visit(f"{ORG}/portfolio/evidence/{item.pk}/edit/")
    page.get_by_label("Title").fill("Observed group supervision, with what changed after")
    pia.submit(page.get_by_role("button", name="Save changes"))
    pia.visit(f"{ORG}/portfolio/portfolios/{world.portfolio.pk}/")
    pia.follow(page.get_by_role("link", name="Submit again for review"))
    assert pia.h1() == "Submit again for review"
    page.get_by_label("Note to the reviewer (optional)").fill("I added what changed after the session.")
    pia.submit(page.get_by_role("button", name="Submit for review"))

    # Rae recommends it this time.
    rae.visit(f"{ORG}/portfolio/waiting/")
    rae.follow(rpage.get_by_role("link", name="Pia Portfolio"))
    expect(rpage.locator("#evidence ~ details")).to_contain_text("Observed group supervision, with what changed after")
    decide(rpage, first, "Met")
    decide(rpage, second, "Met")
    rpage.get_by_label("Recommend: every standard is met").check()
    rae.submit(rpage.get_by_role("button", name="Make the decision"))
    assert rae.h1() == "What the reviewer saw: submission 2"
    assert Portfolio.objects.get(pk=world.portfolio.pk).state == "recommended"

    # What the reviewer saw the first time still shows the old text.
    first_submission = Submission.objects.get(portfolio=world.portfolio, number=1)
    pia.visit(f"{ORG}/portfolio/submissions/{first_submission.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text(old_title)
    expect(main).not_to_contain_text("Observed group supervision, with what changed after")
    pia.visit(f"{ORG}/portfolio/portfolios/{world.portfolio.pk}/")
    timeline = page.locator("#timeline ~ table")
    for step in ("Shared with mentor", "Submitted for review", "Returned for more evidence", "Recommended"):
        expect(timeline).to_contain_text(step)


@pytest.mark.parametrize("ui", [False], indirect=True)
def test_the_review_works_without_javascript(ui, world):
    from trellis.portfolio import actions

    actions.submit(world.portfolio, actor=world.pia)
    page = ui.page
    ui.sign_in("rae@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/portfolio/portfolios/{world.portfolio.pk}/")
    ui.follow(page.get_by_role("link", name="Review this portfolio"))
    for standard in world.standards:
        decide(page, standard, "Met")
    page.get_by_label("This was a close call (borderline)").check()
    page.get_by_label("Recommend: every standard is met").check()
    ui.submit(page.get_by_role("button", name="Make the decision"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recommended")
    expect(page.locator("main")).to_contain_text("the reviewer found it a close call")
