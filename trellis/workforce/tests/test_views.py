import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from trellis.audit.models import AuditEvent
from trellis.workforce import actions
from trellis.workforce.models import StaffRecord, StageHistory, Team

from .factories import StaffRecordFactory, StageHistoryFactory, TeamFactory

D = datetime.date


def url(name, *args):
    return reverse(f"workforce:{name}", args=["northshire", *args])


def date_parts(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year} if day else {}


def staff_post(stages, **overrides):
    data = {
        "full_name": "Rosa Rivers",
        "employee_ref": "E100",
        "work_email": "rosa.rivers@northshire.gov.uk",
        "job_title": "Social worker",
        "service": "children",
        "fte": "0.8",
        "employment_type": "permanent",
        "career_stage": str(stages["Social worker"].pk),
        **date_parts("start_date", D(2024, 9, 2)),
    }
    data.update(overrides)
    return data


# --- Staff records ---------------------------------------------------------------------------


def test_adding_a_member_of_staff(client_for, admin, stages):
    team = actions.create_team(actor=admin, name="Assessment North", service="children")
    response = client_for(admin).post(url("staff-add"), staff_post(stages, team=str(team.pk), membership=str(admin.pk)))
    staff = StaffRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == url("staff", staff.pk)
    assert str(staff.fte) == "0.80"
    assert staff.team == team and staff.membership == admin and staff.start_date == D(2024, 9, 2)
    assert staff.stage_history.get().stage == stages["Social worker"]
    page = client_for(admin).get(url("staff", staff.pk)).content.decode()
    assert "Rosa Rivers added to the workforce register." in page
    assert "Social worker since 2 September 2024" in page and "Assessment North" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_name": ""}, "Enter their full name"),
        ({"employee_ref": ""}, "Enter their employee reference"),
        ({"fte": "1.5"}, "FTE must be 1.00 or less"),
        ({"fte": "0"}, "FTE must be 0.01 or more"),
        ({"fte": "lots"}, "FTE must be a number"),
        ({"career_stage": ""}, "Select their career stage"),
        ({"start_date_day": "31", "start_date_month": "2"}, "Start date must be a real date"),
        ({"work_email": "rosa"}, "Enter an email address in the correct format"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client_for, admin, stages, overrides, message):
    response = client_for(admin).post(url("staff-add"), staff_post(stages, **overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page and "<title>Error: " in page
    assert not StaffRecord.objects.exists()


def test_a_duplicate_employee_reference_is_a_clear_error(client_for, admin, stages, person):
    person("Existing Person", employee_ref="E100")
    response = client_for(admin).post(url("staff-add"), staff_post(stages, employee_ref=" E100 "))
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Employee reference E100 is already used by Existing Person. Enter a different reference." in page
    assert 'href="#id_employee_ref"' in page
    assert StaffRecord.objects.count() == 1


def test_editing_a_record_and_a_stale_edit(client_for, admin, member_with, stages, person):
    staff = person("Tom Tailor", job_title="Social worker")
    other = member_with("org_admin", user__full_name="Bea Admin")
    actions.update_staff_record(staff, actor=other, expected_version=1, job_title="Senior social worker")
    data = staff_post(
        stages, full_name="Tom Tailor", employee_ref=staff.employee_ref, job_title="Advanced practitioner", version=1
    )
    response = client_for(admin).post(url("staff-edit", staff.pk), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bea Admin changed this after you opened it" in page and "Senior social worker" in page
    staff.refresh_from_db()
    assert staff.job_title == "Senior social worker"
    data["version"] = staff.version
    response = client_for(admin).post(url("staff-edit", staff.pk), data)
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.job_title == "Advanced practitioner"


def test_the_edit_form_does_not_offer_the_person_as_their_own_line_manager(client_for, admin, person):
    staff = person("Solo Sam")
    person("Other Olu")
    page = client_for(admin).get(url("staff-edit", staff.pk)).content.decode()
    assert "Other Olu" in page and f'value="{staff.pk}"' not in page


def test_changing_career_stage(client_for, admin, stages, person):
    staff = person("Ola Promoted", stage_start_date=D(2019, 1, 1))
    response = client_for(admin).post(
        url("staff-stage", staff.pk),
        {"stage": str(stages["Practice supervisor"].pk), "kind": "promotion", **date_parts("start_date", D(2026, 4, 1))},
    )
    assert response.status_code == 302
    assert staff.stage_history.open().get().stage == stages["Practice supervisor"]
    page = client_for(admin).get(url("staff", staff.pk)).content.decode()
    assert "Practice supervisor since 1 April 2026" in page and "Promotion" in page
    assert "Time as a supervisor" in page and "7 months" in page


def test_a_stage_change_before_the_current_stage_is_explained(client_for, admin, stages, person):
    staff = person("Early Bird", stage_start_date=D(2024, 1, 1))
    response = client_for(admin).post(
        url("staff-stage", staff.pk),
        {"stage": str(stages["Practice supervisor"].pk), "kind": "acting_up", **date_parts("start_date", D(2023, 1, 1))},
    )
    page = response.content.decode()
    assert "There is a problem" in page and "Date must be on or after 1 January 2024" in page
    assert staff.stage_history.count() == 1


def test_recording_leaving(client_for, admin, person):
    staff = person("Lena Leaver", start_date=D(2020, 2, 3))
    response = client_for(admin).post(
        url("staff-leaving", staff.pk),
        {"leaving_reason": "retirement", "version": staff.version, **date_parts("leaving_date", D(2026, 10, 31))},
    )
    assert response.status_code == 302
    page = client_for(admin).get(url("staff", staff.pk)).content.decode()
    assert "Left on 31 October 2026" in page and "(retirement)" in page


def test_a_leaving_date_before_the_start_date_is_explained(client_for, admin, person):
    staff = person("Too Soon", start_date=D(2020, 2, 3))
    response = client_for(admin).post(
        url("staff-leaving", staff.pk),
        {"leaving_reason": "resignation", "version": staff.version, **date_parts("leaving_date", D(2019, 12, 1))},
    )
    page = response.content.decode()
    assert "There is a problem" in page and "Leaving date must be on or after their start date, 3 February 2020" in page
    staff.refresh_from_db()
    assert staff.leaving_date is None


def test_the_staff_page_shows_line_manager_and_supervisees(client_for, leader, person):
    boss = person("Sal Supervisor", stage="Practice supervisor")
    person("Wendy Worker", line_manager=boss, job_title="Social worker")
    page = client_for(leader).get(url("staff", boss.pk)).content.decode()
    assert "Wendy Worker</a>, Social worker" in page
    assert "Edit record" not in page  # senior leaders read the register; admins change it


# --- Lists -----------------------------------------------------------------------------------


def test_the_staff_list_filters(client_for, leader, admin, person, stages):
    north = actions.create_team(actor=admin, name="North", service="children")
    person("Nina North", team=north)
    person("Adam Adults", service="adults")
    person("Sue Supervisor", stage="Practice supervisor")
    gone = person("Gus Gone")
    actions.record_leaving(gone, actor=admin, leaving_date=D(2026, 1, 1), leaving_reason="resignation")
    client = client_for(leader)

    def names(**params):
        page = client.get(url("staff-list"), params).content.decode()
        return {n for n in ("Nina North", "Adam Adults", "Sue Supervisor", "Gus Gone") if n in page}

    assert names() == {"Nina North", "Adam Adults", "Sue Supervisor"}
    assert names(team=str(north.pk)) == {"Nina North"}
    assert names(service="adults") == {"Adam Adults"}
    assert names(stage=str(stages["Practice supervisor"].pk)) == {"Sue Supervisor"}
    assert names(status="left") == {"Gus Gone"}
    assert names(status="all") == {"Nina North", "Adam Adults", "Sue Supervisor", "Gus Gone"}
    assert names(team="not-a-team") == {"Nina North", "Adam Adults", "Sue Supervisor"}


def make_rows(org, stages, n):
    team = TeamFactory(organisation=org)
    for _ in range(n):
        boss = StaffRecordFactory(organisation=org, team=team)
        StageHistoryFactory(staff=boss, stage=stages["Practice supervisor"])
        worker = StaffRecordFactory(organisation=org, team=team, line_manager=boss)
        StageHistoryFactory(staff=worker, stage=stages["Social worker"])


@pytest.mark.parametrize("name", ["staff-list", "supervisors", "team-list"])
def test_query_counts_do_not_grow_with_rows(client_for, admin, org, stages, name):
    client = client_for(admin)
    make_rows(org, stages, 2)
    client.get(url(name))  # warm up: session, default stages
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(name)).status_code == 200
    make_rows(org, stages, 12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(name)).status_code == 200
    assert len(many) == len(few)


# --- Supervisors register --------------------------------------------------------------------


@pytest.fixture
def register(person, admin, stages):
    """Three supervisors with different times in role, teams and supervisee counts."""
    north = actions.create_team(actor=admin, name="North", service="children")
    adults = actions.create_team(actor=admin, name="Adults East", service="adults")
    old = person("Olive Old", stage="Team manager", stage_start_date=D(2016, 5, 1), team=north, job_title="Team manager")
    new = person("Nia New", stage="Practice supervisor", stage_start_date=D(2026, 2, 1), team=north)
    mid = person("=Mid Formula", stage="Practice supervisor", stage_start_date=D(2023, 8, 14), team=adults, service="adults")
    for n in range(3):
        person(f"Old's worker {n}", line_manager=old)
    person("New's worker", line_manager=new)
    for n in range(2):
        person(f"Mid's worker {n}", line_manager=mid)
    return {"north": north, "adults": adults}


def rows_in(page, *names):
    return sorted(names, key=page.index)


def test_the_register_lists_time_in_role_supervisees_and_first_year(client_for, leader, register):
    page = client_for(leader).get(url("supervisors")).content.decode()
    assert "3 supervisors." in page
    assert "10 years 6 months" in page and "since 1 May 2016" in page
    assert "9 months" in page and "First 12 months" in page
    assert "3 years 3 months" in page
    assert "Old&#x27;s worker" not in page  # practitioners are not supervisors


def test_the_register_sorts(client_for, leader, register):
    client = client_for(leader)
    names = ("Olive Old", "Nia New", "=Mid Formula")
    page = client.get(url("supervisors")).content.decode()
    assert rows_in(page, *names) == ["=Mid Formula", "Nia New", "Olive Old"]
    page = client.get(url("supervisors"), {"sort": "-time"}).content.decode()
    assert rows_in(page, *names) == ["Olive Old", "=Mid Formula", "Nia New"]
    page = client.get(url("supervisors"), {"sort": "time"}).content.decode()
    assert rows_in(page, *names) == ["Nia New", "=Mid Formula", "Olive Old"]
    page = client.get(url("supervisors"), {"sort": "-supervisees"}).content.decode()
    assert rows_in(page, *names) == ["Olive Old", "=Mid Formula", "Nia New"]


def test_the_register_filters(client_for, leader, register):
    client = client_for(leader)

    def names(**params):
        page = client.get(url("supervisors"), params).content.decode()
        return {n for n in ("Olive Old", "Nia New", "=Mid Formula") if n in page}

    assert names(team=str(register["north"].pk)) == {"Olive Old", "Nia New"}
    assert names(service="adults") == {"=Mid Formula"}
    assert names(first_year="on") == {"Nia New"}


def test_the_register_exports_to_excel_and_records_it(client_for, leader, register):
    response = client_for(leader).get(url("supervisors-export", "xlsx"), {"sort": "-time"})
    assert response["Content-Disposition"] == 'attachment; filename="northshire-supervisors-register-2026-11-24.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Northshire County Council: supervisors register"
    assert list(rows[3]) == [
        "Name",
        "Employee reference",
        "Job title",
        "Team",
        "Service",
        "Career stage",
        "Supervisor since",
        "Time in role",
        "Supervisees",
        "In first 12 months",
    ]
    olive = rows[4]
    assert olive[0] == "Olive Old" and olive[3] == "North" and olive[5] == "Team manager"
    assert olive[6] == "01/05/2016" and olive[7] == "10 years 6 months" and olive[8] == 3 and olive[9] == "No"
    assert rows[5][0] == "'=Mid Formula"  # not run as a formula
    assert rows[6][0] == "Nia New" and rows[6][9] == "Yes"
    event = AuditEvent.objects.get(verb="exported supervisors register")
    assert event.actor == leader.user and event.changes == {"format": [None, "xlsx"], "rows": [None, 3]}


def test_the_register_exports_to_csv_with_the_filters(client_for, leader, register):
    response = client_for(leader).get(url("supervisors-export", "csv"), {"first_year": "on"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "Name" and len(rows) == 2
    assert rows[1][0] == "Nia New" and rows[1][7] == "9 months" and rows[1][8] == "1" and rows[1][9] == "Yes"


# --- Teams -----------------------------------------------------------------------------------


def test_adding_and_changing_a_team(client_for, admin, person):
    boss = person("Mo Manager", stage="Team manager")
    client = client_for(admin)
    response = client.post(url("team-add"), {"name": "Assessment North", "service": "children", "manager": str(boss.pk)})
    assert response.status_code == 302
    team = Team.objects.get()
    assert team.manager == boss
    response = client.post(url("team-add"), {"name": "assessment north", "service": "children"})
    assert "There is already a team called assessment north" in response.content.decode()
    response = client.post(url("team-edit", team.pk), {"name": "Assessment (North)", "service": "children", "version": 1})
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Assessment (North)" and team.manager is None
    page = client.get(url("team-list")).content.decode()
    assert "Assessment (North)" in page


def test_the_workforce_section_is_in_the_navigation_for_those_who_may_see_it(client_for, leader, supervisor):
    home = reverse("pathway:overview", args=["northshire"])
    assert url("staff-list") in client_for(leader).get(home).content.decode()
    assert url("staff-list") not in client_for(supervisor).get(home).content.decode()


def test_stage_history_kinds_are_the_issues(stages):
    assert {k for k, _ in StageHistory.Kind.choices} >= {"promotion", "acting_up", "secondment", "return"}


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle=", re.IGNORECASE)


def test_every_workforce_page_is_strict_with_one_h1_and_a_title(client_for, admin, register, person):
    staff = StaffRecord.objects.get(full_name="Nia New")
    team = register["north"]
    pages = [
        url("staff-list"),
        url("staff-add"),
        url("staff", staff.pk),
        url("staff-edit", staff.pk),
        url("staff-stage", staff.pk),
        url("staff-leaving", staff.pk),
        url("team-list"),
        url("team-add"),
        url("team-edit", team.pk),
        url("supervisors"),
        url("staff-equality", staff.pk),
        url("career-stage-list"),
        url("career-stage-add"),
        url("career-stage-edit", staff.stage_history.get().stage_id),
    ]
    client = client_for(admin)
    for address in pages:
        response = client.get(address)
        html = response.content.decode()
        assert response.status_code == 200, address
        assert not INLINE_SCRIPT.search(html) and not STYLE_ATTR.search(html), address
        assert html.count("<h1") == 1, address
        assert re.search(r"<title>[^<]+ – Trellis</title>", html), address
