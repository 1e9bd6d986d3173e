import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.workforce import actions
from trellis.workforce.models import CareerStage, StaffRecord, StageHistory, Team

from .factories import StaffRecordFactory

D = datetime.date


def events(obj):
    return list(AuditEvent.objects.for_target(obj).order_by("at").values_list("verb", flat=True))


def test_default_career_stages_are_created_once_in_order(org):
    assert actions.ensure_default_career_stages(org) is True
    assert actions.ensure_default_career_stages(org) is False
    stages = list(CareerStage.objects.filter(organisation=org))
    assert [s.name for s in stages] == [name for name, _ in actions.DEFAULT_CAREER_STAGES]
    assert [s.name for s in stages if s.is_supervisory] == [
        "Practice supervisor",
        "Team manager",
        "Service manager",
        "Practice leader / Principal Social Worker",
    ]
    assert AuditEvent.objects.filter(verb="created default career stages", organisation=org).count() == 1


def test_creating_a_staff_record_opens_their_first_stage_and_is_audited(person, admin):
    staff = person("Rosa Rivers", stage="ASYE / newly qualified social worker", fte=Decimal("0.6"), start_date=D(2025, 9, 1))
    row = staff.stage_history.get()
    assert row.stage.name == "ASYE / newly qualified social worker" and row.start_date == D(2025, 9, 1)
    assert row.kind == StageHistory.Kind.APPOINTMENT and row.end_date is None
    event = AuditEvent.objects.for_target(staff).get()
    assert event.verb == "created" and event.actor == admin.user
    assert event.changes["full_name"] == [None, "Rosa Rivers"]
    assert event.changes["career stage"] == [None, "ASYE / newly qualified social worker"]


def test_only_organisation_admins_change_the_register(leader, stages):
    with pytest.raises(PermissionDenied):
        actions.create_staff_record(
            actor=leader,
            career_stage=stages["Social worker"],
            full_name="X",
            employee_ref="1",
            service="adults",
            employment_type="permanent",
            start_date=D(2020, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        actions.create_team(actor=leader, name="Team A", service="adults")


def test_a_duplicate_employee_reference_is_refused_and_nothing_is_saved(person):
    person("First Person", employee_ref="E100")
    with pytest.raises(ValidationError) as error:
        person("Second Person", employee_ref="e100")
    assert "Employee reference e100 is already used by First Person" in error.value.message_dict["employee_ref"][0]
    assert StaffRecord.objects.count() == 1
    assert StageHistory.objects.count() == 1


def test_the_database_also_refuses_a_duplicate_reference(org):
    StaffRecordFactory(organisation=org, employee_ref="DUP")
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRecordFactory(organisation=org, employee_ref="DUP")


def test_the_same_reference_in_another_organisation_is_fine(person, other_org):
    person("Here", employee_ref="E1")
    StaffRecordFactory(organisation=other_org, employee_ref="E1")


def test_a_team_or_manager_from_another_organisation_is_refused(person, other_org, admin):
    theirs = Team.objects.create(organisation=other_org, name="Elsewhere", service="adults")
    with pytest.raises(ValueError, match="another organisation"):
        person("Wrong Team", team=theirs)


def test_update_records_the_changed_fields_and_refuses_a_stale_edit(person, admin, member_with):
    second_admin = member_with("org_admin", user__full_name="Bea Admin")
    staff = person("Tom Tailor", job_title="Social worker")
    staff = actions.update_staff_record(staff, actor=second_admin, expected_version=1, job_title="Senior social worker")
    assert staff.version == 2
    assert AuditEvent.objects.for_target(staff).filter(verb="updated").get().changes == {
        "job_title": ["Social worker", "Senior social worker"]
    }
    with pytest.raises(StaleEdit) as stale:
        actions.update_staff_record(staff, actor=admin, expected_version=1, job_title="Something else")
    assert ("Job title", "Social worker", "Senior social worker") in stale.value.changes
    assert stale.value.changed_by == second_admin
    staff.refresh_from_db()
    assert staff.job_title == "Senior social worker"


def test_nobody_is_their_own_line_manager(person, admin):
    staff = person("Solo")
    with pytest.raises(ValidationError):
        actions.update_staff_record(staff, actor=admin, expected_version=1, line_manager=staff)


def test_changing_career_stage_closes_the_open_row_and_opens_a_new_one(person, admin, stages):
    staff = person("Ola Promoted", stage_start_date=D(2019, 1, 1))
    new = actions.change_career_stage(
        staff, actor=admin, stage=stages["Practice supervisor"], start_date=D(2026, 4, 1), kind="promotion"
    )
    rows = list(staff.stage_history.order_by("start_date"))
    assert [(r.stage.name, r.start_date, r.end_date) for r in rows] == [
        ("Social worker", D(2019, 1, 1), D(2026, 4, 1)),
        ("Practice supervisor", D(2026, 4, 1), None),
    ]
    assert new.kind == "promotion" and new.created_by == admin
    assert events(staff) == ["created", "changed career stage"]


def test_a_stage_change_cannot_start_before_the_current_stage(person, admin, stages):
    staff = person("Early Bird", stage_start_date=D(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        actions.change_career_stage(
            staff, actor=admin, stage=stages["Practice supervisor"], start_date=D(2023, 12, 31), kind="promotion"
        )
    assert "on or after 1 January 2024" in error.value.message_dict["start_date"][0]
    assert staff.stage_history.count() == 1


def test_recording_leaving_ends_the_open_stage(person, admin):
    staff = person("Lena Leaver", start_date=D(2020, 2, 3))
    actions.record_leaving(staff, actor=admin, leaving_date=D(2026, 10, 31), leaving_reason="retirement")
    staff.refresh_from_db()
    assert staff.has_left() and staff.get_leaving_reason_display() == "Retirement" and staff.version == 2
    assert staff.stage_history.get().end_date == D(2026, 10, 31)
    assert list(StaffRecord.objects.current()) == []
    assert list(StaffRecord.objects.left()) == [staff]


def test_a_supervisor_working_their_notice_stays_on_the_register_until_they_go(person, admin):
    supervisor = person("Nora Notice", stage="Practice supervisor", start_date=D(2019, 1, 7))
    person("Sid Supervisee", line_manager=supervisor)
    actions.record_leaving(supervisor, actor=admin, leaving_date=D(2027, 1, 29), leaving_reason="resignation")
    assert supervisor.stage_history.get().end_date is None
    assert [s.full_name for s in StaffRecord.objects.supervisors()] == ["Nora Notice"]
    assert StaffRecord.objects.supervisors(today=D(2027, 1, 30)).count() == 0


def test_a_leaving_date_before_the_start_date_is_refused(person, admin):
    staff = person("Too Soon", start_date=D(2020, 2, 3))
    with pytest.raises(ValidationError):
        actions.record_leaving(staff, actor=admin, leaving_date=D(2020, 2, 2), leaving_reason="resignation")
    staff.refresh_from_db()
    assert staff.leaving_date is None


def test_teams_have_unique_names_and_a_manager(person, admin):
    boss = person("Mo Manager", stage="Team manager")
    team = actions.create_team(actor=admin, name="Assessment North", service="children", manager=boss)
    assert events(team) == ["created"]
    with pytest.raises(ValidationError):
        actions.create_team(actor=admin, name="assessment north", service="children")
    other = actions.create_team(actor=admin, name="Assessment South", service="children")
    with pytest.raises(ValidationError):
        actions.update_team(other, actor=admin, expected_version=1, name="Assessment North")
    team = actions.update_team(team, actor=admin, expected_version=1, name="Assessment (North)")
    assert team.version == 2
    with pytest.raises(StaleEdit):
        actions.update_team(team, actor=admin, expected_version=1, name="Stale")


def test_exports_are_recorded(admin, leader):
    event = actions.record_export(actor=leader, file_format="csv", rows=3)
    assert event.verb == "exported supervisors register" and event.changes == {"format": [None, "csv"], "rows": [None, 3]}


def test_a_leaving_date_before_the_current_stage_began_is_refused(person, admin, stages):
    staff = person("Recent Promotion", start_date=D(2015, 1, 5))
    actions.change_career_stage(
        staff, actor=admin, stage=stages["Practice supervisor"], start_date=D(2026, 6, 1), kind="promotion"
    )
    with pytest.raises(ValidationError) as error:
        actions.record_leaving(staff, actor=admin, leaving_date=D(2026, 5, 1), leaving_reason="resignation")
    assert "on or after 1 June 2026" in error.value.message_dict["leaving_date"][0]


def test_a_login_links_to_one_staff_record_only(person, admin):
    person("Linked Once", membership=admin)
    with pytest.raises(ValidationError) as error:
        person("Linked Twice", membership=admin)
    assert "already linked to Linked Once" in error.value.message_dict["membership"][0]
    assert StaffRecord.objects.count() == 1
