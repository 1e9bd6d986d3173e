"""Every write to the implementation pathway: one function per thing a person means to do.

Each re-asserts the policy (so commands and future APIs get the same rules as the views), refuses a
stale edit, saves, and records an audit event, all in one transaction.
"""

from django.db import transaction
from django.utils import timezone

from trellis.audit.actions import diff, record_event, snapshot
from trellis.audit.versions import ensure_current
from trellis.tenancy import policy

from .models import Action, OutcomeProgress, ProgressUpdate, Reflection, Stakeholder

ACTION_FIELDS = ("outcome", "description", "support_needed", "owner_member", "owner_stakeholder", "due_date", "status")
PROGRESS_FIELDS = ("is_achieved", "achieved_on", "evidence", "evidence_link_label")
STAKEHOLDER_FIELDS = ("name", "role", "engagement", "notes", "staff")


def _same_organisation(actor, *objects):
    for obj in objects:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValueError(f"{obj!r} belongs to another organisation")


def _lock(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


@transaction.atomic
def mark_outcome(*, actor, outcome, is_achieved, achieved_on=None, evidence="", evidence_link=None, expected_version=None):
    """Mark one of the template's outcomes achieved (with the date) or not yet, with an evidence note.

    `evidence_link`: a (path, label) pair from `evidence.choices_for` pointing at a record elsewhere in
    Trellis, ("", "") to clear it, or None to leave it as it is."""
    policy.require(actor, "pathway.mark_outcome")
    progress, created = OutcomeProgress.objects.select_for_update().get_or_create(
        organisation=actor.organisation, outcome=outcome, defaults={"updated_by": actor}
    )
    if not created:
        ensure_current(progress, expected_version, PROGRESS_FIELDS)
    before = snapshot(progress, PROGRESS_FIELDS) if not created else {}
    progress.is_achieved = is_achieved
    progress.achieved_on = (achieved_on or timezone.localdate()) if is_achieved else None
    progress.evidence = evidence
    if evidence_link is not None:
        progress.evidence_link, progress.evidence_link_label = evidence_link
    progress.updated_by = actor
    progress.updated_at = timezone.now()
    progress.version += 0 if created else 1
    progress.save()
    record_event(
        actor=actor,
        verb="marked achieved" if is_achieved else "marked not yet achieved",
        target=progress,
        changes=diff(before, snapshot(progress, PROGRESS_FIELDS)),
    )
    return progress


@transaction.atomic
def save_reflection(*, actor, stage, answer, expected_version=None):
    """Answer a stage's reflective question, or revise your answer; the earlier version is kept."""
    policy.require(actor, "pathway.answer_reflection")
    reflection = Reflection.objects.select_for_update().filter(stage=stage, author=actor).first()
    if reflection is None:
        reflection = Reflection.objects.create(organisation=actor.organisation, stage=stage, author=actor, answer=answer)
        record_event(actor=actor, verb="answered", target=reflection, changes={"answer": [None, answer]})
        return reflection
    ensure_current(reflection, expected_version, ("answer",))
    before = reflection.answer
    reflection.answer = answer
    reflection.updated_at = timezone.now()
    reflection.version += 1
    reflection.save()
    record_event(actor=actor, verb="revised answer", target=reflection, changes={"answer": [before, answer]})
    return reflection


@transaction.atomic
def create_action(
    *,
    actor,
    outcome,
    description,
    support_needed="",
    owner_member=None,
    owner_stakeholder=None,
    due_date=None,
    status=Action.Status.NOT_STARTED,
):
    policy.require(actor, "pathway.add_action")
    _same_organisation(actor, owner_member, owner_stakeholder)
    action = Action.objects.create(
        organisation=actor.organisation,
        outcome=outcome,
        description=description,
        support_needed=support_needed,
        owner_member=owner_member,
        owner_stakeholder=owner_stakeholder,
        due_date=due_date,
        status=status,
        created_by=actor,
        updated_by=actor,
    )
    record_event(actor=actor, verb="created", target=action, changes=diff({}, snapshot(action, ACTION_FIELDS)))
    return action


@transaction.atomic
def update_action(action, *, actor, expected_version, **fields):
    """Change an action's columns. Refused with StaleEdit if someone saved it since `expected_version`."""
    action = _lock(action)
    policy.require(actor, "pathway.change_action", action)
    _same_organisation(actor, fields.get("owner_member"), fields.get("owner_stakeholder"))
    ensure_current(action, expected_version, ACTION_FIELDS)
    before = snapshot(action, ACTION_FIELDS)
    for name, value in fields.items():
        if name not in ACTION_FIELDS:
            raise TypeError(f"update_action() cannot change {name!r}")
        setattr(action, name, value)
    changes = diff(before, snapshot(action, ACTION_FIELDS))
    if not changes:
        return action
    action.version += 1
    action.updated_by = actor
    action.updated_at = timezone.now()
    action.save()
    record_event(actor=actor, verb="updated", target=action, changes=changes)
    return action


@transaction.atomic
def change_action_status(action, *, actor, status, expected_version=None, comment=""):
    """Move an action to a new status, optionally saying why (kept as a progress update)."""
    action = _lock(action)
    policy.require(actor, "pathway.change_action", action)
    ensure_current(action, expected_version, ACTION_FIELDS)
    if status == action.status and not comment:
        return action
    before = action.status
    if status != before:
        was = snapshot(action, ["status"])
        action.status = status
        action.version += 1
        action.updated_by = actor
        action.updated_at = timezone.now()
        action.save()
        record_event(actor=actor, verb="changed status", target=action, changes=diff(was, snapshot(action, ["status"])))
    if comment:
        _add_update(action, actor=actor, text=comment, status=status if status != before else "")
    return action


def _add_update(action, *, actor, text, status=""):
    update = ProgressUpdate.objects.create(
        organisation=action.organisation, action=action, author=actor, text=text, status=status
    )
    record_event(actor=actor, verb="added progress update", target=action, changes={"progress update": [None, text]})
    return update


@transaction.atomic
def add_progress_update(action, *, actor, text):
    policy.require(actor, "pathway.change_action", action)
    return _add_update(action, actor=actor, text=text)


@transaction.atomic
def delete_action(action, *, actor):
    policy.require(actor, "pathway.delete_action", action)
    record_event(actor=actor, verb="deleted", target=action, changes=diff(snapshot(action, ACTION_FIELDS), {}))
    action.delete()


def record_export(*, actor, target, file_format, rows):
    """Exports leave the building: the trail says who took what."""
    policy.require(actor, "pathway.export")
    return record_event(
        actor=actor, verb="exported action plan", target=target, changes={"format": [None, file_format], "rows": [None, rows]}
    )


@transaction.atomic
def create_stakeholder(*, actor, name, role, engagement, notes="", staff=None):
    policy.require(actor, "pathway.manage_stakeholders")
    _same_organisation(actor, staff)
    stakeholder = Stakeholder.objects.create(
        organisation=actor.organisation, name=name, role=role, engagement=engagement, notes=notes, staff=staff
    )
    record_event(actor=actor, verb="created", target=stakeholder, changes=diff({}, snapshot(stakeholder, STAKEHOLDER_FIELDS)))
    return stakeholder


@transaction.atomic
def update_stakeholder(stakeholder, *, actor, expected_version=None, **fields):
    policy.require(actor, "pathway.manage_stakeholders", stakeholder)
    stakeholder = _lock(stakeholder)
    _same_organisation(actor, fields.get("staff"))
    ensure_current(stakeholder, expected_version, STAKEHOLDER_FIELDS)
    before = snapshot(stakeholder, STAKEHOLDER_FIELDS)
    for name, value in fields.items():
        if name not in STAKEHOLDER_FIELDS:
            raise TypeError(f"update_stakeholder() cannot change {name!r}")
        setattr(stakeholder, name, value)
    changes = diff(before, snapshot(stakeholder, STAKEHOLDER_FIELDS))
    if changes:
        stakeholder.version += 1
        stakeholder.save()
        record_event(actor=actor, verb="updated", target=stakeholder, changes=changes)
    return stakeholder


class StakeholderInUse(Exception):
    pass


@transaction.atomic
def delete_stakeholder(stakeholder, *, actor):
    policy.require(actor, "pathway.manage_stakeholders", stakeholder)
    owned = stakeholder.actions.count()
    if owned:
        raise StakeholderInUse(f"{stakeholder} owns {owned} action{'s' if owned != 1 else ''}. Give them another owner first.")
    record_event(actor=actor, verb="deleted", target=stakeholder, changes=diff(snapshot(stakeholder, STAKEHOLDER_FIELDS), {}))
    stakeholder.delete()
