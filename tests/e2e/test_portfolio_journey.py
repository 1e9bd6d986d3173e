"""A portfolio's whole journey across the four roles, in Chromium against the live server: the supervisor
collects evidence and shares it with her mentor, the mentor comments, the supervisor submits, the
reviewer decides on each standard using only the keyboard, an admin draws the moderation sample and
asks a moderator lent by another organisation in the network, who opens it from her list and
second-marks blind, then the admin signs it off and the supervisor downloads her portfolio as a PDF.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import datetime
import io
from io import StringIO
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard
from trellis.portfolio import actions
from trellis.portfolio.models import Moderation, Portfolio, Review
from trellis.tenancy.tests.factories import PASSWORD, MembershipFactory, OrganisationFactory
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

ORG = "/o/northshire"
REVIEWER_FEEDBACK = "Every standard is evidenced by the observation: recommended."


@pytest.fixture
def world(org, admin):
    """Northshire's cohort, with a reviewer of its own and a moderator lent by Riverside through their
    network (ADR 0014); Pia, a supervisor who signs in, with an empty draft portfolio and a mentor."""
    riverside = OrganisationFactory(name="Riverside Children's Trust", slug="riverside", services="children")
    call_command("network", "add", "North West practice supervisor partnership", "northshire", "riverside", stdout=StringIO())
    workforce_actions.ensure_default_career_stages(org)
    framework = Framework.objects.create(key="ps-kss-journey", name="Practice supervisor KSS", short_name="PS KSS", service="any")
    version = FrameworkVersion.objects.create(framework=framework, label="2018")
    standards = [
        Standard.objects.create(version=version, number=str(number), title=title, position=number, is_checked=True)
        for number, title in ((1, "Effective use of power and authority"), (2, "Emotionally intelligent supervision"))
    ]
    in_use = FrameworkInUse.objects.create(organisation=org, version=version, service="any")
    pia = MembershipFactory(
        organisation=org, roles=["practice_supervisor"], user__full_name="Pia Portfolio", user__email="pia@northshire.gov.uk"
    )
    maya = MembershipFactory(
        organisation=org, roles=["mentor"], user__full_name="Maya Mentor", user__email="maya@northshire.gov.uk"
    )
    rae = MembershipFactory(
        organisation=org, roles=["reviewer"], user__full_name="Rae Reviewer", user__email="rae@northshire.gov.uk"
    )
    mo = MembershipFactory(
        organisation=riverside, roles=["moderator"], user__full_name="Mo Moderator", user__email="mo@riverside.gov.uk"
    )
    person = workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Practice supervisor"),
        full_name="Pia Portfolio",
        employee_ref="PJ001",
        service="adults",
        employment_type="permanent",
        start_date=datetime.date(2021, 3, 1),
        membership=pia,
    )
    cohort = actions.create_cohort(
        actor=admin,
        name="Spring cohort",
        frameworks=[in_use],
        starts_on=timezone.localdate() - datetime.timedelta(days=120),
        expected_end_on=timezone.localdate() + datetime.timedelta(days=240),
    )
    actions.add_assessor(cohort, actor=admin, role="reviewer", person=rae)
    guest = actions.add_assessor(cohort, actor=admin, role="moderator", person=mo).membership
    (portfolio,) = actions.add_supervisors(cohort, actor=admin, staff=[person])
    actions.assign_portfolio(portfolio, actor=admin, mentor=maya, reviewer=rae)
    return {"cohort": cohort, "portfolio": portfolio, "standards": standards, "guest": guest}


def fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    for label, value in zip(("Day", "Month", "Year"), (day.day, day.month, day.year), strict=True):
        group.get_by_label(label).fill(str(value))


# Keyboard only: Tab moves between controls, the arrow keys between the radios of one group.


def has_focus(locator):
    return locator.evaluate("el => el === document.activeElement || el.contains(document.activeElement)")


def tab_to(page, locator, limit=200):
    for _ in range(limit):
        if has_focus(locator):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {locator}")


def choose_with_keyboard(page, group, label):
    tab_to(page, group)
    radio = group.get_by_label(label, exact=True)
    for _ in range(len(group.get_by_role("radio").all())):
        if has_focus(radio):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(radio).to_be_checked()


def type_with_keyboard(page, field, text):
    tab_to(page, field)
    page.keyboard.type(text)


def test_a_portfolio_from_first_evidence_to_signed_off_and_downloaded(new_ui, world):
    standards, portfolio = world["standards"], world["portfolio"]

    # Pia adds a piece of evidence, says what it evidences, puts it in her portfolio and shares it.
    pia = new_ui()
    page = pia.page
    pia.sign_in("pia@northshire.gov.uk", PASSWORD)
    pia.visit(f"{ORG}/portfolio/evidence/")
    pia.follow(page.get_by_role("link", name="Add an evidence item"))
    page.get_by_label("Title").fill("Observation of my group supervision")
    page.get_by_label("Observation of their supervision").check()
    fill_date(page, "Date", timezone.localdate() - datetime.timedelta(days=10))
    page.get_by_label("Your reflection (optional while you draft)").fill(
        "The observer saw me slow the group down and make room for how the work felt, before we decided anything."
    )
    pia.submit(page.get_by_role("button", name="Save item"))
    assert pia.h1() == "Observation of my group supervision"
    for standard, how in zip(
        standards,
        ("I explained a decision and the authority behind it openly.", "I noticed the group's anxiety and named it."),
        strict=True,
    ):
        page.get_by_label("Standard", exact=True).select_option(label=f"{standard.number}. {standard.title}")
        page.get_by_label("How this item evidences it").fill(how)
        pia.submit(page.get_by_role("button", name="Add", exact=True))
    mappings = page.get_by_role("table", name="The standards and statements this item evidences, and how")
    expect(mappings).to_contain_text("I noticed the group's anxiety and named it.")
    pia.submit(page.get_by_role("button", name="Add to portfolio for Spring cohort"))
    expect(page.get_by_role("table", name="Your portfolios, and whether this item is in each")).to_contain_text(
        "In this portfolio"
    )
    pia.follow(page.get_by_role("link", name="Portfolios", exact=True))
    assert pia.h1() == "Your portfolios"
    pia.follow(page.get_by_role("link", name="Spring cohort"))
    assert pia.h1() == "Pia Portfolio"
    pia.follow(page.get_by_role("link", name="Share with your mentor"))
    page.get_by_label("Message to your mentor (optional)").fill("One piece so far: is it enough for both standards?")
    pia.submit(page.get_by_role("button", name="Share with Maya Mentor"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("shared with Maya Mentor")

    # Maya finds it waiting on her and comments.
    maya = new_ui()
    mpage = maya.page
    maya.sign_in("maya@northshire.gov.uk", PASSWORD)
    maya.visit(f"{ORG}/portfolio/waiting/")
    maya.follow(mpage.locator("main").get_by_role("link", name="Pia Portfolio"))
    maya.follow(mpage.get_by_role("link", name="Add a comment"))
    mpage.get_by_label("Comment", exact=True).fill("It is enough for both: say what changed in the group afterwards.")
    maya.submit(mpage.get_by_role("button", name="Add comment"))
    expect(mpage.locator("main")).to_contain_text("say what changed in the group afterwards")

    # Pia reads the comment and submits.
    pia.visit(f"{ORG}/portfolio/portfolios/{portfolio.pk}/")
    expect(page.locator("main")).to_contain_text("say what changed in the group afterwards")
    pia.follow(page.get_by_role("link", name="Submit for review"))
    page.get_by_label("Note to the reviewer (optional)").fill("The observation covers both standards.")
    pia.submit(page.get_by_role("button", name="Submit for review"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Rae Reviewer has been told")

    # Rae opens it from her list, then decides on every standard with the keyboard alone.
    rae = new_ui()
    rpage = rae.page
    rae.sign_in("rae@northshire.gov.uk", PASSWORD)
    rae.visit(f"{ORG}/portfolio/waiting/")
    rae.follow(rpage.locator("main").get_by_role("link", name="Pia Portfolio"))
    assert rae.h1() == "Review the portfolio"
    form = rpage.locator("main form").filter(has=rpage.get_by_role("button", name="Make the decision"))
    for standard in standards:
        choose_with_keyboard(rpage, form.get_by_role("group", name=f"PS KSS {standard.number}. {standard.title}"), "Met")
    type_with_keyboard(rpage, form.get_by_label("Overall feedback"), REVIEWER_FEEDBACK)
    choose_with_keyboard(rpage, form.get_by_role("group", name="Your decision"), "Recommend: every standard is met")
    tab_to(rpage, form.get_by_role("button", name="Make the decision"))
    with rpage.expect_navigation(wait_until="load"):
        rpage.keyboard.press("Enter")
    rae.check()
    assert rae.h1() == "What the reviewer saw: submission 1"
    assert Portfolio.objects.get(pk=portfolio.pk).state == "recommended"
    assert Review.objects.get(submission__portfolio=portfolio).reviewer.user.full_name == "Rae Reviewer"

    # Alex, an admin, draws the moderation sample from the cohort's page (one decided review: it is taken)
    # and asks Mo, a moderator lent by Riverside, to second-mark it.
    alex = new_ui()
    apage = alex.page
    alex.sign_in("admin@northshire.gov.uk", PASSWORD)
    alex.visit(f"{ORG}/portfolio/cohorts/{world['cohort'].pk}/")
    alex.follow(apage.get_by_role("link", name="Moderation: the sample, second marking and sign-off"))
    expect(apage.locator("main")).to_contain_text("1 decided review is not in moderation yet")
    alex.submit(apage.get_by_role("button", name="Draw the sample"))
    expect(apage.locator(".govuk-notification-banner--success")).to_contain_text("1 review added to moderation")
    alex.follow(apage.get_by_role("link", name="Choose a moderator for Pia Portfolio"))
    apage.get_by_label("Moderator").select_option(label="Mo Moderator (guest from Riverside Children's Trust)")
    alex.submit(apage.get_by_role("button", name="Save moderator"))
    expect(apage.locator(".govuk-notification-banner--success")).to_contain_text("Mo Moderator will second-mark Pia Portfolio")

    # Mo is a guest here: she chooses Northshire, finds the review waiting on her, and second-marks it
    # without seeing Rae's decision; then she sees it, and agrees.
    mo = new_ui()
    opage = mo.page
    mo.sign_in("mo@riverside.gov.uk", PASSWORD)
    mo.follow(opage.get_by_role("link", name="Northshire County Council (guest)"))
    assert mo.h1() == "Waiting on you"
    expect(opage.locator("main")).to_contain_text("You are a guest from Riverside Children's Trust")
    mo.follow(opage.get_by_role("table", name="Reviews you are second-marking").get_by_role("link", name="Pia Portfolio"))
    assert mo.h1() == "Second-mark Pia Portfolio's portfolio"
    expect(opage.locator("main")).to_contain_text("You are marking blind")
    expect(opage.locator("main")).to_contain_text("Observation of my group supervision")
    assert REVIEWER_FEEDBACK not in opage.content()
    for standard in standards:
        opage.get_by_role("group", name=f"PS KSS {standard.number}. {standard.title}").get_by_label("Met", exact=True).check()
    opage.get_by_label("Recommend it").check()
    mo.submit(opage.get_by_role("button", name="Record my decision"))
    assert mo.h1() == "Moderation of Pia Portfolio's portfolio"
    expect(opage.locator("table").filter(has_text="The two decisions")).to_contain_text(REVIEWER_FEEDBACK)
    opage.get_by_label("Yes, I agree").check()
    mo.submit(opage.get_by_role("button", name="Save"))
    expect(opage.locator(".govuk-notification-banner--success")).to_contain_text("you agree")
    moderation = Moderation.objects.get(review__submission__portfolio=portfolio)
    assert (moderation.reason, moderation.moderator, moderation.agrees) == ("sampled", world["guest"], True)
    # Nothing else of Northshire's is open to her: not its cohorts, nor this cohort's moderation page.
    mo.visit(f"{ORG}/portfolio/cohorts/", status=403)
    mo.visit(f"{ORG}/portfolio/cohorts/{world['cohort'].pk}/moderation/", status=403)

    # Alex signs it off.
    alex.visit(f"{ORG}/portfolio/waiting/")
    alex.follow(
        apage.get_by_role("table", name="Recommended portfolios ready to sign off").get_by_role("link", name="Pia Portfolio")
    )
    assert alex.h1() == "Sign off Pia Portfolio's portfolio"
    expect(apage.locator("main")).to_contain_text("The moderator agrees with the reviewer")
    apage.get_by_label("Sign it off").check()
    alex.submit(apage.get_by_role("button", name="Save decision"))
    expect(apage.locator(".govuk-notification-banner--success")).to_contain_text("Pia Portfolio's portfolio is signed off")
    assert Portfolio.objects.get(pk=portfolio.pk).state == "signed_off"

    # Pia downloads her signed-off portfolio: a PDF with her evidence and the decision in it.
    pia.visit(f"{ORG}/portfolio/portfolios/{portfolio.pk}/")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Signed off")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "Pia Portfolio" in text and "Observation of my group supervision" in text
