import datetime

import pytest
from django.core.exceptions import PermissionDenied

from trellis.audit.models import AuditEvent
from trellis.audit.versions import StaleEdit
from trellis.insights import actions
from trellis.insights.models import MeetingAction, OversightMeeting
from trellis.workforce import actions as workforce_actions

D = datetime.date


def record(actor, **overrides):
    fields = {"held_on": D(2026, 10, 14), "window_end": D(2026, 9, 30), "service": "children", "title": "Q3 oversight"}
    return actions.record_meeting(actor=actor, **{**fields, **overrides})


def test_recording_a_meeting_freezes_the_figures_and_leaves_an_audit_event(leader, register):
    meeting = record(leader, attendees="Sam Senior\nAlex Admin", notes="Turnover is up.")
    assert (meeting.window_start, meeting.window_end) == (D(2025, 10, 1), D(2026, 9, 30))
    assert meeting.snapshot["turnover"]["leavers"] == 2 and meeting.snapshot["window"]["service"] == "children"
    event = AuditEvent.objects.for_target(meeting).get()
    assert event.verb == "recorded oversight meeting" and event.changes["title"] == [None, "Q3 oversight"]


def test_the_snapshot_does_not_change_when_the_register_does(admin, leader, register, person):
    meeting = record(leader)
    before = dict(meeting.snapshot)
    # After the meeting: another leaver in the window, and a new starter.
    workforce_actions.record_leaving(register["a"], actor=admin, leaving_date=D(2026, 8, 31), leaving_reason="retirement")
    person("New Person", start_date=D(2026, 6, 1))
    meeting.refresh_from_db()
    assert meeting.snapshot == before
    assert meeting.snapshot["leavers"]["count"] == 2
    # Editing the meeting's notes does not recompute it either.
    actions.update_meeting(meeting, actor=leader, expected_version=meeting.version, notes="Minutes agreed.")
    meeting.refresh_from_db()
    assert meeting.snapshot == before and meeting.notes == "Minutes agreed."


@pytest.mark.parametrize("role", ["practice_supervisor", "mentor", "practitioner", "reviewer"])
def test_only_leaders_record_meetings_and_add_actions(member_with, leader, role):
    someone = member_with(role)
    with pytest.raises(PermissionDenied):
        record(someone)
    meeting = record(leader)
    with pytest.raises(PermissionDenied):
        actions.create_meeting_action(meeting, actor=someone, description="Exit interviews", owner_member=someone)
    with pytest.raises(PermissionDenied):
        actions.update_meeting(meeting, actor=someone, expected_version=meeting.version, notes="x")
    assert OversightMeeting.objects.count() == 1 and not MeetingAction.objects.exists()


def test_a_stale_edit_of_a_meeting_is_refused(leader, admin):
    meeting = record(leader)
    actions.update_meeting(meeting, actor=admin, expected_version=1, title="Autumn oversight")
    with pytest.raises(StaleEdit) as refused:
        actions.update_meeting(meeting, actor=leader, expected_version=1, notes="Mine")
    assert [label for label, *_ in refused.value.changes] == ["Title"]
    meeting.refresh_from_db()
    assert meeting.notes == "" and meeting.version == 2


def test_adding_and_changing_an_action(leader, supervisor):
    meeting = record(leader)
    action = actions.create_meeting_action(
        meeting, actor=leader, description="Exit interviews for every leaver", owner_member=supervisor, due_date=D(2027, 1, 29)
    )
    assert AuditEvent.objects.for_target(action).get().verb == "created"
    # The owner may change their own action, though they cannot see the meeting's figures.
    action = actions.update_meeting_action(action, actor=supervisor, expected_version=1, support_needed="HR time")
    action = actions.change_meeting_action_status(action, actor=supervisor, status="in_progress", expected_version=2)
    assert (action.version, action.status, action.support_needed) == (3, "in_progress", "HR time")
    assert [e.verb for e in AuditEvent.objects.for_target(action).order_by("at", "id")] == [
        "created",
        "updated",
        "changed status",
    ]
    assert AuditEvent.objects.for_target(action).order_by("at", "id").last().changes == {"status": ["Not started", "In progress"]}


def test_someone_else_cannot_change_an_action(leader, supervisor, member_with):
    meeting = record(leader)
    action = actions.create_meeting_action(meeting, actor=leader, description="Exit interviews", owner_member=supervisor)
    other = member_with("practice_supervisor")
    with pytest.raises(PermissionDenied):
        actions.update_meeting_action(action, actor=other, expected_version=1, description="Nothing")
    with pytest.raises(PermissionDenied):
        actions.change_meeting_action_status(action, actor=other, status="complete", expected_version=1)


def test_a_stale_edit_of_an_action_is_refused_and_says_what_changed(leader, admin):
    meeting = record(leader)
    action = actions.create_meeting_action(meeting, actor=leader, description="Exit interviews", owner_member=leader)
    actions.change_meeting_action_status(action, actor=admin, status="blocked", expected_version=1)
    with pytest.raises(StaleEdit) as refused:
        actions.update_meeting_action(action, actor=leader, expected_version=1, description="Stay interviews")
    assert refused.value.changes == [("Status", "Not started", "Blocked")]
    with pytest.raises(StaleEdit):
        actions.change_meeting_action_status(action, actor=leader, status="complete", expected_version=1)
    action.refresh_from_db()
    assert (action.description, action.status) == ("Exit interviews", "blocked")


def test_an_owner_from_another_organisation_is_refused(leader, outsider):
    meeting = record(leader)
    with pytest.raises(ValueError):
        actions.create_meeting_action(meeting, actor=leader, description="Exit interviews", owner_member=outsider)


def test_exports_are_recorded(leader, org, practitioner):
    event = actions.record_export(actor=leader, target=org, window_start=D(2025, 9, 30), window_end=D(2026, 9, 30), service="")
    assert event.verb == "exported oversight figures"
    assert event.changes == {"format": [None, "xlsx"], "window": [None, "2025-09-30 to 2026-09-30"], "service": [None, "both"]}
    with pytest.raises(PermissionDenied):
        actions.record_export(actor=practitioner, target=org, window_start=D(2025, 9, 30), window_end=D(2026, 9, 30), service="")
