"""Demo development plans and partnership roles for a demo organisation.

Run after the demo workforce (and, if they are loaded, the frameworks in use and mentoring: goals link
to standards, and a mentor a plan is shared with comments on it). Deterministic (a seeded generator per
organisation), dates relative to today, and written through the development actions, so the audit trail,
versions and plan history are real.

Plans at every stage: Aisha's agreed by her line manager, with an overdue action; Tom's changed since
his manager agreed it; Lucy's a draft she shares with her mentor; Jordan's agreed by Lucy, his line
manager. A line manager with no login cannot agree a plan themselves, so an organisation admin records
their agreement, as the policy allows. Other supervisors' plans are typed in by an admin from paper,
so the coverage figures have something to show; experienced supervisors have partnership roles.
"""

import datetime
import random

from django.utils import timezone

from trellis.tenancy import policy
from trellis.tenancy.models import Role
from trellis.workforce.models import StaffRecord

from . import actions
from .models import DevelopmentAction, Goal, PartnershipRole
from .queries import standards_for

Kind = DevelopmentAction.Kind
Status = DevelopmentAction.Status

# (goal, how you will know, words its standards' titles contain, [(kind, action, support needed)])
GOALS = [
    (
        "Give feedback on performance that is clear, fair and kind, and act early when practice is not good enough",
        "My supervisees tell me in feedback that they know where they stand, and I have used the performance "
        "procedures with HR's advice when I needed to.",
        ("performance",),
        [
            (Kind.TRAINING, "Performance management procedures: the half-day session with HR.", "A place on the next session."),
            (
                Kind.SHADOWING,
                "Sit in on an experienced team manager's performance conversation, with the supervisee's agreement.",
                "",
            ),
            (
                Kind.READING,
                "Read the team's supervision policy on performance and capability, and note what I need to ask about.",
                "",
            ),
        ],
    ),
    (
        "Use reflective supervision to help practitioners analyse risk and make timely, evidence-informed decisions",
        "Case records show clearer analysis after supervision, and practitioners say supervision helps them think.",
        ("decision", "analysis", "reflect"),
        [
            (Kind.TRAINING, "Reflective supervision skills course (two days).", "Study leave for the two days."),
            (
                Kind.OBSERVATION,
                "Have one supervision session observed by a peer supervisor, using the observation template, and talk it through.",
                "A peer supervisor with time to observe.",
            ),
            (
                Kind.READING,
                "Read the knowledge briefing ‘The role and functions of supervision’ and bring one idea to peer supervision.",
                "",
            ),
        ],
    ),
    (
        "Use my authority proportionately and help practitioners be honest with families about plans",
        "I can describe, with examples from supervision, when I used my authority and why.",
        ("power", "authority"),
        [
            (Kind.COACHING, "Three coaching sessions on using authority with care, with goals agreed in the first.", ""),
            (Kind.MENTORING, "Bring one difficult decision to each mentoring session.", ""),
        ],
    ),
    (
        "Understand my team's performance data and use it to plan ahead",
        "I present the team's figures at the monthly performance meeting and explain one trend.",
        ("performance", "system"),
        [
            (Kind.TRAINING, "Performance information training: what data is collected and why.", ""),
            (Kind.OTHER, "Meet the service's data analyst to go through the team dashboard.", "An hour of the analyst's time."),
        ],
    ),
    (
        "Look after my own resilience and my team's wellbeing when pressure is high",
        "I keep protected time for my own supervision and use it, even in busy weeks.",
        ("emotion",),
        [
            (Kind.OTHER, "Join a peer supervision group for practice supervisors.", ""),
            (Kind.READING, "Read about containment of anxiety in supervision and discuss it in my own supervision.", ""),
        ],
    ),
]

# For a practitioner stepping up: Jordan, line-managed by Lucy.
STEPPING_UP = [
    (
        "Build the skills to supervise others: reflective conversations and giving feedback",
        "I supervise a student on placement with good feedback from them and their tutor.",
        ("develop", "supervision"),
        [
            (Kind.SHADOWING, "Shadow Lucy in three supervision sessions, with the supervisees' agreement.", ""),
            (Kind.TRAINING, "Practice educator training (stage 1).", "Funding for the course."),
        ],
    ),
    (
        "Understand what a practice supervisor does beyond supervision: budgets, data and partners",
        "",
        ("system", "performance"),
        [(Kind.OTHER, "Attend the service's performance meeting twice and write up what I learnt.", "")],
    ),
]

PARTNERSHIPS = [
    (PartnershipRole.Kind.SAFEGUARDING, "Safeguarding partnership: practice review sub-group", "Member"),
    (PartnershipRole.Kind.HOUSING, "Housing partnership: homelessness prevention panel", "Children's social care representative"),
    (PartnershipRole.Kind.EXPLOITATION, "Inter-agency exploitation response: weekly risk meeting", "Deputy chair"),
    (PartnershipRole.Kind.SAFEGUARDING, "Safeguarding partnership: learning and development sub-group", "Member"),
    (PartnershipRole.Kind.OTHER, "Local teaching partnership: practice educators' forum", "Lead for practice supervisors"),
]


def _days(today, n):
    return today + datetime.timedelta(days=n)


def _standards_for(person, words, rng):
    available = list(standards_for(person))
    if not available:
        return []
    matched = [s for s in available if any(word in s.title.lower() for word in words)]
    return matched[:2] if matched else rng.sample(available, 1)


class Demo:
    def __init__(self, organisation, members):
        self.organisation = organisation
        self.members = members
        self.rng = random.Random(f"trellis-development-demo-{organisation.slug}")
        self.today = timezone.localdate()
        self.admin = next(m for m in members.values() if m.has_role(Role.ORG_ADMIN))
        self.summary = {"development plans": 0, "partnership roles": 0}

    def staff(self, key):
        member = self.members.get(key)
        return StaffRecord.objects.filter(membership=member).select_related("line_manager").first() if member else None

    def writer(self, person):
        """Who writes a person's plan: themselves, or the admin for someone without a login."""
        return person.membership if person.membership_id else self.admin

    # --- Writes, through the development actions -----------------------------------------------

    def plan(self, person, goals, *, started_days_ago, overdue=False):
        """Goals with their actions, dated from `started_days_ago`; the first open action is overdue
        when asked, the earliest ones complete."""
        actor = self.writer(person)
        start = _days(self.today, -started_days_ago)
        made = []
        for index, (title, success, words, steps) in enumerate(goals):
            goal = actions.add_goal(
                person,
                actor=actor,
                title=title,
                success=success,
                standards=_standards_for(person, words, self.rng),
                target_date=_days(start, 300 + 30 * index),
            )
            for position, (kind, description, support) in enumerate(steps):
                due = _days(start, 45 + 60 * position + 20 * index)
                status = Status.NOT_STARTED
                if due < self.today:
                    status = Status.COMPLETE if self.rng.random() < 0.75 else Status.IN_PROGRESS
                elif due < _days(self.today, 60):
                    status = Status.IN_PROGRESS
                made.append(
                    actions.add_action(
                        goal,
                        actor=actor,
                        kind=kind,
                        description=description,
                        support_needed=support,
                        start_date=max(start, _days(due, -40)),
                        due_date=due,
                        status=status,
                    )
                )
        if overdue:
            # One thing slipped: an action due a fortnight ago and not finished.
            goal = made[0].goal
            action = actions.add_action(
                goal,
                actor=actor,
                kind=Kind.OBSERVATION,
                description="Observe a team manager chairing a case review where practice is being challenged.",
                due_date=_days(self.today, -14),
                start_date=_days(self.today, -60),
            )
            actions.record_progress(
                action, actor=actor, status=Status.IN_PROGRESS, text="Arranged once, then the review was cancelled. Rebooking."
            )
        for action in made:
            if action.status == Status.COMPLETE:
                actions.record_progress(action, actor=actor, status=Status.COMPLETE, text="Done. Notes in my supervision file.")
        self.summary["development plans"] += 1
        return made[0].goal.plan if made else None

    def reviewer(self, plan, *, mentor=False):
        """(member, date) to review the plan as: its person's line manager, or the admin recording the
        review of a line manager with no login; or, with `mentor`, a mentor it is shared with.
        (None, None) if nobody may."""
        manager = plan.staff.line_manager
        if mentor:
            for member in self.members.values():
                is_manager = manager is not None and manager.membership_id == member.pk
                if not is_manager and policy.allows(member, "development.review", plan):
                    return member, None
            return None, None
        if manager is not None and manager.membership_id:
            return manager.membership, None
        if policy.allows(self.admin, "development.review_plan", plan):
            return self.admin, _days(self.today, -self.rng.randint(20, 50))
        return None, None

    def agree(self, plan, comment=""):
        plan.refresh_from_db()
        actor, reviewed_on = self.reviewer(plan)
        if actor is None:
            return None
        return actions.review_plan(
            plan, actor=actor, plan_version=plan.plan_version, agree=True, comment=comment, reviewed_on=reviewed_on
        )

    def partnership(self, person, index, *, years_ago):
        kind, body, role = PARTNERSHIPS[index % len(PARTNERSHIPS)]
        actions.add_partnership_role(
            person,
            actor=self.writer(person),
            kind=kind,
            body=body,
            role=role,
            start_date=_days(self.today, -round(365 * years_ago)),
            notes="Brings the team's view of what families tell us; feeds learning back into supervision.",
        )
        self.summary["partnership roles"] += 1

    # --- The story ------------------------------------------------------------------------------

    def run(self):
        aisha, tom, lucy, jordan = (self.staff(k) for k in ("aisha", "tom", "lucy", "jordan"))
        if aisha is not None:
            plan = self.plan(aisha, GOALS[:3], started_days_ago=150, overdue=True)
            self.agree(plan, comment="A good plan. Let us look at the observation in our next supervision.")
        if tom is not None:
            plan = self.plan(tom, [GOALS[3], GOALS[4]], started_days_ago=240)
            self.agree(plan)
            goal = plan.goals.order_by("created_at").first()
            actions.add_action(
                goal,
                actor=self.writer(tom),
                kind=Kind.MENTORING,
                description="Ask a more experienced supervisor to mentor me on presenting data to senior managers.",
                due_date=_days(self.today, 90),
            )
            self.partnership(tom, 0, years_ago=1.5)
            self.partnership(tom, 1, years_ago=0.6)
        if lucy is not None:
            plan = self.plan(lucy, [GOALS[1], GOALS[0]], started_days_ago=40)
            actions.set_sharing(lucy, actor=lucy.membership, shared=True)
            plan.refresh_from_db()
            mentor, _ = self.reviewer(plan, mentor=True)
            if mentor is not None:
                actions.review_plan(
                    plan,
                    actor=mentor,
                    plan_version=plan.plan_version,
                    agree=False,
                    comment="Two strong goals. Could you add something on looking after yourself in the first year?",
                )
        if jordan is not None:
            plan = self.plan(jordan, STEPPING_UP, started_days_ago=100)
            self.agree(plan, comment="Agreed. We will review the shadowing after the first session.")
        for key in ("james", "kwame"):
            manager = self.staff(key)
            if manager is not None:
                self.partnership(manager, self.rng.randint(0, 4), years_ago=2.5)
        self.from_paper({p.pk for p in (aisha, tom, lucy) if p is not None})
        return self.summary

    def from_paper(self, done):
        """Other supervisors' plans, typed in by an admin from paper: some agreed, some not yet, some
        agreed and changed since; and the longest-serving supervisors' partnership roles."""
        people = [
            p
            for p in StaffRecord.objects.supervisors(self.today).order_by("employee_ref")
            if p.pk not in done and p.membership_id is None
        ]
        for index, person in enumerate(self.rng.sample(people, len(people) // 2)):
            goals = self.rng.sample(GOALS, self.rng.randint(1, 3))
            plan = self.plan(person, goals, started_days_ago=self.rng.randint(30, 330))
            if index % 3 != 2:
                self.agree(plan)
            if index % 5 == 4:
                goal = plan.goals.order_by("created_at").first()
                actions.update_goal(goal, actor=self.admin, expected_version=goal.version, status=Goal.Status.ACHIEVED)
        veterans = sorted(people, key=lambda p: p.supervisory_since or self.today)[:4]
        for index, person in enumerate(veterans):
            self.partnership(person, index + 2, years_ago=self.rng.uniform(1, 4))


def load(organisation, members):
    """Write the demo plans; `members` maps load_demo's keys to Memberships. Run in an active scope."""
    return Demo(organisation, members).run()
