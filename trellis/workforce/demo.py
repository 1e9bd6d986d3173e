"""Demo workforce for the demo organisations: teams, staff with career histories, supervisors.

Deterministic (a seeded generator per organisation) so that every `load_demo` tells the same story,
and written through the workforce actions so the audit trail is real. Dates are relative to today,
so the supervisors register always has people in their first 12 months.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from . import actions
from .models import CareerStage, StaffRecord, StageHistory

TEAMS = {
    "adults": ["Hospital discharge", "Community North", "Community South", "Learning disabilities", "Mental health"],
    "children": ["Assessment", "Children in need East", "Children in care", "Care leavers", "Fostering"],
}
FIRST_NAMES = [
    "Abena",
    "Aled",
    "Amir",
    "Beth",
    "Callum",
    "Chidi",
    "Dawn",
    "Eilidh",
    "Farah",
    "Gavin",
    "Hannah",
    "Imran",
    "Jade",
    "Karen",
    "Kieran",
    "Leah",
    "Luke",
    "Maryam",
    "Neil",
    "Olu",
    "Paula",
    "Rhys",
    "Rosa",
    "Sana",
    "Shaun",
    "Tamsin",
    "Usha",
    "Vikram",
    "Wendy",
    "Yusuf",
    "Zara",
    "Declan",
    "Ffion",
    "Grace",
    "Harvey",
]
SURNAMES = [
    "Ahmed",
    "Baker",
    "Campbell",
    "Davies",
    "Edwards",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nwosu",
    "Owen",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Walsh",
    "Young",
    "Begum",
    "Clarke",
    "Doyle",
    "Evans",
    "Foster",
    "Hall",
    "Murphy",
]


def _years_ago(today, years, rng):
    return today - datetime.timedelta(days=int(years * 365) + rng.randint(0, 60))


def load(organisation, actor, service):
    """Write the demo workforce; `actor` is an organisation admin's Membership, in an active scope."""
    rng = random.Random(f"trellis-demo-{organisation.slug}")
    today = timezone.localdate()
    actions.ensure_default_career_stages(organisation, actor=actor)
    stages = {s.name.split(" /")[0].split(" or ")[0].lower(): s for s in CareerStage.objects.all()}
    names = iter(rng.sample([f"{f} {s}" for f in FIRST_NAMES for s in SURNAMES], 200))
    counter = iter(range(1001, 9999))

    def hire(stage_key, started, **fields):
        return actions.create_staff_record(
            actor=actor,
            career_stage=stages[stage_key],
            stage_start_date=started,
            full_name=next(names),
            employee_ref=f"{organisation.slug[:2].upper()}{next(counter)}",
            service=service,
            employment_type=fields.pop("employment_type", "permanent"),
            start_date=started,
            fte=Decimal(fields.pop("fte", "1.00")),
            **fields,
        )

    for index, team_name in enumerate(TEAMS[service]):
        manager = hire("team manager", _years_ago(today, rng.uniform(4, 9), rng), job_title="Team manager")
        team = actions.create_team(actor=actor, name=team_name, service=service, manager=manager)
        actions.update_staff_record(manager, actor=actor, expected_version=manager.version, team=team)
        # Two supervisors per team: one long-standing, and in most teams one promoted this year
        # from inside the team, so "first 12 months" and internal promotion both show.
        supervisors = []
        for recent in (False, index != 2):
            joined = _years_ago(today, rng.uniform(6, 11), rng)
            person = hire("social worker", joined, team=team, line_manager=manager, job_title="Social worker")
            promoted = (
                today - datetime.timedelta(days=rng.randint(30, 300)) if recent else _years_ago(today, rng.uniform(1.5, 5), rng)
            )
            actions.change_career_stage(
                person, actor=actor, stage=stages["practice supervisor"], start_date=promoted, kind=StageHistory.Kind.PROMOTION
            )
            person.refresh_from_db()
            actions.update_staff_record(person, actor=actor, expected_version=person.version, job_title="Practice supervisor")
            supervisors.append(person)
        for n in range(rng.randint(5, 7)):
            stage = rng.choice(["asye", "social worker", "social worker", "senior", "senior"])
            kind = "agency" if n == 0 and rng.random() < 0.5 else "permanent"
            staff = hire(
                stage,
                _years_ago(today, rng.uniform(0.2, 8), rng),
                team=team,
                line_manager=supervisors[n % 2],
                job_title=stages[stage].name,
                employment_type=kind,
                fte=rng.choice(["1.00", "1.00", "1.00", "0.80", "0.60"]),
            )
            if n == 1 and index in (1, 3):
                # Someone who left this year, so the register is not only people still in post.
                left = today - datetime.timedelta(days=rng.randint(20, 200))
                if left > staff.start_date:
                    actions.record_leaving(
                        staff, actor=actor, leaving_date=left, leaving_reason=StaffRecord.LeavingReason.RESIGNATION
                    )
    return {"teams": len(TEAMS[service]), "staff": StaffRecord.objects.count()}
