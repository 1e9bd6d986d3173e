"""Every write for oversight: recording meetings with their snapshot of the figures, the actions they
agree, and exports. One function per thing a person means to do; each re-asserts the policy, refuses
a stale edit, saves and records an audit event in one transaction.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from trellis.audit.actions import diff, record_event, snapshot
from trellis.audit.versions import ensure_current
from trellis.tenancy import policy

from .figures import oversight_figures, window_for
from .models import MeetingAction, OversightMeeting

MEETING_FIELDS = ("held_on", "title", "attendees", "notes")
ACTION_FIELDS = ("description", "support_needed", "owner_member", "due_date", "status")


def _same_organisation(actor, *objects):
    for obj in objects:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValueError(f"{obj!r} belongs to another organisation")


def _lock(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


@transaction.atomic
def record_meeting(*, actor, held_on, window_end, service="", title="", attendees="", notes=""):
    """Record an oversight meeting, freezing the dashboard's figures for its window as they are now.

    The snapshot is what the meeting looked at: later changes to the register do not alter it.
    """
    policy.require(actor, "insights.record_meeting")
    start, end = window_for(window_end)
    now = timezone.now()
    figures = oversight_figures(actor.organisation, window_end=end, service=service)
    meeting = OversightMeeting.objects.create(
        organisation=actor.organisation,
        held_on=held_on,
        title=title or OversightMeeting._meta.get_field("title").default,
        window_start=start + datetime.timedelta(days=1),  # the first day the figures cover
        window_end=end,
        service=service,
        attendees=attendees,
        notes=notes,
        snapshot=figures,
        snapshot_taken_at=now,
        created_by=actor,
        updated_by=actor,
        created_at=now,
        updated_at=now,
    )
    changes = diff({}, snapshot(meeting, (*MEETING_FIELDS, "window_start", "window_end", "service")))
    record_event(actor=actor, verb="recorded oversight meeting", target=meeting, changes=changes)
    return meeting


@transaction.atomic
def update_meeting(meeting, *, actor, expected_version, **fields):
    """Change a meeting's date, title, attendees or notes. Its window and snapshot never change."""
    meeting = _lock(meeting)
    policy.require(actor, "insights.record_meeting", meeting)
    ensure_current(meeting, expected_version, MEETING_FIELDS)
    before = snapshot(meeting, MEETING_FIELDS)
    for name, value in fields.items():
        if name not in MEETING_FIELDS:
            raise TypeError(f"update_meeting() cannot change {name!r}")
        setattr(meeting, name, value)
    changes = diff(before, snapshot(meeting, MEETING_FIELDS))
    if not changes:
        return meeting
    meeting.version += 1
    meeting.updated_by = actor
    meeting.updated_at = timezone.now()
    meeting.save()
    record_event(actor=actor, verb="updated", target=meeting, changes=changes)
    return meeting


@transaction.atomic
def create_meeting_action(
    meeting, *, actor, description, owner_member, support_needed="", due_date=None, status=MeetingAction.Status.NOT_STARTED
):
    policy.require(actor, "insights.record_meeting", meeting)
    _same_organisation(actor, meeting, owner_member)
    action = MeetingAction.objects.create(
        organisation=actor.organisation,
        meeting=meeting,
        description=description,
        support_needed=support_needed,
        owner_member=owner_member,
        due_date=due_date,
        status=status,
        created_by=actor,
        updated_by=actor,
    )
    record_event(actor=actor, verb="created", target=action, changes=diff({}, snapshot(action, ACTION_FIELDS)))
    return action


@transaction.atomic
def update_meeting_action(action, *, actor, expected_version, **fields):
    """Change an agreed action's columns. Refused with StaleEdit if someone saved it since `expected_version`."""
    action = _lock(action)
    policy.require(actor, "insights.change_meeting_action", action)
    _same_organisation(actor, fields.get("owner_member"))
    ensure_current(action, expected_version, ACTION_FIELDS)
    before = snapshot(action, ACTION_FIELDS)
    for name, value in fields.items():
        if name not in ACTION_FIELDS:
            raise TypeError(f"update_meeting_action() cannot change {name!r}")
        setattr(action, name, value)
    changes = diff(before, snapshot(action, ACTION_FIELDS))
    if not changes:
        return action
    action.version += 1
    action.updated_by = actor
    action.updated_at = timezone.now()
    action.save()
    record_event(actor=actor, verb="updated", target=action, changes=changes)
    return action


@transaction.atomic
def change_meeting_action_status(action, *, actor, status, expected_version=None):
    action = _lock(action)
    policy.require(actor, "insights.change_meeting_action", action)
    ensure_current(action, expected_version, ACTION_FIELDS)
    if status == action.status:
        return action
    before = snapshot(action, ["status"])
    action.status = status
    action.version += 1
    action.updated_by = actor
    action.updated_at = timezone.now()
    action.save()
    record_event(actor=actor, verb="changed status", target=action, changes=diff(before, snapshot(action, ["status"])))
    return action


def record_export(*, actor, target, window_start, window_end, service, file_format="xlsx"):
    """Exports leave the building: the trail says who took which figures."""
    policy.require(actor, "insights.view_oversight")
    return record_event(
        actor=actor,
        verb="exported oversight figures",
        target=target,
        changes={
            "format": [None, file_format],
            "window": [None, f"{window_start.isoformat()} to {window_end.isoformat()}"],
            "service": [None, service or "both"],
        },
    )
