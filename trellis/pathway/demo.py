"""The demo organisations' pathway work, loaded by `manage.py load_demo` (tenancy).

Written as a story each organisation has lived through: who its stakeholders are, what it planned,
what happened to those plans, which outcomes it has achieved and how its people answered the
reflective questions. Everything is written through pathway.actions, so the demo's audit trail and
record histories are the ones real use would leave. Dates are relative to today, so the demo never
goes stale: an action due "-30" days is always a month overdue.

People are referred to by their first name in lower case, as tenancy's load_demo keys them.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from . import actions
from .models import Action, Outcome, Stage, Stakeholder

Status = Action.Status
Engagement = Stakeholder.Engagement


@dataclass(frozen=True)
class Group:
    name: str
    role: str
    engagement: Engagement
    notes: str = ""


@dataclass(frozen=True)
class Step:
    """Something that happened to an action after it was added: a new status, a new date or a comment."""

    by: str
    text: str = ""
    status: Status | None = None
    due_in_days: int | None = None


@dataclass(frozen=True)
class Planned:
    """A row of the action plan. `owner` is a person's key or a stakeholder's name."""

    outcome: str
    description: str
    owner: str
    due_in_days: int
    support: str = ""
    status: Status = Status.NOT_STARTED
    by: str = ""  # who added it; the organisation's pathway lead when blank
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Progress:
    """An outcome marked achieved some days ago or, without `achieved_days_ago`, a note on where it stands."""

    outcome: str
    by: str
    evidence: str
    achieved_days_ago: int | None = None


@dataclass(frozen=True)
class Answer:
    stage: str
    by: str
    text: str
    revised: str = ""  # a later answer from the same person; the first stays in the history


@dataclass(frozen=True)
class Story:
    lead: str
    stakeholders: tuple[Group, ...]
    actions: tuple[Planned, ...]
    outcomes: tuple[Progress, ...]
    answers: tuple[Answer, ...]


NORTHSHIRE = Story(
    lead="helen",
    stakeholders=(
        Group(
            "Practice supervisors",
            "Team managers, deputy team managers and senior practitioners who supervise social workers",
            Engagement.ENGAGED,
            "About 45 people across locality, hospital, mental health and learning disability teams.",
        ),
        Group(
            "Senior leadership team",
            "Director of Adult Social Services and heads of service",
            Engagement.CHAMPION,
            "The PQS is a standing item at the quarterly workforce board.",
        ),
        Group("Workforce development team", "Commissions and runs learning and development", Engagement.ENGAGED),
        Group(
            "Adults and carers forum",
            "People who use services and carers who co-produce service improvements",
            Engagement.AWARE,
            "Meets monthly; the coordinator asks for papers two weeks ahead, with an easy-read version.",
        ),
        Group("HR business partner", "Links supervision with appraisal, recruitment and retention", Engagement.AWARE),
        Group(
            "North West Principal Social Worker network",
            "Neighbouring authorities sharing implementation examples",
            Engagement.ENGAGED,
        ),
        Group("Communications team", "Intranet, staff bulletin and briefings", Engagement.AWARE),
    ),
    actions=(
        Planned(
            "awareness-what",
            "Identify our stakeholders and record them in Trellis",
            "fiona",
            -165,
            status=Status.COMPLETE,
        ),
        Planned(
            "awareness-what",
            "Publish an intranet page explaining what the PQS is, linking the Skills for Care Supervisors' Pathway "
            "and the Research in Practice films",
            "helen",
            -150,
            support="Communications team to set up the page and add it to the staff bulletin",
            steps=(
                Step("helen", "Draft page shared with the workforce development team for comments.", Status.IN_PROGRESS),
                Step("helen", "Page is live on the intranet and linked from the staff bulletin.", Status.COMPLETE),
            ),
        ),
        Planned(
            "awareness-what",
            "Brief the senior leadership team on what the PQS is and what it asks of practice supervisors",
            "david",
            -140,
            support="Fifteen minutes on the leadership team agenda",
            status=Status.COMPLETE,
        ),
        Planned(
            "awareness-what",
            "Share a one-page summary of the PQS at every team managers' meeting",
            "Practice supervisors",
            -125,
            support="Printed copies from the workforce development team",
            status=Status.COMPLETE,
        ),
        Planned(
            "awareness-what",
            "Run lunchtime 'What is the PQS?' sessions for practice supervisors",
            "helen",
            -110,
            support="Room bookings and a Teams link for people working remotely",
            steps=(
                Step(
                    "helen",
                    "Replaced by a slot at the practice supervisors' forum, which reaches more people.",
                    Status.CANCELLED,
                ),
            ),
        ),
        Planned(
            "understanding-why",
            "Present the Leaders' Briefing to the workforce board and agree how the PQS fits our workforce strategy",
            "david",
            -95,
            support="Time on the workforce board agenda",
            status=Status.COMPLETE,
        ),
        Planned(
            "understanding-why",
            "Review what the last Organisational Health Check told us about supervision",
            "fiona",
            -100,
            support="Health check results broken down by team",
            steps=(
                Step(
                    "fiona",
                    "Supervision happens regularly, but reflective supervision is less consistent in the hospital teams.",
                    Status.COMPLETE,
                ),
            ),
        ),
        Planned(
            "understanding-why",
            "Secure a budget line for PQS implementation in next year's workforce plan",
            "david",
            -85,
            support="Finance business partner to cost the options",
            status=Status.COMPLETE,
        ),
        Planned(
            "understanding-why",
            "Ask the adults and carers forum what good supervision of their social workers means to them",
            "Adults and carers forum",
            -45,
            support="Forum coordinator to set aside a session; an easy-read summary of the PQS",
            status=Status.IN_PROGRESS,
            steps=(Step("helen", "Session moved to next month's forum because of the carers' week event."),),
        ),
        Planned(
            "preparation-priorities",
            "Map our practice supervisors: who they are, their teams and how long each has been in role",
            "fiona",
            -30,
            support="Staff list from HR with start dates in post",
            steps=(
                Step("fiona", "HR extract received.", Status.IN_PROGRESS),
                Step("fiona", "38 of 45 supervisors confirmed; waiting on the mental health teams."),
            ),
        ),
        Planned(
            "preparation-priorities",
            "Agree our priorities for improving supervision from the health check and the forum's feedback",
            "margaret",
            -5,
            support="A half-day workshop with heads of service",
            by="david",
            steps=(Step("margaret", "Workshop moved: heads of service were covering winter pressures.", due_in_days=20),),
        ),
        Planned(
            "preparation-priorities",
            "Choose the first cohort of practice supervisors, starting with the newest in post",
            "helen",
            35,
            support="The supervisor mapping finished first",
            steps=(Step("helen", "Waiting for the supervisor mapping to be finished.", Status.BLOCKED),),
        ),
        Planned(
            "preparation-priorities",
            "Identify mentors for the first cohort and agree the time they can give",
            "margaret",
            45,
            support="Managers to release mentors for two hours a month",
        ),
        Planned(
            "preparation-priorities",
            "Agree who will review and moderate portfolios, including an external moderator",
            "ruth",
            50,
            support="A moderation arrangement with the PQS network",
        ),
        Planned(
            "preparation-priorities",
            "Write a business case for protected development time for practice supervisors",
            "HR business partner",
            -15,
            support="HR and finance to cost backfill for the first cohort",
            by="david",
            steps=(Step("david", "Chased at the workforce board; HR will bring figures to the next meeting."),),
        ),
        Planned(
            "initial-action-begin",
            "Draft a supervision policy and a supervision agreement template with practice supervisors",
            "james",
            90,
            support="Examples from neighbouring authorities; a legal check before it goes to the board",
        ),
        Planned(
            "initial-action-begin",
            "Add a supervision section to the appraisal form, linked to the PQS",
            "HR business partner",
            -10,
            support="A change to the HR system's appraisal template",
            steps=(Step("helen", "The appraisal form is frozen until the HR system upgrade in the autumn.", Status.BLOCKED),),
        ),
        Planned(
            "initial-action-begin",
            "Commission a learning and development programme for the first cohort",
            "Workforce development team",
            120,
            support="The budget agreed at the workforce board",
            steps=(Step("fiona", "Spoken to two providers; proposals due next month.", Status.IN_PROGRESS),),
        ),
        Planned(
            "initial-action-begin",
            "Talk to the first cohort and their mentors about the Supervisors' Pathway and the support they need",
            "aisha",
            100,
        ),
        Planned(
            "initial-action-begin",
            "Share examples of supervision policies and audit tools with neighbouring authorities",
            "North West Principal Social Worker network",
            75,
            support="A slot at the next regional network meeting",
            status=Status.IN_PROGRESS,
        ),
        Planned(
            "initial-action-begin",
            "Audit a sample of supervision records against the new policy",
            "gareth",
            150,
            support="An audit tool and two auditors for a week",
        ),
        Planned(
            "full-implementation-culture",
            "Gather feedback from practice supervisors and mentors about using the Supervisors' Pathway",
            "tom",
            210,
            support="A short survey and a focus group",
        ),
        Planned(
            "full-implementation-culture",
            "Hold a celebration event to share what practice supervisors have achieved",
            "Senior leadership team",
            240,
            support="A venue, and the Director to open the event",
        ),
    ),
    outcomes=(
        Progress(
            "awareness-what",
            "helen",
            "Intranet page live; the PQS briefed to the leadership team and at every team managers' meeting.",
            achieved_days_ago=150,
        ),
        Progress(
            "understanding-why",
            "david",
            "The workforce board agreed how the PQS fits the workforce strategy and put a budget line in next year's plan.",
            achieved_days_ago=80,
        ),
        Progress(
            "preparation-priorities",
            "helen",
            "Supervisor mapping mostly done; the priorities workshop is booked.",
        ),
    ),
    answers=(
        Answer(
            "awareness",
            "helen",
            "Hearing from supervisors who already use the standards. A short page on the intranet is a start.",
            revised="Hearing from supervisors who already use the standards, and time in team managers' meetings to talk "
            "about them. The intranet page helped, but conversations did more.",
        ),
        Answer(
            "awareness",
            "james",
            "Seeing how the PQS fits with what we already do in supervision, so it does not feel like another form to fill in.",
        ),
        Answer(
            "understanding",
            "david",
            "Good supervision keeps experienced social workers with us and is how we learn whether adults and carers "
            "get the support they need. The PQS gives supervisors a shared language for that.",
        ),
        Answer(
            "understanding",
            "aisha",
            "Supervisors carry a lot on their own. The PQS recognises that supervising is a skill in its own right.",
        ),
        Answer(
            "preparation",
            "helen",
            "Starting with supervisors new in post, with a named mentor each, and being honest about the time it takes.",
        ),
        Answer(
            "preparation",
            "margaret",
            "Protected time. Without it the first cohort will fall behind by the second month.",
        ),
    ),
)


RIVERSIDE = Story(
    lead="olivia",
    stakeholders=(
        Group(
            "Practice supervisors",
            "Team managers and practice supervisors across assessment, family help and children in care",
            Engagement.ENGAGED,
        ),
        Group(
            "Senior leadership team",
            "Director of Children's Services and heads of service",
            Engagement.CHAMPION,
        ),
        Group("Learning and development team", "Plans and runs training for the social work workforce", Engagement.ENGAGED),
        Group(
            "Young people's participation group",
            "Children in care and care leavers who advise the trust",
            Engagement.AWARE,
            "Prefers short, informal sessions in the school holidays.",
        ),
        Group("HR business partner", "Links supervision with appraisal, recruitment and retention", Engagement.AWARE),
        Group("Social work academy", "Runs the ASYE programme and practice educator training", Engagement.ENGAGED),
        Group(
            "South West teaching partnership",
            "Universities and neighbouring trusts sharing learning",
            Engagement.AWARE,
        ),
    ),
    actions=(
        Planned(
            "awareness-what",
            "List our stakeholders, including the young people's participation group",
            "bethan",
            -120,
            status=Status.COMPLETE,
        ),
        Planned(
            "awareness-what",
            "Add a PQS page to the trust's intranet explaining the knowledge and skills statement for practice supervisors",
            "olivia",
            -110,
            support="The communications officer to publish the page",
            steps=(
                Step("olivia", "Draft written.", Status.IN_PROGRESS),
                Step("olivia", "Published and linked from the practice framework page.", Status.COMPLETE),
            ),
        ),
        Planned(
            "awareness-what",
            "Introduce the PQS at the all-staff practice week",
            "olivia",
            -100,
            support="A slot in the practice week programme",
            status=Status.COMPLETE,
        ),
        Planned(
            "awareness-what",
            "Email a PQS briefing to every team manager and practice supervisor",
            "Learning and development team",
            -105,
            support="A distribution list from HR",
            steps=(Step("olivia", "Covered by the practice week session and the intranet page.", Status.CANCELLED),),
        ),
        Planned(
            "understanding-why",
            "Share the Leaders' Briefing and the Research in Practice films with heads of service",
            "olivia",
            -40,
            status=Status.COMPLETE,
        ),
        Planned(
            "understanding-why",
            "Show how the PQS supports our practice framework and the trust's improvement plan",
            "marcus",
            -20,
            support="Time at the senior leadership away day",
            by="marcus",
            steps=(
                Step("marcus", "First draft shared at the away day; needs linking to the improvement plan.", Status.IN_PROGRESS),
            ),
        ),
        Planned(
            "understanding-why",
            "Review what the last case audits and staff survey tell us about supervision",
            "priya",
            -10,
            support="An audit summary from the quality assurance team",
            steps=(Step("priya", "The quality assurance team has no capacity until the inspection is over.", Status.BLOCKED),),
        ),
        Planned(
            "understanding-why",
            "Secure the senior leadership team's sponsorship for implementing the PQS",
            "marcus",
            15,
            support="A paper to the senior leadership team",
            status=Status.IN_PROGRESS,
        ),
        Planned(
            "understanding-why",
            "Ask the young people's participation group what they want from their social workers' supervisors",
            "Young people's participation group",
            25,
            support="The participation worker to plan an accessible session",
        ),
        Planned(
            "understanding-why",
            "Run a session for practice supervisors on why supervision matters to children and families",
            "lucy",
            30,
            support="A facilitator from the social work academy",
        ),
        Planned(
            "preparation-priorities",
            "Identify our practice supervisors and how long each has been in role",
            "bethan",
            60,
            support="HR data on start dates in post",
            steps=(Step("bethan", "Report requested from HR.", Status.IN_PROGRESS),),
        ),
        Planned(
            "preparation-priorities",
            "Decide which practice supervisors start first and who will mentor them",
            "priya",
            90,
        ),
        Planned(
            "preparation-priorities",
            "Work out the resources we need: backfill, mentoring time and portfolio reviewers",
            "HR business partner",
            100,
            support="The finance business partner to cost the options",
        ),
        Planned(
            "preparation-priorities",
            "Agree portfolio review and moderation with the South West teaching partnership",
            "ruth",
            120,
            support="A partnership agreement signed by both directors",
        ),
        Planned(
            "initial-action-begin",
            "Co-produce a supervision agreement template with practice supervisors and young people",
            "kwame",
            150,
            support="The participation worker's time",
        ),
        Planned(
            "initial-action-begin",
            "Set up a monthly action learning set for practice supervisors",
            "niamh",
            170,
            support="Facilitator training for two consultant social workers",
        ),
        Planned(
            "initial-action-begin",
            "Link supervision to the appraisal cycle",
            "HR business partner",
            200,
            support="Changes to the appraisal guidance",
        ),
        Planned(
            "full-implementation-culture",
            "Evaluate the quality of supervision with a research-informed approach, including observed supervision",
            "Social work academy",
            240,
            support="Observers trained with the Research in Practice observation template",
        ),
    ),
    outcomes=(
        Progress(
            "awareness-what",
            "olivia",
            "The PQS was introduced at practice week and is on the intranet; every team has had the briefing.",
            achieved_days_ago=95,
        ),
        Progress(
            "understanding-why",
            "marcus",
            "Heads of service have the Leaders' Briefing; sponsorship paper goes to the leadership team this month.",
        ),
    ),
    answers=(
        Answer(
            "awareness",
            "olivia",
            "Keeping it short and practical.",
            revised="Keeping it short and practical, and showing how the PQS sits alongside our practice framework "
            "rather than on top of it.",
        ),
        Answer(
            "awareness",
            "kwame",
            "Time to read it properly, and a chance to talk it through with other team managers.",
        ),
        Answer(
            "understanding",
            "marcus",
            "Children and families notice when their social worker is well supported. Supervision is where that support lives.",
        ),
        Answer(
            "understanding",
            "lucy",
            "Most of us became supervisors without much preparation. The PQS says what good looks like, which helps us ask for it.",
        ),
        Answer(
            "understanding",
            "niamh",
            "Reflective supervision keeps practice curious. The standards give us a way to notice and grow that.",
        ),
    ),
)

STORIES = {"northshire": NORTHSHIRE, "riverside": RIVERSIDE}


def load(organisation, members):
    """Write the organisation's demo story. `members` maps people's keys to their Memberships.

    Assumes the organisation is new and that an organisation scope is active; load_demo sees to both.
    Returns how many of each thing it wrote, for the command's summary.
    """
    story = STORIES[organisation.slug]
    lead = members[story.lead]
    stakeholders = {group.name: _stakeholder(group, lead) for group in story.stakeholders}
    outcomes = {outcome.key: outcome for outcome in Outcome.objects.all()}
    today = timezone.localdate()
    for planned in story.actions:
        _action(planned, outcomes, members, stakeholders, today, default_by=lead)
    for progress in story.outcomes:
        _progress(progress, outcomes, members, today)
    stages = {stage.key: stage for stage in Stage.objects.all()}
    for answer in story.answers:
        _answer(answer, stages, members)
    return {"stakeholders": len(stakeholders), "actions": len(story.actions), "answers": len(story.answers)}


def _stakeholder(group, actor):
    return actions.create_stakeholder(
        actor=actor, name=group.name, role=group.role, engagement=group.engagement, notes=group.notes
    )


def _owner(name, members, stakeholders):
    if name in members:
        return {"owner_member": members[name]}
    if name in stakeholders:
        return {"owner_stakeholder": stakeholders[name]}
    raise KeyError(f"Demo owner {name!r} is neither a member nor a stakeholder")


def _action(planned, outcomes, members, stakeholders, today, default_by):
    action = actions.create_action(
        actor=members[planned.by] if planned.by else default_by,
        outcome=outcomes[planned.outcome],
        description=planned.description,
        support_needed=planned.support,
        due_date=today + timedelta(days=planned.due_in_days),
        status=planned.status,
        **_owner(planned.owner, members, stakeholders),
    )
    for step in planned.steps:
        action = _step(action, step, members[step.by], today)
    return action


def _step(action, step, actor, today):
    if step.due_in_days is not None:
        action = actions.update_action(
            action, actor=actor, expected_version=action.version, due_date=today + timedelta(days=step.due_in_days)
        )
    if step.status is not None:
        return actions.change_action_status(action, actor=actor, status=step.status, comment=step.text)
    if step.text:
        actions.add_progress_update(action, actor=actor, text=step.text)
    return action


def _progress(progress, outcomes, members, today):
    is_achieved = progress.achieved_days_ago is not None
    return actions.mark_outcome(
        actor=members[progress.by],
        outcome=outcomes[progress.outcome],
        is_achieved=is_achieved,
        achieved_on=today - timedelta(days=progress.achieved_days_ago) if is_achieved else None,
        evidence=progress.evidence,
    )


def _answer(answer, stages, members):
    actor = members[answer.by]
    reflection = actions.save_reflection(actor=actor, stage=stages[answer.stage], answer=answer.text)
    if answer.revised:
        reflection = actions.save_reflection(
            actor=actor, stage=stages[answer.stage], answer=answer.revised, expected_version=reflection.version
        )
    return reflection
