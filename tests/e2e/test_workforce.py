"""The workforce register as an organisation admin uses it, in Chromium against the live server.

Every page is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA violations, no console errors
or CSP refusals, no 5xx, one h1.
"""

import csv
import datetime
import io
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from trellis.tenancy.tests.factories import PASSWORD
from trellis.workforce.models import StaffRecord

ORG = "/o/northshire"


def fill_date(scope, legend, day):
    group = scope.get_by_role("group", name=legend)
    for label, value in zip(("Day", "Month", "Year"), (day.day, day.month, day.year), strict=True):
        group.get_by_label(label).fill(str(value))


def add_person(ui, name, ref, stage, start, line_manager=None, team=None):
    page = ui.page
    ui.follow(page.get_by_role("link", name="Add a member of staff"))
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Employee reference").fill(ref)
    if team:
        page.get_by_label("Team (optional)").select_option(label=team)
    page.get_by_label("Children").check()
    if line_manager:
        page.get_by_label("Line manager (optional)").select_option(label=line_manager)
    page.get_by_label("Permanent").check()
    page.get_by_label("Career stage").select_option(label=stage)
    fill_date(page, "Start date", start)
    ui.submit(page.get_by_role("button", name="Add member of staff"))


def test_build_the_register_and_download_the_supervisors_list(ui, admin):
    page = ui.page
    today = timezone.localdate()
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)

    ui.follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Workforce"))
    assert ui.h1() == "Workforce register"
    expect(page.get_by_text("No staff records yet.")).to_be_visible()

    # A team first.
    ui.follow(page.get_by_role("link", name="Teams"))
    ui.follow(page.get_by_role("link", name="Add a team"))
    page.get_by_label("Team name").fill("Assessment North")
    page.get_by_label("Children").check()
    ui.submit(page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Assessment North added to your teams.")

    # A supervisor, appointed eight months ago, and someone she supervises.
    ui.follow(page.get_by_role("link", name="Staff", exact=True))
    add_person(ui, "Sal Supervisor", "E1", "Practice supervisor", today - datetime.timedelta(days=245), team="Assessment North")
    assert ui.h1() == "Sal Supervisor"
    ui.follow(page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Workforce register"))
    add_person(
        ui, "Wendy Worker", "E2", "Social worker", today - datetime.timedelta(days=900), line_manager="Sal Supervisor (E1)"
    )

    # The same employee reference again is refused, clearly, and nothing is saved.
    ui.follow(page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Workforce register"))
    add_person(ui, "Double Trouble", "e2", "Social worker", today - datetime.timedelta(days=30))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Employee reference e2 is already used by Wendy Worker")
    assert StaffRecord.objects.count() == 2
    ui.follow(page.get_by_role("link", name="Cancel"))

    # Wendy acts up as a practice supervisor: her history shows it.
    ui.follow(page.get_by_role("link", name="Wendy Worker"))
    ui.follow(page.get_by_role("link", name="Change career stage"))
    page.get_by_label("New career stage").select_option(label="Senior or advanced practitioner")
    fill_date(page, "From", today)
    page.get_by_label("Promotion").check()
    ui.submit(page.get_by_role("button", name="Change career stage"))
    expect(page.locator("tbody tr").first).to_contain_text("Senior or advanced practitioner")

    # The supervisors register: Sal, in her first 12 months, with one supervisee.
    ui.follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Workforce"))
    ui.follow(page.get_by_role("link", name="Supervisors register"))
    assert ui.h1() == "Supervisors register"
    row = page.locator("tbody tr").filter(has_text="Sal Supervisor")
    expect(row).to_contain_text("8 months")
    expect(row).to_contain_text("First 12 months")
    expect(page.locator("main p[role=status]")).to_have_text("1 supervisor.")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == "Sal Supervisor" and rows[1][3] == "Assessment North" and rows[1][8] == "1" and rows[1][9] == "Yes"


def test_import_a_file_with_errors_fix_it_and_apply(ui, admin, tmp_path):
    from trellis.workforce import actions

    actions.ensure_default_career_stages(admin.organisation)
    actions.create_team(actor=admin, name="Assessment North", service="children")
    header = "Employee ID,Full Name,Team,Line Manager ID,FTE,Contract Type,Start Date,Career Stage"
    good = [
        "E1,Ann Able,Assessment North,E2,0.8,Permanent,02/09/2024,Social worker",
        "E2,Ben Boss,Assessment North,,1,Permanent,2019-04-01,Practice supervisor",
    ]
    broken = tmp_path / "hr-export.csv"
    broken.write_text("\n".join([header, *good, "E3,Cat Cole,Nowhere,E2,1,Permanent,15/01/2022,"]) + "\n", encoding="utf-8")
    fixed = tmp_path / "hr-export-fixed.csv"
    fixed.write_text(
        "\n".join([header, *good, "E3,Cat Cole,Assessment North,E2,1,Permanent,15/01/2022,"]) + "\n", encoding="utf-8"
    )

    page = ui.page
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/workforce/")
    ui.follow(page.get_by_role("link", name="Import from your HR system"))
    assert ui.h1() == "Import staff records"

    # No file: a linked error.
    ui.submit(page.get_by_role("button", name="Upload and continue"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a CSV or Excel file")

    page.get_by_label("Upload a file").set_input_files(str(broken))
    ui.submit(page.get_by_role("button", name="Upload and continue"))
    assert ui.h1() == "Choose the columns"
    expect(page.get_by_label("Employee reference", exact=True)).to_have_value("Employee ID")
    ui.submit(page.get_by_role("button", name="Check the rows"))
    assert ui.h1() == "Check the changes"
    expect(page.locator("table").first).to_contain_text("Unknown team ‘Nowhere’")

    # All or nothing: refused, nothing saved.
    ui.submit(page.get_by_role("button", name="Import 2 changes"))
    expect(page.locator("main")).to_contain_text("Nothing was imported: 1 row is invalid.")
    assert StaffRecord.objects.count() == 0

    # Fix the file, upload it again: the columns are remembered.
    ui.visit(f"{ORG}/workforce/import/")
    page.get_by_label("Upload a file").set_input_files(str(fixed))
    ui.submit(page.get_by_role("button", name="Upload and continue"))
    ui.submit(page.get_by_role("button", name="Check the rows"))
    ui.submit(page.get_by_role("button", name="Import 3 changes"))
    assert ui.h1() == "Import complete"
    assert StaffRecord.objects.count() == 3


def test_the_import_progress_page(ui, admin):
    from trellis.workforce import actions
    from trellis.workforce.models import ImportBatch

    batch = actions.upload_import(
        actor=admin, filename="big.csv", headers=["Employee ID"], records=[(n, {"Employee ID": f"E{n}"}) for n in range(2, 802)]
    )
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALIDATING, processed=300)
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/workforce/import/{batch.pk}/")
    assert ui.h1() == "Checking your file"
    expect(ui.page.get_by_text("Rows checked: 300 of 800")).to_be_visible()
    if ui.javascript:
        # The region polls; when the worker finishes, the whole page reloads to show the preview.
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.READY, processed=800, counts={"create": 800, "update": 0, "unchanged": 0, "invalid": 0}
        )
        expect(ui.page.locator("h1")).to_have_text("Check the changes", timeout=10_000)
        ui.check()
