"""Frameworks as people use them, in Chromium against the live server.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import pytest
from playwright.sync_api import expect

from trellis.frameworks.models import FrameworkInUse, FrameworkVersion, RatingLevel, Standard, Statement
from trellis.tenancy.tests.factories import PASSWORD

ORG = "/o/northshire"

GOOD = """Framework name,Northshire children's supervision standards
Short name,Northshire children's standards
Service,children
Publisher,Northshire County Council
Version,2026
In force from,01/04/2026

Standard,Statement,Text
1,,Relationship-based supervision
1,1.1,I know each practitioner's strengths and worries.
1,1.2,I agree a supervision agreement with each practitioner.
2,,Keeping children at the centre
2,2.1,I ask what life is like for the child in every case discussion.
"""
# A statement filed under a standard that is not in the file, and a date that does not exist.
BROKEN = GOOD.replace("2,2.1,I ask", "3,2.1,I ask").replace("01/04/2026", "31/04/2026")


def upload(page, name, content):
    page.get_by_label("Upload a framework file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode("utf-8")}
    )


def test_an_admin_imports_a_framework_fixes_it_puts_it_in_force_and_renames_a_level(ui, org, admin):
    page = ui.page
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/frameworks/")
    assert ui.h1() == "Frameworks"
    expect(page.get_by_role("table").first).to_contain_text("Adult social work post-qualifying standards")

    # A file with two mistakes: both are listed by line and column, and nothing is saved.
    ui.follow(page.get_by_role("link", name="Import a framework"))
    upload(page, "standards.csv", BROKEN)
    ui.submit(page.get_by_role("button", name="Upload and check"))
    assert ui.h1() == "Correct the file"
    assert page.title().startswith("Error: ")
    problems = page.locator("#problems")
    expect(problems).to_contain_text("In force from must be a real date")
    expect(problems.get_by_role("row", name="13 A (Standard)")).to_contain_text(
        "Statement 2.1 is under standard 3, which is not in the file"
    )
    assert not FrameworkVersion.objects.filter(framework__organisation=org).exists()

    # The corrected file, from the same page.
    upload(page, "standards-fixed.csv", GOOD)
    ui.submit(page.get_by_role("button", name="Upload and check"))
    assert ui.h1() == "Check the framework before you import it"
    expect(page.locator(".govuk-inset-text")).to_contain_text("It has 2 standards and 3 statements.")
    ui.submit(page.get_by_role("button", name="Import the framework"))
    assert ui.h1() == "Northshire children's supervision standards"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("imported")
    version = FrameworkVersion.objects.get(framework__organisation=org)
    assert Standard.objects.filter(version=version).count() == 2
    assert Statement.objects.filter(standard__version=version).count() == 3

    # In force for children, on the default scale.
    ui.follow(page.get_by_role("link", name="Put this version in force"))
    expect(page.get_by_label("Children", exact=True)).to_be_checked()  # what the framework was written for
    page.get_by_label("Adults and children", exact=True).check()
    page.get_by_label("Children", exact=True).check()
    ui.submit(page.get_by_role("button", name="Put it in force"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is in force for children")
    in_use = FrameworkInUse.objects.get(version=version)
    assert in_use.is_active and in_use.service == "children"

    # Rename a level: a mistake first, then the new name.
    ui.follow(page.get_by_role("link", name="Rename Developing"))
    page.get_by_label("Name", exact=True).fill("")
    ui.submit(page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the level")
    page.get_by_label("Name", exact=True).fill("Growing")
    page.get_by_label("What it means (optional)").fill("I do this with support, and more often than not.")
    ui.submit(page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Rating level 2 is now called Growing.")
    expect(page.get_by_role("table")).to_contain_text("Growing")
    assert list(RatingLevel.objects.filter(framework_in_use=in_use).order_by("value").values_list("label", flat=True)) == [
        "Not yet",
        "Growing",
        "Confident",
        "Can support others",
    ]

    # Back on the list: in force for children, with its scale.
    ui.visit(f"{ORG}/frameworks/")
    expect(page.get_by_role("table").first).to_contain_text("Not yet, Growing, Confident, Can support others")


@pytest.mark.parametrize("ui", [False], indirect=True, ids=["no-js"])
def test_a_practitioner_sees_what_a_shipped_framework_is_missing(ui, org, admin, practitioner):
    page = ui.page
    ui.sign_in(practitioner.user.email, PASSWORD)
    ui.visit(f"{ORG}/frameworks/")
    ui.follow(page.get_by_role("link", name="Post-qualifying standard: knowledge and skills statement for practice supervisors"))
    ui.follow(page.get_by_role("link", name="2018", exact=True))
    expect(page.locator(".govuk-warning-text")).to_contain_text("standards 1, 2, 3, 5, 6 and 8 are not included")
    expect(page.get_by_role("heading", name="4. Effective use of power and authority")).to_be_visible()
    expect(page.get_by_text("An organisation admin can complete it")).to_be_visible()
    expect(page.get_by_role("link", name="Import a framework")).to_have_count(0)
