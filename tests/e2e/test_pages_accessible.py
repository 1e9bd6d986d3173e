"""Every page an organisation admin can reach, with JavaScript on and off.

Each page must render its h1 (so it works without JavaScript) and pass the checks every page gets
(tests/e2e/conftest.py): zero axe WCAG 2.2 AA violations, no console errors or CSP refusals, no 5xx.
Forms are also submitted with mistakes, so their error states are checked too. With JavaScript on,
each page is saved as a full-page screenshot in tmp/screens/<name>.png for people to look at.

One test per mode walks every page and reports every failing page at the end, rather than stopping
at the first: signing in and building the organisation once keeps the run fast.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from trellis.pathway import actions
from trellis.pathway.models import Outcome, Stage
from trellis.tenancy.models import Invitation, Role
from trellis.tenancy.tests.factories import PASSWORD, MembershipFactory

ORG = "/o/northshire"


@dataclass
class Page:
    name: str  # also the screenshot's file name
    path: str
    h1: str
    status: int = 200
    then: Callable | None = None  # does something on the page that lands on another state to check
    then_name: str = ""
    then_error: bool = True  # whether `then` should land on an error state (GOV.UK error summary)


@pytest.fixture
def organisation(org, other_org, admin, leader, supervisor):
    """Northshire a few months in: outcomes, answers, stakeholders, actions in several states."""
    today = timezone.localdate()
    MembershipFactory(organisation=other_org, user=admin.user, roles=[Role.SENIOR_LEADER])  # so the switcher shows
    actions.mark_outcome(
        actor=admin,
        outcome=Outcome.objects.get(key="awareness-what"),
        is_achieved=True,
        achieved_on=today - datetime.timedelta(days=40),
        evidence="Intranet page and a briefing for managers",
    )
    actions.mark_outcome(
        actor=leader,
        outcome=Outcome.objects.get(key="understanding-why"),
        is_achieved=False,
        evidence="Two of five teams briefed",
    )
    understanding = Stage.objects.get(key="understanding")
    reflection = actions.save_reflection(actor=admin, stage=understanding, answer="It gives supervisors a shared language.")
    reflection = actions.save_reflection(
        actor=admin, stage=understanding, answer="A shared language, and recognition.", expected_version=1
    )
    actions.save_reflection(actor=supervisor, stage=understanding, answer="Time to think, not just case management.")
    psw = actions.create_stakeholder(actor=admin, name="Principal Social Worker", role="Leads practice", engagement="champion")
    actions.create_stakeholder(
        actor=admin, name="Team managers", role="Line managers of supervisors", engagement="aware", notes="Meet monthly"
    )

    def add(key, description, **kwargs):
        return actions.create_action(actor=admin, outcome=Outcome.objects.get(key=key), description=description, **kwargs)

    overdue = add(
        "understanding-why",
        "Brief every team on why the PQS matters",
        owner_member=leader,
        support_needed="A slot at each team meeting",
        due_date=today - datetime.timedelta(days=3),
    )
    actions.change_action_status(overdue, actor=admin, status="in_progress", comment="Three teams done")
    add("understanding-why", "Publish supervision data", owner_stakeholder=psw, due_date=today + datetime.timedelta(days=20))
    done = add("awareness-what", "Put the PQS on the intranet", owner_member=admin, due_date=today - datetime.timedelta(days=50))
    actions.change_action_status(done, actor=admin, status="complete")
    add("preparation-priorities", "Agree priorities for supervision", owner_member=supervisor, status="blocked")
    Invitation.objects.create(
        organisation=org,
        email="new.person@northshire.gov.uk",
        full_name="New Person",
        roles=[Role.PRACTICE_SUPERVISOR],
        invited_by=admin,
    )
    return {"admin": admin, "leader": leader, "overdue": overdue, "reflection": reflection, "stakeholder": psw}


def submit_empty(ui):
    ui.submit(ui.page.locator("main form[method=post] button[type=submit]").first)


def clear_and_submit(*labels):
    def run(ui):
        for label in labels:
            ui.page.get_by_label(label, exact=True).fill("")
        submit_empty(ui)

    return run


def untick_all_and_submit(ui):
    for box in ui.page.locator("main input[type=checkbox]").all():
        box.uncheck()
    submit_empty(ui)


def future_achieved_date(ui):
    page = ui.page
    page.get_by_label("Achieved", exact=True).check()
    group = page.get_by_role("group", name="Date achieved")
    next_year = str(timezone.localdate().year + 1)
    for label, value in (("Day", "1"), ("Month", "1"), ("Year", next_year)):
        group.get_by_label(label).fill(value)
    submit_empty(ui)


def reauthenticate(ui):
    ui.page.get_by_label("Password", exact=True).fill(PASSWORD)
    ui.submit(ui.page.get_by_role("button", name="Continue"))
    assert ui.h1() == "Set up two-step verification"


def backwards_dates(ui):
    page = ui.page
    for legend, day in (("From", "2"), ("To", "1")):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill("11")
        group.get_by_label("Year").fill("2026")
    ui.submit(page.get_by_role("button", name="Apply"))


def signed_in_pages(data):
    admin, leader, overdue, stakeholder = data["admin"], data["leader"], data["overdue"], data["stakeholder"]
    pathway = f"{ORG}/pathway"
    pages = [
        Page("organisations", "/organisations/", "Your organisations"),
        Page("pathway-overview", f"{pathway}/", "Implementation pathway"),
    ]
    for stage in Stage.objects.order_by("position"):
        pages.append(Page(f"stage-{stage.key}", f"{pathway}/stages/{stage.key}/", stage.name))
    pages += [
        Page(
            "reflection-form",
            f"{pathway}/stages/understanding/reflection/",
            Stage.objects.get(key="understanding").reflective_question,
            then=clear_and_submit("Your answer"),
            then_name="reflection-form-error",
        ),
        Page("reflection-history", f"{pathway}/reflections/{data['reflection'].pk}/history/", "Alex Admin's answer over time"),
        Page(
            "outcome-form",
            f"{pathway}/outcomes/understanding-why/",
            "Ensure stakeholders are aware of why the PQS matters",
            then=future_achieved_date,
            then_name="outcome-form-error",
        ),
        Page("action-list", f"{pathway}/actions/", "Action plan"),
        Page(
            "action-list-filtered",
            f"{pathway}/actions/?stage=understanding&owner=m:{leader.pk}&status=in_progress&overdue=on&sort=-due",
            "Action plan",
        ),
        Page("action-list-filtered-empty", f"{pathway}/actions/?stage=full-implementation&sort=-updated", "Action plan"),
        Page(
            "action-detail",
            f"{pathway}/actions/{overdue.pk}/",
            overdue.description,
            then=lambda ui: ui.submit(ui.page.get_by_role("button", name="Add progress update")),
            then_name="action-detail-error",
        ),
        Page("action-add", f"{pathway}/actions/add/", "Add an action", then=submit_empty, then_name="action-add-error"),
        Page(
            "action-edit",
            f"{pathway}/actions/{overdue.pk}/edit/",
            "Edit action",
            then=clear_and_submit("Action(s)"),
            then_name="action-edit-error",
        ),
        Page("action-delete", f"{pathway}/actions/{overdue.pk}/delete/", "Are you sure you want to delete this action?"),
        Page("stakeholder-list", f"{pathway}/stakeholders/", "Stakeholders"),
        Page(
            "stakeholder-add",
            f"{pathway}/stakeholders/add/",
            "Add a stakeholder",
            then=submit_empty,
            then_name="stakeholder-add-error",
        ),
        Page("stakeholder-edit", f"{pathway}/stakeholders/{stakeholder.pk}/edit/", f"Change {stakeholder.name}"),
        Page(
            "stakeholder-delete",
            f"{pathway}/stakeholders/{stakeholder.pk}/delete/",
            f"Are you sure you want to remove {stakeholder.name}?",
            then=submit_empty,
            then_name="stakeholder-delete-in-use",
        ),
        Page("people", f"{ORG}/people/", "People"),
        Page(
            "people-invite",
            f"{ORG}/people/invite/",
            "Invite someone to Northshire County Council",
            then=submit_empty,
            then_name="people-invite-error",
        ),
        Page(
            "people-roles",
            f"{ORG}/people/{leader.pk}/roles/",
            "Change Sam Senior's roles",
            then=untick_all_and_submit,
            then_name="people-roles-error",
        ),
        Page("audit-trail", f"{ORG}/audit/", "Audit trail", then=backwards_dates, then_name="audit-trail-error"),
        Page(
            "audit-trail-filtered",
            f"{ORG}/audit/?person={admin.user_id}&record_type=pathway.action&date_from_day=1&date_from_month=1&date_from_year=2020",
            "Audit trail",
        ),
        Page("audit-record", f"{ORG}/audit/pathway.action/{overdue.pk}/", overdue.description),
        Page("account", "/accounts/me/", "Your account"),
        Page(
            "account-password",
            "/accounts/password/change/",
            "Change your password",
            then=submit_empty,
            then_name="account-password-error",
        ),
        Page("account-two-step", "/accounts/2fa/", "Two-step verification"),
        Page(
            "account-confirm-its-you",
            "/accounts/2fa/totp/activate/",
            "Confirm it’s you",
            then=reauthenticate,
            then_name="account-two-step-set-up",
            then_error=False,
        ),
        Page(
            "account-two-step-set-up",
            "/accounts/2fa/totp/activate/",
            "Set up two-step verification",
            then=submit_empty,
            then_name="account-two-step-set-up-error",
        ),
        Page("not-found", f"{pathway}/actions/00000000-0000-0000-0000-000000000000/", "Page not found", status=404),
        Page("sign-out", "/accounts/logout/", "Sign out of Trellis?"),
    ]
    return pages


SIGNED_OUT = [
    Page("sign-in", "/accounts/login/", "Sign in to Trellis", then=submit_empty, then_name="sign-in-error"),
    Page("accessibility", "/accessibility/", "Accessibility statement for Trellis"),
    Page("privacy", "/privacy/", "Privacy notice"),
    Page("cookies", "/cookies/", "Cookies"),
]


def walk(ui, pages, failures):
    for page in pages:
        try:
            ui.visit(page.path, status=page.status)
            assert ui.h1() == page.h1, f"h1 is {ui.h1()!r}, expected {page.h1!r}"
            if ui.javascript:
                ui.screenshot(page.name)
            if page.then:
                page.then(ui)
                if page.then_error:
                    assert ui.page.locator(".govuk-error-summary").count() == 1, "expected the GOV.UK error summary"
                    assert ui.page.title().startswith("Error:"), f"title {ui.page.title()!r} should start 'Error:'"
                if ui.javascript:
                    ui.screenshot(page.then_name)
        except (AssertionError, pytest.fail.Exception) as error:
            failures.append(f"[{page.name}{' (JavaScript off)' if not ui.javascript else ''}] {page.path}\n{error}")
            ui.checked = len(ui.navigations)  # reported here; do not report again at teardown


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_every_page_is_accessible_and_works_without_javascript(new_ui, organisation, javascript):
    failures = []
    visitor = new_ui(javascript=javascript)
    walk(visitor, SIGNED_OUT, failures)

    ui = new_ui(javascript=javascript)
    ui.sign_in("admin@northshire.gov.uk", PASSWORD)
    assert ui.h1() == "Your organisations", "someone in two organisations chooses one after signing in"
    walk(ui, signed_in_pages(organisation), failures)

    assert not failures, f"{len(failures)} page(s) failed:\n\n" + "\n\n".join(failures)
