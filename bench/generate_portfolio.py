"""Issue 6's generated data for `make bench`: cohorts and portfolios of evidence, with their reviews,
moderation, sign-offs and feedback on the pathway.

Written the way the rest of the bench data is (generate.py's docstring): bulk_create straight into
the tables, bypassing portfolio/actions.py, with audit events and notices shaped like the ones the
actions record and send for each step a person takes. Everything is in proportion to the
organisation's supervisors and comes from the generator's one seeded `random.Random`.

The rows have to be what the actions would have left, because the pages act on what they find:
- a cohort works against the organisation's frameworks in force (what the new-cohort form offers);
  its reviewers and moderators are members with that role (given it here when too few have it, as an
  admin would on the People page); nobody reviews a portfolio they mentor or moderates one they
  reviewed;
- a portfolio's state follows from its history: shared with the mentor only from draft, submitted
  only with a reviewer and some evidence, each submission with a snapshot of what the reviewer saw
  (coverage.snapshot_of's shape) and, once decided, a decision on every standard of the cohort
  (recommended only when all are met; feedback on each one not yet met);
- borderline reviews are in moderation from their decision, disputed ones from the dispute; a
  cohort's draw chose exactly what `actions.choose_sample` chooses with its seed, so `actions.replays`
  holds; a disputed return is settled before the portfolio is submitted again, and a portfolio is
  signed off or referred back only once its latest review's moderation (if any) is settled;
- feedback on the pathway: an ended cohort's questionnaire opened when the cohort ended, answered at
  most once by each supervisor (with a login) or mentor asked, each answer with its receipt.

A supervisor's login is a membership linked to their staff record; most cohort supervisors are given
one here, so they can share, reply, dispute and answer as the actions require.

Every organisation's largest cohort (the one the benchmark times) starts with a portfolio in each of
the situations its pages show differently (COVERING), so the smallest organisation's pages run the
same queries as the largest's.
"""

import datetime
import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

# (state the portfolio ends in, what happens to its latest review in moderation), for the first
# portfolios of each organisation's largest cohort, most telling first (the smallest organisations
# have only a few supervisors).
COVERING = [
    ("recommended", "settled"),  # decided before the draw, so it is in the draw's pool; ready to sign off
    ("returned", "disputed_disagreed"),  # disputed before the draw; the moderator disagreed: waits on a resolution
    ("with_mentor", "admin_mentor"),  # the org admin mentors it: it waits on them
    ("submitted", "draft_review"),  # the reviewer has started
    ("signed_off", "borderline_agreed"),
    ("draft", None),
    ("recommended", "borderline_assigned"),  # waits on its moderator
    ("referred_back", "overturned"),  # the moderator's decision stood against a recommendation
]
STATE_WEIGHTS = {
    "current": [
        ("draft", 12),
        ("with_mentor", 18),
        ("submitted", 15),
        ("returned", 15),
        ("recommended", 12),
        ("signed_off", 20),
        ("referred_back", 8),
    ],
    "ended": [("signed_off", 78), ("referred_back", 7), ("returned", 8), ("recommended", 7)],
    "new": [("draft", 55), ("with_mentor", 35), ("submitted", 10)],
}
EVIDENCE = {
    "reflective_account": [
        "Reflective account: my first group supervision",
        "Reflective account: a difficult performance conversation",
        "Reflective account: supporting a practitioner after a complaint",
        "Reflective account: chairing the team's allocation meeting",
        "Reflective account: using my authority when we disagreed about risk",
    ],
    "observation": [
        "Observation of my supervision by my mentor",
        "Observed group supervision, with feedback from the practice educator",
        "Observation of a supervision session by my line manager",
    ],
    "supervisee_feedback": [
        "Feedback from a newly qualified social worker I supervise",
        "Feedback from the team on group supervision",
        "Supervisee survey: what supervision is like",
    ],
    "person_feedback": [
        "Feedback from a carer about how the team worked with them",
        "Feedback from a family on the team's communication",
    ],
    "manager_feedback": [
        "Feedback from my line manager after six months",
        "Manager's note on my use of performance information",
    ],
    "training_certificate": [
        "Certificate: reflective supervision skills",
        "Certificate: trauma-informed supervision",
        "Certificate: chairing group supervision",
    ],
    "other": ["Notes from the practice supervisors' forum", "My supervision agreement template, revised"],
}
KIND_WEIGHTS = [
    ("reflective_account", 35),
    ("observation", 15),
    ("supervisee_feedback", 15),
    ("person_feedback", 5),
    ("manager_feedback", 10),
    ("training_certificate", 12),
    ("other", 8),
]
REFLECTIONS = [
    "I planned the session around what the practitioner wanted to bring, and made space for how the work "
    "was affecting them before we talked about tasks. Next time I will agree the agenda at the start.",
    "I noticed I was rushing to solutions. Slowing down and asking open questions helped the practitioner "
    "reach their own plan, which they followed through.",
    "The conversation about performance was hard. Being clear about what I had seen, and what support was "
    "on offer, kept it respectful; we agreed a review date.",
    "Using the team's data in supervision showed a pattern nobody had named. We changed how cases are "
    "allocated, and I will check the effect in three months.",
    "I asked for feedback on my supervision and heard that I cancel too often when the team is busy. I now "
    "protect the time and tell people in advance when I cannot.",
]
HOW = [
    "Shows how I create a reflective space in supervision.",
    "Shows how I use my authority proportionately and explain my decisions.",
    "Shows how I notice and respond to the emotional impact of the work.",
    "Shows how I use performance information to improve practice.",
    "Shows how I develop the skills of the practitioners I supervise.",
]
COMMENTS = [
    "This is a strong reflective account. Could you say more about what you would do differently?",
    "Good evidence. Think about which standard it shows best and make that clearer in your reflection.",
    "Thank you, I have added a paragraph on what I learned.",
    "I have linked it to the standard on power and authority as you suggested.",
    "Consider adding feedback from a supervisee to balance your own account.",
]
SUBMISSION_NOTES = [
    "I have added the observation my mentor suggested.",
    "This now includes feedback from the team.",
    "",
    "",
]
REVIEW_FEEDBACK = {
    "recommended": [
        "A well-organised portfolio with strong reflection. Every standard is evidenced.",
        "Clear evidence across the standards, with thoughtful reflection on what changed in practice.",
    ],
    "returned": [
        "Good start. More evidence is needed on the standards marked not yet met.",
        "The reflections are thoughtful, but some standards rest on one item only. Please add more.",
    ],
}
NOT_MET_FEEDBACK = [
    "Add an example of using your authority when you and a practitioner disagreed.",
    "The evidence describes what happened but not what you learned. Add your reflection.",
    "Add feedback from someone you supervise about this.",
]
DISPUTE_REASONS = [
    "The observation in my portfolio covers this standard; I do not think it was considered.",
    "My manager's feedback evidences this standard, and I mapped it to it.",
]
DISAGREE_REASONS = [
    "The evidence for one standard is thinner than the reviewer found; I would have returned it.",
    "I found the evidence sufficient for every standard; I would have recommended it.",
]
RESOLUTION_REASONS = [
    "Having read both decisions and the evidence, the reviewer's decision stands.",
    "The moderator's reading of the evidence is the better one; the portfolio is referred back for more evidence.",
]
REFERRAL_REASONS = [
    "Referred back: the evidence on one standard needs a supervisee's view. Add it and submit again.",
    "Referred back: the reflections need to say what changed in your practice.",
]
TEXT_ANSWERS = {
    "What helped most?": [
        "Protected time with my mentor every month.",
        "Meeting the other supervisors in the cohort.",
        "The reviewer's feedback on each standard.",
    ],
    "What should we change for the next cohort?": [
        "More time to gather evidence before the first submission.",
        "A clearer guide to mapping evidence to the standards.",
        "Start the peer groups earlier.",
    ],
}


@dataclass
class Reviewed:
    """A decided (or started) review and what constrains its moderation."""

    review: object
    submission: object
    portfolio: object
    is_latest: bool
    next_submitted_at: object = None  # when the portfolio was submitted again, if it was
    closed_at: object = None  # when the portfolio was signed off or referred back, if it was
    force: str | None = None  # a COVERING scenario's moderation
    moderation: object = None
    steps: list = field(default_factory=list)


class PortfolioData:
    def __init__(self, generator):
        from trellis.frameworks.models import Standard, Statement
        from trellis.portfolio.feedback import DEFAULT_INTRODUCTION, DEFAULT_QUESTIONS

        self.g = generator
        self.rng = generator.rng
        self.today, self.now = generator.today, generator.now
        # The shipped standards, loaded by DevelopmentData: {version id: [standard]}, {standard id: [statement]}.
        self.standards, self.statements = {}, {}
        for standard in Standard.objects.select_related("version__framework").order_by("version_id", "position"):
            self.standards.setdefault(standard.version_id, []).append(standard)
        for statement in Statement.objects.order_by("standard_id", "position"):
            self.statements.setdefault(statement.standard_id, []).append(statement)
        self.version_names = {s.version_id: str(s.version) for v in self.standards.values() for s in v}
        self.introduction, self.questions = DEFAULT_INTRODUCTION, DEFAULT_QUESTIONS
        self.labels = None

    # Small helpers -------------------------------------------------------------------------------

    def at(self, day):
        moment = datetime.datetime.combine(day, datetime.time(self.rng.randint(9, 16), self.rng.choice((0, 15, 30, 45))))
        return min(timezone.make_aware(moment), self.now)

    def chance(self, p):
        return self.rng.random() < p

    def between(self, start, end):
        if end <= start:
            return start
        return start + (end - start) * self.rng.random()

    def steps(self, start, end, n):
        """`n` increasing times after `start`, by `end` (or within hours of `start` if `end` is not after it)."""
        if end <= start:
            end = min(self.now, start + timedelta(hours=n + 1))
        return sorted(self.between(start, end) for _ in range(n))

    def event(self, verb, target, text, at, changes=None, member="admin"):
        member = self.admin if member == "admin" else member
        self.events.append(self.g.event(self.org, member, verb, target._meta.label_lower, target.pk, text, at, changes))

    def notify(self, recipient, subject, body, url, at):
        """A notice as notifications.actions.notify leaves it: older ones mostly read, all emailed."""
        from trellis.notifications.models import Notification

        if recipient is None or not recipient.is_active:
            return
        read = self.chance(0.85 if at < self.now - timedelta(days=7) else 0.3)
        self.notices.append(
            Notification(
                id=self.g.uuid(),
                organisation=self.org,
                recipient=recipient,
                subject=subject[:200],
                body=body,
                url=url,
                created_at=at,
                emailed_at=min(self.now, at + timedelta(minutes=self.rng.randint(1, 5))),
                read_at=min(self.now, at + timedelta(hours=self.rng.randint(1, 72))) if read else None,
            )
        )

    def path(self, name, pk=None):
        return reverse(f"portfolio:{name}", args=[self.org.slug] + ([pk] if pk is not None else []))

    def save(self, model, rows):
        return self.g.save(model, rows)

    # One organisation ------------------------------------------------------------------------------

    def organisation(self, org, register, members, leaders, events):
        from trellis.frameworks.models import FrameworkInUse
        from trellis.portfolio.models import Portfolio

        self.org, self.admin, self.events = org, leaders[0], events
        self.labels = dict(Portfolio.State.choices)
        frameworks = list(FrameworkInUse.objects.filter(organisation=org, is_active=True).order_by("service", "version_id"))
        supervisors = sorted(register.supervisors, key=lambda p: p.employee_ref)
        if not frameworks or not supervisors:
            return
        self.admins = [m for m in members if m.is_active and "org_admin" in m.roles]
        self.notices = []
        self.rows = {name: [] for name in ROW_KINDS}
        plans = self.cohort_plans(len(supervisors))
        self.rng.shuffle(supervisors)
        chosen, taken = [], 0
        for kind, size in plans:  # nobody is in two cohorts
            chosen.append((kind, supervisors[taken : taken + size]))
            taken += size
        everyone = [person for _, people in chosen for person in people]
        reviewers, moderators = self.assessor_pools(members, len(everyone))
        mentors = [m for m in members if m.is_active and "mentor" in m.roles] or [m for m in members[1:] if m.is_active]
        self.logins(everyone, forced={p.pk for p in chosen[0][1][: len(COVERING)]})
        for index, (kind, people) in enumerate(chosen):
            self.cohort(kind, people, frameworks, reviewers, moderators, mentors, first=index == 0)
        self.save_rows()

    def cohort_plans(self, n):
        """[(kind, size)], the largest cohort first: the large organisation's has about 40 supervisors."""
        profile = self.g.profile
        first = 40 if profile == "large" else min(n, max(len(COVERING), round(n * self.rng.uniform(0.25, 0.45))))
        first = min(first, n)
        plans = [("current", first)]
        wanted = 3 if profile == "large" else 1 if profile == "small" else self.g.weighted([(1, 30), (2, 40), (3, 30)])
        left = n - first
        for kind in ("ended", "new")[: wanted - 1]:
            size = min(left, first - 1, max(4, round(n * self.rng.uniform(0.1, 0.25))))
            if size < 3:
                break
            plans.append((kind, size))
            left -= size
        return plans

    def assessor_pools(self, members, supervisors):
        """Members with the reviewer role and with the moderator role, given the role if too few have it.
        The org admin the benchmark signs in as stays out of both, as most admins are."""
        from trellis.tenancy.models import Membership

        pool = [m for m in members[1:] if m.is_active]
        changed = {}

        def with_role(role, want, avoid):
            have = [m for m in pool if role in m.roles]
            spare = [m for m in pool if role not in m.roles and m.pk not in avoid] or [m for m in pool if role not in m.roles]
            for m in self.rng.sample(spare, k=max(0, min(want - len(have), len(spare)))):
                before = list(m.roles)
                m.roles = [*m.roles, role]
                changed[m.pk] = m
                self.events.append(
                    self.g.event(
                        self.org,
                        self.admin,
                        "changed roles of",
                        "tenancy.membership",
                        m.pk,
                        m.user.full_name,
                        self.at(self.today - timedelta(days=self.rng.randint(400, 700))),
                        {"roles": [before, list(m.roles)]},
                    )
                )
                have.append(m)
            return have

        reviewers = with_role("reviewer", max(2, math.ceil(supervisors / 12)), set())
        moderators = with_role("moderator", max(2, math.ceil(supervisors / 30)), {m.pk for m in reviewers})
        if changed:
            Membership.objects.bulk_update(list(changed.values()), ["roles"], batch_size=1000)
        return reviewers, moderators

    def logins(self, people, forced):
        """Most cohort supervisors sign in to build their portfolio: a login linked to their staff record."""
        from trellis.accounts.models import User
        from trellis.tenancy.models import Membership
        from trellis.workforce.models import StaffRecord

        linked = [p for p in people if p.pk in forced or self.chance(0.7)]
        users = self.save(
            User,
            [
                User(
                    email=f"{p.full_name.replace(' ', '.')}.{p.employee_ref}@{self.org.slug}.bench.example".lower(),
                    full_name=p.full_name,
                    password=self.g.password,
                    date_joined=self.at(max(p.start_date, self.today - timedelta(days=self.rng.randint(400, 900)))),
                )
                for p in linked
            ],
        )
        logins = self.save(
            Membership,
            [
                Membership(
                    id=self.g.uuid(),
                    organisation=self.org,
                    user=user,
                    roles=["practice_supervisor"],
                    job_title=person.job_title,
                    joined_at=user.date_joined,
                )
                for person, user in zip(linked, users, strict=True)
            ],
        )
        for person, login in zip(linked, logins, strict=True):
            person.membership = login
            self.events.append(
                self.g.event(self.org, self.admin, "added", "tenancy.membership", login.pk, login.user.full_name, login.joined_at)
            )
        StaffRecord.objects.bulk_update(linked, ["membership"], batch_size=1000)

    # One cohort ------------------------------------------------------------------------------------

    def cohort(self, kind, people, frameworks, reviewers, moderators, mentors, first):
        from trellis.portfolio.models import Assessor, Cohort

        if kind == "ended":
            ended_on = self.today - timedelta(days=self.rng.randint(20, 120))
            starts_on = ended_on - timedelta(days=self.rng.randint(300, 420))
            expected = starts_on + timedelta(days=365)
        elif kind == "current":
            starts_on = self.today - timedelta(days=self.rng.randint(90, 300))
            expected, ended_on = starts_on + timedelta(days=self.rng.randint(300, 420)), None
        else:
            starts_on = self.today - timedelta(days=self.rng.randint(5, 45))
            expected, ended_on = starts_on + timedelta(days=365), None
        # Names are unique in the organisation: the current and new cohorts start at least 45 days apart.
        name = f"Practice supervisors starting {starts_on:%B %Y}" + (" (first cohort)" if kind == "ended" else "")
        created = self.at(starts_on - timedelta(days=self.rng.randint(7, 30)))
        cohort = Cohort(
            id=self.g.uuid(),
            organisation=self.org,
            name=name,
            description="Supervisors who go through the pathway together, with their mentors, reviewers and moderators.",
            starts_on=starts_on,
            expected_end_on=expected,
            ended_on=ended_on,
            moderation_share=self.rng.choice((20, 20, 20, 25, 30)),
            created_by=self.admin,
            created_at=created,
            updated_by=self.admin,
            updated_at=self.at(ended_on) if ended_on else created,
            version=2 if ended_on else 1,
        )
        self.rows["cohorts"].append(cohort)
        self.rows["cohort_frameworks"] += [(cohort.pk, f.pk) for f in frameworks]
        self.event(
            "created cohort",
            cohort,
            cohort.name,
            created,
            {"name": [None, cohort.name], "frameworks": [None, sorted(self.version_names[f.version_id] for f in frameworks)]},
        )
        if ended_on:
            self.event("ended cohort", cohort, cohort.name, cohort.updated_at, {"ended_on": [None, ended_on.isoformat()]})
        c = CohortRun(cohort=cohort, kind=kind)
        c.standards = [s for f in frameworks for s in self.standards.get(f.version_id, [])]
        size = len(people)
        c.moderators = self.rng.sample(moderators, k=min(len(moderators), max(1, math.ceil(size / 15))))
        own = [r for r in reviewers if r.pk not in {m.pk for m in c.moderators}] or reviewers
        c.reviewers = self.rng.sample(own, k=min(len(own), max(1, math.ceil(size / 7))))
        for role, assessors in (("reviewer", c.reviewers), ("moderator", c.moderators)):
            for member in assessors:
                added = self.between(created, self.at(starts_on))
                self.rows["assessors"].append(
                    Assessor(
                        id=self.g.uuid(),
                        organisation=self.org,
                        cohort=cohort,
                        membership=member,
                        role=role,
                        added_by=self.admin,
                        added_at=added,
                    )
                )
                self.event(f"added {role}", cohort, cohort.name, added, {role: [None, member.user.full_name]})
        window_end = self.at(ended_on) if ended_on else self.now
        # The draw: most of a cohort's decisions come before it; the newest cohort has none yet.
        if kind == "current":
            c.draw_at = self.now - timedelta(days=self.rng.randint(3, 20), hours=self.rng.randint(0, 8))
        elif kind == "ended":
            c.draw_at = self.at(ended_on - timedelta(days=self.rng.randint(15, 45)))
        for k, person in enumerate(people):
            if first and k < len(COVERING):
                state, scenario = COVERING[k]
            else:
                state, scenario = self.g.weighted(STATE_WEIGHTS[kind]), None
            start = self.between(self.at(starts_on), min(window_end, self.at(starts_on + timedelta(days=14))))
            end = window_end - timedelta(days=1) if ended_on else self.now - timedelta(hours=2)
            if scenario in ("settled", "disputed_disagreed") and c.draw_at is not None:
                # Before the draw: one is among its candidates, the other in moderation as disputed.
                end = c.draw_at - timedelta(days=1)
            elif scenario in ("overturned", "borderline_agreed"):
                end = self.now - timedelta(days=4)  # leaves time for its moderation
            self.journey(c, person, mentors, state, scenario, start, max(start, end))
        self.moderation(c, window_end)
        if kind == "ended":
            self.questionnaire(c)

    # One portfolio ---------------------------------------------------------------------------------

    def evidence(self, c, person, start, end):
        """3 to 12 items of the person's evidence, each mapped to one to three of the cohort's standards."""
        from trellis.portfolio.models import EvidenceItem, EvidenceMapping

        items = []
        author = person.membership or self.admin
        for _ in range(self.rng.randint(3, 12)):
            kind = self.g.weighted(KIND_WEIGHTS)
            occurred = timezone.localdate(self.between(start - timedelta(days=90), end))
            created = min(self.now, self.at(occurred) + timedelta(days=self.rng.randint(0, 10)))
            item = EvidenceItem(
                id=self.g.uuid(),
                organisation=self.org,
                staff=person,
                title=self.rng.choice(EVIDENCE[kind]),
                kind=kind,
                occurred_on=occurred,
                reflection=self.rng.choice(REFLECTIONS) if kind != "training_certificate" or self.chance(0.3) else "",
                created_by=author,
                created_at=created,
                updated_by=author,
                updated_at=created,
                version=self.rng.randint(1, 3),
            )
            item.bench_mappings = []
            for standard in self.rng.sample(c.standards, k=min(len(c.standards), self.rng.randint(1, 3))):
                statements = self.statements.get(standard.pk, [])
                statement = self.rng.choice(statements) if statements and self.chance(0.4) else None
                item.bench_mappings.append(
                    EvidenceMapping(
                        id=self.g.uuid(),
                        organisation=self.org,
                        item=item,
                        standard=standard,
                        statement=statement,
                        how=self.rng.choice(HOW),
                    )
                )
            items.append(item)
            self.rows["mappings"] += item.bench_mappings
            self.event(
                "added evidence item",
                item,
                item.title,
                created,
                {"title": [None, item.title], "person": [None, person.full_name]},
                member=author,
            )
        self.rows["items"] += items
        return sorted(items, key=lambda i: (i.created_at, i.title))

    def transition(self, portfolio, new_state, verb, at, actor, changes):
        """Move the portfolio on, as the workflow's actions do, with the step on its audit trail."""
        before = self.labels[portfolio.state]
        portfolio.state, portfolio.state_changed_at = new_state, at
        portfolio.updated_at, portfolio.updated_by = at, actor
        portfolio.version += 1
        self.event(
            verb,
            portfolio,
            f"{portfolio.staff.full_name}'s portfolio",
            at,
            {"state": [before, self.labels[new_state]], **{k: v for k, v in changes.items() if v[1] not in ("", None)}},
            member=actor,
        )

    def journey(self, c, person, mentors, state, scenario, start, end):
        """A portfolio and its history up to `state`: sharing, comments, submissions, reviews, sign-off.
        Its reviews' moderation comes later, once the cohort's draw is known (`moderation`)."""
        from trellis.portfolio.models import Portfolio, PortfolioItem

        cohort = c.cohort
        supervisor = person.membership
        keeper = supervisor or self.admin  # an admin keeps the portfolio of someone without a login
        if not c.reviewers and state not in ("draft", "with_mentor"):
            state, scenario = "with_mentor", None  # nobody to submit to
        if state in ("draft", "with_mentor"):
            n_sub = 0
        elif state in ("submitted", "returned"):
            n_sub = 1 + self.chance(0.3)
        else:
            n_sub = 1 + self.g.weighted([(0, 60), (1, 30), (2, 10)])
        if scenario in ("settled", "overturned", "borderline_agreed", "borderline_assigned"):
            n_sub = 1
        last = {"submitted": None, "returned": "returned"}.get(state, "recommended")
        outcomes = ["returned"] * (n_sub - 1) + ([last] if n_sub else [])
        disputed = [o == "returned" and supervisor is not None and self.chance(0.12) for o in outcomes]
        if scenario == "disputed_disagreed":
            disputed[-1] = True
        reviewer = self.rng.choice(c.reviewers) if c.reviewers and (n_sub or self.chance(0.6)) else None
        if scenario == "admin_mentor":
            mentor = self.admin
        else:
            others = [m for m in mentors if m.pk not in (getattr(reviewer, "pk", None), getattr(supervisor, "pk", None))]
            mentor = self.rng.choice(others) if others and (state != "draft" or self.chance(0.8)) else None
        if mentor is None and state == "with_mentor":
            mentor = self.admin  # any member may mentor
        shared = state == "with_mentor" or (n_sub > 0 and mentor is not None and self.chance(0.6))
        closes = state in ("signed_off", "referred_back") and scenario != "overturned"
        n_times = shared + sum(1 + (o is not None) + d for o, d in zip(outcomes, disputed, strict=True)) + closes
        times = iter(self.steps(start, end, n_times))
        portfolio = Portfolio(
            id=self.g.uuid(),
            organisation=self.org,
            cohort=cohort,
            staff=person,
            mentor=mentor,
            reviewer=reviewer,
            state="draft",
            added_by=self.admin,
            created_at=start,
            updated_by=self.admin,
            updated_at=start,
            state_changed_at=start,
            version=2 if mentor or reviewer else 1,
        )
        self.rows["portfolios"].append(portfolio)
        self.event("added to cohort", portfolio, f"{person.full_name}'s portfolio", start, {"cohort": [None, cohort.name]})
        library = self.evidence(c, person, start, end)
        chosen = [item for item in library if self.chance(0.8)] or library[:1]  # most of the person's items
        url = self.path("portfolio", portfolio.pk)
        if shared:
            at = next(times)
            portfolio.shared_with_mentor_at = at
            self.transition(portfolio, "with_mentor", "shared with mentor", at, keeper, {"mentor": [None, mentor.user.full_name]})
            self.notify(
                mentor,
                f"{person.full_name} has shared their portfolio with you",
                f"Read their evidence for {cohort.name} and add your comments and suggestions.",
                url,
                at,
            )
        submissions, reviewed = [], []
        locked = []  # [start, end or None]: while submitted or decided, nothing goes into the portfolio
        for number, (outcome, dispute) in enumerate(zip(outcomes, disputed, strict=True), start=1):
            submitted_at = next(times)
            if reviewed:
                reviewed[-1].next_submitted_at = submitted_at
            sent = [item for item in chosen if item.created_at < submitted_at]
            if not sent:
                sent = chosen[:1]
                sent[0].created_at = sent[0].updated_at = submitted_at - timedelta(hours=1)
                sent[0].occurred_on = min(sent[0].occurred_on, timezone.localdate(sent[0].created_at))
            submission = self.submission(portfolio, number, sent, submitted_at, keeper)
            submissions.append(submission)
            locked.append([submitted_at, None])
            self.transition(
                portfolio,
                "submitted",
                "submitted for review",
                submitted_at,
                keeper,
                {"submission": [None, number], "items": [None, len(sent)], "note": [None, submission.note]},
            )
            self.notify(
                reviewer,
                f"{person.full_name}'s portfolio is waiting for your review",
                f"Submitted{' again' if number > 1 else ''} for {cohort.name}, with {len(sent)} pieces of evidence.",
                self.path("review", portfolio.pk),
                submitted_at,
            )
            if outcome is None:
                if scenario == "draft_review" or self.chance(0.4):
                    self.draft_review(c, submission, reviewer, submitted_at, end)
                continue
            decided_at = next(times)
            review = self.review(c, submission, reviewer, outcome, decided_at, scenario)
            if outcome == "returned":
                locked[-1][1] = decided_at
            verb = "recommended" if outcome == "recommended" else "returned for more evidence"
            met = sum(1 for d in review.bench_decisions if d.met)
            self.transition(
                portfolio,
                outcome,  # the portfolio's state has the outcome's name
                verb,
                decided_at,
                reviewer,
                {
                    "submission": [None, number],
                    "standards met": [None, f"{met} of {len(c.standards)}"],
                    "borderline": [None, "Yes" if review.borderline else ""],
                    "reasons": [None, review.feedback],
                },
            )
            self.notify(
                supervisor,
                f"Your portfolio in {cohort.name} has been {verb}",
                f"{met} of {len(c.standards)} standards met.",
                self.path("submission", submission.pk),
                decided_at,
            )
            if dispute:
                review.disputed_at = review.updated_at = next(times)
                review.dispute_reason = self.rng.choice(DISPUTE_REASONS)
                review.version += 1
                self.event(
                    "disputed the decision",
                    portfolio,
                    f"{person.full_name}'s portfolio",
                    review.disputed_at,
                    {"submission": [None, number], "reasons": [None, review.dispute_reason]},
                    member=supervisor,
                )
            reviewed.append(
                Reviewed(
                    review=review,
                    submission=submission,
                    portfolio=portfolio,
                    is_latest=number == n_sub,
                    force=scenario if number == n_sub else None,
                )
            )
        if closes:
            at = next(times)
            reviewed[-1].closed_at = at
            if state == "referred_back":
                locked[-1][1] = at
            self.close(portfolio, submissions[-1], state, at)
        c.reviewed += reviewed
        c.portfolios.append((portfolio, person))
        # An item goes into the portfolio when the person made it, or once the portfolio was open again.
        entries = []
        for item in chosen:
            added = max(start, item.created_at)
            for begin, until in locked:
                if added is not None and begin <= added and (until is None or added < until):
                    added = until
            if added is not None:
                entries.append(PortfolioItem(organisation=self.org, portfolio=portfolio, item=item, added_at=added))
        self.rows["entries"] += entries
        if shared:
            self.comments(portfolio, person, mentor, entries, portfolio.shared_with_mentor_at, end, scenario)

    def comments(self, portfolio, person, mentor, entries, shared_at, end, scenario):
        """The mentor's comments and the supervisor's replies in the weeks after sharing, some on one item
        already in the portfolio."""
        from trellis.portfolio.models import Comment

        supervisor = person.membership
        count = 2 if scenario == "admin_mentor" else self.rng.choice((0, 1, 2, 2, 3, 4))
        when = self.steps(shared_at, min(end, shared_at + timedelta(days=40)), count)
        for k, at in enumerate(when):
            # The mentor and the supervisor in turn: after two, the mentor (the org admin, in COVERING's
            # case) has a reply to read, so the portfolio waits on them.
            author = mentor if k % 2 == 0 or supervisor is None else supervisor
            there = [entry.item for entry in entries if entry.added_at < at]
            item = self.rng.choice(there) if there and self.chance(0.5) else None
            comment = Comment(
                id=self.g.uuid(),
                organisation=self.org,
                portfolio=portfolio,
                item=item,
                author=author,
                body=self.rng.choice(COMMENTS),
                created_at=at,
            )
            self.rows["comments"].append(comment)
            self.event(
                "commented",
                comment,
                f"Comment on {person.full_name}'s portfolio",
                at,
                {"comment": [None, comment.body]},
                member=author,
            )
            by_mentor = author is mentor
            self.notify(
                supervisor if by_mentor else mentor,
                f"{author.user.full_name} {'commented on your' if by_mentor else 'replied on their'} portfolio",
                comment.body,
                self.path("portfolio", portfolio.pk) + "#comments",
                at,
            )

    def submission(self, portfolio, number, items, at, by):
        """A submission with the frozen copy of what the reviewer sees (coverage.snapshot_of's shape)."""
        from trellis.portfolio.models import Submission

        ordered = sorted(items, key=lambda i: (-i.occurred_on.toordinal(), i.title))
        snapshot = {
            "items": [
                {
                    "id": str(item.pk),
                    "title": item.title,
                    "kind": item.kind,
                    "occurred_on": item.occurred_on.isoformat(),
                    "reflection": item.reflection,
                    "files": [],
                    "mappings": [
                        {
                            "standard_id": str(m.standard_id),
                            "statement_id": str(m.statement_id) if m.statement_id else None,
                            "how": m.how,
                        }
                        for m in sorted(
                            item.bench_mappings, key=lambda m: (m.standard.position, m.statement.position if m.statement else -1)
                        )
                    ],
                }
                for item in ordered
            ]
        }
        submission = Submission(
            id=self.g.uuid(),
            organisation=self.org,
            portfolio=portfolio,
            number=number,
            submitted_by=by,
            submitted_at=at,
            note=self.rng.choice(SUBMISSION_NOTES) if number > 1 else "",
            snapshot=snapshot,
        )
        self.rows["submissions"].append(submission)
        return submission

    def decisions(self, c, outcome, *, review=None, moderation=None, like=None):
        """A decision on every standard: all met to recommend; some not yet met, with feedback, to return."""
        from trellis.portfolio.models import StandardDecision

        if outcome == "recommended":
            met = {s.pk: True for s in c.standards}
        elif like is not None and not all(like.values()):
            met = dict(like)
        else:
            missing = set(s.pk for s in self.rng.sample(c.standards, k=self.rng.randint(1, max(1, len(c.standards) // 2))))
            met = {s.pk: s.pk not in missing for s in c.standards}
        rows = [
            StandardDecision(
                id=self.g.uuid(),
                organisation=self.org,
                review=review,
                moderation=moderation,
                standard=s,
                met=met[s.pk],
                feedback="" if met[s.pk] else self.rng.choice(NOT_MET_FEEDBACK),
            )
            for s in c.standards
        ]
        self.rows["decisions"] += rows
        return rows

    def review(self, c, submission, reviewer, outcome, at, scenario):
        from trellis.portfolio.models import Review

        borderline = scenario in ("borderline_agreed", "borderline_assigned", "overturned") or (
            scenario is None and self.chance(0.06)
        )
        if scenario in ("settled", "disputed_disagreed"):
            borderline = False
        review = Review(
            id=self.g.uuid(),
            organisation=self.org,
            submission=submission,
            reviewer=reviewer,
            outcome=outcome,
            feedback=self.rng.choice(REVIEW_FEEDBACK[outcome]),
            borderline=borderline,
            decided_at=at,
            updated_at=at,
            version=self.rng.randint(2, 4),
        )
        self.rows["reviews"].append(review)
        review.bench_decisions = self.decisions(c, outcome, review=review)
        return review

    def draft_review(self, c, submission, reviewer, after, end):
        """The reviewer has started: decisions on some standards saved, nothing decided."""
        from trellis.portfolio.models import Review, StandardDecision

        at = self.between(after, end)
        review = Review(
            id=self.g.uuid(),
            organisation=self.org,
            submission=submission,
            reviewer=reviewer,
            feedback="",
            updated_at=at,
            version=2,
        )
        self.rows["reviews"].append(review)
        self.rows["decisions"] += [
            StandardDecision(id=self.g.uuid(), organisation=self.org, review=review, standard=s, met=True)
            for s in self.rng.sample(c.standards, k=self.rng.randint(1, len(c.standards)))
        ]
        self.event(
            "saved review draft",
            review,
            f"Review of submission {submission.number}",
            at,
            {"standards decided": [None, "some"]},
            member=reviewer,
        )

    def close(self, portfolio, submission, decision, at, moderation=None, reasons=None):
        """Signed off, or referred back with reasons, by the org admin."""
        from trellis.portfolio.models import SignOff

        if reasons is None:
            reasons = self.rng.choice(REFERRAL_REASONS) if decision == "referred_back" else ""
        self.rows["sign_offs"].append(
            SignOff(
                id=self.g.uuid(),
                organisation=self.org,
                portfolio=portfolio,
                submission=submission,
                moderation=moderation,
                decision=decision,
                reasons=reasons,
                decided_by=self.admin,
                decided_at=at,
            )
        )
        verb = ("signed off" if decision == "signed_off" else "referred back") + (" after moderation" if moderation else "")
        self.transition(portfolio, decision, verb, at, self.admin, {"reasons": [None, reasons]})
        self.notify(
            portfolio.staff.membership,
            f"Your portfolio in {portfolio.cohort.name} is {self.labels[decision].lower()}",
            reasons,
            self.path("portfolio", portfolio.pk),
            at,
        )

    # Moderation ------------------------------------------------------------------------------------

    def moderation(self, c, window_end):
        """The cohort's moderations: borderline and disputed reviews at once, then the draw's sample; each
        taken as far as its portfolio allows (settled before a resubmission or a sign-off that followed)."""
        from trellis.portfolio.actions import choose_sample
        from trellis.portfolio.models import Moderation, SampleDraw

        cohort = c.cohort
        # In moderation before the draw, so not among its candidates: borderline from the decision,
        # disputed from the dispute. A dispute after the draw starts one then, unless the draw chose it.
        before_draw = {
            r.review.pk
            for r in c.reviewed
            if r.review.borderline
            or (r.review.disputed_at is not None and (c.draw_at is None or r.review.disputed_at < c.draw_at))
        }
        chosen, draw = set(), None
        pool = []
        if c.draw_at is not None:
            pool = sorted(
                str(r.review.pk) for r in c.reviewed if r.review.decided_at < c.draw_at and r.review.pk not in before_draw
            )
        if pool:
            seed = self.rng.getrandbits(62)
            drawer = self.admin if self.chance(0.6) or not c.moderators else self.rng.choice(c.moderators)
            draw = SampleDraw(
                id=self.g.uuid(),
                organisation=self.org,
                cohort=cohort,
                seed=seed,
                share=cohort.moderation_share,
                considered=len(pool),
                candidates=pool,
                drawn_by=drawer,
                drawn_at=c.draw_at,
            )
            self.rows["draws"].append(draw)
            chosen = set(choose_sample(pool, cohort.moderation_share, seed))
            self.event(
                "drew moderation sample",
                draw,
                f"Moderation sample of {cohort.name}",
                c.draw_at,
                {"seed": [None, str(seed)], "share": [None, f"{draw.share}%"], "considered": [None, len(pool)]},
                member=drawer,
            )
            for moderator in c.moderators:
                if moderator.pk != drawer.pk:
                    self.notify(
                        moderator,
                        f"Moderation sample drawn for {cohort.name}",
                        f"{len(chosen)} reviews to second-mark. Choose who moderates each.",
                        self.path("moderation", cohort.pk),
                        c.draw_at,
                    )
        started = []  # (reviewed, reason, created, draw)
        for r in c.reviewed:
            review = r.review
            if review.borderline:
                started.append((r, "borderline", review.decided_at, None))
            elif str(review.pk) in chosen:
                started.append((r, "sampled", c.draw_at, draw))
            elif review.disputed_at is not None:
                started.append((r, "disputed", review.disputed_at, None))
        for r, reason, created, draw in started:
            moderation = Moderation(
                id=self.g.uuid(),
                organisation=self.org,
                review=r.review,
                reason=reason,
                draw=draw,
                created_at=created,
                updated_by=self.admin,
            )
            r.moderation = moderation
            self.rows["moderations"].append(moderation)
            self.event(
                "added to moderation",
                moderation,
                f"Moderation of {r.portfolio.staff.full_name}'s portfolio",
                created,
                {"reason": [None, reason.capitalize()]},
            )
            if draw is None:
                for moderator in c.moderators:
                    if moderator.pk != r.review.reviewer_id:
                        self.notify(
                            moderator,
                            f"A review in {cohort.name} needs a moderator",
                            f"{r.portfolio.staff.full_name}'s portfolio is in moderation ({reason}). Choose who will second-mark it.",
                            self.path("moderation", cohort.pk),
                            created,
                        )
            self.progress(c, r, window_end)

    def progress(self, c, r, window_end):
        """Take one moderation as far as its stage: assigned, second-marked, agreed or disagreed, resolved."""
        moderation, review = r.moderation, r.review
        created = moderation.created_at
        deadline = None
        if review.disputed_at is not None and r.next_submitted_at is not None:
            deadline = r.next_submitted_at  # a dispute is settled before the portfolio goes back in
        elif r.closed_at is not None and created < r.closed_at:
            deadline = r.closed_at  # signed off or referred back only once moderation is settled
        forced = {
            "settled": "agreed",
            "disputed_disagreed": "disagreed",
            "borderline_agreed": "agreed",
            "borderline_assigned": "assigned",
            "overturned": "overturned",
        }
        if r.force in forced:
            stage = forced[r.force]
        elif deadline is not None or c.kind == "ended":
            stage = self.g.weighted([("agreed", 85), ("resolved", 15)])
        elif r.is_latest:
            stage = self.g.weighted(
                [("new", 10), ("assigned", 15), ("marked", 10), ("agreed", 40), ("disagreed", 10), ("resolved", 15)]
            )
        else:
            stage = self.g.weighted([("new", 5), ("assigned", 5), ("marked", 5), ("agreed", 70), ("resolved", 15)])
        portfolio = r.portfolio
        eligible = [m for m in c.moderators if m.pk != review.reviewer_id and m.pk != portfolio.staff.membership_id]
        if not eligible:
            return
        # How many steps it took: assigned, second-marked, agreed or disagreed, resolved.
        reached = {"new": 0, "assigned": 1, "marked": 2, "agreed": 3, "disagreed": 3, "resolved": 4, "overturned": 4}[stage]
        if reached == 0:
            return
        end = deadline or (self.now if c.kind != "ended" else max(window_end, created))
        if stage == "overturned":
            end = self.now - timedelta(hours=1)
        times = self.steps(created, end, reached)
        moderator = self.rng.choice(eligible)
        name = portfolio.staff.full_name
        moderation.moderator = moderator
        moderation.version = 2
        self.event(
            "assigned moderator",
            moderation,
            f"Moderation of {name}'s portfolio",
            times[0],
            {"moderator": [None, moderator.user.full_name]},
        )
        self.notify(
            moderator,
            f"Second-mark {name}'s portfolio",
            f"You have been asked to moderate a review in {c.cohort.name}. You mark it blind.",
            self.path("moderate", moderation.pk),
            times[0],
        )
        if reached < 2:
            return
        agrees = stage == "agreed" or (stage == "marked" and self.chance(0.7))
        first = review.outcome
        second = first if agrees else ("returned" if first == "recommended" else "recommended")
        like = {d.standard_id: d.met for d in review.bench_decisions} if agrees else None
        self.decisions(c, second, moderation=moderation, like=like)
        moderation.second_outcome = second
        moderation.second_feedback = self.rng.choice(REVIEW_FEEDBACK[second])
        moderation.second_marked_at = times[1]
        moderation.updated_by = moderator
        moderation.version = 3
        self.event(
            "second-marked",
            moderation,
            f"Moderation of {name}'s portfolio",
            times[1],
            {"second_outcome": [None, self.labels.get(second, second).capitalize()]},
            member=moderator,
        )
        if reached < 3:
            return
        moderation.agrees = stage == "agreed"
        moderation.reasons = "" if moderation.agrees else self.rng.choice(DISAGREE_REASONS)
        moderation.decided_at = times[2]
        moderation.version = 4
        verb = "agreed with the first decision" if moderation.agrees else "disagreed with the first decision"
        self.event(
            verb,
            moderation,
            f"Moderation of {name}'s portfolio",
            times[2],
            {"agrees": [None, "Agree" if moderation.agrees else "Disagree"]},
            member=moderator,
        )
        if not moderation.agrees:
            for resolver in {m.pk: m for m in [*self.admins, *c.moderators] if m.pk != moderator.pk}.values():
                self.notify(
                    resolver,
                    f"A moderator disagrees about {name}'s portfolio",
                    f"{moderator.user.full_name} disagrees with the reviewer's decision. Decide which decision stands.",
                    self.path("resolve", moderation.pk),
                    times[2],
                )
        if reached < 4:
            return
        others = [m for m in c.moderators if m.pk != moderator.pk]
        resolver = self.admin if stage == "overturned" or not others or self.chance(0.7) else self.rng.choice(others)
        overturned = stage == "overturned"
        moderation.resolution = "second_decision" if overturned else "first_decision"
        moderation.resolution_reasons = RESOLUTION_REASONS[1] if overturned else RESOLUTION_REASONS[0]
        moderation.resolved_by, moderation.resolved_at = resolver, times[3]
        moderation.updated_by = resolver
        moderation.version = 5
        self.event(
            "resolved disagreement",
            moderation,
            f"Moderation of {name}'s portfolio",
            times[3],
            {"resolution": [None, moderation.resolution.replace("_", " ")], "reasons": [None, moderation.resolution_reasons]},
            member=resolver,
        )
        if overturned:
            # As `resolve` does when the moderator's decision stands against a recommendation.
            self.close(
                portfolio, r.submission, "referred_back", times[3], moderation=moderation, reasons=moderation.resolution_reasons
            )

    # Feedback on the pathway -------------------------------------------------------------------------

    def questionnaire(self, c):
        """The ended cohort's questionnaire, opened when it ended, with the default questions and answers
        from about two in three of the supervisors and mentors asked."""
        from trellis.portfolio.models import Answer, Question, Questionnaire, QuestionnaireResponse, Receipt

        cohort = c.cohort
        opened = self.at(cohort.ended_on)
        closes_on = cohort.ended_on + timedelta(days=28)
        questionnaire = Questionnaire(
            id=self.g.uuid(),
            organisation=self.org,
            cohort=cohort,
            introduction=self.introduction,
            anonymous=self.chance(0.8),
            opened_at=opened,
            closes_on=closes_on,
            updated_by=self.admin,
            updated_at=opened,
            version=2,
        )
        self.rows["questionnaires"].append(questionnaire)
        questions = [
            Question(id=self.g.uuid(), organisation=self.org, questionnaire=questionnaire, position=k, text=text, kind=kind)
            for k, (kind, text) in enumerate(self.questions, start=1)
        ]
        self.rows["questions"] += questions
        self.event("prepared questionnaire", questionnaire, f"Feedback on the pathway from {cohort.name}", opened)
        self.event("opened questionnaire", questionnaire, f"Feedback on the pathway from {cohort.name}", opened)
        asked = {}
        for _portfolio, person in c.portfolios:
            if person.membership is not None:
                asked[person.membership.pk] = (person.membership, "supervisor")
        for portfolio, _ in c.portfolios:
            if portfolio.mentor is not None:
                asked.setdefault(portfolio.mentor.pk, (portfolio.mentor, "mentor"))
        last_day = min(closes_on, self.today)
        for member, role in asked.values():
            self.notify(
                member,
                f"Tell us about the pathway: {cohort.name}",
                "You took part in the pathway as a supervisor or a mentor. Tell us how it went: it takes about 5 minutes.",
                self.path("questionnaire-answer", questionnaire.pk),
                opened,
            )
            if not self.chance(0.65):
                continue
            day = cohort.ended_on + timedelta(days=self.rng.randint(0, max(0, (last_day - cohort.ended_on).days)))
            response = QuestionnaireResponse(
                id=self.g.uuid(),
                organisation=self.org,
                questionnaire=questionnaire,
                respondent=None if questionnaire.anonymous else member,
                role=role,
                submitted_on=day,
            )
            self.rows["responses"].append(response)
            self.rows["receipts"].append(Receipt(organisation=self.org, questionnaire=questionnaire, membership=member))
            for question in questions:
                if question.kind == "scale":
                    rating = self.g.weighted([(1, 3), (2, 7), (3, 20), (4, 40), (5, 30)])
                    self.rows["answers"].append(
                        Answer(id=self.g.uuid(), organisation=self.org, response=response, question=question, rating=rating)
                    )
                elif self.chance(0.5):
                    self.rows["answers"].append(
                        Answer(
                            id=self.g.uuid(),
                            organisation=self.org,
                            response=response,
                            question=question,
                            text=self.rng.choice(TEXT_ANSWERS.get(question.text, ["It helped."])),
                        )
                    )
            self.event(
                "answered questionnaire",
                questionnaire,
                f"Feedback on the pathway from {cohort.name}",
                self.at(day),
                member=member,
            )

    # Saving ------------------------------------------------------------------------------------------

    def save_rows(self):
        from trellis.notifications.models import Notification
        from trellis.portfolio import models as m

        rows = self.rows
        self.save(m.Cohort, rows["cohorts"])
        through = m.Cohort.frameworks.through
        self.save(through, [through(cohort_id=a, frameworkinuse_id=b) for a, b in rows["cohort_frameworks"]])
        for model, name in (
            (m.Assessor, "assessors"),
            (m.EvidenceItem, "items"),
            (m.EvidenceMapping, "mappings"),
            (m.Portfolio, "portfolios"),
            (m.PortfolioItem, "entries"),
            (m.Comment, "comments"),
            (m.Submission, "submissions"),
            (m.Review, "reviews"),
            (m.SampleDraw, "draws"),
            (m.Moderation, "moderations"),
            (m.StandardDecision, "decisions"),
            (m.SignOff, "sign_offs"),
            (m.Questionnaire, "questionnaires"),
            (m.Question, "questions"),
            (m.QuestionnaireResponse, "responses"),
            (m.Answer, "answers"),
            (m.Receipt, "receipts"),
        ):
            self.save(model, rows[name])
        self.save(Notification, self.notices)


ROW_KINDS = (
    "cohorts",
    "cohort_frameworks",
    "assessors",
    "items",
    "mappings",
    "portfolios",
    "entries",
    "comments",
    "submissions",
    "reviews",
    "draws",
    "moderations",
    "decisions",
    "sign_offs",
    "questionnaires",
    "questions",
    "responses",
    "answers",
    "receipts",
)


@dataclass
class CohortRun:
    """One cohort while it is being generated."""

    cohort: object
    kind: str
    standards: list = field(default_factory=list)
    reviewers: list = field(default_factory=list)
    moderators: list = field(default_factory=list)
    draw_at: object = None
    reviewed: list = field(default_factory=list)
    portfolios: list = field(default_factory=list)
