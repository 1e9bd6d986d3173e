"""Supervision's rows of the access matrix (see trellis/tenancy/tests/matrix.py).

A person's supervision is for them, whoever supervises them, their line manager and admins: the role
that gets through is an organisation admin; a senior leader, who sees only totals, is refused.
"""

import datetime

from trellis.supervision import actions
from trellis.tenancy.tests.matrix import OrgView
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

VIEWS = [
    OrgView("supervision:overview", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("supervision:mine", allowed="practitioner", denied=None),
    OrgView("supervision:person", allowed="org_admin", denied="senior_leader", target="staff"),
    OrgView("supervision:agreement", allowed="org_admin", denied="senior_leader", target="staff"),
    OrgView("supervision:agreement", allowed="org_admin", denied="practice_supervisor", target="staff", method="post"),
    OrgView("supervision:session-add", allowed="org_admin", denied="senior_leader", target="staff"),
    OrgView("supervision:session-add", allowed="org_admin", denied="mentor", target="staff", method="post"),
    OrgView("supervision:session-edit", allowed="org_admin", denied="senior_leader", target="supervision_session"),
    OrgView("supervision:session-delete", allowed="org_admin", denied="practice_supervisor", target="supervision_session"),
]


def objects(base):
    """Sal (base's supervisor) is supervised monthly by a head of service, with one session."""
    org, admin = base["org"], base["admin"]
    head = workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Service manager"),
        full_name="Hari Head",
        employee_ref="H1",
        service="children",
        employment_type="permanent",
        start_date=datetime.date(2010, 4, 6),
    )
    actions.save_agreement(
        actor=admin,
        staff=base["staff"],
        supervisor=head,
        frequency="monthly",
        length_minutes=90,
        starts_on=datetime.date(2025, 1, 6),
        review_on=datetime.date(2026, 1, 5),
    )
    session = actions.log_session(
        actor=admin, staff=base["staff"], supervisor=head, held_on=datetime.date(2025, 2, 3), length_minutes=90, themes="Workload"
    )
    return {"supervision_session": session}
