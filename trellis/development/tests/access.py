"""The development app's rows of the outsider/role access matrix (see tenancy/tests/matrix.py).

The person whose record the URLs name has no login, nor has their line manager, so an organisation
admin keeps their plan and records their manager's review (policy: development.change_plan and
development.review_plan); a senior leader, who sees totals only, is refused. The rules for the person,
their line manager and their mentor are tested one by one in test_access_rules.py.
"""

import datetime

from trellis.development import actions
from trellis.development.queries import standards_for
from trellis.tenancy.tests.matrix import OrgView
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

VIEWS = [
    OrgView("development:mine", allowed="practitioner", denied=None),
    OrgView("development:plan-share", allowed="practice_supervisor", denied=None, method="post"),
    OrgView("development:person", allowed="org_admin", denied="senior_leader", target="dev_person"),
    OrgView("development:goal-add", allowed="org_admin", denied="senior_leader", target="dev_person"),
    OrgView("development:goal-edit", allowed="org_admin", denied="senior_leader", target="dev_goal"),
    OrgView("development:goal-delete", allowed="org_admin", denied="practice_supervisor", target="dev_goal"),
    OrgView("development:action-add", allowed="org_admin", denied="senior_leader", target="dev_goal"),
    OrgView("development:action", allowed="org_admin", denied="senior_leader", target="dev_action"),
    OrgView("development:action-edit", allowed="org_admin", denied="mentor", target="dev_action"),
    OrgView("development:action-delete", allowed="org_admin", denied="senior_leader", target="dev_action"),
    OrgView("development:action-progress", allowed="org_admin", denied="senior_leader", method="post", target="dev_action"),
    OrgView("development:plan-review", allowed="org_admin", denied="senior_leader", target="dev_plan"),
    OrgView("development:plan-review", allowed="org_admin", denied="mentor", method="post", target="dev_plan"),
    OrgView("development:partnership-add", allowed="org_admin", denied="senior_leader", target="dev_person"),
    OrgView("development:partnership-edit", allowed="org_admin", denied="senior_leader", target="dev_partnership"),
    OrgView("development:partnership-delete", allowed="org_admin", denied="practitioner", target="dev_partnership"),
    OrgView("development:team", allowed="practice_supervisor", denied=None),
    OrgView("development:overview", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("development:coverage", allowed="senior_leader", denied="mentor"),
    OrgView("development:coverage-names", allowed="org_admin", denied="senior_leader"),
]


def objects(base):
    admin, org = base["admin"], base["org"]
    person = workforce_actions.create_staff_record(
        actor=admin,
        career_stage=CareerStage.objects.get(organisation=org, name="Social worker"),
        full_name="Dana Developing",
        employee_ref="DEV1",
        team=base["team"],
        line_manager=base["staff"],
        service="children",
        employment_type="permanent",
        start_date=datetime.date(2021, 9, 6),
    )
    # Other apps' objects may have put frameworks in use; a goal then links to one of their standards.
    goal = actions.add_goal(
        person, actor=admin, title="Give feedback on performance clearly and kindly", standards=standards_for(person)[:1]
    )
    action = actions.add_action(
        goal, actor=admin, kind="training", description="Performance management course", due_date=datetime.date(2027, 3, 31)
    )
    partnership = actions.add_partnership_role(
        person,
        actor=admin,
        kind="housing",
        body="Northshire housing partnership",
        role="Member",
        start_date=datetime.date(2026, 1, 5),
    )
    return {
        "dev_person": person,
        "dev_goal": goal,
        "dev_action": action,
        "dev_plan": goal.plan,
        "dev_partnership": partnership,
    }
