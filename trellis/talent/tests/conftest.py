import datetime

import pytest

from trellis.talent import actions
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 0))


@pytest.fixture
def stages(org):
    workforce_actions.ensure_default_career_stages(org)
    return {s.name: s for s in CareerStage.objects.filter(organisation=org)}


@pytest.fixture
def team(admin):
    def make(name, service="children"):
        return workforce_actions.create_team(actor=admin, name=name, service=service)

    return make


@pytest.fixture
def person(admin, stages):
    """person("Name", stage="Social worker", **fields) -> a staff record made through the action."""
    counter = iter(range(1, 10_000))

    def make(full_name, stage="Senior or advanced practitioner", stage_start_date=None, **fields):
        fields.setdefault("employee_ref", f"R{next(counter):04d}")
        fields.setdefault("service", "children")
        fields.setdefault("employment_type", "permanent")
        fields.setdefault("start_date", datetime.date(2018, 4, 1))
        return workforce_actions.create_staff_record(
            actor=admin, full_name=full_name, career_stage=stages[stage], stage_start_date=stage_start_date, **fields
        )

    return make


@pytest.fixture
def nominate(admin):
    """nominate(staff, readiness="within_12_months", **fields) -> a plan recorded through the action."""

    def make(staff, readiness="within_12_months", actor=None, **fields):
        fields.setdefault("identified_on", datetime.date(2026, 3, 2))
        fields.setdefault("source", "appraisal")
        fields.setdefault("strengths", "Reflective and calm.")
        return actions.record_potential_supervisor(actor=actor or admin, staff=staff, readiness=readiness, **fields)

    return make


@pytest.fixture
def opportunity(admin, stages):
    def make(team, start=datetime.date(2027, 1, 4), end=datetime.date(2027, 4, 30), **fields):
        fields.setdefault("reason", "parental_leave")
        return actions.create_acting_up(
            actor=admin, team=team, stage=stages["Practice supervisor"], start_date=start, end_date=end, **fields
        )

    return make
