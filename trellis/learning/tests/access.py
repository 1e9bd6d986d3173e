"""The learning app's rows of the access matrix (see trellis/tenancy/tests/matrix.py)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from trellis.learning import actions
from trellis.tenancy.tests.matrix import OrgView

VIEWS = [
    # Everyone reads the catalogue and books for themselves; admins run it.
    OrgView("learning:catalogue", allowed="practitioner", denied=None),
    OrgView("learning:course", allowed="practitioner", denied=None, target="learning_course"),
    OrgView("learning:course-add", allowed="org_admin", denied="senior_leader"),
    OrgView("learning:course-edit", allowed="org_admin", denied="senior_leader", target="learning_course"),
    OrgView("learning:session-add", allowed="org_admin", denied="practice_supervisor", target="learning_course"),
    OrgView("learning:session-list", allowed="org_admin", denied="senior_leader"),
    OrgView("learning:session", allowed="practitioner", denied=None, target="learning_session"),
    OrgView("learning:session-edit", allowed="org_admin", denied="senior_leader", target="learning_session"),
    OrgView("learning:session-cancel", allowed="org_admin", denied="mentor", target="learning_session"),
    OrgView("learning:book", allowed="practice_supervisor", denied=None, target="learning_session"),
    OrgView("learning:book", allowed="practitioner", denied=None, method="post", target="learning_session"),
    OrgView("learning:book-someone", allowed="org_admin", denied="practice_supervisor", target="learning_session"),
    OrgView("learning:register", allowed="org_admin", denied="senior_leader", target="learning_session"),
    OrgView("learning:register", allowed="org_admin", denied="reviewer", method="post", target="learning_session"),
    OrgView("learning:booking-cancel", allowed="org_admin", denied="practice_supervisor", target="learning_booking"),
    # A person's record: theirs, their line manager's, admins' (and a mentor's if shared).
    OrgView("learning:my-training", allowed="practitioner", denied=None),
    OrgView("learning:sharing", allowed="practitioner", denied=None, method="post"),
    OrgView("learning:record", allowed="org_admin", denied="practice_supervisor", target="staff"),
    OrgView("learning:external-add", allowed="org_admin", denied="senior_leader", target="staff"),
    OrgView("learning:external-edit", allowed="org_admin", denied="mentor", target="learning_external"),
    OrgView("learning:external-delete", allowed="org_admin", denied="practitioner", target="learning_external"),
    # Counts across the organisation are for leads; names only for admins (on the same page).
    OrgView("learning:completion", allowed="senior_leader", denied="practice_supervisor"),
]


def objects(base):
    admin, staff = base["admin"], base["staff"]
    today = timezone.localdate()
    course = actions.create_course(
        actor=admin,
        title="Access matrix course",
        summary="What it covers.",
        audience="Practice supervisors.",
        provider="Workforce development team",
        hours=Decimal("3"),
        is_core=True,
    )
    session = actions.create_session(
        course,
        actor=admin,
        date=today + datetime.timedelta(days=30),
        start_time=datetime.time(9, 30),
        end_time=datetime.time(12, 30),
        mode="online",
        location="Teams",
        capacity=10,
    )
    booking = actions.book_place(session, actor=admin, staff=staff)
    external = actions.add_external_training(
        actor=admin,
        staff=staff,
        title="Leading through change",
        provider="A university",
        completed_on=today - datetime.timedelta(days=40),
        hours=Decimal("6"),
    )
    return {"learning_course": course, "learning_session": session, "learning_booking": booking, "learning_external": external}
