"""Fixtures for the assessment tests.

`trellis.assessment.actions` is imported inside functions here, not at the top: pytest loads this file
before the root conftest switches tasks to the immediate backend, and importing the actions defines
their task, which binds the backend there and then.
"""

import datetime

import pytest

from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

from .factories import framework_in_use, levels

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 0), tick=True)


@pytest.fixture
def stages(org):
    workforce_actions.ensure_default_career_stages(org)
    return {s.name: s for s in CareerStage.objects.filter(organisation=org)}


@pytest.fixture
def team(admin):
    return workforce_actions.create_team(actor=admin, name="Community West", service="adults")


@pytest.fixture
def person(admin, stages, team, member_with):
    """person("Name", login=True, **fields) -> a staff record, with a login of their own unless
    login=False (`roles` for it), made through the workforce action."""
    counter = iter(range(1, 10_000))

    def make(full_name, stage="Practice supervisor", login=True, roles=("practice_supervisor",), **fields):
        fields.setdefault("employee_ref", f"A{next(counter):04d}")
        fields.setdefault("service", "adults")
        fields.setdefault("employment_type", "permanent")
        fields.setdefault("start_date", datetime.date(2018, 4, 2))
        fields.setdefault("team", team)
        if login:
            fields["membership"] = member_with(*roles, user__full_name=full_name)
        return workforce_actions.create_staff_record(actor=admin, full_name=full_name, career_stage=stages[stage], **fields)

    return make


@pytest.fixture
def fiu(org):
    return framework_in_use(org, standards=3, statements=2)


@pytest.fixture
def scale(fiu):
    return levels(fiu)


@pytest.fixture
def people(person):
    """A line manager, a supervisor who reports to them, and four of the supervisor's supervisees."""
    manager = person("Maggie Manager", stage="Team manager")
    aisha = person("Aisha Supervisor", line_manager=manager)
    supervisees = [
        person(f"Sam Supervisee {n}", stage="Social worker", line_manager=aisha, roles=("practitioner",)) for n in range(1, 5)
    ]
    return {"manager": manager, "aisha": aisha, "supervisees": supervisees}


def complete(assessment, actor, scale, rating_label="Developing", priority_numbers=(), overall=True):
    """Fill in every standard and statement (and the overall answers), through the actions."""
    from trellis.assessment import actions

    for rating in assessment.ratings.select_related("standard").prefetch_related("statement_ratings"):
        actions.save_standard(
            rating,
            actor=actor,
            expected_version=rating.version,
            level=scale[rating_label] if isinstance(rating_label, str) else scale[rating_label[rating.standard.number]],
            statement_levels={row.statement_id: scale["Developing"] for row in rating.statement_ratings.all()},
            strengths="Calm, clear supervision.",
            learning_needs="Holding difficult conversations." if rating.standard.number in priority_numbers else "",
            is_priority=rating.standard.number in priority_numbers,
        )
    if overall:
        assessment.refresh_from_db()
        actions.save_overall(
            assessment,
            actor=actor,
            expected_version=assessment.version,
            overall_strengths="Reflective, steady.",
            overall_learning_needs="Performance conversations.",
        )
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def submitted(db):
    """submitted(assessment, actor, ratings="Developing" or {number: label}) -> submitted through the actions."""

    def make(assessment, actor, ratings="Developing", priority_numbers=()):
        from trellis.assessment import actions

        complete(assessment, actor, levels(assessment.framework_in_use), ratings, priority_numbers)
        return actions.submit_self_assessment(
            assessment, actor=actor, expected_version=assessment.version, expected_answers_version=None
        )

    return make
