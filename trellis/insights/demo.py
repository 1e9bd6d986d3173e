"""Demo oversight meetings: two recruitment and retention oversight meetings with the actions they agreed.

Run after the demo workforce and succession plans, so each meeting's snapshot has real figures in it.
Written through the insights actions, so the audit trail and versions are real; dates relative to today.
"""

import datetime

from django.utils import timezone

from trellis.tenancy.models import Role

from . import actions
from .models import MeetingAction

MEETINGS = [
    # (days ago held, notes, [(description, support needed, days from the meeting to the due date, status)])
    (
        190,
        "Turnover is close to the national figure, but three of the five leavers in the spring were newly qualified. "
        "Agency use is low. Only one person in the pipeline is ready now, in one team.",
        [
            (
                "Hold exit conversations with every ASYE who leaves, and bring the themes to the next meeting.",
                "HR business partner to join the conversations",
                60,
                MeetingAction.Status.COMPLETE,
            ),
            (
                "Ask every team manager to identify at least one potential practice supervisor at this year's appraisals.",
                "",
                120,
                MeetingAction.Status.COMPLETE,
            ),
            (
                "Record funded posts for every team, so the vacancy rate can be tracked.",
                "Finance officer to confirm establishment figures",
                30,
                MeetingAction.Status.IN_PROGRESS,
            ),
        ],
    ),
    (
        16,
        "The pipeline has grown. Black and Asian colleagues are under-represented among supervisors and among people "
        "acting up compared with the workforce; small numbers, but a pattern over two meetings. "
        "Two supervisors are leaving in the new year and one team has nobody ready.",
        [
            (
                "Offer the acting-up opportunity in the team with a gap to everyone in the pipeline, not only the team's own seniors.",
                "",
                14,
                MeetingAction.Status.IN_PROGRESS,
            ),
            (
                "Invite the Black and minority ethnic staff network to review how potential supervisors are identified.",
                "Time for network members to take part",
                45,
                MeetingAction.Status.NOT_STARTED,
            ),
            # Due before today and not started: the demo's overdue action.
            (
                "Check that everyone in their first 12 months as a supervisor has a mentor.",
                "",
                11,
                MeetingAction.Status.NOT_STARTED,
            ),
        ],
    ),
]


def load(organisation, members):
    """Write the demo meetings; `members` maps load_demo's keys to memberships, in an active scope."""
    today = timezone.localdate()
    leads = [m for m in members.values() if m.has_role(Role.SENIOR_LEADER)]
    admin = next(m for m in members.values() if m.has_role(Role.ORG_ADMIN))
    chair = leads[0] if leads else admin
    attendees = ", ".join(m.user.full_name for m in [chair, admin, *leads[1:2]])
    meetings = agreed = 0
    for days_ago, notes, agreed_actions in MEETINGS:
        held_on = today - datetime.timedelta(days=days_ago)
        meeting = actions.record_meeting(
            actor=chair,
            held_on=held_on,
            window_end=held_on.replace(day=1) - datetime.timedelta(days=1),  # the month before the meeting
            attendees=attendees,
            notes=notes,
        )
        meetings += 1
        owners = [admin, *leads]
        for index, (description, support, due_in, status) in enumerate(agreed_actions):
            actions.create_meeting_action(
                meeting,
                actor=chair,
                description=description,
                support_needed=support,
                owner_member=owners[index % len(owners)],
                due_date=held_on + datetime.timedelta(days=due_in),
                status=status,
            )
            agreed += 1
    return {"oversight meetings": meetings, "meeting actions": agreed}
