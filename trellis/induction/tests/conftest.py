import datetime

import pytest

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
    def make(name="Assessment North", service="children"):
        return workforce_actions.create_team(actor=admin, name=name, service=service)

    return make


@pytest.fixture
def person(admin, stages):
    """person("Name", stage="Social worker", **fields) -> a staff record made through the workforce action."""
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
def promote(admin, stages):
    """promote(staff, on=date, stage="Practice supervisor", kind="promotion"): a career-stage change in the register."""

    def make(staff, on, stage="Practice supervisor", kind="promotion"):
        return workforce_actions.change_career_stage(staff, actor=admin, stage=stages[stage], start_date=on, kind=kind)

    return make


@pytest.fixture
def manager(person, member_with):
    """Mo Manager, a team manager with a login: the line manager of the people made with `report`."""
    login = member_with("practice_supervisor", user__full_name="Mo Manager", user__email="mo@northshire.gov.uk")
    return person("Mo Manager", stage="Team manager", membership=login)


@pytest.fixture
def new_supervisor(person, promote, manager, member_with):
    """Nia New, a senior practitioner promoted to practice supervisor on 2 November 2026, with a login;
    Mo Manager is her line manager."""
    login = member_with("practice_supervisor", user__full_name="Nia New", user__email="nia@northshire.gov.uk")
    staff = person("Nia New", membership=login, line_manager=manager)
    promote(staff, datetime.date(2026, 11, 2))
    return staff
