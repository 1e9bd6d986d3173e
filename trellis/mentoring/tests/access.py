"""Mentoring's rows of the access matrix (see trellis/tenancy/tests/matrix.py).

Pages about one relationship or group are for the people in it and admins, so the role that gets
through is an organisation admin and a senior leader (who sees only totals and the overview) is refused.
"""

import datetime

from trellis.mentoring import actions
from trellis.tenancy.tests.factories import MembershipFactory
from trellis.tenancy.tests.matrix import OrgView
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

VIEWS = [
    OrgView("mentoring:overview", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("mentoring:mine", allowed="practitioner", denied=None),
    OrgView("mentoring:mentor-add", allowed="org_admin", denied="senior_leader"),
    OrgView("mentoring:mentor-add", allowed="org_admin", denied="senior_leader", method="post"),
    OrgView("mentoring:mentor-edit", allowed="org_admin", denied="senior_leader", target="mentor_profile"),
    OrgView("mentoring:match", allowed="org_admin", denied="senior_leader"),
    OrgView("mentoring:match", allowed="org_admin", denied="mentor", method="post"),
    OrgView("mentoring:relationship", allowed="org_admin", denied="senior_leader", target="mentorship"),
    OrgView("mentoring:relationship-edit", allowed="org_admin", denied="mentor", target="mentorship"),
    OrgView("mentoring:relationship-end", allowed="org_admin", denied="practice_supervisor", target="mentorship"),
    OrgView("mentoring:session-add", allowed="org_admin", denied="senior_leader", target="mentorship"),
    OrgView("mentoring:session-add", allowed="org_admin", denied="mentor", target="mentorship", method="post"),
    OrgView("mentoring:session-edit", allowed="org_admin", denied="mentor", target="mentoring_session"),
    OrgView("mentoring:session-delete", allowed="org_admin", denied="practice_supervisor", target="mentoring_session"),
    OrgView("mentoring:session-delete", allowed="org_admin", denied="senior_leader", target="mentoring_session", method="post"),
    OrgView("mentoring:offer", allowed="org_admin", denied="senior_leader"),
    OrgView("mentoring:waiting-list", allowed="org_admin", denied="senior_leader"),
    OrgView("mentoring:group-list", allowed="practitioner", denied=None),
    OrgView("mentoring:group-add", allowed="org_admin", denied="senior_leader"),
    OrgView("mentoring:group", allowed="org_admin", denied="practice_supervisor", target="peer_group"),
    OrgView("mentoring:group-edit", allowed="org_admin", denied="senior_leader", target="peer_group"),
    OrgView("mentoring:group-members", allowed="org_admin", denied="mentor", target="peer_group"),
    OrgView("mentoring:member-leave", allowed="org_admin", denied="senior_leader", target="peer_member"),
    OrgView("mentoring:group-session-add", allowed="org_admin", denied="practice_supervisor", target="peer_group"),
    OrgView("mentoring:group-session", allowed="org_admin", denied="mentor", target="peer_session"),
    OrgView("mentoring:group-session-edit", allowed="org_admin", denied="senior_leader", target="peer_session"),
    OrgView("mentoring:group-session-attendance", allowed="org_admin", denied="practice_supervisor", target="peer_session"),
    OrgView(
        "mentoring:group-session-attendance", allowed="org_admin", denied="senior_leader", target="peer_session", method="post"
    ),
]


def objects(base):
    """A mentor with a login, mentoring Wendy (base's potential supervisor), with a session; an action
    learning set Sal facilitates, with Wendy as a member and a session last month."""
    org, admin = base["org"], base["admin"]
    mentee = base["candidate"].staff
    login = MembershipFactory(organisation=org, roles=["mentor"])
    mentor = workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Team manager"),
        full_name="Maya Mentor",
        employee_ref="M1",
        service="children",
        employment_type="permanent",
        start_date=datetime.date(2012, 4, 2),
        membership=login,
    )
    profile = actions.add_mentor(actor=admin, staff=mentor, capacity=2)
    mentorship = actions.match_mentor(
        actor=admin, mentor=mentor, mentee=mentee, kind="mentoring", goals="Confidence.", started_on=datetime.date(2025, 9, 1)
    )
    session = actions.log_session(
        mentorship, actor=login, held_on=datetime.date(2025, 10, 1), duration_minutes=60, themes="Getting started"
    )
    group = actions.create_peer_group(
        actor=admin,
        kind="action_learning",
        name="New supervisors",
        facilitator=base["staff"],
        started_on=datetime.date(2025, 1, 6),
    )
    member = actions.add_group_member(group, actor=admin, staff=mentee, joined_on=datetime.date(2025, 1, 6))
    peer_session = actions.schedule_peer_session(group, actor=admin, held_on=datetime.date(2025, 3, 3), place="County Hall")
    return {
        "mentor_profile": profile,
        "mentorship": mentorship,
        "mentoring_session": session,
        "peer_group": group,
        "peer_member": member,
        "peer_session": peer_session,
    }
