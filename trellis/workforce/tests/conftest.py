import datetime

import pytest

from trellis.workforce import actions
from trellis.workforce.models import CareerStage

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 0))


@pytest.fixture
def stages(org):
    actions.ensure_default_career_stages(org)
    return {s.name: s for s in CareerStage.objects.filter(organisation=org)}


@pytest.fixture
def person(admin, stages):
    """person("Name", stage="Social worker", **fields) -> a staff record made through the action."""
    counter = iter(range(1, 10_000))

    def make(full_name, stage="Social worker", stage_start_date=None, **fields):
        fields.setdefault("employee_ref", f"R{next(counter):04d}")
        fields.setdefault("service", "children")
        fields.setdefault("employment_type", "permanent")
        fields.setdefault("start_date", datetime.date(2018, 4, 1))
        return actions.create_staff_record(
            actor=admin, full_name=full_name, career_stage=stages[stage], stage_start_date=stage_start_date, **fields
        )

    return make
