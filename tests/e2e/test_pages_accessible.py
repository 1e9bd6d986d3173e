"""Every page an organisation admin can reach, with JavaScript on and off; then the few a practitioner can.

Each page must render its h1 (so it works without JavaScript) and pass the checks every page gets
(tests/e2e/conftest.py): zero axe WCAG 2.2 AA violations, no console errors or CSP refusals, no 5xx.
Forms are also submitted with mistakes, so their error states are checked too. With JavaScript on,
each page is saved as a full-page screenshot in tmp/screens/<name>.png for people to look at.

One test per mode walks every page and reports every failing page at the end, rather than stopping
at the first: signing in and building the organisation once keeps the run fast. Some pages are walked
in an order that matters: a follow-on that changes something (an import applied, an opportunity
filled then cancelled, a plan closed) comes after every page that needs it as it was.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from trellis.insights import actions as insights_actions
from trellis.pathway import actions
from trellis.pathway.models import Outcome, Stage
from trellis.talent import actions as talent_actions
from trellis.talent.models import StageSupport
from trellis.tenancy.models import Invitation, Role
from trellis.tenancy.tests.factories import PASSWORD, MembershipFactory
from trellis.workforce import actions as workforce_actions
from trellis.workforce import importer
from trellis.workforce.models import CareerStage

ORG = "/o/northshire"
SLUG = "northshire"


def url(name, *args, query=""):
    return reverse(name, args=[SLUG, *args]) + (f"?{query}" if query else "")


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
def organisation(org, other_org, admin, leader, supervisor, practitioner):
    """Northshire a few months in: outcomes, answers, stakeholders, actions in several states; a
    workforce register, a succession pipeline and an oversight meeting (see `workforce`)."""
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
    return {
        "admin": admin,
        "leader": leader,
        "practitioner": practitioner,
        "overdue": overdue,
        "reflection": reflection,
        "stakeholder": psw,
        **workforce_data(org, admin, leader, practitioner),
    }


IMPORT_HEADER = "Employee ID,Full Name,Work Email,Job Title,Team,Line Manager ID,FTE,Contract Type,Start Date,Career Stage"
IMPORT_ROWS = [
    "E1,Sal Supervisor,sal@northshire.gov.uk,Practice supervisor,Assessment North,,1,Permanent,01/09/2015,Practice supervisor",
    "N1,Nat Newcomer,nat@northshire.gov.uk,Social worker,Assessment North,E1,0.8,Permanent,02/09/2024,Social worker",
    "N2,Omar Odd,,Social worker,Nowhere,E1,1.5,Contractor,31/02/2024,Social worker",
]


def workforce_data(org, admin, leader, practitioner):
    """Three teams and eight people at several career stages, with supervisors, a leaver and someone
    working their notice; one person's equality answers; two HR imports (one waiting for its columns,
    one checked with an invalid row); two potential supervisors, one with a gap plan; an acting-up
    opportunity offered to one of them; and an oversight meeting with an agreed action."""
    today = timezone.localdate()
    days = datetime.timedelta
    workforce_actions.ensure_default_career_stages(org)
    talent_actions.ensure_default_career_pathway(org)
    stage = {s.name: s for s in CareerStage.objects.filter(organisation=org)}
    assessment = workforce_actions.create_team(actor=admin, name="Assessment North", service="children", establishment_fte=6)
    in_care = workforce_actions.create_team(actor=admin, name="Children in Care", service="children")
    adults = workforce_actions.create_team(actor=admin, name="Adults East", service="adults", establishment_fte=4)

    def person(name, ref, at, team, start, stage_start=None, service=None, **fields):
        return workforce_actions.create_staff_record(
            actor=admin,
            career_stage=stage[at],
            stage_start_date=stage_start,
            full_name=name,
            employee_ref=ref,
            team=team,
            service=service or team.service,
            employment_type=fields.pop("employment_type", "permanent"),
            start_date=start,
            **fields,
        )

    sal = person("Sal Supervisor", "E1", "Social worker", assessment, datetime.date(2015, 9, 1), job_title="Practice supervisor")
    workforce_actions.change_career_stage(
        sal, actor=admin, stage=stage["Practice supervisor"], start_date=datetime.date(2019, 4, 1), kind="promotion"
    )
    tom = person("Tom Manager", "E2", "Team manager", adults, datetime.date(2010, 1, 4))
    workforce_actions.record_leaving(tom, actor=admin, leaving_date=today + days(60), leaving_reason="retirement")
    nia = person("Nia Newlead", "E3", "Practice supervisor", in_care, today - days(400), stage_start=today - days(120))
    wendy = person(
        "Wendy Worker", "E4", "Senior or advanced practitioner", assessment, datetime.date(2017, 9, 4), line_manager=sal
    )
    pat = person(
        "Pat Practitioner",
        "E5",
        "Social worker",
        assessment,
        datetime.date(2021, 9, 6),
        line_manager=sal,
        membership=practitioner,
    )
    person("Asha Newly", "E6", "ASYE / newly qualified social worker", adults, today - days(200), line_manager=tom, fte="0.8")
    lee = person("Lee Leaver", "E7", "Social worker", in_care, datetime.date(2020, 1, 6), line_manager=nia)
    workforce_actions.record_leaving(lee, actor=admin, leaving_date=today - days(45), leaving_reason="resignation")
    person("Ada Agency", "E8", "Social worker", in_care, today - days(90), line_manager=nia, employment_type="agency")
    workforce_actions.update_team(assessment, actor=admin, manager=sal)
    workforce_actions.save_equality_answers(
        wendy, actor=admin, sex="female", ethnic_group="prefer_not_to_say", disability="no", age_band="35_44"
    )

    def upload(name, rows):
        headers, records = importer.read_table("\r\n".join([IMPORT_HEADER, *rows]).encode(), name)
        return workforce_actions.upload_import(actor=admin, filename=name, headers=headers, records=records)

    waiting = upload("hr-export-march.csv", IMPORT_ROWS[:2])
    checked = upload("hr-export.csv", IMPORT_ROWS)
    workforce_actions.choose_import_columns(checked, actor=admin, mapping=importer.suggested_mapping(checked))

    plan = talent_actions.record_potential_supervisor(
        actor=admin,
        staff=wendy,
        readiness="within_12_months",
        identified_on=today - days(60),
        identified_by=sal,
        source="appraisal",
        strengths="Reflective and calm; newly qualified colleagues already go to her for advice.",
        best_placed_team=in_care,
        best_placed_service="children",
    )
    gap = talent_actions.add_gap_action(
        plan,
        actor=admin,
        kind="shadowing",
        description="Shadow Sal in three supervision sessions.",
        owner=sal,
        due_date=today + days(45),
    )
    talent_actions.add_gap_action(
        plan,
        actor=admin,
        kind="training",
        description="Practice supervisor development programme, module 1.",
        owner=wendy,
        due_date=today - days(5),
        status="in_progress",
    )
    pat_plan = talent_actions.record_potential_supervisor(
        actor=admin,
        staff=pat,
        readiness="one_to_two_years",
        identified_on=today - days(20),
        identified_by=sal,
        source="self_nomination",
        strengths="Organised, and keen to learn to supervise.",
    )
    opportunity = talent_actions.create_acting_up(
        actor=admin,
        team=in_care,
        stage=stage["Practice supervisor"],
        start_date=today + days(30),
        end_date=today + days(120),
        reason="parental_leave",
        notes="Nia's parental leave. Sal will supervise whoever acts up.",
    )
    (offer,) = talent_actions.offer_acting_up(opportunity, actor=admin, candidates=[plan], offered_on=today - days(2))
    talent_actions.record_acting_up_response(offer, actor=admin, response="accepted")

    meeting = insights_actions.record_meeting(
        actor=admin,
        held_on=today - days(7),
        window_end=today - days(7),
        title="Autumn recruitment and retention oversight",
        attendees="Sam Senior, Director\nAlex Admin, Principal Social Worker",
        notes="Agency use is low; look at why people leave.",
    )
    meeting_action = insights_actions.create_meeting_action(
        meeting,
        actor=admin,
        description="Offer an exit interview to every leaver",
        support_needed="HR business partner time",
        owner_member=leader,
        due_date=today + days(30),
    )
    return {
        "stage": stage,
        "teams": {"assessment": assessment, "in_care": in_care, "adults": adults},
        "staff": {"sal": sal, "tom": tom, "nia": nia, "wendy": wendy, "pat": pat, "lee": lee},
        "imports": {"waiting": waiting, "checked": checked},
        "plan": plan,
        "pat_plan": pat_plan,
        "gap": gap,
        "opportunity": opportunity,
        "meeting": meeting,
        "meeting_action": meeting_action,
        "support": StageSupport.objects.filter(stage=stage["Social worker"]).order_by("position").first(),
    }


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


def fill_date(scope, legend, day):
    group = scope.get_by_role("group", name=legend)
    for label, value in zip(("Day", "Month", "Year"), (day.day, day.month, day.year), strict=True):
        group.get_by_label(label).fill(str(value))


def choose_and_submit(label, option):
    """Select `option` (its visible text) in the select labelled `label`, then submit the form."""

    def run(ui):
        ui.page.get_by_label(label, exact=True).select_option(label=option)
        submit_empty(ui)

    return run


def end_before_start(ui):
    start = timezone.localdate() + datetime.timedelta(days=30)
    fill_date(ui.page, "Start date", start)
    fill_date(ui.page, "End date", start - datetime.timedelta(days=1))
    submit_empty(ui)


def future_window(ui):
    fill_date(ui.page, "Figures for the 12 months up to", timezone.localdate() + datetime.timedelta(days=40))
    ui.submit(ui.page.get_by_role("button", name="Show figures"))


def skip_invalid_and_import(ui):
    ui.page.get_by_label("Skip the invalid rows and import the others").check()
    submit_empty(ui)
    assert ui.h1() == "Import complete"


def close_as_appointed(ui):
    ui.page.get_by_label("Appointed as a practice supervisor").check()
    ui.page.get_by_label("Reason", exact=True).fill("Appointed to Children in Care while Nia is on leave.")
    submit_empty(ui)
    assert ui.h1() == "Wendy Worker"


def changed_meanwhile(change):
    """Someone else saves the record after the page was opened: the save is refused, with what changed."""

    def run(ui):
        change()
        submit_empty(ui)

    return run


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
        *workforce_pages(data),
        *talent_pages(data),
        *insights_pages(data),
        Page("not-found", f"{pathway}/actions/00000000-0000-0000-0000-000000000000/", "Page not found", status=404),
        Page("sign-out", "/accounts/logout/", "Sign out of Trellis?"),
    ]
    return pages


def workforce_pages(data):
    admin, stage, teams, staff = data["admin"], data["stage"], data["teams"], data["staff"]
    sal, wendy, lee = staff["sal"], staff["wendy"], staff["lee"]
    assessment, social_worker = teams["assessment"], stage["Social worker"]
    waiting, checked = data["imports"]["waiting"], data["imports"]["checked"]

    def someone_else_changes_wendys_answers():
        workforce_actions.save_equality_answers(wendy, actor=admin, age_band="45_54")

    return [
        Page("workforce-staff", url("workforce:staff-list"), "Workforce register"),
        Page(
            "workforce-staff-filtered",
            url(
                "workforce:staff-list",
                query=f"team={assessment.pk}&service=children&stage={social_worker.pk}&status=all",
            ),
            "Workforce register",
        ),
        Page("workforce-staff-left", url("workforce:staff-list", query="status=left"), "Workforce register"),
        Page(
            "workforce-staff-filtered-empty",
            url("workforce:staff-list", query=f"stage={stage['Student social worker'].pk}&service=adults"),
            "Workforce register",
        ),
        Page("workforce-staff-supervisor", url("workforce:staff", sal.pk), sal.full_name),
        Page("workforce-staff-candidate", url("workforce:staff", wendy.pk), wendy.full_name),
        Page("workforce-staff-leaver", url("workforce:staff", lee.pk), lee.full_name),
        Page(
            "workforce-staff-add",
            url("workforce:staff-add"),
            "Add a member of staff",
            then=submit_empty,
            then_name="workforce-staff-add-error",
        ),
        Page(
            "workforce-staff-edit",
            url("workforce:staff-edit", wendy.pk),
            "Edit Wendy Worker's record",
            then=clear_and_submit("Full name"),
            then_name="workforce-staff-edit-error",
        ),
        Page(
            "workforce-staff-stage",
            url("workforce:staff-stage", wendy.pk),
            "Change career stage",
            then=submit_empty,
            then_name="workforce-staff-stage-error",
        ),
        Page(
            "workforce-staff-leaving",
            url("workforce:staff-leaving", wendy.pk),
            "Record leaving",
            then=submit_empty,
            then_name="workforce-staff-leaving-error",
        ),
        Page("workforce-staff-leaving-leaver", url("workforce:staff-leaving", lee.pk), "Record leaving"),
        Page(
            "workforce-equality",
            url("workforce:staff-equality", wendy.pk),
            "Equality monitoring",
            then=changed_meanwhile(someone_else_changes_wendys_answers),
            then_name="workforce-equality-changed-meanwhile",
        ),
        Page("workforce-equality-not-recorded", url("workforce:staff-equality", sal.pk), "Equality monitoring"),
        Page("workforce-career-stages", url("workforce:career-stage-list"), "Career stages"),
        Page(
            "workforce-career-stage-add",
            url("workforce:career-stage-add"),
            "Add a career stage",
            then=submit_empty,
            then_name="workforce-career-stage-add-error",
        ),
        Page(
            "workforce-career-stage-edit",
            url("workforce:career-stage-edit", social_worker.pk),
            "Change Social worker",
            then=clear_and_submit("Name of the stage"),
            then_name="workforce-career-stage-edit-error",
        ),
        Page(
            "workforce-career-stage-delete",
            url("workforce:career-stage-delete", stage["Service manager"].pk),
            "Delete Service manager?",
        ),
        Page(
            "workforce-career-stage-delete-in-use",
            url("workforce:career-stage-delete", social_worker.pk),
            "Delete Social worker?",
            then=submit_empty,
            then_name="workforce-career-stage-delete-in-use-error",
        ),
        Page("workforce-teams", url("workforce:team-list"), "Teams"),
        Page(
            "workforce-team-add", url("workforce:team-add"), "Add a team", then=submit_empty, then_name="workforce-team-add-error"
        ),
        Page(
            "workforce-team-edit",
            url("workforce:team-edit", assessment.pk),
            "Change Assessment North",
            then=clear_and_submit("Team name"),
            then_name="workforce-team-edit-error",
        ),
        Page("workforce-supervisors", url("workforce:supervisors"), "Supervisors register"),
        Page("workforce-supervisors-sorted", url("workforce:supervisors", query="sort=-time"), "Supervisors register"),
        Page(
            "workforce-supervisors-filtered",
            url("workforce:supervisors", query=f"team={teams['in_care'].pk}&service=children&first_year=on&sort=-supervisees"),
            "Supervisors register",
        ),
        Page(
            "workforce-supervisors-filtered-empty",
            url("workforce:supervisors", query="service=adults&first_year=on&sort=time"),
            "Supervisors register",
        ),
        Page(
            "workforce-import",
            url("workforce:import"),
            "Import staff records",
            then=submit_empty,
            then_name="workforce-import-error",
        ),
        Page(
            "workforce-import-columns",
            url("workforce:import-mapping", waiting.pk),
            "Choose the columns",
            then=choose_and_submit("Employee reference", "Not in this file"),
            then_name="workforce-import-columns-error",
        ),
        Page("workforce-import-waiting", url("workforce:import-batch", waiting.pk), "Choose the columns"),
        Page(
            "workforce-import-preview",
            url("workforce:import-batch", checked.pk),
            "Check the changes",
            then=submit_empty,  # all or nothing: refused while a row is invalid and skipping is not chosen
            then_name="workforce-import-preview-refused",
        ),
        Page(
            "workforce-import-preview-invalid",
            url("workforce:import-batch", checked.pk, query="show=invalid"),
            "Check the changes",
        ),
        Page(
            "workforce-import-skip-invalid",
            url("workforce:import-batch", checked.pk),
            "Check the changes",
            then=skip_invalid_and_import,
            then_name="workforce-import-complete",
            then_error=False,
        ),
    ]


def talent_pages(data):
    stage, teams = data["stage"], data["teams"]
    plan, pat_plan, gap, opportunity, support = data["plan"], data["pat_plan"], data["gap"], data["opportunity"], data["support"]
    return [
        Page("talent-career-pathway", url("talent:career-pathway"), "Career pathway"),
        Page("talent-career-stage", url("talent:career-stage", stage["Social worker"].pk), "Social worker"),
        Page(
            "talent-support-add",
            url("talent:support-add", stage["Social worker"].pk),
            "Add support at this stage",
            then=submit_empty,
            then_name="talent-support-add-error",
        ),
        Page(
            "talent-support-edit",
            url("talent:support-edit", support.pk),
            "Change support",
            then=clear_and_submit("What you offer"),
            then_name="talent-support-edit-error",
        ),
        Page("talent-support-delete", url("talent:support-delete", support.pk), "Are you sure you want to remove this support?"),
        Page("talent-succession", url("talent:pipeline"), "Succession"),
        Page("talent-succession-children", url("talent:pipeline", query="service=children"), "Succession"),
        Page("talent-succession-adults", url("talent:pipeline", query="service=adults"), "Succession"),
        Page("talent-candidates", url("talent:candidate-list"), "Potential practice supervisors"),
        Page(
            "talent-candidates-filtered",
            url(
                "talent:candidate-list",
                query=f"status=all&readiness=within_12_months&service=children&team={teams['assessment'].pk}",
            ),
            "Potential practice supervisors",
        ),
        Page(
            "talent-candidates-filtered-empty",
            url("talent:candidate-list", query="status=appointed"),
            "Potential practice supervisors",
        ),
        Page(
            "talent-candidate-add",
            url("talent:candidate-add"),
            "Record a potential practice supervisor",
            then=submit_empty,
            then_name="talent-candidate-add-error",
        ),
        Page(
            "talent-candidate-add-from-record",
            url("talent:candidate-add", query=f"staff={data['staff']['nia'].pk}"),
            "Record a potential practice supervisor",
        ),
        Page("talent-candidate", url("talent:candidate", plan.pk), plan.staff.full_name),
        Page("talent-candidate-no-gap-plan", url("talent:candidate", pat_plan.pk), pat_plan.staff.full_name),
        Page(
            "talent-candidate-edit",
            url("talent:candidate-edit", plan.pk),
            "Change their plan",
            then=clear_and_submit("Strengths"),
            then_name="talent-candidate-edit-error",
        ),
        Page(
            "talent-candidate-close",
            url("talent:candidate-close", plan.pk),
            "Close their plan",
            then=submit_empty,
            then_name="talent-candidate-close-error",
        ),
        Page(
            "talent-gap-action-add",
            url("talent:gap-action-add", plan.pk),
            "Add an action to the gap plan",
            then=submit_empty,
            then_name="talent-gap-action-add-error",
        ),
        Page(
            "talent-gap-action-edit",
            url("talent:gap-action-edit", gap.pk),
            "Change this action",
            then=clear_and_submit("Action"),
            then_name="talent-gap-action-edit-error",
        ),
        Page("talent-gap-action-delete", url("talent:gap-action-delete", gap.pk), "Are you sure you want to delete this action?"),
        Page("talent-acting-up", url("talent:acting-up-list"), "Acting-up opportunities"),
        Page("talent-acting-up-open", url("talent:acting-up-list", query="status=open"), "Acting-up opportunities"),
        Page(
            "talent-acting-up-filtered-empty", url("talent:acting-up-list", query="status=cancelled"), "Acting-up opportunities"
        ),
        Page(
            "talent-acting-up-add",
            url("talent:acting-up-add"),
            "Record an acting-up opportunity",
            then=submit_empty,
            then_name="talent-acting-up-add-error",
        ),
        Page("talent-acting-up-detail", url("talent:acting-up", opportunity.pk), "Practice supervisor in Children in Care"),
        Page(
            "talent-acting-up-edit",
            url("talent:acting-up-edit", opportunity.pk),
            "Change this acting-up opportunity",
            then=end_before_start,
            then_name="talent-acting-up-edit-error",
        ),
        Page(
            "talent-acting-up-offer",
            url("talent:acting-up-offer", opportunity.pk),
            "Offer acting up",
            then=submit_empty,
            then_name="talent-acting-up-offer-error",
        ),
        Page(
            "talent-acting-up-assign",
            url("talent:acting-up-assign", opportunity.pk),
            "Assign someone to act up",
            then=submit_empty,
            then_name="talent-acting-up-assign-error",
        ),
        Page(
            "talent-acting-up-assign-not-accepted",
            url("talent:acting-up-assign", opportunity.pk),
            "Assign someone to act up",
            then=choose_and_submit("Who will act up", "Pat Practitioner (E5)"),
            then_name="talent-acting-up-assign-not-accepted-error",
        ),
        Page(
            "talent-acting-up-assign-accepted",
            url("talent:acting-up-assign", opportunity.pk),
            "Assign someone to act up",
            then=choose_and_submit("Who will act up", "Wendy Worker (E4)"),
            then_name="talent-acting-up-filled",
            then_error=False,
        ),
        Page("talent-acting-up-assign-change", url("talent:acting-up-assign", opportunity.pk), "Change who is acting up"),
        Page(
            "talent-acting-up-cancel",
            url("talent:acting-up-cancel", opportunity.pk),
            "Are you sure you want to cancel this opportunity?",
            then=submit_empty,
            then_name="talent-acting-up-cancelled",
            then_error=False,
        ),
        # Last, since a closed plan can no longer change: its page as it reads afterwards.
        Page(
            "talent-candidate-close-appointed",
            url("talent:candidate-close", plan.pk),
            "Close their plan",
            then=close_as_appointed,
            then_name="talent-candidate-closed",
            then_error=False,
        ),
        Page(
            "talent-candidates-appointed",
            url("talent:candidate-list", query="status=appointed"),
            "Potential practice supervisors",
        ),
    ]


def insights_pages(data):
    meeting, action = data["meeting"], data["meeting_action"]
    today = timezone.localdate()
    census = today.replace(month=9, day=30)
    if census > today:
        census = census.replace(year=today.year - 1)
    past = f"window_end_day={census.day}&window_end_month={census.month}&window_end_year={census.year}"
    return [
        Page(
            "oversight-dashboard",
            url("insights:oversight"),
            "Recruitment and retention oversight",
            then=future_window,
            then_name="oversight-dashboard-error",
        ),
        Page(
            "oversight-dashboard-children",
            url("insights:oversight", query="service=children"),
            "Recruitment and retention oversight",
        ),
        Page(
            "oversight-dashboard-adults", url("insights:oversight", query="service=adults"), "Recruitment and retention oversight"
        ),
        Page(
            "oversight-dashboard-past", url("insights:oversight", query=f"{past}&service="), "Recruitment and retention oversight"
        ),
        Page("oversight-meetings", url("insights:meeting-list"), "Oversight meetings"),
        Page(
            "oversight-meeting-add",
            url("insights:meeting-add", query=f"{past}&service=children"),
            "Record an oversight meeting",
            then=clear_and_submit("Title"),
            then_name="oversight-meeting-add-error",
        ),
        Page("oversight-meeting", url("insights:meeting", meeting.pk), meeting.title),
        Page(
            "oversight-meeting-edit",
            url("insights:meeting-edit", meeting.pk),
            "Edit meeting",
            then=clear_and_submit("Title"),
            then_name="oversight-meeting-edit-error",
        ),
        Page(
            "oversight-meeting-action-add",
            url("insights:meeting-action-add", meeting.pk),
            "Add an action",
            then=submit_empty,
            then_name="oversight-meeting-action-add-error",
        ),
        Page("oversight-meeting-action", url("insights:meeting-action", action.pk), action.description),
        Page(
            "oversight-meeting-action-edit",
            url("insights:meeting-action-edit", action.pk),
            "Edit action",
            then=clear_and_submit("Action(s)"),
            then_name="oversight-meeting-action-edit-error",
        ),
    ]


def practitioner_pages(data):
    """What someone with only the practitioner role reaches: their organisation's home, the career
    pathway, their own plan as a potential supervisor; the register is refused."""
    return [
        Page("practitioner-home", url("tenancy:organisation-home"), "Northshire County Council"),
        Page("practitioner-career-pathway", url("talent:career-pathway"), "Career pathway"),
        Page("practitioner-own-plan", url("talent:candidate", data["pat_plan"].pk), "Pat Practitioner"),
        Page("practitioner-workforce-refused", url("workforce:staff-list"), "You cannot do this", status=403),
    ]


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

    practitioner = new_ui(javascript=javascript)
    practitioner.sign_in(organisation["practitioner"].user.email, PASSWORD)
    assert practitioner.h1() == "Northshire County Council", "someone in one organisation goes straight to it"
    walk(practitioner, practitioner_pages(organisation), failures)

    assert not failures, f"{len(failures)} page(s) failed:\n\n" + "\n\n".join(failures)
