"""Issue 5's generated data for `make bench`: each organisation's supervisors' development.

Written the way the rest of the bench data is (generate.py's docstring): bulk_create straight into
the tables, bypassing the apps' actions, with audit events shaped like theirs for what a person does
at the top level (submitting a self-assessment, adding a goal, scheduling a session), not for every
row under it. Everything is in proportion to the organisation's supervisors (staff in post at a
supervisory career stage) and comes from the generator's one seeded `random.Random`.

The rows have to be what the actions would have left, because the pages act on what they find:
- the frameworks in force, the training catalogue and the induction checklist template exist, with
  the markers their `ensure_*` functions look for, so opening a page writes nothing;
- every supervisor in post whose supervisory spell began in the last 12 months has an open first 12
  months (induction's `supervisors_needing_a_first_year` finds nobody), or the first visit to the
  induction list would open them through the actions;
- the database's constraints hold: one draft per person and framework, one open relationship per
  mentee and kind, one live booking per person and session, notes only with their ticks...

Every organisation, the smallest included, has at least one row of everything a timed page lists and
of every status (overdue included): an empty list skips its queries, and the benchmark compares the
query counts of the smallest and the largest organisation.
"""

import datetime
import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

YEAR = 365
# Standards people more often rate lower and choose as a priority learning need (the PSDP evaluation's
# biggest areas of development: performance management, emotionally intelligent supervision), by words
# in the shipped titles.
WEAK_WORDS = ("power and authority", "assuring", "emotion", "performance")
SERVICES_FOR = {"adults": ["adults"], "children": ["children"], "both": ["adults", "children"]}
COURSE_SERVICES = {"adults": {"adults", "any"}, "children": {"children", "any"}, "both": {"adults", "children", "any"}}
STATUSES = ["not_started", "in_progress", "complete", "blocked", "cancelled"]

# Rating scales organisations use: most keep the default (frameworks.models.DEFAULT_RATING_SCALE).
THREE_STEPS = [
    (1, "Beginning", "I am starting to do this, with support."),
    (2, "Developing", "I do this, and am building confidence."),
    (3, "Established", "I do this well and consistently."),
]
FIVE_STEPS = [
    (1, "Not yet", ""),
    (2, "Emerging", ""),
    (3, "Developing", ""),
    (4, "Confident", ""),
    (5, "Expert", "I could teach this to other supervisors."),
]

STRENGTHS = [
    "Reflective conversations in supervision: I give people time to think before we decide.",
    "Staying calm and clear when the team is under pressure.",
    "Building trust with newly qualified social workers quickly.",
    "Joining up with partner agencies.",
    "Clear, timely recording of management oversight.",
]
LEARNING_NEEDS = [
    "Honest conversations about performance that still feel supportive.",
    "Using my authority proportionately when a practitioner and I disagree about risk.",
    "Making sense of the team's performance data and using it in team meetings.",
    "Noticing the emotional impact of the work on the team before it becomes a problem.",
    "Chairing group supervision so that quieter members contribute.",
]
OVERALL_STRENGTHS = "Reflective, trusted by the team, steady under pressure."
OVERALL_NEEDS = "Performance conversations and using data; I would like coaching and to shadow an experienced supervisor."
FEEDBACK_COMMENTS = [
    "Always makes time, even on a busy day.",
    "I come out of supervision knowing what to do next.",
    "Could tell us sooner when something is not going well.",
    "Good grip on the team's work; next step is to use the data in supervision.",
]
GOALS = [
    ("Hold performance conversations with confidence", "Two conversations held and reflected on with my mentor."),
    ("Use the team's data in supervision", "I bring the team's figures to every supervision and team meeting."),
    ("Run group supervision for the team", "Monthly group supervision running, with feedback from the team."),
    ("Develop emotionally intelligent supervision", "Supervisees tell me they feel heard and contained."),
    ("Build partnerships beyond the team", "A named contact in each partner agency the team works with."),
    ("Prepare for a team manager role", "Acting up for three months with my manager's support."),
]
DEVELOPMENT_ACTIONS = {
    "training": "Attend the reflective supervision skills course",
    "mentoring": "Discuss a difficult conversation with my mentor beforehand and afterwards",
    "coaching": "Six coaching sessions on using authority well",
    "shadowing": "Shadow an experienced supervisor's performance conversation",
    "reading": "Read the research summary on emotionally intelligent supervision",
    "observation": "Be observed chairing group supervision and get feedback",
    "other": "Agree protected reflection time with my line manager",
}
PARTNERSHIPS = [
    ("safeguarding", "Safeguarding adults board: learning and development sub-group", "Member"),
    ("safeguarding", "Local safeguarding children partnership: practice review group", "Member"),
    ("housing", "Housing and social care partnership", "Social care representative"),
    ("exploitation", "Exploitation and missing panel", "Deputy chair"),
    ("other", "Teaching partnership steering group", "Practice supervisor representative"),
]
EXTRA_COURSES = [
    ("Motivational interviewing for supervisors", 6, "External trainer"),
    ("Trauma-informed supervision", 6, "Research in Practice"),
    ("Chairing group supervision", 3, "Workforce development team"),
    ("Leading through change", 12, "Local university"),
    ("Recording management oversight", 3, "Quality assurance team"),
]
EXTERNAL_TRAINING = [
    ("Practice supervisor development programme", "Department for Education", "60.0"),
    ("Regional practice supervisors' conference", "Teaching partnership", "6.0"),
    ("Postgraduate certificate module: leadership", "Local university", "40.0"),
    ("E-learning: supervision and the law", "Online provider", "2.0"),
]
MENTORING_THEMES = [
    "Settling into the role; being a manager of former peers",
    "Preparing for a performance conversation",
    "Using authority well; a disagreement about risk",
    "Workload and saying no",
    "Development plan and the standards",
]
OFFER_GROUPS = [
    ["ethnic_group:asian", "ethnic_group:black", "ethnic_group:mixed"],
    ["disability:yes"],
    ["disability:yes", "ethnic_group:black"],
]
SUPERVISION_THEMES = [
    "Workload across the team and my own",
    "Settling into the role; being a manager of former peers",
    "A supervisee's wellbeing after a hard week",
    "Using the team's data at the performance meeting",
    "My development plan and the standards",
]
# (frequency, weight): supervisors' own supervision is mostly monthly.
FREQUENCIES = [("monthly", 55), ("six_weekly", 15), ("fortnightly", 14), ("weekly", 3), ("other", 13)]
COMMITMENTS = [
    "Try a new opening question in supervision and bring back what happened.",
    "Talk to the duty manager about the allocation problem before the next meeting.",
    "Ask two supervisees what they want more of from supervision.",
]


@dataclass
class Register:
    """What the workforce register holds for one organisation, as issue 5's data needs it."""

    current: list  # staff in post
    supervisors: list  # staff in post at a supervisory stage, with `bench_since` (their spell's start) and `bench_kind`
    candidates: list  # the staff records of the potential supervisors in the pipeline
    teams: list


@dataclass
class Frame:
    """A framework in force for a service, with its rating scale and standards."""

    in_use: object
    levels: list  # lowest first
    standards: list


def add_months(day, months):
    from trellis.induction.models import add_months as add

    return add(day, months)


class DevelopmentData:
    def __init__(self, generator):
        from trellis.frameworks.loader import load_frameworks
        from trellis.frameworks.models import Framework, FrameworkVersion, Standard
        from trellis.induction.actions import default_checklist
        from trellis.learning.actions import default_catalogue

        self.g = generator
        self.rng = generator.rng
        self.today, self.now = generator.today, generator.now
        load_frameworks()
        # {service: [(framework, version in force, its standards)]}, as ensure_frameworks_in_use chooses them.
        self.shipped = {}
        for framework in Framework.objects.shipped().order_by("name"):
            versions = list(FrameworkVersion.objects.filter(framework=framework))
            in_force = [v for v in versions if v.is_in_force(self.today)]
            version = (in_force or versions)[0]
            standards = list(Standard.objects.filter(version=version).order_by("position"))
            self.shipped.setdefault(framework.service, []).append((framework, version, standards))
        self.checklist = default_checklist()
        self.catalogue = default_catalogue()

    # Small helpers -------------------------------------------------------------------------------

    def at(self, day):
        """An aware time in working hours on `day`, never after now."""
        moment = datetime.datetime.combine(day, datetime.time(self.rng.randint(9, 16), self.rng.choice((0, 15, 30, 45))))
        return min(timezone.make_aware(moment), self.now)

    def days_ago(self, most, least=0):
        return self.today - timedelta(days=self.rng.randint(least, most))

    def chance(self, p):
        return self.rng.random() < p

    def event(self, verb, target, text, at, changes=None, member="admin"):
        member = self.admin if member == "admin" else member
        self.events.append(self.g.event(self.org, member, verb, target._meta.label_lower, target.pk, text, at, changes))

    def save(self, model, rows):
        return self.g.save(model, rows)

    def links(self, field, source_name, pairs):
        """Rows of a many-to-many field's table: `pairs` of (source id, standard id)."""
        through = field.through
        self.save(through, [through(**{f"{source_name}_id": a, "standard_id": b}) for a, b in pairs])

    # One organisation ------------------------------------------------------------------------------

    def organisation(self, org, register, leaders, events):
        self.org, self.admin, self.events = org, leaders[0], events
        self.by_pk = {person.pk: person for person in register.current}
        self.supervisees = {}
        for person in register.current:
            if person.line_manager_id is not None:
                self.supervisees.setdefault(person.line_manager_id, []).append(person)
        # Longest in the role first: the first few are the organisation's experienced supervisors.
        supervisors = sorted(register.supervisors, key=lambda p: (p.bench_since, p.employee_ref))
        frames = self.frameworks_in_use(org)
        self.self_assessments(register, supervisors, frames)
        self.plans(register, supervisors, frames)
        self.induction(supervisors)
        self.learning(register, supervisors)
        mentors = self.mentoring(register, supervisors, frames)
        self.peer_groups(register, supervisors, mentors)
        self.supervision(supervisors)

    def frame_for(self, frames, person):
        return frames[person.service][0]

    # Frameworks in force -------------------------------------------------------------------------------

    def frameworks_in_use(self, org):
        from trellis.frameworks.models import DEFAULT_RATING_SCALE, FrameworkInUse, RatingLevel

        scale = self.g.weighted([(DEFAULT_RATING_SCALE, 85), (THREE_STEPS, 10), (FIVE_STEPS, 5)])
        frames, in_use, levels = {}, [], []
        put_in_force = self.at(self.days_ago(900, 400))
        for service in SERVICES_FOR[org.services]:
            for framework, version, standards in self.shipped.get(service, []):
                row = FrameworkInUse(
                    id=self.g.uuid(), organisation=org, version=version, service=framework.service, updated_at=put_in_force
                )
                scale_rows = [
                    RatingLevel(
                        id=self.g.uuid(), organisation=org, framework_in_use=row, value=value, label=label, description=text
                    )
                    for value, label, text in scale
                ]
                in_use.append(row)
                levels += scale_rows
                frames.setdefault(service, []).append(Frame(row, scale_rows, standards))
        self.save(FrameworkInUse, in_use)
        self.save(RatingLevel, levels)
        self.events.append(
            self.g.event(
                org,
                None,
                "put the default frameworks in force",
                "tenancy.organisation",
                org.pk,
                org.name,
                put_in_force,
                {"frameworks": [None, [str(row.version_id) for row in in_use]]},
            )
        )
        return frames

    # Self-assessments and feedback ---------------------------------------------------------------------

    def assessment_dates(self, person, is_supervisor, first):
        """[(round, day started)], oldest first: a first-year supervisor's baseline in their first weeks
        and mid-point at six months; an experienced one's one to three rounds; a candidate's baseline."""
        rounds = ["baseline", "mid_point", "review"]
        if not is_supervisor:
            return [("baseline", self.days_ago(300, 5))]
        since = person.bench_since
        if since > self.today - timedelta(days=YEAR):
            dates = [("baseline", min(self.today, since + timedelta(days=self.rng.randint(5, 40))))]
            mid_point = since + timedelta(days=self.rng.randint(170, 200))
            if mid_point <= self.today:
                dates.append(("mid_point", mid_point))
            return dates
        if not first and self.chance(0.12):
            return []  # not started yet
        latest = self.days_ago(420, 5)
        days = [
            latest - timedelta(days=sum(self.rng.randint(150, 240) for _ in range(k)))
            for k in range(self.rng.choice((1, 2, 2, 3, 3)))
        ]
        return list(zip(rounds, sorted(days), strict=False))

    def self_assessments(self, register, supervisors, frames):
        from trellis.assessment.models import FeedbackAnswer, FeedbackRequest, SelfAssessment, StandardRating

        assessments, ratings, requests, answers = [], [], [], []
        people = [(p, True) for p in supervisors] + [(c, False) for c in register.candidates if self.chance(0.4)]
        for index, (person, is_supervisor) in enumerate(people):
            frame = self.frame_for(frames, person)
            top = len(frame.levels)
            ability = self.rng.uniform(1.5, 3.1)
            dates = self.assessment_dates(person, is_supervisor, first=index == 0)
            for n, (round_, day) in enumerate(dates):
                # The latest may be a draft; the organisation's first supervisor has a submitted one.
                draft = n == len(dates) - 1 and index > 0 and self.chance(0.15)
                submitted = None if draft else self.at(min(self.today, day + timedelta(days=self.rng.randint(0, 14))))
                started = self.at(day)
                if submitted is not None:
                    started = min(started, submitted)
                assessment = SelfAssessment(
                    id=self.g.uuid(),
                    organisation=self.org,
                    staff=person,
                    framework_in_use=frame.in_use,
                    round=round_,
                    status="draft" if draft else "submitted",
                    overall_strengths="" if draft else OVERALL_STRENGTHS,
                    overall_learning_needs="" if draft else OVERALL_NEEDS,
                    shared_with_mentor=self.chance(0.3),
                    submitted_at=submitted,
                    created_by=self.admin,
                    updated_by=self.admin,
                    created_at=started,
                    updated_at=submitted or started,
                    version=self.rng.randint(2, 8),
                )
                assessments.append(assessment)
                if draft:
                    self.event("started self-assessment", assessment, f"{person.full_name}: self-assessment", started)
                else:
                    self.event(
                        "submitted self-assessment",
                        assessment,
                        f"{person.full_name}: self-assessment",
                        submitted,
                        {"status": ["Draft", "Submitted"]},
                    )
                scores = []
                for standard in frame.standards:
                    weak = any(word in standard.title.lower() for word in WEAK_WORDS)
                    score = ability + 0.35 * n - (0.8 if weak else 0) + self.rng.uniform(-0.9, 0.9)
                    scores.append((min(max(score, 1.0), 4.0), standard))
                priorities = {s.pk for _, s in sorted(scores, key=lambda x: x[0])[: self.rng.randint(1, 2)]}
                given = {}
                for score, standard in scores:
                    value = 1 + round((score - 1) * (top - 1) / 3)
                    level = None if draft and self.chance(0.35) else frame.levels[value - 1]
                    given[standard.pk] = value
                    ratings.append(
                        StandardRating(
                            id=self.g.uuid(),
                            organisation=self.org,
                            assessment=assessment,
                            standard=standard,
                            level=level,
                            strengths=self.rng.choice(STRENGTHS) if value >= top - 1 and self.chance(0.5) else "",
                            learning_needs=self.rng.choice(LEARNING_NEEDS) if standard.pk in priorities else "",
                            is_priority=standard.pk in priorities and not draft,
                            updated_by=self.admin,
                            updated_at=submitted or started,
                        )
                    )
                if submitted is not None and self.chance(0.3):
                    self.feedback(assessment, person, frame, given, submitted, requests, answers)
        self.save(SelfAssessment, assessments)
        self.save(StandardRating, ratings)
        self.save(FeedbackRequest, requests)
        self.save(FeedbackAnswer, answers)

    def feedback(self, assessment, person, frame, given, submitted, requests, answers):
        """Feedback asked of the line manager and some supervisees (anonymous, mostly), answered or not."""
        from trellis.assessment.models import FeedbackAnswer, FeedbackRequest

        supervisees = self.supervisees.get(person.pk, [])
        asked = [(person.line_manager, "line_manager")] if person.line_manager_id else []
        asked += [(s, "supervisee") for s in self.rng.sample(supervisees, k=min(len(supervisees), self.rng.randint(0, 4)))]
        for respondent, relationship in asked:
            status = self.g.weighted([("answered", 60), ("requested", 22), ("declined", 10), ("withdrawn", 8)])
            requested = submitted + timedelta(hours=self.rng.randint(1, 48))
            answered = min(self.now, requested + timedelta(days=self.rng.randint(1, 20)))
            request = FeedbackRequest(
                id=self.g.uuid(),
                organisation=self.org,
                assessment=assessment,
                respondent=respondent,
                relationship=relationship,
                is_anonymous=relationship == "supervisee" and self.chance(0.6),
                message="I would value your view of my supervision against the standards.",
                answer_by=timezone.localtime(requested).date() + timedelta(days=21),
                status=status,
                overall_comment=self.rng.choice(FEEDBACK_COMMENTS) if status == "answered" else "",
                decline_reason="I have not worked with them long enough to say." if status == "declined" else "",
                requested_by=self.admin,
                requested_at=min(requested, self.now),
                answered_at=answered if status == "answered" else None,
                closed_at=answered if status in ("declined", "withdrawn") else None,
            )
            requests.append(request)
            self.event("asked for feedback", request, f"Feedback on {person.full_name}'s self-assessment", request.requested_at)
            if status != "answered":
                continue
            top = len(frame.levels)
            for standard in frame.standards:
                value = min(top, max(1, given[standard.pk] + self.rng.choice((-1, 0, 0, 1))))
                answers.append(
                    FeedbackAnswer(
                        id=self.g.uuid(),
                        organisation=self.org,
                        request=request,
                        standard=standard,
                        level=None if self.chance(0.1) else frame.levels[value - 1],
                        comment=self.rng.choice(FEEDBACK_COMMENTS) if self.chance(0.2) else "",
                    )
                )

    # Development plans and partnership roles -------------------------------------------------------------

    def plans(self, register, supervisors, frames):
        from trellis.development.models import (
            DevelopmentAction,
            DevelopmentPlan,
            Goal,
            PartnershipRole,
            PlanReview,
            ProgressNote,
        )

        plans, goals, goal_standards, actions, notes, reviews, roles = [], [], [], [], [], [], []
        admin_name = self.admin.user.full_name
        people = [p for p in supervisors if self.chance(0.85 if p.bench_since > self.today - timedelta(days=YEAR) else 0.65)]
        people += [c for c in register.candidates if self.chance(0.5)]
        if supervisors and supervisors[0] not in people:
            people.insert(0, supervisors[0])
        for index, person in enumerate(people):
            frame = self.frame_for(frames, person)
            created = self.days_ago(500, 20)
            plan = DevelopmentPlan(
                id=self.g.uuid(),
                organisation=self.org,
                staff=person,
                shared_with_mentor=self.chance(0.35),
                created_at=self.at(created),
                updated_by=self.admin,
                updated_at=self.at(created),
            )
            changes = 0
            last_change = plan.created_at
            # The organisation's first plan has an action of every status, all overdue, so every
            # status appears in every organisation.
            covering = index == 0
            for title, success in self.rng.sample(GOALS, k=2 if covering else self.rng.randint(1, 3)):
                added = self.at(created + timedelta(days=self.rng.randint(0, 20)))
                goal = Goal(
                    id=self.g.uuid(),
                    organisation=self.org,
                    plan=plan,
                    title=title,
                    success=success,
                    target_date=self.today + timedelta(days=self.rng.randint(-60, 300)),
                    status=self.g.weighted([("active", 75), ("achieved", 18), ("stopped", 7)]),
                    created_by=self.admin,
                    updated_by=self.admin,
                    created_at=added,
                    updated_at=added,
                )
                goals.append(goal)
                changes += 1
                self.event("added goal", goal, title, added)
                for standard in self.rng.sample(frame.standards, k=min(len(frame.standards), self.rng.randint(1, 2))):
                    goal_standards.append((goal.pk, standard.pk))
                wanted = len(STATUSES) if covering and len(goals) == 1 else self.rng.randint(1, 3)
                for k in range(wanted):
                    kind = self.rng.choice(list(DEVELOPMENT_ACTIONS))
                    due = self.today + timedelta(days=self.rng.randint(-150, 240))
                    if covering and wanted == len(STATUSES):
                        status, due = STATUSES[k], self.today - timedelta(days=self.rng.randint(1, 60))
                    elif due < self.today:
                        status = self.g.weighted(
                            [("complete", 55), ("cancelled", 8), ("in_progress", 20), ("not_started", 10), ("blocked", 7)]
                        )
                    else:
                        status = self.g.weighted(
                            [("not_started", 40), ("in_progress", 40), ("complete", 10), ("blocked", 7), ("cancelled", 3)]
                        )
                    start = min(due, added.date()) if self.chance(0.6) else None
                    action = DevelopmentAction(
                        id=self.g.uuid(),
                        organisation=self.org,
                        goal=goal,
                        kind=kind,
                        description=DEVELOPMENT_ACTIONS[kind],
                        support_needed="Time agreed with my line manager" if self.chance(0.4) else "",
                        start_date=start,
                        due_date=due,
                        status=status,
                        completed_on=max(start or added.date(), min(due, self.today) - timedelta(days=self.rng.randint(0, 20)))
                        if status == "complete"
                        else None,
                        created_by=self.admin,
                        updated_by=self.admin,
                        created_at=added,
                        updated_at=added,
                    )
                    actions.append(action)
                    changes += 1
                    self.event("added action", action, action.description, added)
                    if status != "not_started":
                        for _ in range(self.rng.randint(1, 2)):
                            notes.append(
                                ProgressNote(
                                    id=self.g.uuid(),
                                    organisation=self.org,
                                    action=action,
                                    author=self.admin,
                                    author_name=admin_name,
                                    text="Talked it through in supervision; next step agreed.",
                                    status=status,
                                    created_at=self.at(self.days_ago(max(1, (self.today - added.date()).days))),
                                )
                            )
                    last_change = max(last_change, added)
            plan.plan_version = changes
            plan.changed_at, plan.changed_by = last_change, self.admin
            plans.append(plan)
            manager = person.line_manager
            if manager is not None and self.chance(0.65):
                # Agreed by the line manager (recorded by an admin: they do not sign in); some plans
                # changed since, and some reviews are only comments.
                agreed = self.chance(0.8)
                version = changes - (self.rng.randint(1, 2) if agreed and changes > 2 and self.chance(0.2) else 0)
                reviewed = self.days_ago(max(1, (self.today - last_change.date()).days))
                review = PlanReview(
                    id=self.g.uuid(),
                    organisation=self.org,
                    plan=plan,
                    reviewer_name=manager.full_name,
                    reviewer_role="line_manager",
                    on_behalf_of=manager,
                    recorded_by=self.admin,
                    recorded_by_name=admin_name,
                    comment="A realistic plan; let us review it at the mid-point." if self.chance(0.5) else "",
                    agreed=agreed,
                    plan_version=version,
                    reviewed_on=reviewed,
                    created_at=self.at(reviewed),
                )
                reviews.append(review)
                self.event("agreed plan" if agreed else "commented on plan", plan, str(person.full_name), review.created_at)
            if self.chance(0.15):
                kind, body, role = self.rng.choice(PARTNERSHIPS)
                start = self.days_ago(900, 30)
                ended = start + timedelta(days=self.rng.randint(60, 400)) if self.chance(0.25) else None
                partnership = PartnershipRole(
                    id=self.g.uuid(),
                    organisation=self.org,
                    staff=person,
                    kind=kind,
                    body=body,
                    role=role,
                    start_date=start,
                    end_date=ended if ended and ended < self.today else None,
                    created_by=self.admin,
                    updated_by=self.admin,
                    created_at=self.at(start),
                    updated_at=self.at(start),
                )
                roles.append(partnership)
                self.event("added partnership role", partnership, f"{role}, {body}", partnership.created_at)
        self.save(DevelopmentPlan, plans)
        self.save(Goal, goals)
        self.links(Goal.standards, "goal", goal_standards)
        self.save(DevelopmentAction, actions)
        self.save(ProgressNote, notes)
        self.save(PlanReview, reviews)
        self.save(PartnershipRole, roles)

    # Induction: the checklist template and first 12 months ---------------------------------------------

    def induction(self, supervisors):
        from trellis.induction.actions import supervisors_needing_a_first_year
        from trellis.induction.models import CHECK_IN_MONTHS, CheckIn, ChecklistItem, ChecklistTemplate, FirstYear, TemplateItem

        loaded = self.at(self.days_ago(600, 300))
        self.save(
            ChecklistTemplate,
            [
                ChecklistTemplate(
                    id=self.g.uuid(), organisation=self.org, defaults_version=self.checklist.get("version"), created_at=loaded
                )
            ],
        )
        template = self.save(
            TemplateItem,
            [
                TemplateItem(
                    id=self.g.uuid(),
                    organisation=self.org,
                    title=item["title"].strip(),
                    guidance=(item.get("guidance") or "").strip(),
                    due_after_days=int(item["due_after_days"]),
                    owner_kind=item["owner"],
                    position=position,
                    updated_at=loaded,
                )
                for position, item in enumerate(self.checklist["items"], start=1)
            ],
        )
        self.events.append(
            self.g.event(
                self.org,
                None,
                "loaded the default induction checklist",
                "tenancy.organisation",
                self.org.pk,
                self.org.name,
                loaded,
                {"items": [None, len(template)], "version": [None, self.checklist.get("version")]},
            )
        )
        # Exactly the people the induction list would open a first 12 months for on its first visit.
        needing = dict(supervisors_needing_a_first_year(self.org, today=self.today).values_list("pk", "supervisory_since"))
        opened = [(self.by_pk[pk], since) for pk, since in needing.items()]
        # The earliest of them has an overdue item, so every organisation has something overdue.
        opened.sort(key=lambda pair: (pair[1], pair[0].employee_ref))
        year_ago = self.today - timedelta(days=YEAR)
        finished = [
            (p, p.bench_since)
            for p in supervisors
            if year_ago - timedelta(days=2 * YEAR) <= p.bench_since < year_ago - timedelta(days=31)
        ]
        finished = [pair for pair in finished if self.chance(0.7)]
        first_years, items, check_ins = [], [], []
        for index, (person, since) in enumerate(opened + finished):
            is_open = index < len(opened)
            ends = add_months(since, 12)
            first_year = FirstYear(
                id=self.g.uuid(),
                organisation=self.org,
                staff=person,
                start_date=since,
                ends_on=ends,
                route="acting_up" if person.bench_kind == "acting_up" else "promotion",
                opened="register",
                status="open" if is_open else "closed",
                closed_on=None if is_open else min(self.today, ends + timedelta(days=self.rng.randint(0, 30))),
                closing_reason="" if is_open else "completed",
                shared_with_mentor=self.chance(0.2),
                created_at=self.at(since),
                updated_at=self.at(since),
            )
            first_years.append(first_year)
            self.event("opened first 12 months", first_year, str(person.full_name), first_year.created_at, member=None)
            if not is_open:
                self.event(
                    "closed first 12 months", first_year, str(person.full_name), self.at(first_year.closed_on), member=None
                )
            for months in CHECK_IN_MONTHS:
                due = add_months(since, months)
                held = None
                if due <= self.today and (not is_open or self.chance(0.8)):
                    held = min(self.today, due + timedelta(days=self.rng.randint(-7, 14)))
                check_ins.append(
                    CheckIn(
                        id=self.g.uuid(),
                        organisation=self.org,
                        first_year=first_year,
                        months=months,
                        due_on=due,
                        held_on=held,
                        held_with=person.line_manager if held else None,
                        notes="Settling in well; agreed to focus on performance conversations next." if held else "",
                        updated_by=self.admin if held else None,
                        updated_at=self.at(held or since),
                    )
                )
            for position, item in enumerate(template, start=1):
                due = since + timedelta(days=item.due_after_days)
                done = None
                if not is_open or (due < self.today and not (index == 0 and position == 1) and self.chance(0.8)):
                    done = max(since, min(self.today, due - timedelta(days=self.rng.randint(0, 10))))
                elif due >= self.today and self.chance(0.1):
                    done = self.today - timedelta(days=self.rng.randint(0, max(0, (self.today - since).days)))
                items.append(
                    ChecklistItem(
                        id=self.g.uuid(),
                        organisation=self.org,
                        first_year=first_year,
                        title=item.title,
                        guidance=item.guidance,
                        owner_kind=item.owner_kind,
                        position=position,
                        due_on=due,
                        completed_on=done,
                        completed_by=self.admin if done else None,
                        created_at=first_year.created_at,
                        updated_at=self.at(done or since),
                    )
                )
        self.save(FirstYear, first_years)
        self.save(CheckIn, check_ins)
        self.save(ChecklistItem, items)

    # Training: catalogue, sessions, bookings ----------------------------------------------------------------

    def training_session(self, course, day, capacity, status="scheduled"):
        from trellis.learning.models import TrainingSession

        two_days = course.hours >= 12
        per_day = float(course.hours) / (2 if two_days else 1)
        start = datetime.time(13, 30) if per_day <= 3 and self.chance(0.5) else datetime.time(9, 30)
        end = (datetime.datetime.combine(day, start) + timedelta(hours=per_day)).time()
        online = self.chance(0.4)
        created = self.at(min(self.today, day - timedelta(days=self.rng.randint(20, 60))))
        return TrainingSession(
            id=self.g.uuid(),
            organisation=self.org,
            course=course,
            date=day,
            end_date=day + timedelta(days=7) if two_days else None,
            start_time=start,
            end_time=end,
            mode="online" if online else "in_person",
            location="Microsoft Teams" if online else self.rng.choice(["Room 2, Civic Centre", "Training suite, County Hall"]),
            capacity=capacity,
            facilitator=self.rng.choice(["Workforce development team", "Principal Social Worker", "External trainer"]),
            status=status,
            cancellation_reason="The trainer was ill; everyone booked has been offered the next session."
            if status == "cancelled"
            else "",
            created_by=self.admin,
            updated_by=self.admin,
            created_at=created,
            updated_at=created,
        )

    def booking(self, session, person, status="booked", attendance="", completed=False):
        from trellis.learning.models import Booking

        asked = self.at(min(self.today, session.date - timedelta(days=self.rng.randint(3, 60))))
        last_day = session.end_date or session.date
        return Booking(
            id=self.g.uuid(),
            organisation=self.org,
            session=session,
            staff=person,
            status=status,
            requested_at=asked,
            attendance=attendance,
            completed_on=last_day if completed else None,
            booked_by=self.admin,
            cancelled_at=asked + timedelta(days=2) if status == "cancelled" else None,
            cancelled_by=self.admin if status == "cancelled" else None,
            updated_by=self.admin,
            updated_at=asked,
        )

    def learning(self, register, supervisors):
        from trellis.learning.models import Booking, Catalogue, Course, ExternalTraining, TrainingRecord, TrainingSession

        loaded = self.at(self.days_ago(800, 500))
        self.save(
            Catalogue,
            [
                Catalogue(
                    id=self.g.uuid(), organisation=self.org, defaults_version=self.catalogue.get("version"), created_at=loaded
                )
            ],
        )
        services = COURSE_SERVICES[self.org.services]
        standards = {
            (framework.key, standard.number): standard
            for rows in self.shipped.values()
            for framework, _version, version_standards in rows
            if framework.service in services
            for standard in version_standards
        }
        courses, course_standards = [], []
        for item in self.catalogue["courses"]:
            course = Course(
                id=self.g.uuid(),
                organisation=self.org,
                title=item["title"],
                summary=" ".join(item["summary"].split()),
                audience=" ".join(item["audience"].split()),
                provider=item["provider"],
                hours=Decimal(str(item["hours"])),
                is_core=item.get("core", False),
                default_key=item["key"],
                created_at=loaded,
                updated_at=loaded,
            )
            courses.append(course)
            for link in item.get("standards", []):
                standard = standards.get((link["framework"], str(link["number"])))
                if standard is not None:
                    course_standards.append((course.pk, standard.pk))
        self.events.append(
            self.g.event(
                self.org,
                None,
                "loaded the default training catalogue",
                "tenancy.organisation",
                self.org.pk,
                self.org.name,
                loaded,
                {"courses": [None, len(courses)], "version": [None, self.catalogue.get("version")]},
            )
        )
        extra = self.rng.sample(EXTRA_COURSES, k=self.rng.randint(2, 3))
        for k, (title, hours, provider) in enumerate(extra):
            added = self.at(self.days_ago(700, 200))
            course = Course(
                id=self.g.uuid(),
                organisation=self.org,
                title=title,
                summary="A course the organisation added to its catalogue.",
                audience="Practice supervisors and senior practitioners.",
                provider=provider,
                hours=Decimal(hours),
                status="retired" if k == 2 else "offered",
                created_by=self.admin,
                updated_by=self.admin,
                created_at=added,
                updated_at=added,
            )
            courses.append(course)
            self.event("added course", course, title, added)
            if standards:
                course_standards.append((course.pk, self.rng.choice(list(standards.values())).pk))
        self.save(Course, courses)
        self.links(Course.standards, "course", course_standards)

        sessions, bookings = [], []
        year_ago = self.today - timedelta(days=YEAR)
        core = [c for c in courses if c.is_core]
        for number, course in enumerate(core):
            capacity = self.rng.randint(12, 20)
            done, coming = [], []
            for person in supervisors:
                months = max(0, (self.today - person.bench_since).days) / 30
                completes = 0.75 if person.bench_since < year_ago else 0.2 + 0.45 * months / 12
                roll = self.rng.random()
                if roll < completes:
                    done.append(person)
                elif roll < completes + 0.15:
                    coming.append(person)
            # Past sessions over two years, filled in the order people became supervisors.
            past = sorted(self.days_ago(730, 20) for _ in range(max(1, math.ceil(len(done) / capacity))))
            past_sessions = [self.training_session(course, day, capacity) for day in past]
            for i, person in enumerate(done):
                session = past_sessions[i * len(past_sessions) // len(done)]
                attended = self.chance(0.93)
                bookings.append(
                    self.booking(session, person, attendance="attended" if attended else "did_not_attend", completed=attended)
                )
            for session in past_sessions:
                self.event("added session", session, course.title, session.created_at)
                self.event("recorded attendance", session, course.title, self.at(session.end_date or session.date))
            # Upcoming sessions; the first course's next one is full with a waiting list, and its last
            # session, a few days ago, has no register taken yet.
            upcoming = sorted(
                self.today + timedelta(days=self.rng.randint(7, 150)) for _ in range(max(1, math.ceil(len(coming) / capacity)))
            )
            upcoming_sessions = [self.training_session(course, day, capacity) for day in upcoming]
            for i, person in enumerate(coming):
                bookings.append(self.booking(upcoming_sessions[i * len(upcoming_sessions) // len(coming)], person))
            if number == 0:
                first = upcoming_sessions[0]
                booked = {b.staff_id for b in bookings if b.session is first}
                if not booked:
                    bookings.append(self.booking(first, supervisors[-1]))
                    booked.add(supervisors[-1].pk)
                first.capacity = len(booked)
                others = [p for p in register.current if p.pk not in booked]
                for person in self.rng.sample(others, k=min(len(others), self.rng.randint(1, 3))):
                    bookings.append(self.booking(first, person, status="waiting"))
                recent = self.training_session(course, self.days_ago(10, 2), capacity)
                past_sessions.append(recent)
                for person in self.rng.sample(supervisors, k=min(len(supervisors), self.rng.randint(1, 4))):
                    bookings.append(self.booking(recent, person))
            if self.chance(0.3):
                cancelled = self.training_session(
                    course, self.today + timedelta(days=self.rng.randint(-200, 60)), capacity, "cancelled"
                )
                past_sessions.append(cancelled)
                for person in self.rng.sample(register.current, k=min(len(register.current), self.rng.randint(2, 5))):
                    bookings.append(self.booking(cancelled, person, status="cancelled"))
            sessions += past_sessions + upcoming_sessions
            for session in upcoming_sessions:
                self.event("added session", session, course.title, session.created_at)
        for course in courses:
            if course.is_core:
                continue
            capacity = self.rng.randint(10, 16)
            days = [self.days_ago(400, 30)] + (
                [] if course.status == "retired" else [self.today + timedelta(days=self.rng.randint(10, 120))]
            )
            for day in days:
                session = self.training_session(course, day, capacity)
                sessions.append(session)
                self.event("added session", session, course.title, session.created_at)
                ahead = day >= self.today
                for person in self.rng.sample(register.current, k=min(len(register.current), self.rng.randint(3, capacity))):
                    attended = not ahead and self.chance(0.9)
                    attendance = "" if ahead else "attended" if attended else "did_not_attend"
                    bookings.append(self.booking(session, person, attendance=attendance, completed=attended))
        self.save(TrainingSession, sessions)
        self.save(Booking, bookings)

        external, records = [], []
        for person in supervisors:
            if self.chance(0.2):
                for title, provider, hours in self.rng.sample(EXTERNAL_TRAINING, k=self.rng.randint(1, 2)):
                    added = self.at(self.days_ago(500, 5))
                    item = ExternalTraining(
                        id=self.g.uuid(),
                        organisation=self.org,
                        staff=person,
                        title=title,
                        provider=provider,
                        completed_on=added.date(),
                        hours=Decimal(hours),
                        notes="Useful ideas for group supervision." if self.chance(0.5) else "",
                        created_by=self.admin,
                        updated_by=self.admin,
                        created_at=added,
                        updated_at=added,
                    )
                    external.append(item)
                    self.event("added training done elsewhere", item, title, added)
            if self.chance(0.1):
                records.append(
                    TrainingRecord(
                        id=self.g.uuid(),
                        organisation=self.org,
                        staff=person,
                        shared_with_mentor=True,
                        updated_at=self.at(self.days_ago(300)),
                    )
                )
        self.save(ExternalTraining, external)
        self.save(TrainingRecord, records)

    # Mentoring and coaching ------------------------------------------------------------------------------

    def mentoring(self, register, supervisors, frames):
        """Mentors from the experienced supervisors; most first-year supervisors and some people in the
        pipeline mentored, some experienced supervisors coached; relationships that ended; sessions.
        Returns the mentors' staff records."""
        from trellis.mentoring.models import MentoringOffer, MentoringSession, MentorProfile, Mentorship

        n_mentors = max(1, len(supervisors) // 8)
        mentor_staff = supervisors[:n_mentors]  # the longest in the role
        profiles, load = [], {}
        for k, person in enumerate(mentor_staff):
            coaching = self.chance(0.4)
            profile = MentorProfile(
                id=self.g.uuid(),
                organisation=self.org,
                staff=person,
                capacity=self.rng.randint(1, 4),
                offers_mentoring=k == 0 or not coaching or self.chance(0.6),
                offers_coaching=coaching,
                is_available=k == 0 or self.chance(0.8),
                notes="Team manager for many years; interested in supporting new supervisors.",
                created_at=self.at(self.days_ago(800, 300)),
                updated_by=self.admin,
                updated_at=self.at(self.days_ago(300)),
            )
            profiles.append(profile)
            load[person.pk] = 0
            self.event("added mentor or coach", profile, person.full_name, profile.created_at)
        self.save(MentorProfile, profiles)

        def mentor_for(mentee, kind):
            offering = [p for p in profiles if p.offers(kind) and p.staff_id != mentee.pk]
            free = [p for p in offering if p.is_available and load[p.staff_id] < p.capacity]
            if not offering:
                return None, False
            profile = self.rng.choice(free or offering)
            return profile, not free

        year_ago = self.today - timedelta(days=YEAR)
        relationships, sessions, session_standards = [], [], []
        wanted = []
        for person in supervisors[n_mentors:]:
            if person.bench_since > year_ago:
                if self.chance(0.6) or not wanted:
                    wanted.append(
                        (
                            person,
                            "mentoring",
                            min(self.today, person.bench_since + timedelta(days=self.rng.randint(10, 60))),
                            None,
                        )
                    )
            elif self.chance(0.08):
                wanted.append((person, "coaching", self.days_ago(400, 10), None))
            if person.bench_since < year_ago and self.chance(0.1):
                began = self.days_ago(3 * YEAR, YEAR)
                wanted.append(
                    (
                        person,
                        "mentoring",
                        began,
                        min(self.today - timedelta(days=1), began + timedelta(days=self.rng.randint(150, 330))),
                    )
                )
        # The first person in the pipeline is still waiting for a mentor, so the waiting list has someone.
        wanted += [(c, "mentoring", self.days_ago(300, 10), None) for c in register.candidates[1:] if self.chance(0.25)]
        mentor_pks = {p.pk for p in mentor_staff}
        taken = set()
        for mentee, kind, began, ended in wanted:
            if mentee.pk in mentor_pks or (ended is None and (mentee.pk, kind) in taken):
                continue
            profile, over = mentor_for(mentee, kind)
            if profile is None:
                kind = "mentoring"
                profile, over = mentor_for(mentee, kind)
            if profile is None or (ended is None and (mentee.pk, kind) in taken):
                continue
            if ended is None:
                taken.add((mentee.pk, kind))
                load[profile.staff_id] += 1
            relationship = Mentorship(
                id=self.g.uuid(),
                organisation=self.org,
                mentor=profile.staff,
                mentee=mentee,
                kind=kind,
                goals="Settle into the role; build confidence in reflective supervision and performance conversations.",
                started_on=began,
                ended_on=ended,
                ending_note="Goals met; we agreed to stop." if ended else "",
                over_capacity=over and ended is None,
                created_by=self.admin,
                created_at=self.at(began),
                updated_by=self.admin,
                updated_at=self.at(ended or began),
            )
            relationships.append(relationship)
            self.event(f"matched {relationship.mentor_word}", relationship, str(mentee.full_name), relationship.created_at)
            until = ended or self.today
            standards = self.frame_for(frames, mentee).standards
            for i in range(min(8, (until - began).days // 30)):
                if self.chance(0.2):
                    continue  # a month missed
                held = began + timedelta(days=30 * (i + 1) + self.rng.randint(-5, 5))
                if held > until:
                    break
                session = MentoringSession(
                    id=self.g.uuid(),
                    organisation=self.org,
                    mentorship=relationship,
                    held_on=held,
                    duration_minutes=self.rng.choice((45, 60, 60, 90)),
                    themes=self.rng.choice(MENTORING_THEMES),
                    agreed_actions="Try the approach at the next supervision and bring back what happened."
                    if self.chance(0.6)
                    else "",
                    recorded_by=self.admin,
                    created_at=self.at(held),
                    updated_by=self.admin,
                    updated_at=self.at(held),
                )
                sessions.append(session)
                if standards and self.chance(0.5):
                    session_standards.append((session.pk, self.rng.choice(standards).pk))
        self.save(Mentorship, relationships)
        self.save(MentoringSession, sessions)
        self.links(MentoringSession.standards, "mentoringsession", session_standards)
        # The benchmark's two organisations both offer mentoring first to named groups, so their
        # overviews run the same queries (the offer's report); other organisations, some.
        if self.g.profile is not None or self.chance(0.4):
            offer = MentoringOffer(
                id=self.g.uuid(),
                organisation=self.org,
                offer_first=True,
                groups=sorted(self.rng.choice(OFFER_GROUPS)),
                updated_by=self.admin,
                updated_at=self.at(self.days_ago(400, 30)),
            )
            self.save(MentoringOffer, [offer])
            self.event("changed the coaching and mentoring offer", offer, "Coaching and mentoring offer", offer.updated_at)
        return mentor_staff

    # Peer groups and action learning sets -----------------------------------------------------------------

    def peer_groups(self, register, supervisors, mentors):
        from trellis.mentoring.models import Attendance, PeerGroup, PeerGroupMember, PeerSession

        groups, members, sessions, attendance = [], [], [], []
        pool = supervisors + register.candidates
        for index in range(max(1, len(supervisors) // 10)):
            kind = "action_learning" if index % 2 == 0 else "peer_supervision"
            started = self.days_ago(700, 60)
            ended = None
            if index > 0 and self.chance(0.15) and started < self.today - timedelta(days=240):
                ended = min(self.today - timedelta(days=1), started + timedelta(days=self.rng.randint(180, 300)))
            facilitator = self.rng.choice(mentors) if self.chance(0.7) else None
            group = PeerGroup(
                id=self.g.uuid(),
                organisation=self.org,
                kind=kind,
                name=f"{'Action learning set' if kind == 'action_learning' else 'Peer supervision group'} {index + 1}",
                purpose="Supervisors bring a live problem or dilemma; the group asks open questions and each presenter "
                "commits to an action.",
                facilitator=facilitator,
                external_facilitator="" if facilitator else "Research in Practice associate",
                meets="Monthly, 3 hours",
                started_on=started,
                ended_on=ended,
                created_by=self.admin,
                created_at=self.at(started),
                updated_by=self.admin,
                updated_at=self.at(ended or started),
            )
            groups.append(group)
            self.event("created peer group", group, group.name, group.created_at)
            group_members = []
            until = ended or self.today
            for person in self.rng.sample(pool, k=min(len(pool), self.rng.randint(5, 9))):
                joined = started + timedelta(days=self.rng.randint(0, 14))
                if joined > self.today:
                    joined = started
                left = None
                if self.chance(0.1) and (until - joined).days > 60:
                    left = joined + timedelta(days=self.rng.randint(30, (until - joined).days - 1))
                member = PeerGroupMember(
                    id=self.g.uuid(),
                    organisation=self.org,
                    group=group,
                    staff=person,
                    joined_on=joined,
                    left_on=left,
                    created_by=self.admin,
                )
                group_members.append(member)
            members += group_members
            # Monthly sessions over its last ten months; the latest past one may be waiting for its
            # attendance; two ahead while the group meets.
            first = max(started + timedelta(days=14), until - timedelta(days=300))
            days = [first + timedelta(days=30 * i) for i in range(((until - first).days // 30) + 1)]
            days = [day for day in days if day < until]
            if ended is None:
                days += [
                    self.today + timedelta(days=self.rng.randint(1, 25)),
                    self.today + timedelta(days=self.rng.randint(30, 55)),
                ]
            last_past = sum(1 for day in days if day < self.today) - 1
            for i, day in enumerate(days):
                waiting = day >= self.today or (i == last_past and self.chance(0.3))  # for its attendance
                status = "scheduled" if waiting else "cancelled" if self.chance(0.08) else "held"
                session = PeerSession(
                    id=self.g.uuid(),
                    organisation=self.org,
                    group=group,
                    held_on=day,
                    starts_at=datetime.time(10, 0) if index % 2 else datetime.time(14, 0),
                    place=self.rng.choice(["Room 4, Civic Centre", "Microsoft Teams", "Family centre meeting room"]),
                    status=status,
                    created_by=self.admin,
                    created_at=self.at(min(self.today, day - timedelta(days=20))),
                    updated_by=self.admin,
                    updated_at=self.at(min(self.today, day)),
                )
                sessions.append(session)
                if status != "held":
                    continue
                self.event("recorded attendance", session, str(group.name), self.at(day))
                present = [m for m in group_members if m.was_member_on(day)]
                attended = []
                for member in present:
                    state = self.g.weighted([("attended", 80), ("apologies", 13), ("absent", 7)])
                    row = Attendance(id=self.g.uuid(), organisation=self.org, session=session, staff=member.staff, status=state)
                    attendance.append(row)
                    if state == "attended":
                        attended.append(row)
                for row in self.rng.sample(attended, k=min(len(attended), self.rng.randint(1, 2))):
                    row.presented = True
                    row.commitment = self.rng.choice(COMMITMENTS) if self.chance(0.8) else ""
        self.save(PeerGroup, groups)
        self.save(PeerGroupMember, members)
        self.save(PeerSession, sessions)
        self.save(Attendance, attendance)

    # Supervisors' own supervision ----------------------------------------------------------------------------

    def supervision(self, supervisors):
        """Agreements for most supervisors, with whoever line-manages them (a team manager, who has no line
        manager in the register, with another team's manager); sessions over the last nine months, some
        behind; some reviews due."""
        from trellis.supervision.models import SupervisionAgreement, SupervisionSession

        managers = [p for p in supervisors if p.line_manager_id is None]
        agreements, sessions = [], []
        first_year = self.today - timedelta(days=YEAR)
        for person in supervisors:
            supervisor = person.line_manager
            if supervisor is None:
                others = [m for m in managers if m.pk != person.pk]
                supervisor = self.rng.choice(others) if others else None
            if supervisor is None or (agreements and not self.chance(0.75 if person.bench_since > first_year else 0.88)):
                continue
            frequency = self.g.weighted(FREQUENCIES)
            starts = max(person.bench_since, self.days_ago(900, 30))
            starts = min(starts, self.today)
            agreement = SupervisionAgreement(
                id=self.g.uuid(),
                organisation=self.org,
                staff=person,
                supervisor=supervisor,
                frequency=frequency,
                other_weeks=self.rng.randint(3, 8) if frequency == "other" else None,
                length_minutes=self.rng.choice((60, 90, 90, 120)),
                starts_on=starts,
                review_on=add_months(starts, 12 if self.chance(0.75) else 6),
                notes="Protected time, not moved for allocation meetings." if self.chance(0.3) else "",
                created_by=self.admin,
                created_at=self.at(starts),
                updated_by=self.admin,
                updated_at=self.at(starts),
            )
            agreements.append(agreement)
            self.event(
                "set up supervision agreement", agreement, f"Supervision agreement for {person.full_name}", agreement.created_at
            )
            # The first is behind, and so are some others: their sessions stop a few intervals ago.
            behind = len(agreements) == 1 or self.chance(0.15)
            stop = self.today
            day = max(starts, self.today - timedelta(days=270))
            for _ in range(3 if behind else 0):
                stop = stop - (agreement.due_after(stop) - stop)
            while True:
                day = agreement.due_after(day) + timedelta(days=self.rng.randint(-3, 4))
                if day > stop:
                    break
                ticks = {
                    name: self.chance(p)
                    for name, p in (("containment", 0.7), ("skill_development", 0.6), ("diversity_power", 0.4))
                }
                sessions.append(
                    SupervisionSession(
                        id=self.g.uuid(),
                        organisation=self.org,
                        staff=person,
                        supervisor=supervisor,
                        held_on=day,
                        length_minutes=agreement.length_minutes,
                        format="group" if self.chance(0.12) else "individual",
                        themes=self.rng.choice(SUPERVISION_THEMES),
                        **ticks,
                        containment_note="Felt heard about the pressure of the last month."
                        if ticks["containment"] and self.chance(0.3)
                        else "",
                        skill_development_note="Practised opening a performance conversation."
                        if ticks["skill_development"] and self.chance(0.3)
                        else "",
                        diversity_power_note="Thought about whose voices are heard in team meetings."
                        if ticks["diversity_power"] and self.chance(0.3)
                        else "",
                        recorded_by=self.admin,
                        created_at=self.at(day),
                        updated_by=self.admin,
                        updated_at=self.at(day),
                    )
                )
        self.save(SupervisionAgreement, agreements)
        self.save(SupervisionSession, sessions)
