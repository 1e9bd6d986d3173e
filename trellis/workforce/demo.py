"""Demo workforce: five years of an organisation's social workers, month by month.

Each demo organisation gets five teams of about 29 people (a team manager, three practice supervisors
and their practitioners). The story starts five years ago and moves a month at a time: people leave
and are replaced after a gap, newly qualified social workers finish their ASYE, practitioners become
senior practitioners, seniors act up to cover a supervisor's leave, vacant supervisor posts are filled
by internal promotion or from outside, and a few people are leaving soon. So every retention figure
has real numbers behind it, and the supervisors register has people new in post and long-standing.

Deterministic (a seeded generator per organisation, dates relative to today) and written through the
workforce actions, so the audit trail, record history and stale-edit versions are real. Demo members
who sign in get staff records of their own, with the histories their job titles describe.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from . import actions
from .models import CareerStage, StaffRecord, StageHistory

YEARS = 5
SUPERVISORS_PER_TEAM = 3
PRACTITIONERS_PER_SUPERVISOR = 9

TEAMS = {
    "adults": ["Hospital discharge", "Community West", "Community East", "Learning disability", "Community mental health"],
    "children": ["Assessment", "Family help", "Children in care", "Care leavers", "Fostering"],
}

# Demo members with logins, by the key load_demo uses (first name): (stage, team index or None,
# years in the organisation, years at their current stage, supervisor slot). Their histories match
# their job titles; the simulation never makes them leave.
LINKED = {
    "adults": {
        "helen": ("practice leader", None, 14, 4, None),
        "margaret": ("service manager", None, 16, 6, None),
        "james": ("team manager", 0, 11, 3, None),
        "aisha": ("practice supervisor", 3, 9, 0.6, 0),
        "tom": ("practice supervisor", 4, 7, 2.5, 0),
        "gareth": ("senior", 1, 8, 3, None),
        "chloe": ("social worker", 1, 4, 2.5, None),
        "sanjay": ("asye", 2, 0.5, 0.5, None),
    },
    "children": {
        "olivia": ("practice leader", None, 12, 3, None),
        "priya": ("service manager", None, 15, 5, None),
        "kwame": ("team manager", 0, 10, 2, None),
        "lucy": ("practice supervisor", 2, 6, 0.3, 0),
        "niamh": ("senior", 1, 9, 4, None),
        "ellie": ("social worker", 1, 3, 1.8, None),
        "jordan": ("social worker", 2, 2, 1, None),
    },
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
    "Adaeze",
    "Bronwen",
    "Catrin",
    "Deborah",
    "Emeka",
    "Fatima",
    "Gemma",
    "Hollie",
    "Ifeoma",
    "Joanne",
    "Kirsty",
    "Lorna",
    "Mandeep",
    "Nadia",
    "Orla",
    "Precious",
    "Rachel",
    "Samira",
    "Tariq",
    "Uzma",
    "Valerie",
    "Yasmin",
    "Zoe",
    "Aaron",
    "Bilal",
    "Craig",
    "Dylan",
    "Ewan",
    "Femi",
    "Gareth",
    "Hamza",
    "Ian",
    "Jamal",
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
    "Adebayo",
    "Bell",
    "Chowdhury",
    "Dunne",
    "Ellison",
    "Fitzgerald",
    "Gill",
    "Hussain",
    "Jackson",
    "Kaur",
    "Lloyd",
    "Mahmood",
    "Nolan",
    "Okafor",
    "Price",
    "Reid",
    "Shah",
    "Thomas",
    "Wright",
]

# Shares roughly like the social work workforce in England: mostly women, a more diverse workforce in
# children's services, some answers withheld and some never asked.
SEX = [("female", 80), ("male", 17), ("prefer_not_to_say", 3)]
ETHNIC_GROUP = {
    "adults": [("white", 72), ("black", 11), ("asian", 9), ("mixed", 4), ("other", 2), ("prefer_not_to_say", 2)],
    "children": [("white", 64), ("black", 16), ("asian", 11), ("mixed", 5), ("other", 2), ("prefer_not_to_say", 2)],
}
DISABILITY = [("no", 84), ("yes", 9), ("prefer_not_to_say", 7)]
LEAVING_REASONS = [
    ("resignation", 60),
    ("retirement", 10),
    ("redeployment", 12),
    ("end_of_contract", 8),
    ("other", 8),
    ("dismissal", 2),
]


def _weighted(rng, options):
    return rng.choices([value for value, _ in options], weights=[weight for _, weight in options])[0]


def _years_before(day, years):
    return day - datetime.timedelta(days=round(years * 365.25))


def _age_band(age):
    for limit, band in ((25, "under_25"), (35, "25_34"), (45, "35_44"), (55, "45_54"), (65, "55_64")):
        if age < limit:
            return band
    return "65_plus"


@dataclass
class Person:
    staff: StaffRecord
    stage: str
    since: datetime.date
    ethnic_group: str = ""
    protected: bool = False  # a demo member with a login: stays for the whole story

    def free_on(self, day):
        """Their latest stage began by `day`: a later change or leaving date would be out of order."""
        return self.since <= day and self.staff.leaving_date is None


@dataclass
class Slot:
    """A practice supervisor post in a team, and who line-manages through it."""

    holder: Person | None = None
    acting: Person | None = None  # a senior acting up while the post is vacant
    vacant_since: datetime.date | None = None
    practitioners: list = field(default_factory=list)
    future_holder: str | None = None  # a demo member appointed to this post later in the story

    @property
    def manager(self):
        return self.holder or self.acting


@dataclass
class DemoTeam:
    team: object
    manager: Person | None
    slots: list
    vacancies: list = field(default_factory=list)  # dates practitioner posts fell vacant


class Story:
    def __init__(self, organisation, actor, service, members):
        self.organisation = organisation
        self.actor = actor
        self.service = service
        self.members = members or {}
        self.rng = random.Random(f"trellis-demo-{organisation.slug}")
        self.today = timezone.localdate()
        self.begin = _years_before(self.today, YEARS)
        actions.ensure_default_career_stages(organisation, actor=actor)
        self.stages = {self._key(s.name): s for s in CareerStage.objects.all()}
        names = [f"{first} {last}" for first in FIRST_NAMES for last in SURNAMES]
        taken = {m.user.full_name for m in self.members.values()}
        self.names = iter(name for name in self.rng.sample(names, len(names)) if name not in taken)
        self.refs = iter(range(1001, 99999))
        self.people = []

    @staticmethod
    def _key(name):
        """'Senior or advanced practitioner' -> 'senior'; 'ASYE / newly …' -> 'asye'."""
        return name.split(" /")[0].split(" or ")[0].lower()

    # --- Writes, through the workforce actions ------------------------------------------------

    def hire(self, stage, day, *, team=None, line_manager=None, name=None, membership=None, **fields):
        staff = actions.create_staff_record(
            actor=self.actor,
            career_stage=self.stages[stage],
            stage_start_date=day,
            full_name=name or next(self.names),
            employee_ref=f"{self.organisation.slug[:2].upper()}{next(self.refs)}",
            service=self.service,
            team=team,
            line_manager=line_manager.staff if line_manager else None,
            employment_type=fields.pop("employment_type", "permanent"),
            start_date=day,
            fte=Decimal(fields.pop("fte", self.rng.choice(["1.00"] * 5 + ["0.80", "0.60"]))),
            job_title=fields.pop("job_title", self.stages[stage].name),
            membership=membership,
            **fields,
        )
        person = Person(staff, stage, day, protected=membership is not None)
        self.equality(person, day)
        self.people.append(person)
        return person

    def equality(self, person, joined):
        if self.rng.random() < 0.08:
            return  # never asked
        age_at_joining = {"asye": 24, "social worker": 29}.get(person.stage, 36) + self.rng.randint(-2, 12)
        age_now = age_at_joining + (self.today - joined).days // 365
        person.ethnic_group = _weighted(self.rng, ETHNIC_GROUP[self.service])
        actions.save_equality_answers(
            person.staff,
            actor=self.actor,
            sex=_weighted(self.rng, SEX),
            ethnic_group=person.ethnic_group,
            disability=_weighted(self.rng, DISABILITY),
            age_band="prefer_not_to_say" if self.rng.random() < 0.03 else _age_band(age_now),
        )

    def move(self, person, stage, day, kind, job_title=None):
        actions.change_career_stage(person.staff, actor=self.actor, stage=self.stages[stage], start_date=day, kind=kind)
        person.stage, person.since = stage, day
        if not person.protected:
            self.update(person, job_title=job_title or self.stages[stage].name)

    def update(self, person, **fields):
        person.staff.refresh_from_db()
        changed = {k: v for k, v in fields.items() if getattr(person.staff, k) != v}
        if changed:
            actions.update_staff_record(person.staff, actor=self.actor, expected_version=person.staff.version, **changed)

    def manage(self, people, manager):
        for person in people:
            if person.staff.leaving_date is None:
                self.update(person, line_manager=manager.staff if manager else None)

    def leave(self, person, day, reason=None):
        person.staff.refresh_from_db()
        if reason is None:
            reason = "end_of_contract" if person.staff.employment_type == "agency" else _weighted(self.rng, LEAVING_REASONS)
        actions.record_leaving(
            person.staff, actor=self.actor, leaving_date=day, leaving_reason=reason, expected_version=person.staff.version
        )

    # --- The story ----------------------------------------------------------------------------

    def run(self):
        teams = [self.found_team(index, name) for index, name in enumerate(TEAMS[self.service])]
        self.link_members_without_a_team()
        day = self.begin
        while day < self.today:
            for demo_team in teams:
                self.month(demo_team, day)
            day = min(day + datetime.timedelta(days=30), self.today)
        for demo_team in teams:
            self.settle(demo_team)
        self.leaving_soon(teams)
        current = StaffRecord.objects.current().count()
        return {"teams": len(teams), "staff": current, "leavers": StaffRecord.objects.left().count()}

    def found_team(self, index, name):
        """The team as it was five years ago: everyone in it started earlier."""
        rng = self.rng
        linked = {key: spec for key, spec in LINKED[self.service].items() if spec[1] == index and key in self.members}
        establishment = 1 + SUPERVISORS_PER_TEAM * (1 + PRACTITIONERS_PER_SUPERVISOR) + rng.choice([0, 1, 2])
        team = actions.create_team(actor=self.actor, name=name, service=self.service, establishment_fte=Decimal(establishment))
        manager_key = next((k for k, spec in linked.items() if spec[0] == "team manager"), None)
        manager = self.linked_person(manager_key, team=team) if manager_key else self.veteran("team manager", team=team)
        actions.update_team(team, actor=self.actor, expected_version=team.version, manager=manager.staff)
        slots = []
        for slot_index in range(SUPERVISORS_PER_TEAM):
            key = next((k for k, spec in linked.items() if spec[0] == "practice supervisor" and spec[4] == slot_index), None)
            # A demo member's post is held by someone else until the story reaches their appointment.
            slots.append(Slot(holder=self.veteran("practice supervisor", team=team, line_manager=manager), future_holder=key))
        for slot in slots:
            for _ in range(PRACTITIONERS_PER_SUPERVISOR):
                stage = rng.choice(["asye", "social worker", "social worker", "social worker", "senior", "senior"])
                kind = "agency" if rng.random() < 0.08 else "permanent"
                slot.practitioners.append(self.veteran(stage, team=team, line_manager=slot.holder, employment_type=kind))
        demo_team = DemoTeam(team, manager, slots)
        for key, (stage, *_rest) in linked.items():
            if stage in ("social worker", "senior", "asye"):
                slot = slots[len(key) % SUPERVISORS_PER_TEAM]
                person = self.linked_person(key, team=team, line_manager=slot.holder)
                slot.practitioners.append(person)
        return demo_team

    def veteran(self, stage, **fields):
        """Someone in post before the story starts, with the history their stage implies."""
        rng = self.rng
        years = {"asye": 0.1, "social worker": rng.uniform(1, 6), "senior": rng.uniform(4, 12)}.get(stage, rng.uniform(6, 15))
        joined = _years_before(self.begin, years) - datetime.timedelta(days=rng.randint(0, 200))
        if stage in ("asye", "social worker"):
            return self.hire(stage, joined, **fields)
        person = self.hire("social worker", joined, job_title="Social worker", **fields)
        stage_from = _years_before(self.begin, rng.uniform(0.2, max(0.3, years - 1)))
        if stage_from <= joined:
            stage_from = joined + datetime.timedelta(days=200)
        self.move(person, stage, stage_from, StageHistory.Kind.PROMOTION)
        return person

    def linked_person(self, key, **fields):
        """A demo member's own staff record, with the history their job title describes."""
        stage, _team, years_in, years_at_stage, _slot = LINKED[self.service][key]
        membership = self.members[key]
        joined = _years_before(self.today, years_in)
        first = "asye" if stage == "asye" else "social worker"
        person = self.hire(first, joined, name=membership.user.full_name, membership=membership, fte="1.00", **fields)
        if stage not in (first,):
            self.move(person, stage, _years_before(self.today, years_at_stage), StageHistory.Kind.PROMOTION)
        self.update(person, job_title=membership.job_title)
        return person

    def link_members_without_a_team(self):
        for key, (_stage, team_index, *_rest) in LINKED[self.service].items():
            if team_index is None and key in self.members:
                self.linked_person(key)

    def month(self, demo_team, day):
        rng = self.rng
        day = day + datetime.timedelta(days=rng.randint(0, 25))
        if day >= self.today:
            return
        # Practitioners: leave, qualify, progress.
        for slot in demo_team.slots:
            for person in list(slot.practitioners):
                if person.protected or not person.free_on(day):
                    continue
                agency = person.staff.employment_type == "agency"
                if not person.protected and rng.random() < (0.03 if agency else 0.0105):
                    self.leave(person, day)
                    slot.practitioners.remove(person)
                    demo_team.vacancies.append(day)
                elif person.stage == "asye" and (day - person.since).days >= 365:
                    self.move(person, "social worker", day, StageHistory.Kind.PROMOTION)
                elif person.stage == "social worker" and (day - person.since).days > 3 * 365 and rng.random() < 0.025:
                    self.move(person, "senior", day, StageHistory.Kind.PROMOTION)
        # Vacant practitioner posts are filled one to four months later.
        for opened in list(demo_team.vacancies):
            if (day - opened).days > rng.randint(30, 120):
                demo_team.vacancies.remove(opened)
                slot = min(demo_team.slots, key=lambda s: len(s.practitioners))
                stage, kind = _weighted(
                    rng, [(("asye", "permanent"), 50), (("social worker", "permanent"), 30), (("social worker", "agency"), 20)]
                )
                slot.practitioners.append(
                    self.hire(
                        stage, day, team=demo_team.team, line_manager=slot.manager or demo_team.manager, employment_type=kind
                    )
                )
        for slot in demo_team.slots:
            self.supervisor_month(demo_team, slot, day)

    def supervisor_month(self, demo_team, slot, day):
        rng = self.rng
        if slot.holder is not None:
            handover = slot.future_holder
            if handover and (self.today - day).days < 365 * LINKED[self.service][handover][3] + 30:
                # Make way for the demo member appointed to this post in the story.
                self.leave(slot.holder, day)
                slot.holder = None
                slot.future_holder = None
                self.appoint(demo_team, slot, self.linked_person(handover, team=demo_team.team, line_manager=demo_team.manager))
                return
            if not slot.holder.protected and not handover and slot.holder.free_on(day) and rng.random() < 0.013:
                self.leave(slot.holder, day)
                slot.holder, slot.vacant_since = None, day
                self.act_up(demo_team, slot, day)
            elif not handover and rng.random() < 0.012:
                self.cover_leave(demo_team, slot, day)
            return
        # A vacant post: filled after two to five months, from inside when someone is ready.
        if (day - slot.vacant_since).days < rng.randint(60, 150):
            return
        acting = slot.acting
        if acting is not None and not acting.free_on(day):
            return
        if acting is not None and rng.random() < 0.7:
            slot.acting = None
            self.move(acting, "practice supervisor", day, StageHistory.Kind.PROMOTION, job_title="Practice supervisor")
            self.appoint(demo_team, slot, acting)
            return
        if acting is not None:
            self.move(acting, "senior", day, StageHistory.Kind.RETURN)
            slot.practitioners.append(acting)
            slot.acting = None
        newcomer = self.hire("practice supervisor", day, team=demo_team.team, line_manager=demo_team.manager)
        self.appoint(demo_team, slot, newcomer)

    def appoint(self, demo_team, slot, person):
        if person in slot.practitioners:
            slot.practitioners.remove(person)
        slot.holder, slot.vacant_since = person, None
        self.update(person, line_manager=demo_team.manager.staff)
        self.manage(slot.practitioners, person)

    def candidates(self, demo_team, day):
        """Seniors in the team who could act up, weighted: the demo's equality figures should have
        something to show an oversight meeting, as real ones often do."""
        seniors = [
            p for s in demo_team.slots for p in s.practitioners if p.stage == "senior" and p.free_on(day) and not p.protected
        ]
        weights = [1.0 if p.ethnic_group in ("white", "") else 0.55 for p in seniors]
        return seniors, weights

    def act_up(self, demo_team, slot, day):
        seniors, weights = self.candidates(demo_team, day)
        if not seniors:
            self.manage(slot.practitioners, demo_team.manager)
            return
        acting = self.rng.choices(seniors, weights=weights)[0]
        for other in demo_team.slots:
            if acting in other.practitioners:
                other.practitioners.remove(acting)
        self.move(acting, "practice supervisor", day, StageHistory.Kind.ACTING_UP, job_title="Acting practice supervisor")
        slot.acting = acting
        self.update(acting, line_manager=demo_team.manager.staff)
        self.manage(slot.practitioners, acting)

    def cover_leave(self, demo_team, slot, day):
        """A supervisor's parental leave or secondment, covered by a senior acting up who then returns."""
        seniors, weights = self.candidates(demo_team, day)
        back = day + datetime.timedelta(days=self.rng.randint(90, 270))
        if not seniors or back >= self.today:
            return
        acting = self.rng.choices(seniors, weights=weights)[0]
        self.move(acting, "practice supervisor", day, StageHistory.Kind.ACTING_UP, job_title="Acting practice supervisor")
        self.move(acting, "senior", back, StageHistory.Kind.RETURN)

    def settle(self, demo_team):
        """Today: nobody is left managed by a leaver."""
        for slot in demo_team.slots:
            manager = slot.manager or demo_team.manager
            self.manage(slot.practitioners, manager)

    def leaving_soon(self, teams):
        """Two supervisors have resigned and work their notice, so succession has gaps to show."""
        for demo_team in teams[1:3]:
            holder = next((s.holder for s in demo_team.slots if s.holder and not s.holder.protected), None)
            if holder is not None:
                self.leave(holder, self.today + datetime.timedelta(days=self.rng.randint(20, 70)), "resignation")


def load(organisation, actor, service, members=None):
    """Write the demo workforce; `actor` is an organisation admin's Membership, in an active scope.
    `members` maps load_demo's keys (first names) to memberships, to link their staff records."""
    return Story(organisation, actor, service, members).run()
