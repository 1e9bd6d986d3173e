"""Every write to a supervisor's own supervision: one function per thing a person means to do.

Each re-asserts the policy, refuses a stale edit, saves and records an audit event, in one transaction.
Rules a person can break by what they enter are ValidationErrors keyed by form field.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.audit.actions import diff, record_event, snapshot
from trellis.audit.versions import ensure_current
from trellis.tenancy import policy
from trellis.workforce.models import StaffRecord

from .models import PROMPTS, SupervisionAgreement, SupervisionSession

AGREEMENT_FIELDS = ("supervisor", "frequency", "other_weeks", "length_minutes", "starts_on", "review_on", "notes")
PROMPT_FIELDS = tuple(name for prompt, _label, _hint in PROMPTS for name in (prompt, f"{prompt}_note"))
SESSION_FIELDS = ("supervisor", "held_on", "length_minutes", "format", "themes", *PROMPT_FIELDS)
MAX_MINUTES = 8 * 60


def _same_organisation(actor, *objects):
    for obj in objects:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValueError(f"{obj!r} belongs to another organisation")


def _lock(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def long_date(day):
    return f"{day.day} {day:%B %Y}"


def _apply(obj, fields, allowed, what):
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{what}() cannot change {name!r}")
        setattr(obj, name, value)


def _save(obj, actor, fields, before, verb="updated"):
    changes = diff(before, snapshot(obj, fields))
    if not changes:
        return obj
    obj.version += 1
    obj.updated_by = actor
    obj.updated_at = timezone.now()
    obj.save()
    record_event(actor=actor, verb=verb, target=obj, changes=changes)
    return obj


def _check_supervisor(person, supervisor, field="supervisor"):
    if supervisor.pk == person.pk:
        raise ValidationError({field: "Select the person who supervises them, not the person themselves"})


def _check_agreement(person, fields):
    frequency = fields["frequency"]
    if frequency not in SupervisionAgreement.Frequency.values:
        raise ValidationError({"frequency": "Select how often supervision happens"})
    if frequency == SupervisionAgreement.Frequency.OTHER:
        weeks = fields.get("other_weeks")
        if not weeks or not 1 <= weeks <= 26:
            raise ValidationError({"other_weeks": "Enter the number of weeks between sessions, from 1 to 26"})
    else:
        fields["other_weeks"] = None
    if not 1 <= fields["length_minutes"] <= MAX_MINUTES:
        raise ValidationError({"length_minutes": f"Expected length must be between 1 and {MAX_MINUTES} minutes"})
    if fields["review_on"] < fields["starts_on"]:
        raise ValidationError({"review_on": f"Review date must be on or after the start date, {long_date(fields['starts_on'])}"})


@transaction.atomic
def save_agreement(*, actor, staff, expected_version=None, **fields):
    """Set up a person's supervision agreement, or change it: who supervises them, how often, for how
    long, from when, and when it is reviewed. One agreement per person; its history keeps earlier ones."""
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"save_agreement() cannot set {sorted(unknown)!r}")
    staff = StaffRecord.objects.select_for_update(of=("self",)).select_related("line_manager").get(pk=staff.pk)
    agreement = SupervisionAgreement.objects.select_for_update().filter(staff=staff).first()
    policy.require(actor, "supervision.change_agreement", agreement or staff)
    _same_organisation(actor, staff, fields.get("supervisor"))
    if agreement is None:
        merged = {"other_weeks": None, "notes": "", **fields}
        _check_supervisor(staff, merged["supervisor"])
        if staff.has_left():
            raise ValidationError(f"{staff.full_name} left on {long_date(staff.leaving_date)}, so cannot start an agreement.")
        _check_agreement(staff, merged)
        try:
            with transaction.atomic():
                agreement = SupervisionAgreement.objects.create(
                    organisation=staff.organisation, staff=staff, created_by=actor, updated_by=actor, **merged
                )
        except IntegrityError:
            raise ValidationError(
                "Someone else set up this agreement a moment ago. Open it again to see their version."
            ) from None
        changes = diff({}, snapshot(agreement, AGREEMENT_FIELDS))
        changes["person"] = [None, staff.full_name]
        record_event(actor=actor, verb="set up supervision agreement", target=agreement, changes=changes)
        return agreement
    ensure_current(agreement, expected_version, AGREEMENT_FIELDS)
    merged = {name: fields.get(name, getattr(agreement, name)) for name in AGREEMENT_FIELDS}
    _check_supervisor(staff, merged["supervisor"])
    if merged["supervisor"].pk != agreement.supervisor_id and merged["supervisor"].has_left():
        raise ValidationError({"supervisor": f"{merged['supervisor'].full_name} has left. Select someone still in post."})
    _check_agreement(staff, merged)
    before = snapshot(agreement, AGREEMENT_FIELDS)
    _apply(agreement, merged, AGREEMENT_FIELDS, "save_agreement")
    return _save(agreement, actor, AGREEMENT_FIELDS, before, verb="changed supervision agreement")


def _check_session(staff, fields):
    held_on = fields["held_on"]
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "Date must be today or in the past"})
    if held_on < staff.start_date:
        raise ValidationError(
            {"held_on": f"Date must be on or after {long_date(staff.start_date)}, when {staff.full_name} started"}
        )
    if staff.leaving_date is not None and held_on >= staff.leaving_date:
        raise ValidationError({"held_on": f"Date must be before {long_date(staff.leaving_date)}, when {staff.full_name} left"})
    if not 1 <= fields["length_minutes"] <= MAX_MINUTES:
        raise ValidationError({"length_minutes": f"Length must be between 1 and {MAX_MINUTES} minutes"})
    if fields["format"] not in SupervisionSession.Format.values:
        raise ValidationError({"format": "Select individual or group"})
    _check_supervisor(staff, fields["supervisor"])
    for prompt, label, _hint in PROMPTS:
        if fields.get(f"{prompt}_note") and not fields.get(prompt):
            raise ValidationError({f"{prompt}_note": f"Tick {label.lower()} if you talked about it, or clear the reflection"})


@transaction.atomic
def log_session(*, actor, staff, supervisor, held_on, length_minutes, themes, format="individual", **prompts):
    """Record one of a supervisor's own supervision sessions: never case detail."""
    unknown = set(prompts) - set(PROMPT_FIELDS)
    if unknown:
        raise TypeError(f"log_session() cannot set {sorted(unknown)!r}")
    staff = StaffRecord.objects.select_related("line_manager").get(pk=staff.pk)
    policy.require(actor, "supervision.log_session", staff)
    _same_organisation(actor, staff, supervisor)
    fields = {
        "supervisor": supervisor,
        "held_on": held_on,
        "length_minutes": length_minutes,
        "format": format,
        "themes": themes,
        **{name: prompts.get(name, "" if name.endswith("_note") else False) for name in PROMPT_FIELDS},
    }
    _check_session(staff, fields)
    session = SupervisionSession.objects.create(
        organisation=staff.organisation, staff=staff, recorded_by=actor, updated_by=actor, **fields
    )
    changes = diff({}, snapshot(session, SESSION_FIELDS))
    changes["person"] = [None, staff.full_name]
    record_event(actor=actor, verb="recorded supervision session", target=session, changes=changes)
    return session


@transaction.atomic
def update_session(session, *, actor, expected_version, **fields):
    session = _lock(session)
    policy.require(actor, "supervision.log_session", session)
    _same_organisation(actor, fields.get("supervisor"))
    ensure_current(session, expected_version, SESSION_FIELDS)
    merged = {name: fields.get(name, getattr(session, name)) for name in SESSION_FIELDS}
    _check_session(session.staff, merged)
    before = snapshot(session, SESSION_FIELDS)
    _apply(session, fields, SESSION_FIELDS, "update_session")
    return _save(session, actor, SESSION_FIELDS, before)


@transaction.atomic
def delete_session(session, *, actor):
    session = _lock(session)  # the trail records what is deleted, not the caller's copy
    policy.require(actor, "supervision.log_session", session)
    record_event(
        actor=actor, verb="deleted supervision session", target=session, changes=diff(snapshot(session, SESSION_FIELDS), {})
    )
    session.delete()
