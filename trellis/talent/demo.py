"""Demo succession planning for a demo organisation: a pipeline, gap plans and acting up.

Run after the demo workforce (it needs staff with career stages and line managers). Deterministic (a
seeded generator per organisation), dates relative to today, and written through the talent actions so
the audit trail and versions are real.
"""

import datetime
import random

from django.utils import timezone

from trellis.workforce.models import CareerStage, StaffRecord

from . import actions
from .models import ActingUpOffer, GapAction, PotentialSupervisor

STRENGTHS = [
    "Reflective and curious; newly qualified colleagues already go to them for advice. Calm when the duty desk is busy.",
    "Clear, evidence-based recording and analysis. Challenges partner agencies respectfully and well.",
    "Builds trust quickly with families and colleagues. Led the team's practice discussions while the supervisor was on leave.",
    "Strong on performance information: set up the team's tracker for visits and reviews. Interested in leadership.",
    "Thoughtful about diversity and power in their practice; mentors two students on placement.",
    "Organised and steady under pressure; handled a complex court case with little supervision.",
]
GAPS = [
    (GapAction.Kind.TRAINING, "Reflective supervision skills course (two days)."),
    (GapAction.Kind.SHADOWING, "Shadow a practice supervisor in three supervision sessions, with the supervisees' agreement."),
    (GapAction.Kind.MENTORING, "Monthly mentoring with an experienced practice supervisor from another team."),
    (GapAction.Kind.COACHING, "Coaching against the knowledge and skills statement for practice supervisors: agree three goals."),
    (GapAction.Kind.TRAINING, "Performance management procedures: the half-day session with HR."),
    (GapAction.Kind.OTHER, "Attend the service's performance meeting and present the team's data once."),
    (GapAction.Kind.ACTING_UP, "Act up to cover the next short absence of a practice supervisor."),
]
READINESS = [
    PotentialSupervisor.Readiness.READY_NOW,
    PotentialSupervisor.Readiness.WITHIN_12_MONTHS,
    PotentialSupervisor.Readiness.WITHIN_12_MONTHS,
    PotentialSupervisor.Readiness.ONE_TO_TWO_YEARS,
]


def _days_ago(today, days):
    return today - datetime.timedelta(days=days)


def load(organisation, actor):
    """Write the demo pipeline; `actor` is an organisation admin's Membership, in an active scope."""
    rng = random.Random(f"trellis-talent-demo-{organisation.slug}")
    today = timezone.localdate()
    actions.ensure_default_career_pathway(organisation)
    stages = list(CareerStage.objects.filter(organisation=organisation).order_by("position"))
    supervisory = next((s for s in stages if s.is_supervisory), None)
    if supervisory is None:
        return {"potential supervisors": 0, "acting-up opportunities": 0}
    below = {s.name for s in stages if s.position == supervisory.position - 1}
    middle = {s.name for s in stages if s.position == supervisory.position - 2}
    people = list(
        StaffRecord.objects.filter(organisation=organisation, leaving_date__isnull=True, team__isnull=False)
        .with_current_stage()
        .select_related("team", "line_manager")
        .order_by("employee_ref")
    )
    seniors = [p for p in people if p.current_stage_name in below]
    practitioners = [p for p in people if p.current_stage_name in middle]
    # Demo members who sign in as practitioners are in the pipeline, so the demo shows a person's own plan.
    signed_in = [p for p in practitioners if p.membership_id]
    others = [p for p in practitioners if not p.membership_id]
    # Seniors first: the first two plans are closed below and the next one acts up.
    chosen = rng.sample(seniors, min(len(seniors), 9)) + signed_in + rng.sample(others, min(len(others), 3))
    teams = sorted({p.team for p in people}, key=lambda t: t.name)

    plans = []
    for index, person in enumerate(chosen):
        latest = max(person.start_date, _days_ago(today, 700))
        identified_on = latest + datetime.timedelta(days=rng.randint(0, max((today - latest).days - 30, 0)))
        readiness = READINESS[index % len(READINESS)] if person.current_stage_name in below else READINESS[3]
        elsewhere = rng.random() < 0.3
        plan = actions.record_potential_supervisor(
            actor=actor,
            staff=person,
            identified_on=identified_on,
            identified_by=person.line_manager,
            source=rng.choice([PotentialSupervisor.Source.APPRAISAL] * 3 + [PotentialSupervisor.Source.PERFORMANCE_CONVERSATION]),
            strengths=rng.choice(STRENGTHS),
            best_placed_team=rng.choice(teams) if elsewhere else None,
            best_placed_service="",
            readiness=readiness,
        )
        plans.append(plan)
        for kind, description in rng.sample(GAPS, rng.randint(2, 4)):
            due = identified_on + datetime.timedelta(days=rng.randint(60, 420))
            if due < today:
                status = rng.choice([GapAction.Status.COMPLETE] * 3 + [GapAction.Status.IN_PROGRESS])
            else:
                status = rng.choice([GapAction.Status.NOT_STARTED, GapAction.Status.IN_PROGRESS])
            owner = person if kind in (GapAction.Kind.TRAINING, GapAction.Kind.OTHER) else (person.line_manager or person)
            actions.add_gap_action(
                plan, actor=actor, kind=kind, description=description, owner=owner, due_date=due, status=status
            )

    # One person appointed from the pipeline, and one who chose to stay in practice.
    if len(plans) > 4:
        actions.close_potential_supervisor(
            plans[0],
            actor=actor,
            status=PotentialSupervisor.Status.APPOINTED,
            closed_on=max(plans[0].identified_on, _days_ago(today, 40)),
            closing_note="Appointed as a practice supervisor after an open interview.",
        )
        actions.close_potential_supervisor(
            plans[1],
            actor=actor,
            status=PotentialSupervisor.Status.WITHDRAWN,
            closed_on=max(plans[1].identified_on, _days_ago(today, 90)),
            closing_note="Decided to stay in direct practice for now; happy to be asked again next year.",
        )
    in_pipeline = plans[2:] if len(plans) > 4 else plans
    if len(in_pipeline) >= 3 and teams:
        # Acting up that has happened, one being offered now, and one that was not needed after all.
        past = actions.create_acting_up(
            actor=actor,
            team=teams[0],
            stage=supervisory,
            start_date=_days_ago(today, 200),
            end_date=_days_ago(today, 110),
            reason="sickness",
            notes="Cover while the practice supervisor was off sick.",
        )
        (offer,) = actions.offer_acting_up(past, actor=actor, candidates=[in_pipeline[0]], offered_on=_days_ago(today, 214))
        actions.record_acting_up_response(offer, actor=actor, response=ActingUpOffer.Response.ACCEPTED)
        past.refresh_from_db()
        actions.assign_acting_up(past, actor=actor, staff=in_pipeline[0].staff, assigned_on=_days_ago(today, 210))

        upcoming = actions.create_acting_up(
            actor=actor,
            team=teams[min(1, len(teams) - 1)],
            stage=supervisory,
            start_date=today + datetime.timedelta(days=35),
            end_date=today + datetime.timedelta(days=35 + 270),
            reason="parental_leave",
            notes="Maternity leave cover. The team manager will supervise the person acting up fortnightly.",
        )
        offers = actions.offer_acting_up(upcoming, actor=actor, candidates=in_pipeline[1:3], offered_on=_days_ago(today, 6))
        actions.record_acting_up_response(offers[0], actor=actor, response=ActingUpOffer.Response.DECLINED)

        cancelled = actions.create_acting_up(
            actor=actor,
            team=teams[-1],
            stage=supervisory,
            start_date=_days_ago(today, 60),
            end_date=_days_ago(today, 20),
            reason="vacancy",
            notes="Filled by a permanent appointment sooner than expected.",
        )
        actions.cancel_acting_up(cancelled, actor=actor)
    return {"potential supervisors": len(plans), "acting-up opportunities": 3 if len(in_pipeline) >= 3 and teams else 0}
