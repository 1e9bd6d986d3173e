import datetime

import pytest
from django_scopes import scope, scopes_disabled

from trellis.audit.models import AuditEvent
from trellis.talent import demo
from trellis.talent.models import ActingUpOpportunity, GapAction, PotentialSupervisor
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage


def small_workforce(org, admin):
    """Three teams, each with a supervisor, four senior practitioners and two social workers."""
    workforce_actions.ensure_default_career_stages(org)
    stages = {s.name: s for s in CareerStage.objects.filter(organisation=org)}
    refs = iter(range(1, 1000))

    def hire(name, stage, **fields):
        return workforce_actions.create_staff_record(
            actor=admin,
            career_stage=stages[stage],
            full_name=name,
            employee_ref=f"D{next(refs)}",
            service="children",
            employment_type="permanent",
            start_date=datetime.date(2016, 5, 3),
            **fields,
        )

    for team_name in ("Assessment", "Fostering", "Care leavers"):
        team = workforce_actions.create_team(actor=admin, name=team_name, service="children")
        boss = hire(f"{team_name} supervisor", "Practice supervisor", team=team)
        for n in range(4):
            hire(f"{team_name} senior {n}", "Senior or advanced practitioner", team=team, line_manager=boss)
        for n in range(2):
            hire(f"{team_name} worker {n}", "Social worker", team=team, line_manager=boss)


@pytest.mark.scoped
def test_the_demo_pipeline_loads_inside_the_organisations_scope(org, admin):
    with scopes_disabled():
        small_workforce(org, admin)
    with scope(organisation=org):
        summary = demo.load(org, admin)
    assert summary == {"potential supervisors": 12, "acting-up opportunities": 3}
    with scopes_disabled():
        plans = PotentialSupervisor.objects.filter(organisation=org)
        assert plans.count() == 12
        assert set(plans.values_list("status", flat=True)) == {"active", "appointed", "withdrawn"}
        assert GapAction.objects.filter(organisation=org).count() >= 26
        assert set(ActingUpOpportunity.objects.values_list("status", flat=True)) == {"open", "filled", "cancelled"}
        assert AuditEvent.objects.filter(verb="recorded potential practice supervisor").count() == 12
