"""Moderation as people use it, in Chromium against the live server: a moderator draws the sample,
chooses themselves to moderate, second-marks blind and disagrees; an admin resolves and signs off.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import pytest
from playwright.sync_api import expect

from trellis.portfolio.models import Moderation, Portfolio, SampleDraw
from trellis.portfolio.tests.moderation_world import REVIEWER_FEEDBACK, build_world
from trellis.tenancy.tests.factories import PASSWORD

ORG = "/o/northshire"


@pytest.fixture
def world(org, admin):
    """One decided review in the cohort: Ana's portfolio, returned by the reviewer. A 20 % draw of one
    review takes it."""
    world = build_world(org, admin)
    world.review = world.decided("Ana Ahmed", outcome="returned")
    return world


def second_mark_every_standard_met(ui, world):
    page = ui.page
    for standard in world.standards:
        legend = f"PS KSS {standard.number}. {standard.title}"
        page.get_by_role("group", name=legend).get_by_label("Met", exact=True).check()
    page.get_by_label("Recommend it").check()
    ui.submit(page.get_by_role("button", name="Record my decision"))


def test_a_moderator_second_marks_blind_and_disagrees_and_an_admin_resolves_and_signs_off(ui, new_ui, world):
    page = ui.page
    ui.sign_in(world.moderator.user.email, PASSWORD)
    ui.visit(f"{ORG}/portfolio/cohorts/{world.cohort.pk}/moderation/")
    assert ui.h1() == "Moderation"
    expect(page.locator("main")).to_contain_text("1 decided review is not in moderation yet")
    expect(page.get_by_label("Seed (optional)")).to_have_count(0)  # only an admin chooses the seed
    ui.submit(page.get_by_role("button", name="Draw the sample"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 review added to moderation")
    draw = SampleDraw.objects.get()
    expect(page.get_by_role("table", name="Draws of the moderation sample, newest first")).to_contain_text(str(draw.seed))

    ui.follow(page.get_by_role("link", name="Choose a moderator for Ana Ahmed"))
    assert ui.h1() == "Choose the moderator"
    page.get_by_label("Moderator").select_option(label="Mo Moderator")
    ui.submit(page.get_by_role("button", name="Save moderator"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Mo Moderator will second-mark Ana Ahmed")

    # Marking blind: the evidence as submitted, and nothing of the reviewer's decision.
    ui.follow(page.get_by_role("link", name="Second-mark Ana Ahmed's portfolio"))
    assert ui.h1() == "Second-mark Ana Ahmed's portfolio"
    main = page.locator("main")
    expect(main).to_contain_text("You are marking blind")
    expect(main).to_contain_text("Group supervision led by Ana Ahmed")
    assert REVIEWER_FEEDBACK not in page.content()
    assert "Returned for more evidence" not in page.content()

    # A mistake first: nothing chosen. Every problem is listed at once.
    ui.submit(page.get_by_role("button", name="Record my decision"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select met or not yet met for PS KSS 1. Effective use of power and authority")
    expect(summary).to_contain_text("Select recommend, or return for more evidence")
    assert REVIEWER_FEEDBACK not in page.content()

    second_mark_every_standard_met(ui, world)
    assert ui.h1() == "Moderation of Ana Ahmed's portfolio"
    table = page.locator("table").filter(has_text="The two decisions")
    expect(table).to_contain_text("Returned for more evidence")
    expect(table).to_contain_text(REVIEWER_FEEDBACK)

    page.get_by_label("No, I disagree").check()
    ui.submit(page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your reasons for disagreeing")
    page.get_by_label("No, I disagree").check()
    page.get_by_label("Your reasons").fill("Both standards are evidenced by the observation and the reflection.")
    ui.submit(page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Recorded: you disagree")
    moderation = Moderation.objects.get()
    assert moderation.agrees is False and moderation.second_outcome == "recommended"

    # The admin is told, resolves it in the moderator's favour, and signs the portfolio off.
    admin_ui = new_ui()
    apage = admin_ui.page
    admin_ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    admin_ui.visit(f"{ORG}/portfolio/waiting/")
    admin_ui.follow(apage.locator("main").get_by_role("link", name="Ana Ahmed"))
    assert admin_ui.h1() == "Resolve the disagreement"
    apage.get_by_label("The moderator's decision: recommended").check()
    apage.get_by_label("Reasons for your decision").fill("The observation shows standard 1 is met.")
    admin_ui.submit(apage.get_by_role("button", name="Resolve"))
    expect(apage.locator(".govuk-notification-banner--success")).to_contain_text("Resolved: the moderator's decision stands")
    portfolio = Portfolio.objects.get(pk=world.review.submission.portfolio_id)
    assert portfolio.state == "recommended"

    admin_ui.visit(f"{ORG}/portfolio/portfolios/{portfolio.pk}/")
    admin_ui.follow(apage.get_by_role("link", name="Sign off or refer back"))
    assert admin_ui.h1() == "Sign off Ana Ahmed's portfolio"
    apage.get_by_label("Sign it off").check()
    admin_ui.submit(apage.get_by_role("button", name="Save decision"))
    expect(apage.locator(".govuk-notification-banner--success")).to_contain_text("Ana Ahmed's portfolio is signed off")
    assert Portfolio.objects.get(pk=portfolio.pk).state == "signed_off"

    # With another decided review to draw from, the admin's moderation page offers a seed; the first draw
    # re-runs to the same sample.
    world.decided("Ben Brown")
    admin_ui.visit(f"{ORG}/portfolio/cohorts/{world.cohort.pk}/moderation/")
    expect(apage.get_by_label("Seed (optional)")).to_be_visible()
    expect(apage.get_by_role("table", name="Reviews in moderation, oldest first")).to_contain_text("Resolved")
    draws = apage.get_by_role("table", name="Draws of the moderation sample, newest first")
    expect(draws.locator("tbody tr").first.locator("td").last).to_have_text("Yes")

    # The reviewer agreement report counts one moderated review, not agreed, decided against the reviewer.
    admin_ui.visit(f"{ORG}/portfolio/agreement/")
    row = apage.locator("tbody tr").filter(has_text="Rae Reviewer")
    expect(row).to_contain_text("0%")
    expect(row).to_contain_text("Too few to read much into")


@pytest.mark.parametrize("ui", [False], indirect=True)
def test_second_marking_works_without_javascript(ui, world, admin):
    moderation = Moderation.objects.create(organisation=world.org, review=world.review, reason="sampled")
    moderation.moderator = world.moderator
    moderation.save()
    page = ui.page
    ui.sign_in(world.moderator.user.email, PASSWORD)
    ui.visit(f"{ORG}/portfolio/waiting/")
    ui.follow(page.locator("main").get_by_role("link", name="Ana Ahmed"))
    assert REVIEWER_FEEDBACK not in page.content()
    second_mark_every_standard_met(ui, world)
    page.get_by_label("Yes, I agree").check()
    ui.submit(page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("you agree")
    assert Moderation.objects.get().agrees is True
