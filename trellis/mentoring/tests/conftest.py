import datetime

import pytest

from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard
from trellis.mentoring import actions
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
        fields.setdefault("employee_ref", f"P{next(counter):04d}")
        fields.setdefault("service", "children")
        fields.setdefault("employment_type", "permanent")
        fields.setdefault("start_date", datetime.date(2018, 4, 1))
        return workforce_actions.create_staff_record(
            actor=admin, full_name=full_name, career_stage=stages[stage], membership=login, **fields
        )

    return make


@pytest.fixture
def mentor(admin, person, member_with):
    """mentor("Name", capacity=2, **profile) -> (staff record with a mentor login, MentorProfile)."""

    def make(full_name="Maya Mentor", capacity=2, **profile):
        login = member_with("mentor", user__full_name=full_name)
        staff = person(full_name, stage="Team manager", login=login)
        return staff, actions.add_mentor(actor=admin, staff=staff, capacity=capacity, **profile)

    return make


@pytest.fixture
def match(admin):
    def make(mentor_staff, mentee, kind="mentoring", started_on=datetime.date(2026, 6, 1), **fields):
        fields.setdefault("goals", "Build confidence in reflective supervision.")
        return actions.match_mentor(actor=admin, mentor=mentor_staff, mentee=mentee, kind=kind, started_on=started_on, **fields)

    return make


@pytest.fixture
def standards(org):
    """A framework in use for children's services with two standards, and one for adults with one."""

    def framework(key, service, titles):
        fw = Framework.objects.create(key=key, name=f"{key} framework", short_name=key.upper(), service=service)
        version = FrameworkVersion.objects.create(framework=fw, label="2018")
        rows = [
            Standard.objects.create(version=version, number=str(i), title=title, position=i, is_checked=True)
            for i, title in enumerate(titles, start=1)
        ]
        FrameworkInUse.objects.create(organisation=org, version=version, service=service)
        return rows

    children = framework(
        "ps-kss", "children", ["Effective use of power and authority", "Emotionally intelligent practice supervision"]
    )
    adults = framework("adult-pqs", "adults", ["Relationship-based practice supervision"])
    return {"children": children, "adults": adults}
