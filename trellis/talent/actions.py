"""Every write to succession planning: one function per thing a person means to do.

Each re-asserts the policy, refuses a stale edit, saves, and records an audit event, in one transaction.
Rules a person can break by what they enter (dates in order, one plan per person, someone who has
left) are ValidationErrors keyed by form field, so a view can put them next to the field.
"""

from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from trellis.audit.actions import diff, record_event, snapshot
from trellis.audit.versions import ensure_current
from trellis.tenancy import policy
from trellis.workforce.actions import ensure_default_career_stages
from trellis.workforce.models import CareerStage, StaffRecord

from .models import ActingUpOffer, ActingUpOpportunity, CareerPathway, GapAction, PotentialSupervisor, StageSupport

DEFAULT_PATHWAY_FILE = Path(__file__).parent / "data" / "career_pathway.yaml"

SUPPORT_FIELDS = ("stage", "kind", "description")
CANDIDATE_FIELDS = (
    "identified_on",
    "identified_by",
    "source",
    "strengths",
    "best_placed_team",
    "best_placed_service",
    "readiness",
)
CLOSING_FIELDS = ("status", "closed_on", "closing_note")
GAP_FIELDS = ("kind", "description", "owner", "due_date", "status")
OPPORTUNITY_FIELDS = ("team", "stage", "start_date", "end_date", "reason", "notes")
ASSIGNMENT_FIELDS = ("status", "assigned_to", "assigned_on")
SERVICE_NAMES = {"adults": "adults' services", "children": "children's services"}


def _same_organisation(actor, *objects):
    for obj in objects:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValueError(f"{obj!r} belongs to another organisation")


def _lock(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _long_date(day):
    return f"{day.day} {day:%B %Y}"


def _not_in_future(field, label, day):
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{label} must be today or in the past"})


def _current(field, staff, what):
    """A person who has left cannot be given anything new."""
    if staff is not None and staff.has_left():
        raise ValidationError(
            {field: f"{staff.full_name} left on {_long_date(staff.leaving_date)}. Select {what} still in post."}
        )


def _save(obj, actor, fields, before, verb="updated"):
    """Bump the version and record what changed; nothing is written when nothing changed."""
    changes = diff(before, snapshot(obj, fields))
    if not changes:
        return obj
    obj.version += 1
    obj.updated_by = actor
    obj.updated_at = timezone.now()
    obj.save()
    record_event(actor=actor, verb=verb, target=obj, changes=changes)
    return obj


def _apply(obj, fields, allowed, what):
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{what}() cannot change {name!r}")
        setattr(obj, name, value)


# --- The career development pathway ---------------------------------------------------------------


def default_pathway(path=DEFAULT_PATHWAY_FILE):
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


@transaction.atomic
def ensure_default_career_pathway(organisation, *, path=DEFAULT_PATHWAY_FILE):
    """Give an organisation the default support at each default career stage, once. Safe to call on
    every page view: after the first call it is one indexed read. Returns whether it loaded anything."""
    if CareerPathway.objects.filter(organisation=organisation).exists():
        return False
    ensure_default_career_stages(organisation)
    data = default_pathway(path)
    try:
        with transaction.atomic():
            CareerPathway.objects.create(organisation=organisation, defaults_version=data.get("version"))
    except IntegrityError:
        return False  # another request loaded it a moment ago
    stages = {stage.name: stage for stage in CareerStage.objects.filter(organisation=organisation)}
    # Anything an admin added before the defaults arrived stays first.
    existing = StageSupport.objects.filter(organisation=organisation).values("stage_id").annotate(last=Max("position"))
    after = {row["stage_id"]: row["last"] for row in existing}
    rows = [
        StageSupport(
            organisation=organisation,
            stage=stages[name],
            kind=item["kind"],
            description=item["description"].strip(),
            position=after.get(stages[name].pk, 0) + position,
        )
        for name, items in data["stages"].items()
        if name in stages  # a stage the organisation renamed gets no defaults
        for position, item in enumerate(items, start=1)
    ]
    unknown = {row.kind for row in rows} - set(StageSupport.Kind.values)
    if unknown:
        raise ValueError(f"{path} names kinds of support that do not exist: {sorted(unknown)}")
    StageSupport.objects.bulk_create(rows)
    record_event(
        actor=None,
        verb="loaded the default career pathway",
        target=organisation,
        changes={"support": [None, len(rows)], "version": [None, data.get("version")]},
        organisation=organisation,
    )
    return True


def _next_position(stage):
    return (StageSupport.objects.filter(stage=stage).aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def add_stage_support(*, actor, stage, kind, description):
    policy.require(actor, "talent.manage_career_pathway")
    _same_organisation(actor, stage)
    support = StageSupport.objects.create(
        organisation=actor.organisation,
        stage=stage,
        kind=kind,
        description=description,
        position=_next_position(stage),
        updated_by=actor,
    )
    record_event(actor=actor, verb="added support", target=support, changes=diff({}, snapshot(support, SUPPORT_FIELDS)))
    return support


@transaction.atomic
def update_stage_support(support, *, actor, expected_version, **fields):
    support = _lock(support)
    policy.require(actor, "talent.manage_career_pathway", support)
    _same_organisation(actor, fields.get("stage"))
    ensure_current(support, expected_version, SUPPORT_FIELDS)
    before = snapshot(support, SUPPORT_FIELDS)
    moved = "stage" in fields and fields["stage"].pk != support.stage_id
    _apply(support, fields, SUPPORT_FIELDS, "update_stage_support")
    if moved:
        support.position = _next_position(support.stage)  # it joins the end of its new stage
    return _save(support, actor, SUPPORT_FIELDS, before)


@transaction.atomic
def move_stage_support(support, *, actor, direction):
    """Swap an item with its neighbour above or below at the same stage. Positions are renumbered
    1, 2, 3… on the way, so gaps left by removed items never make a move appear to do nothing."""
    policy.require(actor, "talent.manage_career_pathway", support)
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be up or down, not {direction!r}")
    rows = list(StageSupport.objects.select_for_update().filter(stage_id=support.stage_id).order_by("position", "kind", "pk"))
    index = next(i for i, row in enumerate(rows) if row.pk == support.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return rows[index]
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=1):
        row.position = position
    # Only the order changes, not what anyone wrote: no new version, so nobody's open edit is refused.
    StageSupport.objects.bulk_update(rows, ["position"])
    record_event(actor=actor, verb=f"moved support {direction}", target=rows[other], changes={"position": [index + 1, other + 1]})
    return rows[other]


@transaction.atomic
def remove_stage_support(support, *, actor):
    policy.require(actor, "talent.manage_career_pathway", support)
    record_event(actor=actor, verb="removed support", target=support, changes=diff(snapshot(support, SUPPORT_FIELDS), {}))
    support.delete()


# --- Potential practice supervisors -----------------------------------------------------------------


def _check_candidate(staff, fields):
    identified_on = fields.get("identified_on")
    _not_in_future("identified_on", "Date identified", identified_on)
    if identified_on is not None and identified_on < staff.start_date:
        raise ValidationError(
            {
                "identified_on": f"Date identified must be on or after {_long_date(staff.start_date)}, when {staff.full_name} started"
            }
        )
    team, service = fields.get("best_placed_team"), fields.get("best_placed_service")
    if team is not None and service and team.service != service:
        raise ValidationError(
            {
                "best_placed_service": f"{team.name} is in {SERVICE_NAMES[team.service]}. "
                f"Select {team.get_service_display().lower()}, or leave the service blank."
            }
        )


def _refuse_closed(candidate):
    if not candidate.is_active:
        raise ValidationError(
            f"{candidate.staff.full_name}'s plan was closed on {_long_date(candidate.closed_on)}. "
            "Record them again as a potential practice supervisor to start a new plan."
        )


@transaction.atomic
def record_potential_supervisor(*, actor, staff, **fields):
    """Record someone, spotted at appraisal or in a performance conversation, as a potential practice
    supervisor. One plan in the pipeline per person."""
    policy.require(actor, "talent.manage_pipeline")
    unknown = set(fields) - set(CANDIDATE_FIELDS)
    if unknown:
        raise TypeError(f"record_potential_supervisor() cannot set {sorted(unknown)!r}")
    _same_organisation(actor, staff, fields.get("identified_by"), fields.get("best_placed_team"))
    StaffRecord.objects.select_for_update().get(pk=staff.pk)  # two people recording the same person queue here
    _current("staff", staff, "someone")
    existing = PotentialSupervisor.objects.filter(staff=staff).active().first()
    if existing is not None:
        raise ValidationError(
            {
                "staff": f"{staff.full_name} is already in the pipeline, identified on {_long_date(existing.identified_on)}. "
                "Change their existing plan instead."
            }
        )
    if fields.get("identified_by") is not None and fields["identified_by"].pk == staff.pk:
        raise ValidationError({"identified_by": "Select the manager who identified them, not the person themselves"})
    _check_candidate(staff, fields)
    candidate = PotentialSupervisor.objects.create(
        organisation=actor.organisation, staff=staff, created_by=actor, updated_by=actor, **fields
    )
    changes = diff({}, snapshot(candidate, CANDIDATE_FIELDS))
    changes["person"] = [None, staff.full_name]
    record_event(actor=actor, verb="recorded potential practice supervisor", target=candidate, changes=changes)
    return candidate


@transaction.atomic
def update_potential_supervisor(candidate, *, actor, expected_version, **fields):
    """Change readiness, strengths or placement. Refused with StaleEdit if someone saved it meanwhile."""
    candidate = _lock(candidate)
    policy.require(actor, "talent.change_candidate", candidate)
    _same_organisation(actor, fields.get("identified_by"), fields.get("best_placed_team"))
    ensure_current(candidate, expected_version, CANDIDATE_FIELDS + CLOSING_FIELDS)
    _refuse_closed(candidate)
    if fields.get("identified_by") is not None and fields["identified_by"].pk == candidate.staff_id:
        raise ValidationError({"identified_by": "Select the manager who identified them, not the person themselves"})
    current = {name: getattr(candidate, name) for name in ("identified_on", "best_placed_team", "best_placed_service")}
    _check_candidate(candidate.staff, {**current, **fields})
    before = snapshot(candidate, CANDIDATE_FIELDS)
    _apply(candidate, fields, CANDIDATE_FIELDS, "update_potential_supervisor")
    return _save(candidate, actor, CANDIDATE_FIELDS, before)


@transaction.atomic
def close_potential_supervisor(candidate, *, actor, status, closed_on, closing_note, expected_version=None):
    """Take someone out of the pipeline: appointed as a supervisor, or no longer a candidate."""
    candidate = _lock(candidate)
    policy.require(actor, "talent.manage_pipeline", candidate)
    ensure_current(candidate, expected_version, CANDIDATE_FIELDS + CLOSING_FIELDS)
    _refuse_closed(candidate)
    if status not in (PotentialSupervisor.Status.APPOINTED, PotentialSupervisor.Status.WITHDRAWN):
        raise ValidationError({"status": "Select appointed or no longer in the pipeline"})
    _not_in_future("closed_on", "Date", closed_on)
    if closed_on < candidate.identified_on:
        raise ValidationError(
            {"closed_on": f"Date must be on or after {_long_date(candidate.identified_on)}, when they were identified"}
        )
    before = snapshot(candidate, CLOSING_FIELDS)
    candidate.status, candidate.closed_on, candidate.closing_note = status, closed_on, closing_note
    return _save(candidate, actor, CLOSING_FIELDS, before, verb="closed plan")


# --- Gap plans --------------------------------------------------------------------------------------


@transaction.atomic
def add_gap_action(candidate, *, actor, kind, description, owner=None, due_date=None, status=GapAction.Status.NOT_STARTED):
    policy.require(actor, "talent.change_candidate", candidate)
    _same_organisation(actor, candidate, owner)
    _refuse_closed(candidate)
    _current("owner", owner, "an owner")
    gap = GapAction.objects.create(
        organisation=candidate.organisation,
        candidate=candidate,
        kind=kind,
        description=description,
        owner=owner,
        due_date=due_date,
        status=status,
        created_by=actor,
        updated_by=actor,
    )
    record_event(actor=actor, verb="added gap plan action", target=gap, changes=diff({}, snapshot(gap, GAP_FIELDS)))
    return gap


@transaction.atomic
def update_gap_action(gap, *, actor, expected_version, **fields):
    gap = _lock(gap)
    policy.require(actor, "talent.change_candidate", gap)
    _same_organisation(actor, fields.get("owner"))
    ensure_current(gap, expected_version, GAP_FIELDS)
    _refuse_closed(gap.candidate)
    if fields.get("owner") is not None and fields["owner"].pk != gap.owner_id:
        _current("owner", fields["owner"], "an owner")
    before = snapshot(gap, GAP_FIELDS)
    _apply(gap, fields, GAP_FIELDS, "update_gap_action")
    return _save(gap, actor, GAP_FIELDS, before)


@transaction.atomic
def change_gap_action_status(gap, *, actor, status, expected_version=None):
    gap = _lock(gap)
    policy.require(actor, "talent.change_candidate", gap)
    ensure_current(gap, expected_version, GAP_FIELDS)
    _refuse_closed(gap.candidate)
    before = snapshot(gap, ["status"])
    gap.status = status
    return _save(gap, actor, ["status"], before, verb="changed status")


@transaction.atomic
def delete_gap_action(gap, *, actor):
    policy.require(actor, "talent.change_candidate", gap)
    _refuse_closed(gap.candidate)
    record_event(actor=actor, verb="deleted gap plan action", target=gap, changes=diff(snapshot(gap, GAP_FIELDS), {}))
    gap.delete()


# --- Acting-up opportunities --------------------------------------------------------------------------


def _check_dates(start_date, end_date):
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": f"The end date must be on or after the start date, {_long_date(start_date)}"})


def _refuse_cancelled(opportunity):
    if opportunity.status == ActingUpOpportunity.Status.CANCELLED:
        raise ValidationError("This acting-up opportunity was cancelled. Record a new one instead.")


@transaction.atomic
def create_acting_up(*, actor, team, stage, start_date, end_date, reason, notes=""):
    policy.require(actor, "talent.manage_pipeline")
    _same_organisation(actor, team, stage)
    _check_dates(start_date, end_date)
    opportunity = ActingUpOpportunity.objects.create(
        organisation=actor.organisation,
        team=team,
        stage=stage,
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        notes=notes,
        created_by=actor,
        updated_by=actor,
    )
    record_event(
        actor=actor,
        verb="created acting-up opportunity",
        target=opportunity,
        changes=diff({}, snapshot(opportunity, OPPORTUNITY_FIELDS)),
    )
    return opportunity


@transaction.atomic
def update_acting_up(opportunity, *, actor, expected_version, **fields):
    opportunity = _lock(opportunity)
    policy.require(actor, "talent.manage_pipeline", opportunity)
    _same_organisation(actor, fields.get("team"), fields.get("stage"))
    ensure_current(opportunity, expected_version, OPPORTUNITY_FIELDS + ASSIGNMENT_FIELDS)
    _refuse_cancelled(opportunity)
    _check_dates(fields.get("start_date", opportunity.start_date), fields.get("end_date", opportunity.end_date))
    before = snapshot(opportunity, OPPORTUNITY_FIELDS)
    _apply(opportunity, fields, OPPORTUNITY_FIELDS, "update_acting_up")
    return _save(opportunity, actor, OPPORTUNITY_FIELDS, before)


@transaction.atomic
def offer_acting_up(opportunity, *, actor, candidates, offered_on):
    """Offer an open opportunity to people in the pipeline. Returns the new offers."""
    opportunity = _lock(opportunity)
    policy.require(actor, "talent.manage_pipeline", opportunity)
    _refuse_cancelled(opportunity)
    if opportunity.status == ActingUpOpportunity.Status.FILLED:
        raise ValidationError(f"This opportunity is already filled by {opportunity.assigned_to}.")
    if not candidates:
        raise ValidationError({"candidates": "Select at least one person to offer it to"})
    _not_in_future("offered_on", "Date offered", offered_on)
    already = set(opportunity.offers.values_list("candidate_id", flat=True))
    offers = []
    for candidate in candidates:
        _same_organisation(actor, candidate)
        if not candidate.is_active:
            raise ValidationError({"candidates": f"{candidate.staff.full_name} is no longer in the pipeline"})
        _current("candidates", candidate.staff, "people")
        if candidate.pk in already:
            raise ValidationError({"candidates": f"{candidate.staff.full_name} has already been offered this opportunity"})
        offers.append(
            ActingUpOffer.objects.create(
                organisation=opportunity.organisation,
                opportunity=opportunity,
                candidate=candidate,
                offered_on=offered_on,
                created_by=actor,
            )
        )
    record_event(
        actor=actor,
        verb="offered acting up",
        target=opportunity,
        changes={"offered to": [None, [o.candidate.staff.full_name for o in offers]], "offered on": [None, offered_on]},
    )
    return offers


@transaction.atomic
def record_acting_up_response(offer, *, actor, response):
    policy.require(actor, "talent.manage_pipeline", offer)
    offer = (
        ActingUpOffer.objects.select_for_update(of=("self",)).select_related("opportunity", "candidate__staff").get(pk=offer.pk)
    )
    _refuse_cancelled(offer.opportunity)
    if response not in ActingUpOffer.Response.values:
        raise ValidationError({"response": "Select accepted or declined"})
    if response == offer.response:
        return offer
    before = offer.get_response_display()
    offer.response = response
    offer.save(update_fields=["response"])
    record_event(
        actor=actor,
        verb="recorded answer to acting-up offer",
        target=offer.opportunity,
        changes={f"answer from {offer.candidate.staff.full_name}": [before, offer.get_response_display()]},
    )
    return offer


def _not_accepted_reason(opportunity, staff):
    offer = opportunity.offers.filter(candidate__staff=staff).order_by("-offered_on").first()
    if offer is None:
        return f"{staff.full_name} was not offered this opportunity"
    if offer.response == ActingUpOffer.Response.DECLINED:
        return f"{staff.full_name} declined this opportunity"
    if offer.response == ActingUpOffer.Response.OFFERED:
        return f"{staff.full_name} has not said yet whether they accept"
    return None


@transaction.atomic
def assign_acting_up(opportunity, *, actor, staff, assigned_on, expected_version=None, even_if_not_accepted=False):
    """Give the opportunity to one person, normally someone who accepted an offer. Anyone else takes a
    deliberate second step (`even_if_not_accepted`), so nobody is given it by a slip of the list."""
    opportunity = _lock(opportunity)
    policy.require(actor, "talent.manage_pipeline", opportunity)
    _same_organisation(actor, staff)
    ensure_current(opportunity, expected_version, OPPORTUNITY_FIELDS + ASSIGNMENT_FIELDS)
    _refuse_cancelled(opportunity)
    _current("staff", staff, "someone")
    if staff.leaving_date is not None and staff.leaving_date < opportunity.end_date:
        raise ValidationError(
            {
                "staff": f"{staff.full_name} leaves on {_long_date(staff.leaving_date)}, before this acting up ends on "
                f"{_long_date(opportunity.end_date)}. Select someone else, or change the dates."
            }
        )
    _not_in_future("assigned_on", "Date assigned", assigned_on)
    reason = _not_accepted_reason(opportunity, staff)
    if reason and not even_if_not_accepted:
        raise ValidationError(
            {
                "staff": ValidationError(
                    "%(reason)s. Confirm that you want to assign them anyway.", code="not_accepted", params={"reason": reason}
                )
            }
        )
    before = snapshot(opportunity, ASSIGNMENT_FIELDS)
    opportunity.status = ActingUpOpportunity.Status.FILLED
    opportunity.assigned_to = staff
    opportunity.assigned_on = assigned_on
    changes = diff(before, snapshot(opportunity, ASSIGNMENT_FIELDS))
    if reason:
        changes["note"] = [None, reason]
    opportunity.version += 1
    opportunity.updated_by = actor
    opportunity.updated_at = timezone.now()
    opportunity.save()
    record_event(actor=actor, verb="assigned acting up", target=opportunity, changes=changes)
    return opportunity


@transaction.atomic
def cancel_acting_up(opportunity, *, actor, expected_version=None):
    opportunity = _lock(opportunity)
    policy.require(actor, "talent.manage_pipeline", opportunity)
    ensure_current(opportunity, expected_version, OPPORTUNITY_FIELDS + ASSIGNMENT_FIELDS)
    _refuse_cancelled(opportunity)
    before = snapshot(opportunity, ["status"])
    opportunity.status = ActingUpOpportunity.Status.CANCELLED
    return _save(opportunity, actor, ["status"], before, verb="cancelled acting-up opportunity")
