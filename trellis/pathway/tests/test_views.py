import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from trellis.audit.models import AuditEvent
from trellis.pathway import actions
from trellis.pathway.models import Action, Outcome, Reflection, Stage, Stakeholder
from trellis.pathway.tests.factories import ActionFactory, StakeholderFactory

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 0))


def url(name, *args):
    return reverse(f"pathway:{name}", args=["northshire", *args])


def date_parts(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year} if day else {}


def new_action(actor, key="preparation-priorities", **kwargs):
    kwargs.setdefault("owner_member", actor)
    return actions.create_action(
        actor=actor, outcome=Outcome.objects.get(key=key), description=kwargs.pop("description", "Map supervisors"), **kwargs
    )


# --- Overview and stages ---------------------------------------------------------------------


def test_overview_shows_the_continuum_and_the_current_position(client_for, admin):
    actions.mark_outcome(
        actor=admin, outcome=Outcome.objects.get(key="awareness-what"), is_achieved=True, achieved_on=datetime.date(2026, 9, 1)
    )
    new_action(admin, status="in_progress", due_date=TODAY - datetime.timedelta(days=3))
    page = client_for(admin).get(url("overview")).content.decode()
    for name in ("Awareness", "Understanding", "Preparation", "Initial action", "Full implementation"):
        assert name in page
    assert "You are at <strong>stage 2 of 5: Understanding</strong>" in page
    assert "1 Sep 2026" in page
    assert "1 overdue" in page
    assert "Equity and diversity" in page and "Strengths-based" in page and "Community of practice" in page


def test_stage_page_has_outcome_ideas_resources_question_and_plan(client_for, admin, supervisor):
    stage = Stage.objects.get(key="preparation")
    actions.save_reflection(actor=supervisor, stage=stage, answer="Protected time for supervisors")
    new_action(admin, description="Choose the first cohort")
    page = client_for(admin).get(url("stage", "preparation")).content.decode()
    assert "Identify priorities for supporting supervision and for PQS implementation" in page
    assert "Identify who your Practice Supervisors are" in page
    assert "Planning and Business case" in page and "https://adultsdp.researchinpractice.org.uk/pbc" in page
    assert "Tools for leaders that are transferable from children" in page
    assert stage.reflective_question in page
    assert "Protected time for supervisors" in page
    assert "Choose the first cohort" in page
    for column in ("Outcome", "Action(s)", "Support needed", "Owner", "Date to be completed", "Status"):
        assert f">{column}</th>" in page


def test_answering_and_revising_a_reflective_question(client_for, supervisor):
    client = client_for(supervisor)
    response = client.post(url("reflection-edit", "awareness"), {"answer": "Short films"})
    assert response.status_code == 302
    reflection = Reflection.objects.get()
    response = client.post(
        url("reflection-edit", "awareness"), {"answer": "Short films and briefings", "version": reflection.version}
    )
    assert response.status_code == 302
    history = client.get(url("reflection-history", reflection.pk)).content.decode()
    assert "Short films</p>" in history and "Short films and briefings" in history and "Version 2 (current)" in history


def test_an_empty_answer_is_an_error(client_for, supervisor):
    response = client_for(supervisor).post(url("reflection-edit", "awareness"), {"answer": "  "})
    assert response.status_code == 200
    assert "Enter your answer to the reflective question" in response.content.decode()
    assert not Reflection.objects.exists()


def test_marking_an_outcome_achieved_with_evidence(client_for, leader):
    response = client_for(leader).post(
        url("outcome-edit", "awareness-what"),
        {
            "is_achieved": "yes",
            "evidence": "PQS page on the intranet",
            **date_parts("achieved_on", datetime.date(2026, 10, 1)),
        },
    )
    assert response.status_code == 302
    page = client_for(leader).get(url("stage", "awareness")).content.decode()
    assert "Achieved" in page and "1 October 2026" in page and "PQS page on the intranet" in page


def test_an_achieved_date_in_the_future_is_refused(client_for, leader):
    response = client_for(leader).post(
        url("outcome-edit", "awareness-what"),
        {"is_achieved": "yes", **date_parts("achieved_on", TODAY + datetime.timedelta(days=2))},
    )
    assert "Date achieved must be today or in the past" in response.content.decode()


# --- Actions ---------------------------------------------------------------------------------


def action_post(member, **overrides):
    data = {
        "outcome": "preparation-priorities",
        "description": "Map our practice supervisors",
        "support_needed": "HR extract",
        "owner": f"m:{member.pk}",
        "status": "not_started",
        **date_parts("due_date", TODAY + datetime.timedelta(days=30)),
    }
    data.update(overrides)
    return data


def test_adding_an_action_with_owner_and_date(client_for, leader):
    response = client_for(leader).post(url("action-add"), action_post(leader))
    action = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == url("action", action.pk)
    assert action.owner_member == leader and action.due_date == TODAY + datetime.timedelta(days=30)
    assert action.outcome.stage.key == "preparation"


def test_a_stakeholder_can_own_an_action(client_for, leader, org):
    stakeholder = StakeholderFactory(organisation=org, name="Principal Social Worker")
    client_for(leader).post(url("action-add"), action_post(leader, owner=f"s:{stakeholder.pk}"))
    assert Action.objects.get().owner == stakeholder


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"description": ""}, "Enter the action(s)"),
        ({"owner": ""}, "Select who owns this action"),
        ({"due_date_day": "31", "due_date_month": "2"}, "Date to be completed must be a real date"),
        ({"due_date_year": ""}, "Date to be completed must include a day, month and year"),
        ({"due_date_year": "27"}, "Year must include 4 numbers"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client_for, leader, overrides, message):
    response = client_for(leader).post(url("action-add"), action_post(leader, **overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert "<title>Error: " in page
    assert not Action.objects.exists()


def test_an_owner_from_another_organisation_is_not_a_choice(client_for, leader, outsider):
    response = client_for(leader).post(url("action-add"), action_post(leader, owner=f"m:{outsider.pk}"))
    assert "Select a valid choice" in response.content.decode()


def test_editing_keeps_the_seed_columns(client_for, leader):
    action = new_action(leader)
    response = client_for(leader).post(
        url("action-edit", action.pk), action_post(leader, description="Map supervisors and time in role", version=action.version)
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.description == "Map supervisors and time in role" and action.version == 2


def test_a_second_editor_is_told_what_changed_and_keeps_their_input(client_for, leader, admin, client):
    action = new_action(leader, description="Original wording")
    opened_version = action.version
    actions.update_action(action, actor=admin, expected_version=opened_version, description="Admin's wording")
    response = client_for(leader).post(
        url("action-edit", action.pk), action_post(leader, description="Leader's wording", version=opened_version)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Alex Admin changed this after you opened it" in page
    assert "Original wording" in page and "Admin&#x27;s wording" in page
    assert "Leader&#x27;s wording</textarea>" in page  # their input is still in the form
    action.refresh_from_db()
    assert action.description == "Admin's wording"
    # Saving again from the re-rendered form is a deliberate overwrite, and works.
    response = client_for(leader).post(
        url("action-edit", action.pk), action_post(leader, description="Leader's wording", version=action.version)
    )
    assert response.status_code == 302


def test_changing_status_without_javascript_redirects_back(client_for, leader):
    action = new_action(leader)
    response = client_for(leader).post(
        url("action-status", action.pk), {"status": "complete", "version": action.version, "next": url("action-list")}
    )
    assert response.status_code == 302 and response["Location"] == url("action-list")
    action.refresh_from_db()
    assert action.status == "complete"


def test_changing_status_with_htmx_returns_just_the_row(client_for, leader):
    action = new_action(leader)
    response = client_for(leader).post(
        url("action-status", action.pk), {"status": "blocked", "version": action.version}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert page.strip().startswith(f'<tr class="govuk-table__row" id="action-{action.pk}">')
    assert 'value="blocked" selected' in page


def test_a_stale_status_change_is_refused(client_for, leader, admin):
    action = new_action(leader)
    actions.change_action_status(action, actor=admin, status="in_progress")
    response = client_for(leader).post(
        url("action-status", action.pk), {"status": "complete", "version": 1}, headers={"HX-Request": "true"}
    )
    assert "changed this action after you opened the page" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_progress_updates_are_dated_comments(client_for, leader):
    action = new_action(leader)
    client = client_for(leader)
    assert client.post(url("action-add-update", action.pk), {"text": ""}).status_code == 422
    client.post(url("action-add-update", action.pk), {"text": "Met HR; extract due Friday"})
    page = client.get(url("action", action.pk)).content.decode()
    assert "Met HR; extract due Friday" in page and "24 November 2026" in page


def test_deleting_asks_first_then_records_it(client_for, leader):
    action = new_action(leader, description="To be removed")
    client = client_for(leader)
    confirm = client.get(url("action-delete", action.pk)).content.decode()
    assert "Are you sure you want to delete this action?" in confirm
    assert Action.objects.filter(pk=action.pk).exists()
    assert client.post(url("action-delete", action.pk)).status_code == 302
    assert not Action.objects.filter(pk=action.pk).exists()
    assert AuditEvent.objects.filter(target_id=str(action.pk), verb="deleted", actor=leader.user).exists()


def test_overdue_shows_on_the_list_the_stage_and_the_action(client_for, leader):
    action = new_action(leader, due_date=TODAY - datetime.timedelta(days=1), status="in_progress")
    client = client_for(leader)
    for page_url in (url("action-list"), url("stage", "preparation"), url("action", action.pk)):
        assert "Overdue" in client.get(page_url).content.decode(), page_url


# --- The action list -------------------------------------------------------------------------


@pytest.fixture
def plan(leader, supervisor, org):
    stakeholder = StakeholderFactory(organisation=org, name="HR business partner")
    return {
        "awareness": new_action(
            leader, key="awareness-what", description="Intranet page", due_date=TODAY + datetime.timedelta(days=9)
        ),
        "late": new_action(leader, description="Late mapping", status="in_progress", due_date=TODAY - datetime.timedelta(days=5)),
        "blocked": new_action(
            leader,
            description="Blocked budget",
            status="blocked",
            owner_member=supervisor,
            due_date=TODAY + datetime.timedelta(days=3),
        ),
        "stakeholder": new_action(leader, description="HR data", owner_member=None, owner_stakeholder=stakeholder),
    }


def listed(client, **params):
    page = client.get(url("action-list"), params).content.decode()
    return [name for name in ("Intranet page", "Late mapping", "Blocked budget", "HR data") if name in page]


def test_the_list_filters_by_stage_outcome_owner_status_and_overdue(client_for, leader, supervisor, plan):
    client = client_for(leader)
    assert listed(client) == ["Intranet page", "Late mapping", "Blocked budget", "HR data"]
    assert listed(client, stage="awareness") == ["Intranet page"]
    assert listed(client, outcome="preparation-priorities") == ["Late mapping", "Blocked budget", "HR data"]
    assert listed(client, owner=f"m:{supervisor.pk}") == ["Blocked budget"]
    assert listed(client, owner=f"s:{plan['stakeholder'].owner_stakeholder_id}") == ["HR data"]
    assert listed(client, status="blocked") == ["Blocked budget"]
    assert listed(client, overdue="on") == ["Late mapping"]


def test_the_list_sorts_by_date(client_for, leader, plan):
    page = client_for(leader).get(url("action-list"), {"sort": "due"}).content.decode()
    assert page.index("Late mapping") < page.index("Blocked budget") < page.index("Intranet page")
    page = client_for(leader).get(url("action-list"), {"sort": "-due"}).content.decode()
    assert page.index("Intranet page") < page.index("Blocked budget") < page.index("Late mapping")


def test_the_list_is_paginated(client_for, leader, org):
    ActionFactory.create_batch(30, organisation=org, owner_member=leader)
    client = client_for(leader)
    first = client.get(url("action-list")).content.decode()
    assert "30 actions" in first and "showing 1 to 25" in first and 'rel="next"' in first
    second = client.get(url("action-list"), {"page": 2}).content.decode()
    assert "showing 26 to 30" in second


@pytest.mark.parametrize("page_name", ["action-list", "overview", "stage", "stakeholder-list"])
def test_query_counts_do_not_grow_with_rows(client_for, leader, org, page_name):
    client = client_for(leader)
    args = ("preparation",) if page_name == "stage" else ()
    StakeholderFactory(organisation=org)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(page_name, *args)).status_code == 200
        return len(queries)

    ActionFactory.create_batch(2, organisation=org, owner_member=leader)
    few = count()
    stakeholders = StakeholderFactory.create_batch(3, organisation=org)
    ActionFactory.create_batch(20, organisation=org, owner_member=leader)
    ActionFactory.create_batch(
        5, organisation=org, owner_stakeholder=stakeholders[0], status="blocked", due_date=TODAY - datetime.timedelta(days=2)
    )
    assert count() == few


# --- Exports ---------------------------------------------------------------------------------


def test_the_excel_export_is_the_seeds_table_with_a_heading_per_stage(client_for, leader, plan):
    response = client_for(leader).get(url("action-export", "xlsx"))
    assert response["Content-Disposition"].startswith('attachment; filename="northshire-action-plan-2026-11-24.xlsx"')
    rows = [
        [c for c in row if c is not None]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]
    rows = [r for r in rows if r]
    assert rows[0] == ["Northshire County Council: implementation pathway action plan"]
    assert ["Awareness"] in rows and ["Preparation"] in rows
    assert rows.index(["Awareness"]) < rows.index(["Preparation"])
    assert ["Outcome", "Action(s)", "Support needed", "Owner", "Date to be completed", "Status"] in rows
    late = next(r for r in rows if "Late mapping" in r)
    assert late == [
        "Identify priorities for supporting supervision and for PQS implementation",
        "Late mapping",
        "Sam Senior",
        "19/11/2026",
        "In progress (overdue)",
    ]
    assert AuditEvent.objects.filter(verb="exported action plan", changes__format=[None, "xlsx"]).exists()


def test_the_word_export_per_stage(client_for, leader, plan):
    response = client_for(leader).get(url("action-export", "docx"), {"stage": "preparation"})
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Northshire County Council: implementation pathway action plan – Preparation", "Preparation"]
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Outcome",
        "Action(s)",
        "Support needed",
        "Owner",
        "Date to be completed",
        "Status",
    ]
    assert {row.cells[1].text for row in table.rows[1:]} == {"Late mapping", "Blocked budget", "HR data"}


def test_the_csv_export_guards_against_formulas(client_for, leader):
    new_action(leader, description='=HYPERLINK("http://evil")')
    content = client_for(leader).get(url("action-export", "csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == ["Stage", "Outcome", "Action(s)", "Support needed", "Owner", "Date to be completed", "Status"]
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'


# --- Stakeholders ----------------------------------------------------------------------------


def test_stakeholder_register(client_for, leader):
    client = client_for(leader)
    response = client.post(
        url("stakeholder-add"), {"name": "Senior leadership team", "role": "Senior leaders", "engagement": "engaged"}
    )
    assert response.status_code == 302
    stakeholder = Stakeholder.objects.get()
    client.post(
        url("stakeholder-edit", stakeholder.pk),
        {"name": "Senior leadership team", "role": "Senior leaders", "engagement": "champion"},
    )
    page = client.get(url("stakeholder-list")).content.decode()
    assert "Senior leadership team" in page and "Champion" in page
    assert client.post(url("stakeholder-add"), {"name": "", "role": "", "engagement": ""}).status_code == 200


def test_removing_a_stakeholder_who_owns_actions_is_refused_with_a_reason(client_for, leader, org):
    stakeholder = StakeholderFactory(organisation=org, name="PSW")
    new_action(leader, owner_member=None, owner_stakeholder=stakeholder)
    response = client_for(leader).post(url("stakeholder-delete", stakeholder.pk))
    assert response.status_code == 409
    assert "PSW owns 1 action. Give them another owner first." in response.content.decode()
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()


def test_two_people_editing_a_stakeholder_do_not_overwrite_each_other(client_for, leader, admin, org):
    stakeholder = actions.create_stakeholder(actor=admin, name="PSW", role="Principal Social Worker", engagement="aware")
    actions.update_stakeholder(stakeholder, actor=admin, expected_version=1, engagement="champion")
    response = client_for(leader).post(
        url("stakeholder-edit", stakeholder.pk),
        {"name": "PSW", "role": "Principal Social Worker", "engagement": "engaged", "version": 1},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "changed this after you opened it" in page and "Champion" in page
    stakeholder.refresh_from_db()
    assert stakeholder.engagement == "champion"


def test_an_inline_status_change_is_announced_to_screen_readers(client_for, leader):
    action = new_action(leader)
    page = (
        client_for(leader)
        .post(url("action-status", action.pk), {"status": "complete", "version": action.version}, headers={"HX-Request": "true"})
        .content.decode()
    )
    assert 'id="live-announcer"' in page and 'hx-swap-oob="true"' in page and "Status changed to Complete." in page


def test_refusals_explain_themselves_in_the_service_layout(client_for, practitioner, settings):
    settings.DEBUG = False
    client = client_for(practitioner)
    denied = client.get(url("overview")).content.decode()
    assert "You cannot do this" in denied and "for the people who run and support supervision" in denied
    missing = client.get("/o/nowhere/pathway/").content.decode()
    assert "Page not found" in missing and "govuk-generic-header" in missing


# --- Stakeholders picked from the workforce register -------------------------------------------


def _register_person(admin, org, **fields):
    from trellis.workforce import actions as workforce_actions
    from trellis.workforce.models import CareerStage

    workforce_actions.ensure_default_career_stages(org)
    return workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Practice supervisor"),
        employee_ref=fields.pop("employee_ref", "E1"),
        service="adults",
        employment_type="permanent",
        start_date=datetime.date(2019, 5, 1),
        **fields,
    )


def test_a_stakeholder_picked_from_the_register_takes_their_name_and_job_title(client_for, admin, leader, org):
    person = _register_person(admin, org, full_name="Grace Hughes", job_title="Practice supervisor, hospital team")
    client = client_for(leader)
    assert "Grace Hughes (E1)" in client.get(url("stakeholder-add")).content.decode()
    response = client.post(url("stakeholder-add"), {"staff": person.pk, "name": "", "role": "", "engagement": "engaged"})
    assert response.status_code == 302
    stakeholder = Stakeholder.objects.get()
    assert (stakeholder.name, stakeholder.role, stakeholder.staff) == (
        "Grace Hughes",
        "Practice supervisor, hospital team",
        person,
    )
    listing = client.get(url("stakeholder-list")).content.decode()
    assert reverse("workforce:staff", args=["northshire", person.pk]) in listing


def test_a_stakeholder_needs_a_name_or_a_person(client_for, admin, leader, org):
    _register_person(admin, org, full_name="Grace Hughes")
    response = client_for(leader).post(url("stakeholder-add"), {"name": "", "role": "", "engagement": "aware"})
    html = response.content.decode()
    assert "Enter the stakeholder&#x27;s name or group, or pick a person from the register" in html
    assert "Enter the stakeholder&#x27;s role" in html
    assert not Stakeholder.objects.exists()


def test_another_organisations_person_cannot_be_picked(client_for, admin, leader, org, other_org, member_with):
    _register_person(admin, org, full_name="One Of Ours")
    outsider_admin = member_with("org_admin", organisation=other_org)
    theirs = _register_person(outsider_admin, other_org, full_name="Not Ours")
    response = client_for(leader).post(
        url("stakeholder-add"), {"staff": theirs.pk, "name": "", "role": "", "engagement": "aware"}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Stakeholder.objects.exists()
