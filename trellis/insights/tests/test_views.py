import datetime
import html
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from trellis.audit.models import AuditEvent
from trellis.insights import actions
from trellis.insights.models import MeetingAction, OversightMeeting
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import StaffRecord

D = datetime.date
CENSUS_YEAR = {"window_end_day": "30", "window_end_month": "9", "window_end_year": "2026"}


def url(name, *args):
    return reverse(f"insights:{name}", args=["northshire", *args])


def text(response):
    """The page's words, without tags, so assertions read as a person would."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def meeting_for(leader, **overrides):
    fields = {"held_on": D(2026, 10, 14), "window_end": D(2026, 9, 30), "service": "children", "title": "Q3 oversight"}
    return actions.record_meeting(actor=leader, **{**fields, **overrides})


# --- The dashboard -----------------------------------------------------------------------------


def test_the_dashboard_shows_each_figure_with_its_definition_chart_and_benchmark(client_for, leader, register):
    response = client_for(leader).get(url("oversight"), {**CENSUS_YEAR, "service": "children"})
    assert response.status_code == 200
    page = text(response)
    assert "12 months from 1 October 2025 to 30 September 2026: children." in page
    assert "Turnover rate 30.8%" in page and "2 leavers ÷ average headcount 6.5 ((7 + 6) ÷ 2)" in page
    assert "Turnover rate, Department for Education definition 30.0%" in page and "1.8 FTE leavers ÷ 6 FTE in post" in page
    assert "Stability 71.4%" in page and "Agency rate, at the end of the 12 months 14.3%" in page
    assert "Retention at 12 months 50.0%" in page and "Median time in role 5 years 1 month" in page
    # National figures, each with who, when and its source.
    assert "13.8% Children's social workers in England, year to 30 September 2024" in page
    assert "Department for Education, Children's social work workforce statistics" in page
    assert "Adult social workers" not in page
    # The turnover definitions in plain English.
    assert "divided by the average number in post" in page and "the FTE of everyone who left, divided by the FTE in post" in page
    # A chart beside every table, each an image with a title and description.
    markup = response.content.decode()
    assert markup.count('role="img"') == 6 + 4  # six sections, and one a characteristic for equality
    assert 'aria-labelledby="chart-rates-title chart-rates-desc"' in markup


def test_the_dashboard_defaults_to_the_12_months_to_today(client_for, leader, register):
    page = text(client_for(leader).get(url("oversight")))
    assert "12 months from 25 November 2025 to 24 November 2026: adults and children." in page


def test_a_vacancy_rate_needs_funded_posts(client_for, leader, register):
    page = text(client_for(leader).get(url("oversight"), {"service": "adults"}))
    assert "Record funded posts on your teams to see the vacancy rate" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"window_end_day": "31", "window_end_month": "2", "window_end_year": "2026"}, "must be a real date"),
        ({"window_end_day": "1", "window_end_month": "1", "window_end_year": "2027"}, "must be today or in the past"),
        ({"window_end_day": "1", "window_end_month": "", "window_end_year": "2026"}, "must include a day, month and year"),
        ({"service": "martians"}, "Select a valid choice"),
    ],
)
def test_a_bad_window_is_explained_and_no_figures_are_shown(client_for, leader, register, query, message):
    response = client_for(leader).get(url("oversight"), query)
    page = response.content.decode()
    assert "There is a problem" in page and message in page and "<title>Error: " in page
    assert "At a glance" not in page


def test_the_dashboard_offers_the_census_and_financial_years(client_for, leader, register):
    html = client_for(leader).get(url("oversight")).content.decode()
    assert (
        "DfE census year to 30 September 2026" in html
        and "window_end_day=30&amp;window_end_month=9&amp;window_end_year=2026" in html
    )
    assert "Financial year to 31 March 2026" in html


def test_equality_figures_on_the_page_are_suppressed_and_carry_no_individual(client_for, admin, leader, register):
    for staff in StaffRecord.objects.all():
        workforce_actions.save_equality_answers(staff, actor=admin, sex="female" if staff.full_name < "I" else "male")
    response = client_for(leader).get(url("oversight"), CENSUS_YEAR)
    page = text(response)
    assert "fewer than 5" in page and "To protect people, a count from 1 to 4" in page
    # Nothing in what the page was drawn from could identify a person.
    figures = json.dumps(response.context["figures"])
    for staff in StaffRecord.objects.all():
        assert str(staff.pk) not in figures and staff.full_name not in figures


def test_the_dashboard_query_count_does_not_grow_with_the_register(client_for, admin, leader, stages, person, register):
    client = client_for(leader)
    client.get(url("oversight"))
    with CaptureQueriesContext(connection) as small:
        client.get(url("oversight"), CENSUS_YEAR)
    for n in range(25):
        staff = person(f"Extra {n}", start_date=D(2020, 1, 6), team=register["teams"][0], line_manager=register["f"])
        workforce_actions.save_equality_answers(staff, actor=admin, sex="female", ethnic_group="white")
    with CaptureQueriesContext(connection) as large:
        client.get(url("oversight"), CENSUS_YEAR)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_dashboard_exports_to_excel_and_records_it(client_for, admin, leader, register):
    for staff in StaffRecord.objects.all():
        workforce_actions.save_equality_answers(staff, actor=admin, sex="female")
    response = client_for(leader).get(url("oversight-export"), {**CENSUS_YEAR, "service": "children"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="northshire-oversight-children-to-2026-09-30.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Workforce", "Vacancies", "Supervisors", "Equal opportunities", "Definitions"]
    summary = {row[0]: row[1:] for row in book["Summary"].iter_rows(min_row=7, values_only=True) if row[0]}
    assert summary["Turnover rate (leavers ÷ average headcount)"][:3] == (pytest.approx(2 / 6.5), 2, 6.5)
    dfe = summary["Turnover rate, Department for Education definition (FTE leavers ÷ FTE in post at the end)"]
    assert dfe[:3] == (pytest.approx(0.3), 1.8, 6) and "13.8% (children, year to 30 September 2024" in dfe[3]
    assert summary["Retention of new supervisors at 12 months"][:3] == (0.5, 1, 2)
    workforce = list(book["Workforce"].iter_rows(values_only=True))
    assert workforce[1][1:] == (7, 6.8, 1, 1) and workforce[2][1:] == (6, 6, 1, 1)
    equality = [row for row in book["Equal opportunities"].iter_rows(values_only=True) if row[0] == "Female"]
    # 8 children's staff in post at the end, all women; the 2 supervisors are fewer than 5 and alone.
    assert equality[0][1] == 7 and equality[0][7] == "not shown"
    for row in book["Equal opportunities"].iter_rows(values_only=True):
        assert not any(isinstance(v, int) and 0 < v < 5 for v in row)
    event = AuditEvent.objects.get(verb="exported oversight figures")
    assert event.changes["window"] == [None, "2025-09-30 to 2026-09-30"] and event.changes["service"] == [None, "children"]


def test_retention_is_in_the_navigation_for_those_who_may_see_it(client_for, leader, supervisor):
    assert (
        'href="/o/northshire/insights/"'
        in client_for(leader).get(reverse("pathway:overview", args=["northshire"])).content.decode()
    )
    assert "/insights/" not in client_for(supervisor).get(reverse("pathway:overview", args=["northshire"])).content.decode()


# --- Meetings ----------------------------------------------------------------------------------


def meeting_post(**overrides):
    data = {
        "held_on_day": "14",
        "held_on_month": "10",
        "held_on_year": "2026",
        "title": "Q3 oversight",
        "window_end_day": "30",
        "window_end_month": "9",
        "window_end_year": "2026",
        "service": "children",
        "attendees": "Sam Senior",
        "notes": "Turnover in Assessment is high.",
    }
    return {**data, **overrides}


def test_recording_a_meeting_from_the_dashboard(client_for, leader, register):
    client = client_for(leader)
    form = client.get(url("meeting-add"), {**CENSUS_YEAR, "service": "children"}).content.decode()
    assert 'value="30"' in form and 'value="children" checked' in form
    response = client.post(url("meeting-add"), meeting_post())
    meeting = OversightMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == url("meeting", meeting.pk)
    page = text(client.get(response["Location"]))
    assert "Meeting recorded with a copy of the figures as they are now." in page
    assert "Turnover in Assessment is high." in page and "Turnover rate 30.8%" in page
    assert "the figures below are the ones this meeting looked at" in page.lower()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": " "}, "Enter a title for the meeting"),
        ({"held_on_day": "", "held_on_month": "", "held_on_year": ""}, "Enter the date of the meeting"),
        ({"window_end_day": "", "window_end_month": "", "window_end_year": ""}, "Enter the end of the 12 months"),
        ({"window_end_year": "2027"}, "must be today or in the past"),
    ],
)
def test_bad_meeting_input_is_explained_and_nothing_is_saved(client_for, leader, overrides, message):
    response = client_for(leader).post(url("meeting-add"), meeting_post(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not OversightMeeting.objects.exists()


def test_the_meeting_page_shows_its_snapshot_not_todays_figures(client_for, admin, leader, register):
    meeting = meeting_for(leader)
    workforce_actions.record_leaving(register["a"], actor=admin, leaving_date=D(2026, 8, 31), leaving_reason="retirement")
    client = client_for(leader)
    live = text(client.get(url("oversight"), {**CENSUS_YEAR, "service": "children"}))
    assert "Turnover rate 50.0%" in live  # 3 ÷ ((7 + 5) ÷ 2) now
    page = text(client.get(url("meeting", meeting.pk)))
    assert "Turnover rate 30.8%" in page and "Turnover rate 50.0%" not in page
    book = load_workbook(io.BytesIO(client.get(url("meeting-export", meeting.pk)).content))
    assert "Figures as recorded for the meeting" in book["Summary"]["A4"].value
    assert AuditEvent.objects.filter(verb="exported oversight figures", target_id=str(meeting.pk)).exists()


def test_the_meeting_list_shows_progress_in_a_fixed_number_of_queries(client_for, leader):
    client = client_for(leader)
    meeting_for(leader)
    client.get(url("meeting-list"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("meeting-list"))
    for n in range(6):
        meeting = meeting_for(leader, title=f"Meeting {n}")
        actions.create_meeting_action(meeting, actor=leader, description="Overdue", owner_member=leader, due_date=D(2026, 1, 5))
        actions.create_meeting_action(meeting, actor=leader, description="Done", owner_member=leader, status="complete")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("meeting-list"))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "1 of 2 complete" in text(response) and "1 overdue" in text(response)


def test_the_meeting_page_query_count_does_not_grow_with_actions(client_for, leader, register):
    meeting = meeting_for(leader)
    client = client_for(leader)
    client.get(url("meeting", meeting.pk))
    with CaptureQueriesContext(connection) as few:
        client.get(url("meeting", meeting.pk))
    for n in range(8):
        actions.create_meeting_action(meeting, actor=leader, description=f"Action {n}", owner_member=leader)
    with CaptureQueriesContext(connection) as many:
        client.get(url("meeting", meeting.pk))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_editing_a_meeting_and_a_stale_edit(client_for, leader, admin):
    meeting = meeting_for(leader)
    data = {"held_on_day": "14", "held_on_month": "10", "held_on_year": "2026", "title": "Autumn", "notes": "", "version": "1"}
    actions.update_meeting(meeting, actor=admin, expected_version=1, notes="Admin's minutes")
    response = client_for(leader).post(url("meeting-edit", meeting.pk), data)
    page = text(response)
    assert "changed this after you opened it" in page and "Admin's minutes" in page
    assert 'name="version" value="2"' in response.content.decode()
    response = client_for(leader).post(url("meeting-edit", meeting.pk), {**data, "version": "2"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.notes) == ("Autumn", "")


# --- Meeting actions ---------------------------------------------------------------------------


def action_post(owner, **overrides):
    data = {
        "description": "Exit interviews for every leaver",
        "support_needed": "HR time",
        "owner_member": str(owner.pk),
        "due_date_day": "29",
        "due_date_month": "1",
        "due_date_year": "2027",
        "status": "not_started",
    }
    return {**data, **overrides}


def test_adding_an_action_with_the_action_plan_columns(client_for, leader, supervisor):
    meeting = meeting_for(leader)
    client = client_for(leader)
    form = client.get(url("meeting-action-add", meeting.pk)).content.decode()
    for label in ("Action(s)", "Support needed", "Owner", "Date to be completed", "Status"):
        assert label in form
    response = client.post(url("meeting-action-add", meeting.pk), action_post(supervisor))
    assert response.status_code == 302
    action = MeetingAction.objects.get()
    assert (action.owner_member, action.due_date, action.meeting) == (supervisor, D(2027, 1, 29), meeting)
    page = text(client.get(url("meeting", meeting.pk)))
    assert "0 of 1 action complete" in page and "Priya Supervisor" in page and "29 Jan 2027" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"description": ""}, "Enter the action(s)"), ({"owner_member": ""}, "Select who owns this action")],
)
def test_bad_action_input_is_explained(client_for, leader, overrides, message):
    meeting = meeting_for(leader)
    response = client_for(leader).post(url("meeting-action-add", meeting.pk), action_post(leader, **overrides))
    assert message in response.content.decode() and not MeetingAction.objects.exists()


def test_an_overdue_action_is_shown_as_overdue(client_for, leader):
    meeting = meeting_for(leader)
    actions.create_meeting_action(meeting, actor=leader, description="Late", owner_member=leader, due_date=D(2026, 11, 1))
    page = text(client_for(leader).get(url("meeting", meeting.pk)))
    assert "1 overdue" in page and "Overdue" in page


def test_a_second_editor_of_an_action_is_told_what_changed_and_keeps_their_input(client_for, leader, admin):
    meeting = meeting_for(leader)
    action = actions.create_meeting_action(meeting, actor=leader, description="Exit interviews", owner_member=leader)
    actions.change_meeting_action_status(action, actor=admin, status="blocked", expected_version=1)
    response = client_for(leader).post(
        url("meeting-action-edit", action.pk), action_post(leader, description="Stay interviews", version="1")
    )
    page = text(response)
    assert "changed this after you opened it" in page and "Blocked" in page and "Stay interviews" in page
    action.refresh_from_db()
    assert action.description == "Exit interviews"


def test_the_owner_changes_the_status_and_a_stale_change_is_refused(client_for, leader, supervisor, admin):
    meeting = meeting_for(leader)
    action = actions.create_meeting_action(meeting, actor=leader, description="Exit interviews", owner_member=supervisor)
    client = client_for(supervisor)
    response = client.post(url("meeting-action-status", action.pk), {"status": "in_progress", "version": "1"})
    assert response.status_code == 302 and response["Location"] == url("meeting-action", action.pk)
    action.refresh_from_db()
    assert action.status == "in_progress"
    # With htmx, only the row comes back, and a stale change is refused in it.
    actions.change_meeting_action_status(action, actor=admin, status="blocked", expected_version=2)
    response = client.post(
        url("meeting-action-status", action.pk), {"status": "complete", "version": "2"}, headers={"HX-Request": "true"}
    )
    assert "Not changed:" in response.content.decode() and 'id="live-announcer"' in response.content.decode()
    action.refresh_from_db()
    assert action.status == "blocked"


def test_the_owner_sees_their_action_but_not_the_meetings_figures(client_for, leader, supervisor, register):
    meeting = meeting_for(leader)
    action = actions.create_meeting_action(meeting, actor=leader, description="Exit interviews", owner_member=supervisor)
    client = client_for(supervisor)
    page = text(client.get(url("meeting-action", action.pk)))
    assert "Exit interviews" in page and "Turnover" not in page
    assert client.get(url("meeting", meeting.pk)).status_code == 403


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle=", re.IGNORECASE)


def test_every_insights_page_is_strict_with_one_h1_and_a_title(client_for, leader, register):
    meeting = meeting_for(leader)
    action = actions.create_meeting_action(meeting, actor=leader, description="Exit interviews", owner_member=leader)
    client = client_for(leader)
    for address in [
        url("oversight"),
        url("meeting-list"),
        url("meeting-add"),
        url("meeting", meeting.pk),
        url("meeting-edit", meeting.pk),
        url("meeting-action-add", meeting.pk),
        url("meeting-action", action.pk),
        url("meeting-action-edit", action.pk),
    ]:
        markup = client.get(address).content.decode()
        assert not INLINE_SCRIPT.search(markup) and not STYLE_ATTR.search(markup), address
        assert markup.count("<h1") == 1 and re.search(r"<title>[^<]+ – Trellis</title>", markup), address
