import datetime

import pytest

from trellis.development import actions
from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard
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
    return workforce_actions.create_team(actor=admin, name="Assessment North", service="children")


@pytest.fixture
def person(admin, stages):
    """person("Name", stage="Practice supervisor", login=membership, **fields) -> a staff record."""
    counter = iter(range(1, 10_000))

    def make(full_name, stage="Practice supervisor", login=None, **fields):
        fields.setdefault("employee_ref", f"D{next(counter):04d}")
        fields.setdefault("service", "children")
        fields.setdefault("employment_type", "permanent")
        fields.setdefault("start_date", datetime.date(2018, 4, 1))
        return workforce_actions.create_staff_record(
            actor=admin, full_name=full_name, career_stage=stages[stage], membership=login, **fields
        )

    return make


@pytest.fixture
def standards(org):
    """Standards in use for children's services (two) and for adults' (one), from an organisation's own
    framework, so the tests need nothing shipped."""

    def framework(key, service, titles):
        fw = Framework.objects.create(
            organisation=org, key=key, name=f"{key.upper()} framework", short_name=key.upper(), service=service
        )
        version = FrameworkVersion.objects.create(framework=fw, label="2018")
        rows = [
            Standard.objects.create(version=version, number=str(i), title=title, position=i, is_checked=True)
            for i, title in enumerate(titles, start=1)
        ]
        FrameworkInUse.objects.create(organisation=org, version=version, service=service)
        return rows

    return {
        "children": framework(
            "ps-kss", "children", ["Effective use of power and authority", "Emotionally intelligent practice supervision"]
        ),
        "adults": framework("adult-pqs", "adults", ["Relationship-based practice supervision"]),
    }


@pytest.fixture
def people(member_with, person, team):
    """Sam the supervisor (a login), managed by Morgan (a login), and Nia, Morgan's other report (no login)."""
    morgan_login = member_with("practice_supervisor", user__full_name="Morgan Manager")
    sam_login = member_with("practice_supervisor", user__full_name="Sam Supervisor")
    morgan = person("Morgan Manager", stage="Team manager", login=morgan_login, team=team)
    sam = person("Sam Supervisor", login=sam_login, team=team, line_manager=morgan)
    nia = person("Nia Nologin", stage="Social worker", team=team, line_manager=morgan)
    return {"morgan": morgan, "sam": sam, "nia": nia, "morgan_login": morgan_login, "sam_login": sam_login}


@pytest.fixture
def goal_for():
    """goal_for(staff, actor, **fields) -> a goal added through the action, with one action."""

    def make(staff, actor, title="Give feedback on performance clearly", with_action=True, **fields):
        goal = actions.add_goal(staff, actor=actor, title=title, **fields)
        if with_action:
            actions.add_action(
                goal,
                actor=actor,
                kind="training",
                description="Performance management course",
                due_date=datetime.date(2027, 1, 29),
            )
        return goal

    return make


@pytest.fixture
def mentorship(org):
    """mentorship(mentor_staff, mentee_staff) -> an open mentoring relationship (mentoring's model)."""
    from trellis.mentoring.models import Mentorship

    def make(mentor, mentee, **fields):
        fields.setdefault("kind", "mentoring")
        fields.setdefault("goals", "Confidence in reflective supervision.")
        fields.setdefault("started_on", datetime.date(2026, 6, 1))
        return Mentorship.objects.create(organisation=org, mentor=mentor, mentee=mentee, **fields)

    return make
