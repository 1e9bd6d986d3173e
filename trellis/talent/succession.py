"""The succession view: the pipeline by service, team and readiness, and the teams with a gap.

Three queries whatever the size of the organisation (teams, plans in the pipeline, supervisors leaving
or new); the grouping is done here, in Python, over those rows.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from trellis.workforce.models import Service, StaffRecord, Team

from .models import PotentialSupervisor
from .queries import supervisors_leaving_or_new

READINESS = PotentialSupervisor.Readiness


@dataclass
class TeamRow:
    """One row of the team × readiness table. `team` is None for people placed in a service but no team."""

    team: Team | None
    cells: dict = field(default_factory=lambda: {value: [] for value in READINESS.values})

    @property
    def columns(self):
        return [self.cells[value] for value in READINESS.values]

    @property
    def total(self):
        return sum(len(people) for people in self.cells.values())


@dataclass
class ServiceSection:
    value: str
    label: str
    rows: list

    @property
    def totals(self):
        return [sum(len(row.cells[value]) for row in self.rows) for value in READINESS.values]

    @property
    def total(self):
        return sum(self.totals)


@dataclass
class TeamGap:
    """A team whose supervisor is leaving or new. `pipeline` is everyone counted for the team (their own
    team or where they might be best placed); it is a gap when none of them is ready now."""

    team: Team
    supervisors: list
    pipeline: list

    @property
    def ready_now(self):
        return [c for c in self.pipeline if c.readiness == READINESS.READY_NOW]

    @property
    def is_gap(self):
        return not self.ready_now

    @property
    def pipeline_counts(self):
        return [(label, sum(1 for c in self.pipeline if c.readiness == value)) for value, label in READINESS.choices]


@dataclass
class Succession:
    services: list
    gaps: list
    covered: list
    left: list  # plans still open for people who have left
    in_pipeline: int
    ready_now: int

    @property
    def gap_team_ids(self):
        return {gap.team.pk for gap in self.gaps}


def succession(membership, service=None, today=None):
    today = today or timezone.localdate()
    teams = list(Team.objects.visible_to(membership).order_by("name"))
    plans = list(PotentialSupervisor.objects.visible_to(membership).active().for_rows().order_by("staff__full_name"))
    left = [plan for plan in plans if plan.staff.has_left(today)]
    plans = [plan for plan in plans if not plan.staff.has_left(today)]
    if service:
        plans = [plan for plan in plans if plan.placement_service == service]
        teams = [team for team in teams if team.service == service]

    sections = []
    for value, label in Service.choices:
        if service and value != service:
            continue
        rows = {team.pk: TeamRow(team) for team in teams if team.service == value}
        no_team = TeamRow(None)
        for plan in plans:
            placed = plan.placement_team
            if placed is not None and placed.pk in rows:
                rows[placed.pk].cells[plan.readiness].append(plan)
            elif placed is None and plan.placement_service == value:
                no_team.cells[plan.readiness].append(plan)
        section_rows = list(rows.values()) + ([no_team] if no_team.total else [])
        if section_rows:
            sections.append(ServiceSection(value, label, section_rows))

    team_ids = {team.pk for team in teams}
    at_risk = {}
    for person in supervisors_leaving_or_new(StaffRecord.objects.visible_to(membership), today).select_related("team"):
        if person.team_id in team_ids:
            at_risk.setdefault(person.team_id, (person.team, []))[1].append(person)
    team_gaps = [
        TeamGap(team, people, [p for p in plans if team.pk in (p.staff.team_id, p.best_placed_team_id)])
        for team, people in at_risk.values()
    ]
    return Succession(
        services=sections,
        gaps=[g for g in team_gaps if g.is_gap],
        covered=[g for g in team_gaps if not g.is_gap],
        left=left,
        in_pipeline=len(plans),
        ready_now=sum(1 for p in plans if p.readiness == READINESS.READY_NOW),
    )
