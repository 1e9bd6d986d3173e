import datetime

import pytest

from trellis.supervision import actions
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
def person(admin, stages):
    """person("Name", stage="Practice supervisor", login=membership, **fields) -> a staff record."""
    counter = iter(range(1, 10_000))

    def make(full_name, stage="Practice supervisor", login=None, **fields):
        fields.setdefault("employee_ref", f"S{next(counter):04d}")
        fields.setdefault("service", "children")
        fields.setdefault("employment_type", "permanent")
        fields.setdefault("start_date", datetime.date(2018, 4, 1))
        return workforce_actions.create_staff_record(
            actor=admin, full_name=full_name, career_stage=stages[stage], membership=login, **fields
        )

    return make


@pytest.fixture
def team(person, member_with):
    """Hari (a service manager with a login) line-manages Sal, a practice supervisor with a login."""
    hari = person("Hari Head", stage="Service manager", login=member_with("senior_leader"))
    sal = person("Sal Supervisor", line_manager=hari, login=member_with("practice_supervisor"))
    return {"hari": hari, "sal": sal}


@pytest.fixture
def agree(admin):
    def make(staff, supervisor, actor=None, **fields):
        fields.setdefault("frequency", "monthly")
        fields.setdefault("length_minutes", 90)
        fields.setdefault("starts_on", datetime.date(2026, 1, 5))
        fields.setdefault("review_on", datetime.date(2027, 1, 4))
        return actions.save_agreement(actor=actor or admin, staff=staff, supervisor=supervisor, **fields)

    return make
