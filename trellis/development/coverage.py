"""Many people's development at a glance: a line manager's team, and the organisation's coverage.

Both start from a list of people from the workforce register and add, in one query each whatever the
number of people: their plan's status, their latest self-assessment, whether they have a mentor, and
their first 12 months. Worked out in Python over those rows (an organisation has hundreds of
supervisors at most), as `talent.succession` does.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from trellis.workforce.models import StaffRecord

from . import sources
from .models import PLAN_STATUS_COLOURS, DevelopmentPlan, PlanStatus


@dataclass
class PersonRow:
    staff: StaffRecord
    plan: DevelopmentPlan | None
    assessed_on: object  # date of the latest submitted self-assessment, or None
    current_assessment: bool
    has_mentor: bool
    first_year: object  # induction's open first 12 months, with progress, or None

    @property
    def plan_status(self):
        return self.plan.status if self.plan is not None else PlanStatus.NONE

    @property
    def plan_status_label(self):
        return PlanStatus(self.plan_status).label

    @property
    def plan_status_colour(self):
        return PLAN_STATUS_COLOURS[self.plan_status]

    @property
    def has_plan(self):
        return self.plan_status != PlanStatus.NONE

    @property
    def overdue(self):
        return self.plan.overdue_count if self.plan is not None else 0

    @property
    def in_first_year(self):
        return self.first_year is not None or bool(getattr(self.staff, "in_first_year", False))


def person_rows(membership, people, today=None):
    """`people`: staff records (a list), annotated with `with_supervisory_since` for the first-year flag."""
    today = today or timezone.localdate()
    ids = [person.pk for person in people]
    if not ids:
        return []
    plans = DevelopmentPlan.objects.visible_to(membership).filter(staff_id__in=ids).summaries(today)
    assessed = sources.latest_self_assessments(ids)
    mentored = sources.mentored(ids)
    first_years = sources.first_years(ids, today)
    return [
        PersonRow(
            staff=person,
            plan=plans.get(person.pk),
            assessed_on=assessed.get(person.pk),
            current_assessment=sources.is_current_assessment(assessed.get(person.pk), today),
            has_mentor=person.pk in mentored,
            first_year=first_years.get(person.pk),
        )
        for person in people
    ]


def my_team(membership, today=None):
    """The people the member line-manages in the register, still in post."""
    today = today or timezone.localdate()
    people = list(
        StaffRecord.objects.visible_to(membership)
        .current(today)
        .filter(line_manager__membership=membership)
        .with_current_stage()
        .with_supervisory_since(today)
        .select_related("team")
        .order_by("full_name")
    )
    return person_rows(membership, people, today)


@dataclass
class TeamCoverage:
    team: object  # a Team, or None for supervisors with no team
    rows: list = field(default_factory=list)

    @property
    def supervisors(self):
        return len(self.rows)

    def _count(self, test):
        return sum(1 for row in self.rows if test(row))

    @property
    def assessed(self):
        return self._count(lambda row: row.current_assessment)

    @property
    def planned(self):
        return self._count(lambda row: row.has_plan)

    @property
    def agreed(self):
        return self._count(lambda row: row.plan_status == PlanStatus.AGREED)

    @property
    def mentored(self):
        return self._count(lambda row: row.has_mentor)

    @property
    def key(self):
        return str(self.team.pk) if self.team is not None else "none"

    @property
    def name(self):
        return self.team.name if self.team is not None else "No team"


def supervisors(membership, today=None):
    """The supervisors register (current supervisors who line-manage someone), as person rows."""
    today = today or timezone.localdate()
    people = list(StaffRecord.objects.visible_to(membership).supervisors(today).order_by("team__name", "full_name"))
    return person_rows(membership, people, today)


def coverage(membership, today=None):
    """(teams, total): each team's supervisors and how many have a current self-assessment, a plan, an
    agreed plan and a mentor; teams in name order, supervisors with no team last."""
    rows = supervisors(membership, today)
    teams = {}
    for row in rows:
        team = row.staff.team
        key = team.pk if team is not None else None
        teams.setdefault(key, TeamCoverage(team)).rows.append(row)
    ordered = sorted(teams.values(), key=lambda t: (t.team is None, t.name.lower()))
    return ordered, TeamCoverage(None, rows)


def percent(part, whole):
    return round(100 * part / whole) if whole else None
