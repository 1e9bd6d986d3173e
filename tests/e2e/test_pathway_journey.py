"""The implementation pathway as a person uses it, in Chromium against the live server.

Every page these journeys land on is checked by tests/e2e/conftest.py: zero axe WCAG 2.2 AA
violations, no console errors or CSP refusals, no 5xx, one h1.
"""

import csv
import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from trellis.pathway import actions
from trellis.pathway.exports import COLUMNS
from trellis.pathway.models import Action, Outcome, Reflection, Stage
from trellis.tenancy.tests.factories import PASSWORD

ORG = "/o/northshire"
TITLE = "Northshire County Council: implementation pathway action plan"
DESCRIPTION = "Run a lunchtime session on why the PQS matters"
SUPPORT = "Room booking and a slot in the managers' meeting"


@pytest.fixture
def pathway(admin, leader):
    """Northshire has finished Awareness and has one action already, in Preparation."""
    actions.mark_outcome(
        actor=admin,
        outcome=Outcome.objects.get(key="awareness-what"),
        is_achieved=True,
        achieved_on=timezone.localdate() - datetime.timedelta(days=30),
        evidence="Intranet page published",
    )
    earlier = actions.create_action(
        actor=admin,
        outcome=Outcome.objects.get(key="preparation-priorities"),
        description="List our practice supervisors",
        owner_member=admin,
        due_date=timezone.localdate() + datetime.timedelta(days=60),
    )
    return {"admin": admin, "leader": leader, "earlier": earlier}


def in_future(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def fill_date(scope, legend, day):
    """Type into a GOV.UK date input: a date, or (day, month, year) strings for one that does not exist."""
    parts = (day.day, day.month, day.year) if isinstance(day, datetime.date) else day
    group = scope.get_by_role("group", name=legend)
    for label, value in zip(("Day", "Month", "Year"), parts, strict=True):
        group.get_by_label(label).fill(str(value))


def squash(text):
    return " ".join(text.split())


def facts(item):
    """A description list as {term: definition}, whitespace squashed."""
    return dict(
        zip(map(squash, item.locator("dt").all_text_contents()), map(squash, item.locator("dd").all_text_contents()), strict=True)
    )


def row_for(page, text):
    return page.locator("tbody tr").filter(has_text=text)


# --- The whole journey ---------------------------------------------------------------------------


def test_sign_in_reflect_plan_and_follow_up(ui, pathway, tmp_path):
    page = ui.page
    admin, leader = pathway["admin"], pathway["leader"]

    # Sign in through the real form; signing in lands on the organisation's pathway overview.
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    assert page.url == ui.url(f"{ORG}/pathway/")
    assert ui.h1() == "Implementation pathway"

    # Read the overview: five stages in order, where Northshire is, and the counts.
    stages = page.locator("ol.app-continuum > li")
    expect(stages).to_have_count(5)
    assert [squash(t) for t in stages.locator("h3").all_text_contents()] == [
        "Stage 1: Awareness",
        "Stage 2: Understanding",
        "Stage 3: Preparation",
        "Stage 4: Initial action",
        "Stage 5: Full implementation",
    ]
    expect(page.locator(".govuk-inset-text")).to_contain_text("You are at stage 2 of 5: Understanding")
    expect(stages.nth(0)).to_contain_text("Complete")
    expect(stages.nth(1)).to_contain_text("Current stage")
    expect(stages.nth(2)).to_contain_text("Not started")
    assert facts(stages.nth(0)) == {"Outcomes achieved": "1 of 1", "Actions": "0"}
    assert facts(stages.nth(1)) == {"Outcomes achieved": "0 of 1", "Actions": "0"}
    assert facts(stages.nth(2)) == {"Outcomes achieved": "0 of 1", "Actions": "1: 0 complete, 0 in progress, 1 not started"}

    # Open the current stage and answer its reflective question.
    ui.follow(page.get_by_role("link", name="Go to Understanding"))
    assert ui.h1() == "Understanding"
    expect(page.get_by_text("Nobody has answered yet.")).to_be_visible()
    ui.follow(page.get_by_role("link", name="Answer the reflective question"))
    question = Stage.objects.get(key="understanding").reflective_question
    assert ui.h1() == question
    page.get_by_label("Your answer").fill("Supervisors told us they want protected time.")
    ui.submit(page.get_by_role("button", name="Save answer"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your answer has been saved.")
    answer_card = page.locator(".govuk-summary-card").filter(has_text="Alex Admin (you)")
    expect(answer_card).to_contain_text("Supervisors told us they want protected time.")
    expect(answer_card).to_contain_text("Answered")
    expect(answer_card.get_by_role("link", name="Earlier versions")).to_have_count(0)

    # Revise it: the earlier version is kept and can be read.
    ui.follow(page.get_by_role("link", name="Revise your answer"))
    expect(page.get_by_label("Your answer")).to_have_value("Supervisors told us they want protected time.")
    page.get_by_label("Your answer").fill("Supervisors want protected time, and leaders agreed to it in June.")
    ui.submit(page.get_by_role("button", name="Save answer"))
    answer_card = page.locator(".govuk-summary-card").filter(has_text="Alex Admin (you)")
    expect(answer_card).to_contain_text("leaders agreed to it in June")
    expect(answer_card).to_contain_text("Revised")
    ui.follow(answer_card.get_by_role("link", name="Earlier versions of Alex Admin's answer"))
    assert ui.h1() == "Alex Admin's answer over time"
    versions = page.locator(".govuk-summary-card")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text("Version 2 (current)")
    expect(versions.nth(0)).to_contain_text("leaders agreed to it in June")
    expect(versions.nth(1)).to_contain_text("Version 1")
    expect(versions.nth(1)).to_contain_text("Supervisors told us they want protected time.")
    assert Reflection.objects.get(author=admin).version == 2

    # Add an action to this stage: outcome, action, support, owner from the list and a date.
    ui.follow(page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Understanding"))
    ui.follow(page.get_by_role("link", name="Add an action to Understanding"))
    assert ui.h1() == "Add an action"
    outcome = page.get_by_label("Outcome")
    expect(outcome.locator("option:checked")).to_have_text("Understanding: Ensure stakeholders are aware of why the PQS matters")
    page.get_by_label("Action(s)").fill(DESCRIPTION)
    page.get_by_label("Support needed").fill(SUPPORT)
    page.get_by_label("Owner").select_option(label="Sam Senior")
    due = in_future(3)
    fill_date(page, "Date to be completed", due)
    expect(page.get_by_label("Not started")).to_be_checked()
    ui.submit(page.get_by_role("button", name="Add action"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Action added to the plan.")
    assert ui.h1() == DESCRIPTION
    action = Action.objects.get(description=DESCRIPTION)
    assert (action.owner_member, action.due_date, action.support_needed, action.outcome.key) == (
        leader,
        due,
        SUPPORT,
        "understanding-why",
    )
    details = facts(page.locator(".govuk-summary-list"))
    assert details["Owner"] == "Sam Senior"
    assert details["Date to be completed"] == f"{due.day} {due:%B %Y}"
    assert details["Support needed"] == SUPPORT

    # It is on the stage's action plan ...
    ui.follow(page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Understanding"))
    row = row_for(page, DESCRIPTION)
    expect(row).to_contain_text(SUPPORT)
    expect(row).to_contain_text("Sam Senior")
    expect(row).to_contain_text(f"{due.day} {due:%b %Y}")
    expect(row).not_to_contain_text("Overdue")

    # ... and the whole action plan, where its status changes in place (htmx swaps the row).
    ui.follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Action plan"))
    list_url = page.url
    expect(page.locator("main p[role=status]")).to_have_text("2 actions.")
    row = page.locator(f"#action-{action.pk}")
    expect(row).to_contain_text("Understanding")
    page.evaluate(f"() => {{ window.__samePage = true; document.getElementById('action-{action.pk}').dataset.before = 'yes' }}")
    navigations = len(ui.navigations)
    row.get_by_label(re.compile("^Status of Run a lunchtime")).select_option(label="In progress")
    with page.expect_response(lambda r: r.url.endswith(f"/actions/{action.pk}/status/") and r.request.method == "POST") as answer:
        row.get_by_role("button", name="Change status").click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("hx-request") == "true"
    # The row was replaced by the server's new one (version 2), and htmx has finished with it.
    expect(page.locator(f"#action-{action.pk}[data-before]")).to_have_count(0)
    expect(row.locator("input[name=version]")).to_have_value("2")
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    expect(row.get_by_label(re.compile("^Status of Run a lunchtime")).locator("option:checked")).to_have_text("In progress")
    assert page.evaluate("() => window.__samePage") is True, "the page reloaded instead of swapping the row"
    assert page.url == list_url and len(ui.navigations) == navigations
    action.refresh_from_db()
    assert (action.status, action.version) == (Action.Status.IN_PROGRESS, 2)
    ui.check()  # the swapped-in row is checked too
    # Keyboard users are not dropped at the top of the page by the swap: focus stays on the button.
    expect(row.get_by_role("button", name="Change status")).to_be_focused()
    # Screen readers hear the change, since no page load announces it.
    expect(page.locator("#live-announcer")).to_have_text("Status changed to In progress.")

    # The overview counts it.
    ui.follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Implementation pathway"))
    assert facts(stages.nth(1)) == {"Outcomes achieved": "0 of 1", "Actions": "1: 0 complete, 1 in progress, 0 not started"}

    # She signs out at the end of the day (a POST from the header, so no confirmation page).
    ui.submit(page.get_by_role("navigation", name="Your account").get_by_role("button", name="Sign out"))
    assert page.url.startswith(ui.url("/accounts/login/"))

    # Five days later the action's date has passed: it is overdue everywhere it is shown.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=5), tick=True):
        ui.sign_in("admin@northshire.gov.uk", PASSWORD)
        expect(page.locator(".govuk-inset-text")).to_contain_text("1 overdue action")
        assert facts(stages.nth(1))["Overdue"] == "1 overdue"

        ui.visit(f"{ORG}/pathway/actions/")
        expect(row_for(page, DESCRIPTION)).to_contain_text("Overdue")
        expect(row_for(page, "List our practice supervisors")).not_to_contain_text("Overdue")
        page.get_by_label("Only overdue actions").check()
        ui.submit(page.get_by_role("button", name="Apply"))
        expect(page.locator("main p[role=status]")).to_have_text("1 action match your filters.")
        expect(page.locator("tbody tr")).to_have_count(1)
        expect(row_for(page, DESCRIPTION)).to_contain_text("Overdue")

        ui.visit(f"{ORG}/pathway/stages/understanding/")
        expect(row_for(page, DESCRIPTION)).to_contain_text("Overdue")

        ui.follow(row_for(page, DESCRIPTION).get_by_role("link", name=DESCRIPTION))
        expect(page.locator("main .govuk-tag").filter(has_text="Overdue")).to_be_visible()
        expect(page.locator(".govuk-summary-list")).to_contain_text("(overdue)")

        # Export the plan and read each file back.
        ui.visit(f"{ORG}/pathway/actions/")
        xlsx = download(ui, page.get_by_role("link", name="Excel (.xlsx)"), tmp_path)
        docx = download(ui, page.get_by_role("link", name="Word (.docx)"), tmp_path)
        csv_file = download(ui, page.get_by_role("link", name="CSV"), tmp_path)
        today = timezone.localdate()

    expected_row = [
        "Ensure stakeholders are aware of why the PQS matters",
        DESCRIPTION,
        SUPPORT,
        "Sam Senior",
        due.strftime("%d/%m/%Y"),
        "In progress (overdue)",
    ]
    earlier_row = [
        "Identify priorities for supporting supervision and for PQS implementation",
        "List our practice supervisors",
        "",
        "Alex Admin",
        in_future(60).strftime("%d/%m/%Y"),
        "Not started",
    ]
    assert xlsx.name == f"northshire-action-plan-{today.isoformat()}.xlsx"

    sheet = load_workbook(xlsx).active
    rows = [[("" if v is None else str(v)) for v in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == TITLE
    assert rows[1][0] == f"Exported {today:%d/%m/%Y}"
    headings = [r[0] for r in rows if r[0] and all(not v for v in r[1:]) and r[0] in {s.name for s in Stage.objects.all()}]
    assert headings == ["Understanding", "Preparation"]
    understanding = next(i for i, r in enumerate(rows) if r[0] == "Understanding")
    assert rows[understanding + 1][:6] == COLUMNS
    assert rows[understanding + 2][:6] == expected_row
    preparation = next(i for i, r in enumerate(rows) if r[0] == "Preparation")
    assert rows[preparation + 1][:6] == COLUMNS
    assert rows[preparation + 2][:6] == earlier_row

    document = Document(docx)
    assert document.paragraphs[0].text == TITLE
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == ["Understanding", "Preparation"]
    tables = [[[cell.text for cell in r.cells] for r in table.rows] for table in document.tables]
    assert tables == [[COLUMNS, expected_row], [COLUMNS, earlier_row]]

    with csv_file.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f)) == [["Stage", *COLUMNS], ["Understanding", *expected_row], ["Preparation", *earlier_row]]


def download(ui, link, folder):
    with ui.page.expect_download() as pending:
        link.click()
    path = folder / pending.value.suggested_filename
    pending.value.save_as(path)
    return path


# --- Without JavaScript ----------------------------------------------------------------------------


@pytest.mark.parametrize("ui", [False], indirect=True, ids=["no-js"])
def test_status_changes_without_javascript(ui, pathway):
    """The inline form is an ordinary form: it posts, and the list comes back with a success banner."""
    page = ui.page
    action = pathway["earlier"]
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')") is False

    ui.visit(f"{ORG}/pathway/actions/?sort=-due")
    list_url = page.url
    row = page.locator(f"#action-{action.pk}")
    row.get_by_label("Status of List our practice supervisors").select_option(label="Blocked")
    ui.submit(row.get_by_role("button", name="Change status"))
    assert page.url == list_url, "it should come back to the same list, filters and all"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Status changed to Blocked.")
    expect(page.locator(f"#action-{action.pk} select option:checked")).to_have_text("Blocked")
    action.refresh_from_db()
    assert action.status == Action.Status.BLOCKED

    # The action page's own status form, with a progress note.
    ui.follow(page.locator(f"#action-{action.pk}").get_by_role("link", name="List our practice supervisors"))
    page.get_by_role("combobox", name="Status").select_option(label="In progress")
    page.get_by_label("Progress update (optional)").fill("HR sent the list.")
    ui.submit(page.get_by_role("button", name="Change status"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Status changed to In progress.")
    expect(page.locator(".govuk-summary-card").first).to_contain_text("HR sent the list.")


# --- Errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ui", [True, False], indirect=True, ids=["js", "no-js"])
def test_errors_are_summarised_and_linked_to_their_fields(ui, pathway):
    page = ui.page
    # A wrong password: the sign-in page's error state is checked like any other page.
    ui.visit("/accounts/login/")
    page.get_by_label("Email address").fill("admin@northshire.gov.uk")
    page.get_by_label("Password", exact=True).fill("not-the-password")
    ui.submit(page.get_by_role("button", name="Sign in"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error:")
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)

    # No action text and a date that does not exist.
    ui.visit(f"{ORG}/pathway/actions/add/")
    page.get_by_label("Owner").select_option(label="Sam Senior")
    fill_date(page, "Date to be completed", ("31", "2", str(timezone.localdate().year + 1)))
    ui.submit(page.get_by_role("button", name="Add action"))
    assert page.title().startswith("Error: Add an action")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    links = summary.get_by_role("link")
    expect(links).to_have_text(["Enter the action(s)", "Date to be completed must be a real date"])
    assert [links.nth(i).get_attribute("href") for i in range(2)] == ["#id_description", "#id_due_date_day"]
    # Each field says what is wrong, and what was typed is still there.
    expect(page.locator("#id_description-error")).to_have_text("Error: Enter the action(s)")
    expect(page.get_by_label("Action(s)")).to_have_attribute("aria-describedby", re.compile("id_description-error"))
    expect(page.get_by_role("group", name="Date to be completed")).to_have_attribute(
        "aria-describedby", re.compile("id_due_date-error")
    )
    expect(page.get_by_label("Day")).to_have_value("31")
    expect(page.get_by_label("Month")).to_have_value("2")
    expect(page.get_by_label("Owner").locator("option:checked")).to_have_text("Sam Senior")
    if ui.javascript:
        # GOV.UK Frontend moves focus to the summary so screen reader users hear it first.
        assert page.evaluate("() => document.activeElement.classList.contains('govuk-error-summary')")
    # The summary's links take you to the field.
    links.nth(1).click()
    expect(page.get_by_label("Day")).to_be_focused()
    links.nth(0).click()
    expect(page.get_by_label("Action(s)")).to_be_focused()
    ui.check()  # still the same page; the fragment links loaded nothing new
    assert Action.objects.count() == 1


# --- Keyboard only -------------------------------------------------------------------------------------

FOCUS_STYLE = r"""() => {
    const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
        const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return {rgb: p.slice(0, 3), a: p.length > 3 ? p[3] : 1}; };
    const lum = (rgb) => { const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const backdrop = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) return c.rgb; } return [255, 255, 255]; };
    const drawn = (s) => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && (parse(s.outlineColor) || {a: 1}).a > 0)
        || (s.boxShadow && s.boxShadow !== 'none');
    const el = document.activeElement, s = getComputedStyle(el);
    // GOV.UK radios and checkboxes hide the input and draw the focus ring on the label's ::before.
    const proxy = el.matches('input[type=checkbox], input[type=radio]') ? document.querySelector(`label[for="${el.id}"]`) : null;
    const fg = parse(s.color).rgb, bg = backdrop(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const r = (proxy || el).getBoundingClientRect();
    return {tag: el.tagName, id: el.id, text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60),
            focusVisible: el.matches(':focus-visible'),
            indicator: drawn(s) || (proxy ? drawn(getComputedStyle(proxy, '::before')) : false),
            contrast: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100, background: s.backgroundColor,
            onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0};
}"""


def focused(page):
    return page.evaluate(FOCUS_STYLE)


def test_answering_a_reflective_question_with_the_keyboard_only(ui, pathway):
    page = ui.page
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/pathway/stages/initial-action/reflection/")

    page.keyboard.press("Tab")
    skip = focused(page)
    assert (skip["text"], skip["focusVisible"], skip["indicator"], skip["onScreen"]) == ("Skip to main content", True, True, True)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"

    # From the main content, the next stop is the answer box, then the Save button.
    page.keyboard.press("Tab")
    box = focused(page)
    assert (box["id"], box["focusVisible"], box["indicator"]) == ("id_answer", True, True)
    page.keyboard.type("Celebrate each supervisor who completes the pathway.")
    page.keyboard.press("Tab")
    button = focused(page)
    assert (button["tag"], button["text"], button["focusVisible"], button["indicator"]) == ("BUTTON", "Save answer", True, True)
    assert button["background"] == "rgb(255, 221, 0)", "GOV.UK focus colour on the button"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    ui.check()
    # (The browser keeps the skip link's #main-content across the redirect.)
    assert page.url.split("#")[0] == ui.url(f"{ORG}/pathway/stages/initial-action/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your answer has been saved.")
    expect(page.get_by_text("Celebrate each supervisor who completes the pathway.")).to_be_visible()


def test_everything_you_can_tab_to_shows_where_focus_is(ui, pathway):
    """Tab through a busy page: header, navigation, filters, the table's inline forms, downloads, footer.

    axe cannot see focus states, so each stop is checked here: a drawn indicator (outline or
    box-shadow) and text that still contrasts with what is behind it once focused.
    """
    page = ui.page
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    ui.visit(f"{ORG}/pathway/actions/")
    stops, problems = [], []
    for _ in range(120):
        page.keyboard.press("Tab")
        stop = focused(page)
        if stop["tag"] == "BODY" or (stops and stop == stops[0]):
            break  # off the end of the page
        stops.append(stop)
        where = f"{stop['tag']} {stop['text']!r}"
        if not (stop["focusVisible"] and stop["indicator"] and stop["onScreen"]):
            problems.append(f"{where}: no visible focus indicator ({stop})")
        if stop["tag"] in ("A", "BUTTON") and stop["contrast"] < 4.5:
            problems.append(f"{where}: focused text contrast {stop['contrast']}:1 on {stop['background']}")
    texts = [stop["text"] for stop in stops]
    for expected in (
        "Skip to main content",
        "Alex Admin",
        "Sign out",
        "Action plan",
        "Apply",
        "Excel (.xlsx)",
        "Accessibility statement",
    ):
        assert any(t.startswith(expected) for t in texts), f"{expected!r} was never reached by Tab: {texts}"
    assert not problems, "\n".join(problems)


# --- Two people, one action ------------------------------------------------------------------------------


def test_a_stale_edit_is_refused_with_what_changed_and_keeps_your_text(new_ui, pathway):
    action = pathway["earlier"]
    first, second = new_ui(), new_ui()
    first.sign_in("admin@northshire.gov.uk", PASSWORD)
    second.sign_in(pathway["leader"].user.email, PASSWORD)
    edit = f"{ORG}/pathway/actions/{action.pk}/edit/"
    first.visit(edit)
    second.visit(edit)

    first.page.get_by_label("Action(s)").fill("List our practice supervisors and their teams")
    first.submit(first.page.get_by_role("button", name="Save changes"))
    expect(first.page.locator(".govuk-notification-banner--success")).to_contain_text("Action updated.")

    second.page.get_by_label("Support needed").fill("Ask HR for the list")
    second.submit(second.page.get_by_role("button", name="Save changes"))
    page = second.page
    assert page.url == second.url(edit)
    stale = page.locator(".govuk-error-summary")
    expect(stale.get_by_role("heading")).to_have_text("Alex Admin changed this after you opened it")
    expect(stale).to_contain_text("Your changes have not been saved yet")
    changed = stale.get_by_role("table", name="What changed")
    expect(changed.locator("tbody tr")).to_have_count(1)
    expect(changed.locator("tbody tr")).to_contain_text("Action(s)")
    expect(changed.locator("tbody tr td").nth(0)).to_have_text("List our practice supervisors")
    expect(changed.locator("tbody tr td").nth(1)).to_have_text("List our practice supervisors and their teams")
    expect(page.get_by_label("Support needed")).to_have_value("Ask HR for the list")
    action.refresh_from_db()
    assert (action.description, action.support_needed, action.version) == ("List our practice supervisors and their teams", "", 2)

    # Saving again is now a deliberate choice, and goes through.
    page.get_by_label("Action(s)").fill("List our practice supervisors and their teams")
    second.submit(page.get_by_role("button", name="Save changes"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Action updated.")
    action.refresh_from_db()
    assert (action.description, action.support_needed, action.version) == (
        "List our practice supervisors and their teams",
        "Ask HR for the list",
        3,
    )
