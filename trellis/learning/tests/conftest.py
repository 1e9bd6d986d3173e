import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard
from trellis.learning import actions
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

NOW = datetime.datetime(2026, 11, 24, 10, 0)
TODAY = NOW.date()
D = datetime.date
T = datetime.time


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW)


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
    """person("Name", stage="Practice supervisor", **fields) -> a staff record made through the action."""
    counter = iter(range(1, 10_000))

    def make(full_name, stage="Practice supervisor", **fields):
        fields.setdefault("employee_ref", f"L{next(counter):04d}")
        fields.setdefault("service", "children")
        fields.setdefault("employment_type", "permanent")
        fields.setdefault("start_date", D(2018, 4, 1))
        return workforce_actions.create_staff_record(actor=admin, full_name=full_name, career_stage=stages[stage], **fields)

    return make


@pytest.fixture
def course(admin):
    """course("Title", **fields) -> a course added through the action."""

    def make(title="Reflective supervision skills", **fields):
        fields.setdefault("summary", "Practising reflective conversations.")
        fields.setdefault("audience", "New practice supervisors.")
        fields.setdefault("provider", "Workforce development team")
        fields.setdefault("hours", Decimal("6"))
        fields.setdefault("is_core", True)
        return actions.create_course(actor=fields.pop("actor", admin), title=title, **fields)

    return make


@pytest.fixture
def session(admin):
    """session(course, days=14, capacity=2, **fields) -> a session `days` from (the moved) today, 9:30am to 4pm."""

    def make(course, days=14, capacity=2, **fields):
        fields.setdefault("start_time", T(9, 30))
        fields.setdefault("end_time", T(16, 0))
        fields.setdefault("mode", "in_person")
        fields.setdefault("location", "Room 4, County Hall")
        return actions.create_session(
            course, actor=admin, date=timezone.localdate() + datetime.timedelta(days=days), capacity=capacity, **fields
        )

    return make


@pytest.fixture
def frameworks(org, admin):
    """The two shipped frameworks with the standards the default catalogue names, in use in `org`."""
    made = {}
    for key, short, service, numbers in (
        ("practice-supervisor-kss", "PS KSS", "children", ("4", "7")),
        ("adult-practice-supervisor-pqs", "Adult PQS", "adults", ("3", "4", "5", "6", "7")),
    ):
        framework = Framework.objects.create(key=key, name=f"{short} framework", short_name=short, service=service)
        version = FrameworkVersion.objects.create(framework=framework, label="2018", effective_from=D(2018, 5, 18))
        for position, number in enumerate(numbers, start=1):
            Standard.objects.create(
                version=version, number=number, title=f"{short} standard {number}", position=position, is_checked=True
            )
        FrameworkInUse.objects.create(organisation=org, version=version, service=service, updated_by=admin)
        made[key] = {s.number: s for s in version.standards.all()}
    return made
