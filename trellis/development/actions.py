"""Every write to development plans and partnership roles: one function per thing a person means to do.

Each re-asserts the policy, refuses a stale edit, saves, and records an audit event, in one transaction.
Rules a person can break by what they enter are ValidationErrors keyed by form field.

A change to what the plan says (a goal, or an action's content) locks the plan row and moves its
`plan_version` on, so changes queue one behind another and a reviewer always agrees a version that
existed. Progress (an action's status and notes) leaves `plan_version` alone: agreeing a plan is about
what it sets out to do, not how far it has got.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.audit.actions import diff, record_event, snapshot
from trellis.audit.versions import ensure_current
from trellis.tenancy import policy

from .models import DevelopmentAction, DevelopmentPlan, Goal, PartnershipRole, PlanReview, ProgressNote
from .queries import standards_for

GOAL_FIELDS = ("title", "success", "target_date", "status")
ACTION_FIELDS = ("kind", "description", "support_needed", "start_date", "due_date")
PARTNERSHIP_FIELDS = ("kind", "body", "role", "start_date", "end_date", "notes")


def _same_organisation(actor, *objects):
    for obj in objects:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValueError(f"{obj!r} belongs to another organisation")


def _lock(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _long_date(day):
    return f"{day.day} {day:%B %Y}"


def _name(actor):
    return actor.user.full_name or actor.user.email


def _short(text, words=12):
    words_list = text.split()
    return " ".join(words_list[:words]) + ("…" if len(words_list) > words else "")


def _apply(obj, fields, allowed, what):
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{what}() cannot change {name!r}")
        setattr(obj, name, value)


def _refuse_if_left(staff):
    if staff.has_left():
        raise ValidationError(
            f"{staff.full_name} left on {_long_date(staff.leaving_date)}. Their development record is kept, "
            "but can no longer be changed."
        )


def _not_in_future(field, label, day):
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{label} must be today or in the past"})


def _plan_of(staff, *, actor):
    """The person's plan, locked, made now if they have none yet."""
    plan = DevelopmentPlan.objects.select_for_update().filter(staff=staff).first()
    if plan is not None:
        return plan
    try:
        with transaction.atomic():
            DevelopmentPlan.objects.create(organisation=staff.organisation, staff=staff, updated_by=actor)
    except IntegrityError:
        pass  # made a moment ago by another request; the lock below waits for it
    return DevelopmentPlan.objects.select_for_update().get(staff=staff)


def _plan_changed(plan, actor, what):
    """What the plan says changed: a new version of it, which any earlier agreement no longer covers.
    `what` is kept in the plan's history, for "what changed since it was agreed"."""
    plan.plan_version += 1
    plan.changed_at = timezone.now()
    plan.changed_by = actor
    plan._change_reason = what
    plan.save(update_fields=["plan_version", "changed_at", "changed_by"])


def _check_standards(staff, standards, keep=()):
    """Standards from the frameworks the person works against (or already linked to this goal)."""
    available = standards_for(staff, keep=keep)
    allowed = {standard.pk for standard in available}
    if any(standard.pk not in allowed for standard in standards):
        raise ValidationError({"standards": "Select standards from the frameworks listed"})
    if allowed and not standards:
        raise ValidationError({"standards": "Select at least one standard this goal develops"})


def _goal_snapshot(goal, standards=None):
    values = snapshot(goal, GOAL_FIELDS)
    values["standards"] = sorted(str(s) for s in (standards if standards is not None else goal.standards.all()))
    return values


# --- Sharing --------------------------------------------------------------------------------------------


@transaction.atomic
def set_sharing(staff, *, actor, shared):
    """The person chooses whether their mentor or coach sees their plan and partnership roles. A choice
    only they make, so an admin who keeps someone's plan cannot make it for them."""
    policy.require(actor, "development.change_own", staff)
    _same_organisation(actor, staff)
    plan = _plan_of(staff, actor=actor)
    if plan.shared_with_mentor == shared:
        return plan
    plan.shared_with_mentor = shared
    plan.version += 1
    plan.updated_by = actor
    plan.updated_at = timezone.now()
    plan.save()
    verb = "shared plan with mentor" if shared else "stopped sharing plan with mentor"
    record_event(actor=actor, verb=verb, target=plan, changes={"shared with their mentor": [not shared, shared]})
    return plan


# --- Goals ------------------------------------------------------------------------------------------------


@transaction.atomic
def add_goal(staff, *, actor, title, standards=(), success="", target_date=None, status=Goal.Status.ACTIVE):
    policy.require(actor, "development.change_plan", staff)
    _same_organisation(actor, staff)
    _refuse_if_left(staff)
    standards = list(standards)
    _check_standards(staff, standards)
    plan = _plan_of(staff, actor=actor)
    goal = Goal.objects.create(
        organisation=plan.organisation,
        plan=plan,
        title=title,
        success=success,
        target_date=target_date,
        status=status,
        created_by=actor,
        updated_by=actor,
    )
    goal.standards.set(standards)
    _plan_changed(plan, actor, f"Added goal: {goal.title}")
    record_event(actor=actor, verb="added goal", target=goal, changes=diff({}, _goal_snapshot(goal, standards)))
    return goal


@transaction.atomic
def update_goal(goal, *, actor, expected_version, standards=None, **fields):
    policy.require(actor, "development.change_plan", goal)
    plan = _plan_of(goal.plan.staff, actor=actor)
    goal = _lock(goal)
    ensure_current(goal, expected_version, GOAL_FIELDS)
    _refuse_if_left(plan.staff)
    current = list(goal.standards.all())
    before = _goal_snapshot(goal, current)
    if standards is not None:
        standards = list(standards)
        _check_standards(plan.staff, standards, keep=[s.pk for s in current])
    _apply(goal, fields, GOAL_FIELDS, "update_goal")
    after = _goal_snapshot(goal, standards if standards is not None else current)
    changes = diff(before, after)
    if not changes:
        return goal
    goal.version += 1
    goal.updated_by = actor
    goal.updated_at = timezone.now()
    goal.save()
    if standards is not None:
        goal.standards.set(standards)
    _plan_changed(plan, actor, f"Changed goal: {goal.title}")
    record_event(actor=actor, verb="updated goal", target=goal, changes=changes)
    return goal


@transaction.atomic
def delete_goal(goal, *, actor):
    """Remove a goal and its actions. The audit trail keeps what it said."""
    policy.require(actor, "development.change_plan", goal)
    plan = _plan_of(goal.plan.staff, actor=actor)
    _refuse_if_left(plan.staff)
    changes = diff(_goal_snapshot(goal), {})
    changes["actions"] = [[str(action) for action in goal.actions.all()], None]
    record_event(actor=actor, verb="deleted goal", target=goal, changes=changes)
    title = goal.title
    goal.delete()
    _plan_changed(plan, actor, f"Deleted goal: {title}")


# --- Actions ----------------------------------------------------------------------------------------------


def _check_action_dates(start_date, due_date):
    if start_date and due_date and due_date < start_date:
        raise ValidationError(
            {"due_date": f"The date to be completed must be on or after the start date, {_long_date(start_date)}"}
        )


@transaction.atomic
def add_action(
    goal, *, actor, kind, description, due_date, support_needed="", start_date=None, status=DevelopmentAction.Status.NOT_STARTED
):
    policy.require(actor, "development.change_plan", goal)
    _same_organisation(actor, goal)
    plan = _plan_of(goal.plan.staff, actor=actor)
    _refuse_if_left(plan.staff)
    _check_action_dates(start_date, due_date)
    action = DevelopmentAction.objects.create(
        organisation=goal.organisation,
        goal=goal,
        kind=kind,
        description=description,
        support_needed=support_needed,
        start_date=start_date,
        due_date=due_date,
        status=status,
        completed_on=timezone.localdate() if status == DevelopmentAction.Status.COMPLETE else None,
        created_by=actor,
        updated_by=actor,
    )
    _plan_changed(plan, actor, f"Added action to “{goal.title}”: {_short(description)}")
    changes = diff({}, snapshot(action, (*ACTION_FIELDS, "status")))
    changes["goal"] = [None, goal.title]
    record_event(actor=actor, verb="added action", target=action, changes=changes)
    return action


@transaction.atomic
def update_action(action, *, actor, expected_version, **fields):
    """Change what an action is and when it is due. Its status is progress: see `record_progress`."""
    policy.require(actor, "development.change_plan", action)
    plan = _plan_of(action.goal.plan.staff, actor=actor)
    action = _lock(action)
    ensure_current(action, expected_version, (*ACTION_FIELDS, "status"))
    _refuse_if_left(plan.staff)
    _check_action_dates(fields.get("start_date", action.start_date), fields.get("due_date", action.due_date))
    before = snapshot(action, ACTION_FIELDS)
    _apply(action, fields, ACTION_FIELDS, "update_action")
    changes = diff(before, snapshot(action, ACTION_FIELDS))
    if not changes:
        return action
    action.version += 1
    action.updated_by = actor
    action.updated_at = timezone.now()
    action.save()
    _plan_changed(plan, actor, f"Changed action: {_short(action.description)}")
    record_event(actor=actor, verb="updated action", target=action, changes=changes)
    return action


@transaction.atomic
def delete_action(action, *, actor):
    policy.require(actor, "development.change_plan", action)
    plan = _plan_of(action.goal.plan.staff, actor=actor)
    _refuse_if_left(plan.staff)
    record_event(
        actor=actor, verb="deleted action", target=action, changes=diff(snapshot(action, (*ACTION_FIELDS, "status")), {})
    )
    description = action.description
    action.delete()
    _plan_changed(plan, actor, f"Deleted action: {_short(description)}")


@transaction.atomic
def record_progress(action, *, actor, status, text="", expected_version=None):
    """A dated progress note, a change of status, or both, by the person or a reviewer."""
    action = DevelopmentAction.objects.select_for_update(of=("self",)).select_related("goal__plan__staff").get(pk=action.pk)
    policy.require(actor, "development.add_progress_note", action)
    _refuse_if_left(action.staff)
    text = text.strip()
    if status not in DevelopmentAction.Status.values:
        raise ValidationError({"status": "Select the action's status"})
    moved = status != action.status
    if not moved and not text:
        raise ValidationError({"text": "Enter a progress note, or change the status"})
    if moved:
        ensure_current(action, expected_version, (*ACTION_FIELDS, "status"))
        before = snapshot(action, ["status", "completed_on"])
        action.status = status
        action.completed_on = timezone.localdate() if status == DevelopmentAction.Status.COMPLETE else None
        action.version += 1
        action.updated_by = actor
        action.updated_at = timezone.now()
        action.save()
        changes = diff(before, snapshot(action, ["status", "completed_on"]))
    else:
        changes = {}
    note = ProgressNote.objects.create(
        organisation=action.organisation,
        action=action,
        author=actor,
        author_name=_name(actor),
        text=text,
        status=status if moved else "",
    )
    if text:
        changes["progress note"] = [None, text]
    record_event(actor=actor, verb="recorded progress", target=action, changes=changes)
    return note


# --- Review -----------------------------------------------------------------------------------------------


def _reviewer(plan, actor):
    """(name, role, on behalf of) for whoever `actor` reviews this plan as."""
    staff = plan.staff
    if policy.PERMISSIONS.test_rule("development.review", actor, plan):
        manager = staff.line_manager
        if manager is not None and manager.membership_id == actor.pk:
            return _name(actor), PlanReview.Role.LINE_MANAGER, None
        return _name(actor), PlanReview.Role.MENTOR, None
    return staff.line_manager.full_name, PlanReview.Role.LINE_MANAGER, staff.line_manager


@transaction.atomic
def review_plan(plan, *, actor, plan_version, agree, comment="", reviewed_on=None):
    """Comment on a plan, agree it, or both. `plan_version` is the version the reviewer read: if the
    person changed the plan since, nothing is saved, so nobody agrees to something they did not see.

    `reviewed_on` is for an admin recording the review of a line manager who has no login, from a
    meeting or a signed paper plan; a signed-in reviewer reviews today."""
    plan = DevelopmentPlan.objects.select_for_update(of=("self",)).select_related("staff__line_manager").get(pk=plan.pk)
    policy.require(actor, "development.review_plan", plan)
    _refuse_if_left(plan.staff)
    comment = comment.strip()
    if int(plan_version) != plan.plan_version:
        raise ValidationError(
            f"{plan.staff.full_name}’s plan changed after you opened it, so your review was not saved. "
            "Read the plan as it is now, then review it again."
        )
    if agree and not plan.goals.exists():
        raise ValidationError({"agree": "There is nothing to agree yet: the plan has no goals"})
    if not agree and not comment:
        raise ValidationError({"comment": "Enter a comment, or agree the plan"})
    name, role, on_behalf_of = _reviewer(plan, actor)
    if on_behalf_of is None:
        reviewed_on = timezone.localdate()
    else:
        if reviewed_on is None:
            raise ValidationError({"reviewed_on": "Enter the date the plan was reviewed"})
        # No earliest date: the plan may have been agreed on paper before it was typed into Trellis.
        _not_in_future("reviewed_on", "The date they reviewed it", reviewed_on)
    review = PlanReview.objects.create(
        organisation=plan.organisation,
        plan=plan,
        reviewer_name=name,
        reviewer_role=role,
        on_behalf_of=on_behalf_of,
        recorded_by=actor,
        recorded_by_name=_name(actor),
        comment=comment,
        agreed=agree,
        plan_version=plan.plan_version,
        reviewed_on=reviewed_on,
    )
    changes = {"version of the plan": [None, plan.plan_version], "as their": [None, review.get_reviewer_role_display()]}
    if comment:
        changes["comment"] = [None, comment]
    if on_behalf_of is not None:
        changes["on behalf of"] = [None, on_behalf_of.full_name]
        changes["date"] = [None, reviewed_on]
    record_event(actor=actor, verb="agreed plan" if agree else "commented on plan", target=plan, changes=changes)
    return review


# --- Partnership working ------------------------------------------------------------------------------------


def _check_partnership_dates(start_date, end_date):
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": f"The end date must be on or after the start date, {_long_date(start_date)}"})


@transaction.atomic
def add_partnership_role(staff, *, actor, kind, body, role, start_date, end_date=None, notes=""):
    policy.require(actor, "development.change_plan", staff)
    _same_organisation(actor, staff)
    _refuse_if_left(staff)
    _check_partnership_dates(start_date, end_date)
    partnership = PartnershipRole.objects.create(
        organisation=staff.organisation,
        staff=staff,
        kind=kind,
        body=body,
        role=role,
        start_date=start_date,
        end_date=end_date,
        notes=notes,
        created_by=actor,
        updated_by=actor,
    )
    record_event(
        actor=actor,
        verb="added partnership role",
        target=partnership,
        changes=diff({}, snapshot(partnership, PARTNERSHIP_FIELDS)),
    )
    return partnership


@transaction.atomic
def update_partnership_role(partnership, *, actor, expected_version, **fields):
    partnership = _lock(partnership)
    policy.require(actor, "development.change_plan", partnership)
    ensure_current(partnership, expected_version, PARTNERSHIP_FIELDS)
    _refuse_if_left(partnership.staff)
    _check_partnership_dates(fields.get("start_date", partnership.start_date), fields.get("end_date", partnership.end_date))
    before = snapshot(partnership, PARTNERSHIP_FIELDS)
    _apply(partnership, fields, PARTNERSHIP_FIELDS, "update_partnership_role")
    changes = diff(before, snapshot(partnership, PARTNERSHIP_FIELDS))
    if not changes:
        return partnership
    partnership.version += 1
    partnership.updated_by = actor
    partnership.updated_at = timezone.now()
    partnership.save()
    record_event(actor=actor, verb="updated partnership role", target=partnership, changes=changes)
    return partnership


@transaction.atomic
def delete_partnership_role(partnership, *, actor):
    policy.require(actor, "development.change_plan", partnership)
    _refuse_if_left(partnership.staff)
    record_event(
        actor=actor,
        verb="deleted partnership role",
        target=partnership,
        changes=diff(snapshot(partnership, PARTNERSHIP_FIELDS), {}),
    )
    partnership.delete()
