"""National-scale generated data for `make bench`.

This is generated test data, not anybody's intention, so it is written with bulk_create straight into
the tables, bypassing pathway/actions.py (its policy checks, audit calls and django-simple-history
records). Going through the action layer would take far longer at this scale and is not what the
benchmark measures: it times reading pages over a realistic amount of data. The audit trail is
filled in here directly, with events shaped like the ones the actions record.

Everything random comes from one seeded `random.Random`, ids included, so the same parameters give the
same organisations, people and actions (dates are relative to the day of generation). The parameters
are remembered in a small `bench_meta` table, so a second run with the same parameters reuses the data.
"""

import dataclasses
import json
import random
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django_scopes import scopes_disabled

from .generate_development import DevelopmentData, Register
from .generate_portfolio import PortfolioData

# Bump when the shape of the generated data changes, so old bench databases are regenerated.
GENERATOR_VERSION = 6
META_TABLE = "bench_meta"
SIGN_IN_PASSWORD = "bench-only-password"  # every generated user has it; the data is fake
BATCH = 1000


@dataclasses.dataclass(frozen=True)
class Params:
    orgs: int = 150
    seed: int = 2025
    min_members: int = 10
    max_members: int = 40
    min_stakeholders: int = 5
    max_stakeholders: int = 15
    min_actions: int = 40
    max_actions: int = 700
    # Current staff per organisation: DESIGN.md's 40,000 staff (about 6,000 supervisors) across 150.
    min_staff: int = 60
    max_staff: int = 450
    large_staff: int = 1200

    def as_json(self):
        return json.dumps({"generator": GENERATOR_VERSION, **dataclasses.asdict(self)}, sort_keys=True)


def admin_email(org_slug):
    """The org admin the benchmark signs in as (and a person can, with SIGN_IN_PASSWORD)."""
    return f"admin@{org_slug}.bench.example"


# --- Words to build plausible names and text from --------------------------------------------------

PLACE_STARTS = [
    "Ash",
    "Oak",
    "Elm",
    "Bram",
    "Cold",
    "Fair",
    "Green",
    "Hart",
    "Kirk",
    "Lang",
    "Mill",
    "Red",
    "Stan",
    "Thorn",
    "Wel",
    "Wood",
    "Bar",
    "Hal",
    "Mar",
    "Ock",
    "Brad",
    "Chel",
    "Dun",
    "Fern",
    "Glen",
    "Hol",
]
PLACE_ENDS = [
    "shire",
    "vale",
    "ford",
    "bury",
    "ham",
    "ton",
    "field",
    "brook",
    "wick",
    "mouth",
    "bridge",
    "minster",
    "worth",
    "ley",
]
ORG_KINDS = [
    ("County Council", "local_authority", "both"),
    ("Borough Council", "local_authority", "both"),
    ("City Council", "local_authority", "both"),
    ("Metropolitan Borough Council", "local_authority", "adults"),
    ("Children's Trust", "trust", "children"),
    ("Children's Services Trust", "trust", "children"),
    ("NHS Foundation Trust", "trust", "adults"),
    ("Care Partnership", "other", "adults"),
]
REGIONS = [
    "north_east",
    "north_west",
    "yorkshire",
    "east_midlands",
    "west_midlands",
    "east",
    "london",
    "south_east",
    "south_west",
]
FIRST_NAMES = [
    "Aisha",
    "Alex",
    "Amara",
    "Ben",
    "Bethan",
    "Chloe",
    "Connor",
    "Daniel",
    "Deepa",
    "Eilidh",
    "Emma",
    "Fatima",
    "Gareth",
    "Grace",
    "Hannah",
    "Harry",
    "Imran",
    "Isla",
    "Jack",
    "Jasmine",
    "Kofi",
    "Laura",
    "Liam",
    "Maya",
    "Mohammed",
    "Niamh",
    "Oliver",
    "Olivia",
    "Priya",
    "Rhys",
    "Ruth",
    "Sam",
    "Sarah",
    "Tariq",
    "Tom",
    "Una",
    "Wei",
    "Yusuf",
    "Zara",
    "Zoe",
]
LAST_NAMES = [
    "Ahmed",
    "Begum",
    "Brown",
    "Campbell",
    "Davies",
    "Edwards",
    "Evans",
    "Green",
    "Hall",
    "Hughes",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Murphy",
    "Nguyen",
    "Okafor",
    "Patel",
    "Roberts",
    "Robinson",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Walker",
    "Williams",
    "Wilson",
    "Wright",
    "Young",
    "Zielinski",
]
# (roles, weight). Membership roles as a working organisation has them: mostly supervisors and practitioners.
ROLE_MIX = [
    (["practice_supervisor"], 36),
    (["practitioner"], 22),
    (["practice_supervisor", "mentor"], 8),
    (["senior_leader"], 8),
    (["mentor"], 6),
    (["reviewer"], 4),
    (["practice_supervisor", "reviewer"], 4),
    (["moderator"], 3),
    (["org_admin", "senior_leader"], 2),
    (["network_coordinator"], 1),
]
JOB_TITLES = {
    "org_admin": "Workforce development lead",
    "senior_leader": "Head of service",
    "practice_supervisor": "Team manager",
    "mentor": "Practice educator",
    "reviewer": "Advanced practitioner",
    "moderator": "Quality assurance lead",
    "practitioner": "Social worker",
    "network_coordinator": "Teaching partnership coordinator",
}
STAKEHOLDERS = [
    ("Practice supervisors", "Practice supervisors"),
    ("Principal Social Worker", "Principal Social Worker"),
    ("Workforce development team", "Learning and development"),
    ("HR business partners", "Human resources"),
    ("Director of Adult Social Services", "Senior leader"),
    ("Director of Children's Services", "Senior leader"),
    ("Staff forum", "Staff representatives"),
    ("Trade union representatives", "Staff representatives"),
    ("Teaching partnership", "Regional partner"),
    ("Quality assurance team", "Quality assurance"),
    ("Newly qualified social workers", "Practitioners"),
    ("Black and minority ethnic staff network", "Staff network"),
    ("Service users and carers panel", "People who use services"),
    ("Head of service (assessment)", "Senior leader"),
    ("Performance and business intelligence", "Performance information"),
    ("Local university", "Education partner"),
    ("Team managers' forum", "Practice supervisors"),
]
ACTION_VERBS = [
    "Map",
    "Agree",
    "Run",
    "Draft",
    "Review",
    "Publish",
    "Pilot",
    "Launch",
    "Evaluate",
    "Embed",
    "Set up",
    "Audit",
    "Commission",
    "Share",
    "Present",
]
ACTION_OBJECTS = [
    "the current offer for practice supervisors against the PQS",
    "a supervision policy that reflects the post-qualifying standards",
    "awareness sessions on the PQS for team managers",
    "a peer support group for new practice supervisors",
    "action learning sets for experienced supervisors",
    "a coaching and mentoring scheme against the standards",
    "the induction checklist for newly appointed supervisors",
    "a portfolio of evidence template",
    "supervision audits in two pilot teams",
    "a briefing for the senior leadership team",
    "the training budget for supervisor development",
    "performance information skills sessions",
    "observation of supervision in each service area",
    "the succession plan for aspiring supervisors",
    "feedback from supervisees on the quality of supervision",
]
SUPPORT = [
    "Time from team managers to attend",
    "Agreement from the senior leadership team",
    "Budget for external facilitation",
    "Help from the performance team with data",
    "Rooms and dates from learning and development",
    "A named sponsor at director level",
    "Advice from the teaching partnership",
]
UPDATES = [
    "Discussed at the implementation group; agreed next steps.",
    "Draft shared with practice supervisors for comment.",
    "Waiting for dates from learning and development.",
    "Pilot under way in two teams; early feedback positive.",
    "Delayed by recruitment pressures in the service.",
    "Presented to the senior leadership team.",
]
REFLECTIONS = [
    "We have started to talk about the standards in team managers' meetings, but it is not yet part of how we plan.",
    "Supervisors told us they want protected time for reflection; we are looking at how to make that happen.",
    "The standards give us a shared language; the next step is building them into induction and appraisal.",
    "We need to hear more from newly appointed supervisors about what helped them in their first year.",
]
# Status weights by where the action's stage is relative to the organisation's current stage.
STATUSES = ["not_started", "in_progress", "complete", "blocked", "cancelled"]
STATUS_WEIGHTS = {"done": [4, 8, 72, 4, 12], "current": [25, 40, 15, 12, 8], "later": [70, 15, 3, 7, 5]}
TEAM_WORDS = ["Assessment", "Hospital", "Community", "Locality", "Family help", "Children in care", "Reablement", "Safeguarding"]
LEAVING_REASONS = [("resignation", 60), ("retirement", 10), ("redeployment", 12), ("end_of_contract", 8), ("other", 10)]
SEXES = [("female", 80), ("male", 17), ("prefer_not_to_say", 3)]
ETHNIC_GROUPS = [("white", 68), ("black", 13), ("asian", 10), ("mixed", 5), ("other", 2), ("prefer_not_to_say", 2)]
DISABILITIES = [("no", 84), ("yes", 9), ("prefer_not_to_say", 7)]
AGE_BANDS = ["under_25", "25_34", "25_34", "35_44", "35_44", "45_54", "45_54", "55_64", "65_plus"]
TAKES_PART = {"org_admin", "senior_leader", "practice_supervisor", "mentor", "reviewer", "moderator"}


@contextmanager
def _given_times(model, field_name):
    """auto_now_add would stamp every generated row with the same instant; keep the dates we chose."""
    field = model._meta.get_field(field_name)
    saved, field.auto_now_add = field.auto_now_add, False
    try:
        yield
    finally:
        field.auto_now_add = saved


# --- Remembering what was generated -----------------------------------------------------------------


def stored_params():
    with connection.cursor() as cursor:
        if META_TABLE not in connection.introspection.table_names(cursor):
            return None
        cursor.execute(f"SELECT value FROM {META_TABLE} WHERE name = %s", ["params"])  # noqa: S608 - constant
        row = cursor.fetchone()
    return row[0] if row else None


def remember(params):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (name varchar(50) PRIMARY KEY, value text NOT NULL)")
        cursor.execute(f"DELETE FROM {META_TABLE} WHERE name = %s", ["params"])  # noqa: S608
        cursor.execute(f"INSERT INTO {META_TABLE} (name, value) VALUES (%s, %s)", ["params", params.as_json()])  # noqa: S608


def ensure(params, *, regenerate=False, log=print):
    """Make sure the database holds the data for `params`. Returns seconds spent generating (0 if reused)."""
    from trellis.pathway.template_loader import load_template
    from trellis.tenancy.models import Organisation

    with scopes_disabled():
        if not regenerate and stored_params() == params.as_json() and Organisation.objects.exists():
            log(f"Reusing the bench data already generated for {params} (use --regenerate to start again).")
            return 0.0
        started = time.perf_counter()
        if Organisation.objects.exists():
            log("Clearing the previous bench data.")
            call_command("flush", interactive=False, verbosity=0)
        with transaction.atomic():
            load_template()
            Generator(params, log=log).run()
            remember(params)
        seconds = time.perf_counter() - started
        log(f"Generated the bench data in {seconds:.1f} s.")
        return seconds


class Generator:
    def __init__(self, params, log=print):
        from trellis.pathway.models import Outcome, Stage

        self.p = params
        self.log = log
        self.rng = random.Random(params.seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.password = make_password(SIGN_IN_PASSWORD)  # hashed once; Argon2 per user would take minutes
        self.stages = list(Stage.objects.order_by("position"))
        self.outcomes = list(
            Outcome.objects.filter(retired=False).select_related("stage").order_by("stage__position", "position")
        )
        self.counts = Counter()
        self.users = []  # (user, organisation) for the second memberships at the end

    # Small helpers -------------------------------------------------------------------------------

    def uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def ago(self, max_days, min_days=0):
        return self.now - timedelta(seconds=self.rng.randint(min_days * 86400, max_days * 86400))

    def weighted(self, options):
        return self.rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]

    def save(self, model, rows):
        model.objects.bulk_create(rows, batch_size=BATCH)
        self.counts[model._meta.verbose_name_plural] += len(rows)
        return rows

    def event(self, org, member, verb, target_type, target_id, target_repr, at, changes=None):
        return self._event_model(
            id=self.uuid(),
            organisation_id=org.pk,
            actor_id=member.user_id if member else None,
            actor_name=member.user.full_name if member else "Trellis",
            verb=verb,
            target_type=target_type,
            target_id=str(target_id),
            target_repr=str(target_repr)[:300],
            changes=changes or {},
            at=at,
        )

    # The run -------------------------------------------------------------------------------------

    def run(self):
        from trellis.audit.models import AuditEvent
        from trellis.tenancy.models import Organisation

        self._event_model = AuditEvent
        started = time.perf_counter()
        self.development = DevelopmentData(self)
        self.portfolios = PortfolioData(self)
        organisations = []
        for index in range(self.p.orgs):
            name_root = self.rng.choice(PLACE_STARTS) + self.rng.choice(PLACE_ENDS)
            kind_name, kind, services = self.rng.choice(ORG_KINDS)
            name = f"{name_root} {kind_name}"
            organisations.append(
                Organisation(
                    name=name,
                    slug=f"{slugify(name_root)}-{index + 1:03d}",
                    kind=kind,
                    services=services,
                    region=self.rng.choice(REGIONS),
                )
            )
        organisations = self.save(Organisation, organisations)
        # The first organisation is the largest on every count and the second the smallest, so the
        # benchmark's "large" and "small" organisations are the extremes, whatever the seed.
        profiles = ["large", "small"] + [None] * (len(organisations) - 2)
        with _given_times(AuditEvent, "at"):
            for index, (org, profile) in enumerate(zip(organisations, profiles, strict=False), start=1):
                self.organisation(org, profile)
                if index % 10 == 0 or index == len(organisations):
                    self.log(
                        f"  {index}/{len(organisations)} organisations, {self.counts['actions']} actions, "
                        f"{self.counts['memberships']} memberships, {self.counts['portfolios']} portfolios, "
                        f"{self.counts['audit events']} audit events "
                        f"({time.perf_counter() - started:.0f} s)"
                    )
            self.second_memberships(organisations)

    def size(self, profile, low, high):
        return high if profile == "large" else low if profile == "small" else self.rng.randint(low, high)

    def organisation(self, org, profile=None):
        from trellis.accounts.models import User
        from trellis.tenancy.models import Membership

        self.profile = profile
        n_members = self.size(profile, self.p.min_members, self.p.max_members)
        users, roles = [], []
        for j in range(n_members):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            email = admin_email(org.slug) if j == 0 else f"{first}.{last}.{j}@{org.slug}.bench.example".lower()
            users.append(User(email=email, full_name=f"{first} {last}", password=self.password, date_joined=self.ago(900, 30)))
            # The first is the org admin the benchmark signs in as; the second makes sure there is a leader.
            roles.append(["org_admin"] if j == 0 else ["senior_leader"] if j == 1 else self.weighted(ROLE_MIX))
        users = self.save(User, users)  # bulk_create sets the primary keys on SQLite and PostgreSQL
        members = self.save(
            Membership,
            [
                Membership(
                    id=self.uuid(),
                    organisation=org,
                    user=user,
                    roles=role_list,
                    job_title=JOB_TITLES[role_list[0]],
                    is_active=self.rng.random() > 0.03 or j == 0,
                    joined_at=user.date_joined,
                )
                for j, (user, role_list) in enumerate(zip(users, roles, strict=True))
            ],
        )
        if profile is None:  # the extremes keep exactly their own members
            self.users.extend((user, org) for user in users[2:])
        leaders = [m for m in members if {"org_admin", "senior_leader"} & set(m.roles)]
        takers = [m for m in members if TAKES_PART & set(m.roles)]
        events = [
            self.event(org, leaders[0], "added", "tenancy.membership", m.pk, m.user.full_name, m.joined_at) for m in members[1:]
        ]

        stakeholders = self.stakeholders(org, leaders, events)
        # How many stages are complete. The large organisation has progress and reflections on most
        # stages, the small one on none, so their pages differ as much as the data allows.
        if profile is None:
            reached = self.weighted([(0, 10), (1, 20), (2, 25), (3, 25), (4, 15), (5, 5)])
        else:
            reached = 3 if profile == "large" else 0
        self.progress(org, reached, leaders, events)
        self.reflections(org, reached, takers, events)
        self.actions(
            org, self.size(profile, self.p.min_actions, self.p.max_actions), reached, members, leaders, stakeholders, events
        )
        n_staff = self.p.large_staff if profile == "large" else self.size(profile, self.p.min_staff, self.p.max_staff)
        register = self.workforce(org, n_staff, members, leaders, events)
        self.development.organisation(org, register, leaders, events)
        self.portfolios.organisation(org, register, members, leaders, events)
        self.save(self._event_model, events)

    def stakeholders(self, org, leaders, events):
        from trellis.pathway.models import Stakeholder

        wanted = self.size(self.profile, self.p.min_stakeholders, self.p.max_stakeholders)
        chosen = self.rng.sample(STAKEHOLDERS, k=min(len(STAKEHOLDERS), wanted))
        rows = [
            Stakeholder(
                id=self.uuid(),
                organisation=org,
                name=name,
                role=role,
                engagement=self.rng.choice(["aware", "engaged", "champion"]),
                notes=self.rng.choice(["", "", "Meets monthly with the implementation group."]),
                created_at=self.ago(600, 200),
            )
            for name, role in chosen
        ]
        for s in rows:
            events.append(self.event(org, self.rng.choice(leaders), "created", "pathway.stakeholder", s.pk, s.name, s.created_at))
        return self.save(Stakeholder, rows)

    def progress(self, org, reached, leaders, events):
        from trellis.pathway.models import OutcomeProgress

        rows = []
        for outcome in self.outcomes:
            position = outcome.stage.position
            if position > reached + 1:
                continue
            achieved = position <= reached
            updated = self.ago(60 * (reached - position + 2), 60 * (reached - position + 1))
            rows.append(
                OutcomeProgress(
                    id=self.uuid(),
                    organisation=org,
                    outcome=outcome,
                    is_achieved=achieved,
                    achieved_on=timezone.localdate(updated) if achieved else None,
                    evidence="Agreed at the implementation group; minutes on the shared drive."
                    if achieved
                    else "Work under way.",
                    updated_by=self.rng.choice(leaders),
                    updated_at=updated,
                    version=self.rng.randint(1, 3),
                )
            )
        for p in rows:
            verb = "marked achieved" if p.is_achieved else "marked not yet achieved"
            events.append(self.event(org, p.updated_by, verb, "pathway.outcomeprogress", p.pk, p.outcome.text, p.updated_at))
        self.save(OutcomeProgress, rows)

    def reflections(self, org, reached, takers, events):
        from trellis.pathway.models import Reflection

        rows = []
        for stage in self.stages[: min(reached + 1, len(self.stages))]:
            wanted = self.size(self.profile, 0, 6)
            for author in self.rng.sample(takers, k=min(len(takers), wanted)):
                created = self.ago(500, 10)
                rows.append(
                    Reflection(
                        id=self.uuid(),
                        organisation=org,
                        stage=stage,
                        author=author,
                        answer=self.rng.choice(REFLECTIONS),
                        created_at=created,
                        updated_at=created,
                        version=self.rng.randint(1, 3),
                    )
                )
        for r in rows:
            events.append(
                self.event(
                    org, r.author, "answered", "pathway.reflection", r.pk, f"{r.author}'s answer on {r.stage}", r.created_at
                )
            )
        self.save(Reflection, rows)

    def actions(self, org, n_actions, reached, members, leaders, stakeholders, events):
        from trellis.pathway.models import Action, ProgressUpdate

        stage_weights = [3 if o.stage.position <= reached + 1 else 1 for o in self.outcomes]
        actions, updates = [], []
        # The first few actions cover every outcome and every status, overdue, so that every filter the
        # benchmark uses finds rows even in the smallest organisation (an empty page skips a query).
        covering = max(len(self.outcomes), len(STATUSES))
        for k in range(n_actions):
            if k < covering:
                outcome, status = self.outcomes[k % len(self.outcomes)], STATUSES[k % len(STATUSES)]
                due = self.today - timedelta(days=self.rng.randint(1, 90))
            else:
                outcome = self.rng.choices(self.outcomes, weights=stage_weights)[0]
                where = (
                    "done"
                    if outcome.stage.position <= reached
                    else "current"
                    if outcome.stage.position == reached + 1
                    else "later"
                )
                status = self.rng.choices(STATUSES, weights=STATUS_WEIGHTS[where])[0]
                due = self.today + timedelta(days=self.rng.randint(-240, 365)) if self.rng.random() < 0.92 else None
            owner = self.rng.random()
            created = self.ago(700, 1)
            updated = created + (self.now - created) * self.rng.random()
            action = Action(
                id=self.uuid(),
                organisation=org,
                outcome=outcome,
                description=f"{self.rng.choice(ACTION_VERBS)} {self.rng.choice(ACTION_OBJECTS)}",
                support_needed=self.rng.choice(SUPPORT) if self.rng.random() < 0.7 else "",
                owner_member=self.rng.choice(members) if owner < 0.55 else None,
                owner_stakeholder=self.rng.choice(stakeholders) if 0.55 <= owner < 0.9 else None,
                due_date=due,
                status=status,
                created_by=self.rng.choice(leaders),
                updated_by=self.rng.choice(leaders),
                created_at=created,
                updated_at=updated,
                version=self.rng.randint(1, 5),
            )
            actions.append(action)
            changes = {"description": [None, action.description], "status": [None, "not_started"]}
            events.append(
                self.event(org, action.created_by, "created", "pathway.action", action.pk, action.description, created, changes)
            )
            if status == "not_started":
                continue
            for k in range(self.rng.randint(0, 3)):
                author = self.rng.choice(leaders)
                at = created + (updated - created) * (k + 1) / 4
                moved_to = status if k == 0 else ""
                updates.append(
                    ProgressUpdate(
                        id=self.uuid(),
                        organisation=org,
                        action=action,
                        author=author,
                        text=self.rng.choice(UPDATES),
                        status=moved_to,
                        created_at=at,
                    )
                )
                events.append(
                    self.event(org, author, "added a progress update to", "pathway.action", action.pk, action.description, at)
                )
                if moved_to:
                    events.append(
                        self.event(
                            org,
                            author,
                            "changed",
                            "pathway.action",
                            action.pk,
                            action.description,
                            at,
                            {"status": ["not_started", status]},
                        )
                    )
        for _ in range(self.rng.randint(0, 12)):
            events.append(
                self.event(
                    org, self.rng.choice(leaders), "exported action plan", "tenancy.organisation", org.pk, org.name, self.ago(300)
                )
            )
        self.save(Action, actions)
        self.save(ProgressUpdate, updates)

    def second_memberships(self, organisations):
        """A few people belong to two organisations (mentors shared across a region, coordinators)."""
        from trellis.tenancy.models import Membership

        ordinary = organisations[2:]
        if len(ordinary) < 2:
            return
        rows = []
        for user, home in self.rng.sample(self.users, k=len(self.users) // 30):
            other = self.rng.choice([o for o in ordinary if o.pk != home.pk])
            role = self.rng.choice(["mentor", "network_coordinator"])
            rows.append(
                Membership(
                    id=self.uuid(),
                    organisation=other,
                    user=user,
                    roles=[role],
                    job_title=JOB_TITLES[role],
                    joined_at=self.ago(300),
                )
            )
        self.save(Membership, rows)

    # The workforce register and succession ------------------------------------------------------------

    def workforce(self, org, n_staff, members, leaders, events):
        """Teams of about 25, each with a team manager and three practice supervisors; five years of
        leavers (about 15% a year); career histories; equality answers for most people; a pipeline of
        potential supervisors with gap plans; acting-up opportunities. Returns the Register that
        issue 5's data is made from."""
        from trellis.talent.models import ActingUpOpportunity, GapAction, PotentialSupervisor
        from trellis.workforce.actions import DEFAULT_CAREER_STAGES
        from trellis.workforce.models import CareerStage, EqualityRecord, StaffRecord, StageHistory, Team

        rng = self.rng
        stages = self.save(
            CareerStage,
            [
                CareerStage(id=self.uuid(), organisation=org, name=name, position=i, is_supervisory=supervisory)
                for i, (name, supervisory) in enumerate(DEFAULT_CAREER_STAGES, start=1)
            ],
        )
        by_name = {s.name.split(" /")[0].split(" or ")[0].lower(): s for s in stages}
        services = ["adults", "children"] if org.services == "both" else [org.services]
        n_teams = max(2, n_staff // 25)
        teams = self.save(
            Team,
            [
                Team(
                    id=self.uuid(),
                    organisation=org,
                    name=f"{rng.choice(TEAM_WORDS)} team {i + 1}",
                    service=services[i % len(services)],
                    establishment_fte=Decimal(rng.randint(24, 30)),
                )
                for i in range(n_teams)
            ],
        )
        staff, history, equality = [], [], []
        refs = iter(range(1, 10**7))

        def person(team, stage_key, started, left=None, manager=None, agency=False, recent=False):
            record = StaffRecord(
                id=self.uuid(),
                organisation=org,
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                employee_ref=f"E{next(refs):06d}",
                job_title=by_name[stage_key].name,
                team=team,
                service=team.service,
                line_manager=manager,
                fte=Decimal(rng.choice(["1.00", "1.00", "1.00", "0.80", "0.60"])),
                employment_type="agency" if agency else "permanent",
                start_date=started,
                leaving_date=left,
                leaving_reason=self.weighted(LEAVING_REASONS) if left else "",
                created_at=self.now,
                updated_at=self.now,
            )
            staff.append(record)
            first_stage = "social worker" if by_name[stage_key].is_supervisory or stage_key == "senior" else stage_key
            until = left or self.today
            promoted = started + (until - started) * rng.uniform(0.2, 0.9) if first_stage != stage_key else None
            if recent and promoted:
                promoted = max(started + timedelta(days=1), self.today - timedelta(days=rng.randint(20, 200)))
            history.append(
                StageHistory(
                    id=self.uuid(),
                    organisation=org,
                    staff=record,
                    stage=by_name[first_stage],
                    start_date=started,
                    end_date=promoted or (left if left and left <= self.today else None),
                    kind="appointment",
                    created_at=self.now,
                )
            )
            # What issue 5's data needs to know without reading the history back: when the person's
            # supervisory spell began (their only one: the history has one promotion at most) and how.
            record.bench_since = promoted if by_name[stage_key].is_supervisory else None
            record.bench_kind = "promotion"
            if promoted:
                if rng.random() < 0.05:
                    record.bench_kind = "acting_up"
                history.append(
                    StageHistory(
                        id=self.uuid(),
                        organisation=org,
                        staff=record,
                        stage=by_name[stage_key],
                        start_date=promoted,
                        end_date=left if left and left <= self.today else None,
                        kind=record.bench_kind,
                        created_at=self.now,
                    )
                )
            if rng.random() < 0.85:
                equality.append(
                    EqualityRecord(
                        id=self.uuid(),
                        organisation=org,
                        staff=record,
                        sex=self.weighted(SEXES),
                        ethnic_group=self.weighted(ETHNIC_GROUPS),
                        disability=self.weighted(DISABILITIES),
                        age_band=rng.choice(AGE_BANDS),
                    )
                )
            return record

        def started(max_years=15):
            return self.today - timedelta(days=rng.randint(30, 365 * max_years))

        current = 0
        practitioners = []
        while current < n_staff:
            for team in teams:
                if current >= n_staff:
                    break
                manager = person(team, "team manager", started())
                # Every organisation has a supervisor in their first 12 months, so that filter finds rows.
                supervisors = [
                    person(team, "practice supervisor", started(), manager=manager, recent=k == 0 and team is teams[0])
                    for k in range(3)
                ]
                current += 4
                for k in range(21):
                    if current >= n_staff:
                        break
                    stage_key = rng.choice(["asye", "social worker", "social worker", "senior", "senior"])
                    practitioners.append(
                        person(team, stage_key, started(8), manager=supervisors[k % 3], agency=rng.random() < 0.1)
                    )
                    current += 1
                # Five years of leavers: about 15% a year of the team's size.
                for _ in range(rng.randint(14, 24)):
                    joined = started(12)
                    gone = min(self.today, joined + timedelta(days=rng.randint(60, 365 * 6)))
                    gone = max(gone, self.today - timedelta(days=365 * 5))
                    if gone > joined:
                        person(team, rng.choice(["asye", "social worker", "senior", "practice supervisor"]), joined, left=gone)
        self.save(StaffRecord, staff)
        self.save(StageHistory, history)
        self.save(EqualityRecord, equality)

        # Succession: about one in twenty practitioners is a potential supervisor with a gap plan.
        pipeline, gaps, acting = [], [], []
        # Seniors first; every organisation has at least one plan, so no page is timed empty.
        seniors = [p for p in practitioners if p.job_title.startswith("Senior")] or practitioners
        for candidate in rng.sample(seniors, k=max(1, len(seniors) // 6)):
            nominated = PotentialSupervisor(
                id=self.uuid(),
                organisation=org,
                staff=candidate,
                identified_on=self.today - timedelta(days=rng.randint(10, 700)),
                identified_by=candidate.line_manager,
                strengths="Calm under pressure; thoughtful reflective conversations with colleagues.",
                best_placed_team=candidate.team,
                readiness=rng.choice(["ready_now", "within_12_months", "one_to_two_years"]),
                created_by=rng.choice(leaders),
                updated_by=rng.choice(leaders),
                created_at=self.now,
                updated_at=self.now,
            )
            pipeline.append(nominated)
            for _ in range(rng.randint(1, 4)):
                gaps.append(
                    GapAction(
                        id=self.uuid(),
                        organisation=org,
                        candidate=nominated,
                        kind=rng.choice(["training", "mentoring", "shadowing", "acting_up", "coaching", "other"]),
                        description="Shadow a supervision session and reflect on it with their mentor",
                        owner=candidate.line_manager,
                        due_date=self.today + timedelta(days=rng.randint(-120, 300)),
                        status=rng.choice(STATUSES),
                        created_at=self.now,
                        updated_at=self.now,
                    )
                )
            events.append(
                self.event(
                    org,
                    nominated.created_by,
                    "created",
                    "talent.potentialsupervisor",
                    nominated.pk,
                    candidate.full_name,
                    self.ago(300),
                )
            )
        for team in rng.sample(teams, k=max(1, len(teams) // 4)):
            begins = self.today + timedelta(days=rng.randint(-300, 90))
            filled = begins < self.today and pipeline and rng.random() < 0.7
            acting.append(
                ActingUpOpportunity(
                    id=self.uuid(),
                    organisation=org,
                    team=team,
                    stage=by_name["practice supervisor"],
                    start_date=begins,
                    end_date=begins + timedelta(days=rng.randint(60, 240)),
                    reason=rng.choice(["parental_leave", "sickness", "secondment", "vacancy"]),
                    status="filled" if filled else "open",
                    assigned_to=rng.choice(pipeline).staff if filled else None,
                    assigned_on=begins - timedelta(days=14) if filled else None,
                    created_at=self.now,
                    updated_at=self.now,
                )
            )
        self.save(PotentialSupervisor, pipeline)
        self.save(GapAction, gaps)
        self.save(ActingUpOpportunity, acting)
        if self.profile is not None:
            self.meetings(org, members, leaders)
        for record in staff[:: max(1, len(staff) // 40)]:
            events.append(
                self.event(org, leaders[0], "created", "workforce.staffrecord", record.pk, record.full_name, self.ago(900, 30))
            )
        current = [record for record in staff if record.leaving_date is None]
        return Register(
            current=current,
            supervisors=[record for record in current if record.bench_since is not None],
            candidates=[nominated.staff for nominated in pipeline],
            teams=teams,
        )

    def meetings(self, org, members, leaders):
        """Oversight meetings for the benchmark's two organisations, with real snapshots of their figures
        (computed here, so only for the two the pages are timed on) and agreed actions."""
        from trellis.insights.figures import oversight_figures, window_for
        from trellis.insights.models import MeetingAction, OversightMeeting

        meetings, agreed = [], []
        for months_ago in (9, 6, 3):
            held_on = self.today - timedelta(days=30 * months_ago)
            start, end = window_for(held_on - timedelta(days=held_on.day))
            meeting = OversightMeeting(
                id=self.uuid(),
                organisation=org,
                held_on=held_on,
                window_start=start + timedelta(days=1),
                window_end=end,
                attendees=", ".join(m.user.full_name for m in leaders[:3]),
                notes="Turnover steady; two teams with a supervisor leaving and nobody ready.",
                snapshot=oversight_figures(org, window_end=end),
                created_by=leaders[0],
                updated_by=leaders[0],
            )
            meetings.append(meeting)
            for k in range(4):
                agreed.append(
                    MeetingAction(
                        id=self.uuid(),
                        organisation=org,
                        meeting=meeting,
                        description=f"{self.rng.choice(ACTION_VERBS)} {self.rng.choice(ACTION_OBJECTS)}",
                        owner_member=self.rng.choice(members),
                        due_date=held_on + timedelta(days=30 * (k + 1)),
                        status=self.rng.choice(STATUSES),
                        created_by=leaders[0],
                        updated_by=leaders[0],
                    )
                )
        self.save(OversightMeeting, meetings)
        self.save(MeetingAction, agreed)
