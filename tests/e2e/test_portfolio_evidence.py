"""A supervisor's evidence, as they use it, in Chromium against the live server: add an item with a
file and say what it evidences, add one from a mentoring session in one step, and read the coverage.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors or
CSP refusals, no 5xx, one h1.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trellis.mentoring import actions as mentoring_actions
from trellis.portfolio.models import EvidenceFile, EvidenceItem
from trellis.portfolio.tests.evidence_world import PDF_BYTES, build_world
from trellis.tenancy.tests.factories import PASSWORD

ORG = "/o/northshire"


def fill_date(scope, legend, day):
    group = scope.get_by_role("group", name=legend)
    for label, value in zip(("Day", "Month", "Year"), (day.day, day.month, day.year), strict=True):
        group.get_by_label(label).fill(str(value))


@pytest.fixture
def world(org, admin):
    world = build_world(org, admin)
    maya = world.person("Maya Mentor")
    mentoring_actions.add_mentor(actor=admin, staff=maya, capacity=2)
    mentorship = mentoring_actions.match_mentor(
        actor=admin,
        mentor=maya,
        mentee=world.pia,
        kind="mentoring",
        goals="Confidence with authority.",
        started_on=timezone.localdate() - datetime.timedelta(days=60),
    )
    world.session = mentoring_actions.log_session(
        mentorship,
        actor=world.pia_login,
        held_on=timezone.localdate() - datetime.timedelta(days=14),
        duration_minutes=60,
        themes="Holding difficult conversations",
        standards=[world.standards[1]],
    )
    return world


def test_a_supervisor_adds_evidence_with_a_file_maps_it_and_sees_coverage(ui, world, tmp_path):
    page = ui.page
    ui.sign_in("pia@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/portfolio/evidence/")
    assert ui.h1() == "My evidence"
    ui.follow(page.get_by_role("link", name="Add an evidence item"))

    # A mistake first: nothing filled in. Each problem is explained and linked to its field.
    ui.submit(page.get_by_role("button", name="Save item"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a title")
    expect(summary).to_contain_text("Select the kind of evidence")
    assert not EvidenceItem.objects.exists()

    page.get_by_label("Title").fill("Observation of my group supervision")
    page.get_by_label("Observation of their supervision").check()
    fill_date(page, "Date", timezone.localdate() - datetime.timedelta(days=7))
    page.get_by_label("Your reflection (optional while you draft)").fill("I noticed how I used my authority.")
    ui.submit(page.get_by_role("button", name="Save item"))
    assert ui.h1() == "Observation of my group supervision"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Now say what it evidences")

    # What it evidences: a statement of standard 4, with how.
    page.get_by_label("Standard", exact=True).select_option(label="4. Effective use of power and authority")
    page.get_by_label("Statement (optional)").select_option(label="4.1 Use authority with care")
    ui.submit(page.get_by_role("button", name="Add", exact=True))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter how this item evidences it")
    page.get_by_label("How this item evidences it").fill("The observer saw me explain a decision openly.")
    ui.submit(page.get_by_role("button", name="Add", exact=True))
    expect(page.get_by_role("table", name="The standards and statements this item evidences, and how")).to_contain_text(
        "PS KSS 4.1 Use authority with care"
    )

    # A file that claims to be a PDF but is not is refused; a real one is kept.
    fake = tmp_path / "observation.pdf"
    fake.write_bytes(b"<html>this is not a PDF</html>")
    page.get_by_label("Upload a file").set_input_files(str(fake))
    ui.submit(page.get_by_role("button", name="Upload file"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("‘observation.pdf’ is not a real PDF")
    real = tmp_path / "observation notes.pdf"
    real.write_bytes(PDF_BYTES)
    page.get_by_label("Upload a file").set_input_files(str(real))
    ui.submit(page.get_by_role("button", name="Upload file"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("‘observation notes.pdf’ added.")
    with page.expect_download() as download:
        page.get_by_role("link", name="observation notes.pdf", exact=True).click()
    assert download.value.suggested_filename == "observation notes.pdf"
    assert EvidenceFile.objects.get().content_type == "application/pdf"

    # Into the portfolio for the cohort.
    ui.submit(page.get_by_role("button", name="Add to portfolio for Spring cohort"))
    expect(page.get_by_role("table", name="Your portfolios, and whether this item is in each")).to_contain_text(
        "In this portfolio"
    )
    assert world.portfolio.items.count() == 1

    # Back on My evidence: the mentoring session becomes an item in one step, mapped to what it worked on.
    ui.follow(page.locator(".govuk-breadcrumbs").get_by_role("link", name="My evidence"))
    records = page.get_by_role("table", name="Records that can be added as evidence, newest first")
    expect(records).to_contain_text("Mentoring session: Holding difficult conversations")
    ui.submit(records.get_by_role("button", name="Mentoring session: Holding difficult conversations"))
    assert ui.h1() == "Mentoring session: Holding difficult conversations"
    day = world.session.held_on
    expect(page.get_by_role("table", name="The standards and statements this item evidences, and how")).to_contain_text(
        f"Worked on in mentoring session on {day.day} {day:%B %Y}."
    )
    expect(page.get_by_role("link", name=f"Mentoring session with Maya Mentor on {day.day} {day:%B %Y}")).to_be_visible()

    # Coverage: both standards now have evidence; statement 4.2 has none yet.
    ui.follow(page.locator(".govuk-breadcrumbs").get_by_role("link", name="My evidence"))
    coverage = page.locator("#coverage ~ div table").first
    expect(page.locator("#coverage ~ p").first).to_contain_text("2 of 2 standards have evidence")
    row = coverage.locator("tbody tr").filter(has_text="4.2 Model transparent decisions")
    expect(row).to_contain_text("None yet")
    row = coverage.locator("tbody tr").filter(has_text="7. Emotionally intelligent practice supervision")
    expect(row.locator("td").first).to_have_text("1")


def test_evidence_works_without_javascript(new_ui, world, tmp_path):
    ui = new_ui(javascript=False)
    page = ui.page
    ui.sign_in("pia@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/portfolio/evidence/add/")
    page.get_by_label("Title").fill("Feedback from my team")
    page.get_by_label("Feedback from a supervisee").check()
    fill_date(page, "Date", timezone.localdate())
    ui.submit(page.get_by_role("button", name="Save item"))
    assert ui.h1() == "Feedback from my team"
    real = tmp_path / "feedback.pdf"
    real.write_bytes(PDF_BYTES)
    page.get_by_label("Upload a file").set_input_files(str(real))
    ui.submit(page.get_by_role("button", name="Upload file"))
    ui.follow(page.get_by_role("link", name="Remove feedback.pdf"))
    assert ui.h1() == "Remove ‘feedback.pdf’?"
    ui.submit(page.get_by_role("button", name="Remove file"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("‘feedback.pdf’ removed.")
    ui.follow(page.get_by_role("link", name="Delete item"))
    ui.submit(page.get_by_role("button", name="Delete item"))
    assert ui.h1() == "My evidence"
    assert not EvidenceItem.objects.exists()
