"""Every write to coaching, mentoring and peer support: one function per thing a person means to do.

Each re-asserts the policy, refuses a stale edit, saves and records an audit event, in one transaction.
Rules a person can break by what they enter (a mentor who is full, dates out of order, someone who has
left) are ValidationErrors keyed by form field, so a view can put them next to the field.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trellis.audit.actions import diff, record_event, snapshot
from trellis.audit.versions import ensure_current
from trellis.frameworks.models import FrameworkInUse, Standard
from trellis.tenancy import policy
from trellis.workforce.models import StaffRecord

from .models import (
    Attendance,
    Kind,
    MentoringOffer,
    MentoringSession,
    MentorProfile,
    Mentorship,
    PeerGroup,
    PeerGroupMember,
    PeerSession,
    group_choices,
)

MENTOR_FIELDS = ("capacity", "offers_mentoring", "offers_coaching", "is_available", "notes")
MENTORSHIP_FIELDS = ("goals", "started_on")
ENDING_FIELDS = ("ended_on", "ending_note")
SESSION_FIELDS = ("held_on", "duration_minutes", "themes", "agreed_actions")
OFFER_FIELDS = ("offer_first", "groups")
GROUP_FIELDS = ("kind", "name", "purpose", "facilitator", "external_facilitator", "meets", "started_on", "ended_on")
PEER_SESSION_FIELDS = ("held_on", "starts_at", "place", "status")
MAX_MINUTES = 8 * 60


def _snapshot(obj, fields):
    """The audit trail stores JSON: a session's start time goes in as "09:30"."""
    return {k: v.strftime("%H:%M") if isinstance(v, datetime.time) else v for k, v in snapshot(obj, fields).items()}


def _same_organisation(actor, *objects):
    for obj in objects:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValueError(f"{obj!r} belongs to another organisation")


def _lock(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def long_date(day):
    return f"{day.day} {day:%B %Y}"


def _not_in_future(field, label, day):
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{label} must be today or in the past"})


def _current(field, staff, what):
    if staff is not None and staff.has_left():
        raise ValidationError({field: f"{staff.full_name} left on {long_date(staff.leaving_date)}. Select {what} still in post."})


def _apply(obj, fields, allowed, what):
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{what}() cannot change {name!r}")
        setattr(obj, name, value)


def _save(obj, actor, fields, before, verb="updated", extra=None):
    """Bump the version and record what changed; nothing is written when nothing changed."""
    changes = diff(before, _snapshot(obj, fields))
    changes.update(extra or {})
    if not changes:
        return obj
    obj.version += 1
    obj.updated_by = actor
    obj.updated_at = timezone.now()
    obj.save()
    record_event(actor=actor, verb=verb, target=obj, changes=changes)
    return obj


# --- Mentors and coaches ----------------------------------------------------------------------------


def _check_kinds(fields):
    if not fields.get("offers_mentoring") and not fields.get("offers_coaching"):
        raise ValidationError({"kinds": "Select mentoring, coaching or both"})


@transaction.atomic
def add_mentor(*, actor, staff, capacity, offers_mentoring=True, offers_coaching=False, is_available=True, notes=""):
    """Put someone on the list of mentors and coaches, with how many mentees they can take."""
    policy.require(actor, "mentoring.manage")
    _same_organisation(actor, staff)
    StaffRecord.objects.select_for_update().get(pk=staff.pk)  # two admins adding the same person queue here
    _current("staff", staff, "someone")
    if MentorProfile.objects.filter(staff=staff).exists():
        raise ValidationError(
            {"staff": f"{staff.full_name} is already on the list of mentors and coaches. Change their entry instead."}
        )
    fields = {
        "capacity": capacity,
        "offers_mentoring": offers_mentoring,
        "offers_coaching": offers_coaching,
        "is_available": is_available,
        "notes": notes,
    }
    _check_kinds(fields)
    profile = MentorProfile.objects.create(organisation=actor.organisation, staff=staff, updated_by=actor, **fields)
    changes = diff({}, snapshot(profile, MENTOR_FIELDS))
    changes["person"] = [None, staff.full_name]
    record_event(actor=actor, verb="added mentor or coach", target=profile, changes=changes)
    return profile


@transaction.atomic
def update_mentor(profile, *, actor, expected_version, **fields):
    profile = _lock(profile)
    policy.require(actor, "mentoring.change_mentor", profile)
    ensure_current(profile, expected_version, MENTOR_FIELDS)
    _check_kinds({name: fields.get(name, getattr(profile, name)) for name in ("offers_mentoring", "offers_coaching")})
    before = snapshot(profile, MENTOR_FIELDS)
    _apply(profile, fields, MENTOR_FIELDS, "update_mentor")
    return _save(profile, actor, MENTOR_FIELDS, before)


# --- Relationships ------------------------------------------------------------------------------------


def mentor_load(staff):
    return Mentorship.objects.filter(mentor=staff).open().count()


def _check_start(mentee, started_on):
    if started_on < mentee.start_date:
        raise ValidationError(
            {"started_on": f"Start date must be on or after {long_date(mentee.start_date)}, when {mentee.full_name} started"}
        )


@transaction.atomic
def match_mentor(*, actor, mentor, mentee, kind, goals, started_on, confirm_over_capacity=False):
    """Match a mentee with a mentor or coach. A mentor who is full, or not taking anyone new, is refused
    unless the admin confirms the match (`confirm_over_capacity`), which the record keeps."""
    policy.require(actor, "mentoring.manage")
    _same_organisation(actor, mentor, mentee)
    if kind not in Kind.values:
        raise ValidationError({"kind": "Select mentoring or coaching"})
    if mentor.pk == mentee.pk:
        raise ValidationError({"mentor": "Select someone other than the mentee: nobody mentors themselves"})
    _current("mentee", mentee, "a mentee")
    _current("mentor", mentor, "a mentor or coach")
    profile = MentorProfile.objects.select_for_update().filter(staff=mentor).first()  # matches to one mentor queue here
    if profile is None:
        raise ValidationError(
            {"mentor": f"{mentor.full_name} is not on the list of mentors and coaches. Add them to the list first."}
        )
    word = Kind(kind).label.lower()
    if not profile.offers(kind):
        raise ValidationError(
            {"kind": f"{mentor.full_name} offers {profile.kinds_display.lower()} only. Select that, or choose another mentor."}
        )
    existing = Mentorship.objects.filter(mentee=mentee, kind=kind).open().select_related("mentor").first()
    if existing is not None:
        raise ValidationError(
            {
                "mentee": f"{mentee.full_name} already has {word} with {existing.mentor.full_name}, since "
                f"{long_date(existing.started_on)}. End that relationship first."
            }
        )
    _check_start(mentee, started_on)
    load = mentor_load(mentor)
    problem = None
    if load >= profile.capacity:
        problem = f"{mentor.full_name} is full: {load} mentee{'s' if load != 1 else ''} for a capacity of {profile.capacity}"
    elif not profile.is_available:
        problem = f"{mentor.full_name} is not taking new mentees at the moment"
    if problem and not confirm_over_capacity:
        raise ValidationError(
            {
                "mentor": ValidationError(
                    "%(problem)s. Choose another mentor, or confirm that you want to match them anyway.",
                    code="over_capacity",
                    params={"problem": problem},
                )
            }
        )
    mentorship = Mentorship.objects.create(
        organisation=actor.organisation,
        mentor=mentor,
        mentee=mentee,
        kind=kind,
        goals=goals,
        started_on=started_on,
        over_capacity=bool(problem),
        created_by=actor,
        updated_by=actor,
    )
    changes = diff({}, snapshot(mentorship, ("kind", "goals", "started_on")))
    changes.update(mentor=[None, mentor.full_name], mentee=[None, mentee.full_name])
    if problem:
        changes["confirmed"] = [None, problem]
    record_event(actor=actor, verb=f"matched {Mentorship(kind=kind).mentor_word}", target=mentorship, changes=changes)
    return mentorship


def _refuse_ended(mentorship):
    if not mentorship.is_open:
        raise ValidationError(
            f"This relationship ended on {long_date(mentorship.ended_on)}. Match them again to start a new one."
        )


@transaction.atomic
def update_mentorship(mentorship, *, actor, expected_version, **fields):
    """Change the goals (or correct the start date) of an open relationship."""
    mentorship = _lock(mentorship)
    policy.require(actor, "mentoring.change_relationship", mentorship)
    ensure_current(mentorship, expected_version, MENTORSHIP_FIELDS + ENDING_FIELDS)
    _refuse_ended(mentorship)
    started_on = fields.get("started_on", mentorship.started_on)
    _check_start(mentorship.mentee, started_on)
    first = mentorship.sessions.order_by("held_on").values_list("held_on", flat=True).first()
    if first is not None and started_on > first:
        raise ValidationError({"started_on": f"Start date must be on or before the first session, on {long_date(first)}"})
    before = snapshot(mentorship, MENTORSHIP_FIELDS)
    _apply(mentorship, fields, MENTORSHIP_FIELDS, "update_mentorship")
    return _save(mentorship, actor, MENTORSHIP_FIELDS, before)


@transaction.atomic
def end_mentorship(mentorship, *, actor, ended_on, ending_note="", expected_version=None):
    mentorship = _lock(mentorship)
    policy.require(actor, "mentoring.change_relationship", mentorship)
    ensure_current(mentorship, expected_version, MENTORSHIP_FIELDS + ENDING_FIELDS)
    _refuse_ended(mentorship)
    _not_in_future("ended_on", "End date", ended_on)
    if ended_on < mentorship.started_on:
        raise ValidationError({"ended_on": f"End date must be on or after the start date, {long_date(mentorship.started_on)}"})
    last = mentorship.sessions.order_by("-held_on").values_list("held_on", flat=True).first()
    if last is not None and ended_on < last:
        raise ValidationError({"ended_on": f"End date must be on or after the last session, on {long_date(last)}"})
    before = snapshot(mentorship, ENDING_FIELDS)
    mentorship.ended_on, mentorship.ending_note = ended_on, ending_note
    return _save(mentorship, actor, ENDING_FIELDS, before, verb="ended relationship")


# --- Sessions ----------------------------------------------------------------------------------------


def standards_for(mentee):
    """The standards a mentee works against: those of the frameworks in use for their service."""
    versions = FrameworkInUse.objects.filter(organisation_id=mentee.organisation_id).for_person(mentee).values("version")
    return (
        Standard.objects.filter(version__in=versions)
        .select_related("version__framework")
        .order_by("version__framework__name", "version_id", "position")
    )


def _check_session(mentorship, fields, keep=()):
    held_on = fields["held_on"]
    _not_in_future("held_on", "Date", held_on)
    if held_on < mentorship.started_on:
        raise ValidationError(
            {"held_on": f"Date must be on or after the relationship started, {long_date(mentorship.started_on)}"}
        )
    if mentorship.ended_on is not None and held_on > mentorship.ended_on:
        raise ValidationError({"held_on": f"Date must be on or before the relationship ended, {long_date(mentorship.ended_on)}"})
    minutes = fields["duration_minutes"]
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValidationError({"duration_minutes": f"Length must be between 1 and {MAX_MINUTES} minutes"})
    standards = fields.get("standards") or []
    allowed = set(standards_for(mentorship.mentee).values_list("pk", flat=True)) | set(keep)
    if any(standard.pk not in allowed for standard in standards):
        raise ValidationError({"standards": "Select standards from the frameworks the mentee works against"})


def _standard_names(standards):
    return sorted(str(standard) for standard in standards)


@transaction.atomic
def log_session(mentorship, *, actor, held_on, duration_minutes, themes, agreed_actions="", standards=()):
    """Record a mentoring or coaching session, by the mentor or the mentee."""
    policy.require(actor, "mentoring.log_session", mentorship)
    _same_organisation(actor, mentorship)
    fields = {"held_on": held_on, "duration_minutes": duration_minutes, "standards": standards}
    _check_session(mentorship, fields)
    session = MentoringSession.objects.create(
        organisation=mentorship.organisation,
        mentorship=mentorship,
        held_on=held_on,
        duration_minutes=duration_minutes,
        themes=themes,
        agreed_actions=agreed_actions,
        recorded_by=actor,
        updated_by=actor,
    )
    session.standards.set(standards)
    changes = diff({}, snapshot(session, SESSION_FIELDS))
    if standards:
        changes["standards"] = [None, _standard_names(standards)]
    record_event(actor=actor, verb="recorded session", target=session, changes=changes)
    return session


@transaction.atomic
def update_session(session, *, actor, expected_version, standards=None, **fields):
    session = _lock(session)
    policy.require(actor, "mentoring.log_session", session)
    ensure_current(session, expected_version, SESSION_FIELDS)
    old_standards = list(session.standards.all())
    check = {"held_on": session.held_on, "duration_minutes": session.duration_minutes, **fields, "standards": standards or []}
    _check_session(session.mentorship, check, keep=[s.pk for s in old_standards])
    before = snapshot(session, SESSION_FIELDS)
    _apply(session, fields, SESSION_FIELDS, "update_session")
    extra = {}
    if standards is not None and {s.pk for s in standards} != {s.pk for s in old_standards}:
        session.standards.set(standards)
        extra["standards"] = [_standard_names(old_standards), _standard_names(standards)]
    return _save(session, actor, SESSION_FIELDS, before, extra=extra)


@transaction.atomic
def delete_session(session, *, actor):
    session = _lock(session)  # the trail records what is deleted, not the caller's copy
    policy.require(actor, "mentoring.log_session", session)
    changes = diff(snapshot(session, SESSION_FIELDS), {})
    record_event(actor=actor, verb="deleted session", target=session, changes=changes)
    session.delete()


# --- The offer to under-represented groups -----------------------------------------------------------


def known_groups():
    return {key for _name, _label, choices in group_choices() for key, _text in choices}


def offer_for(organisation):
    """The organisation's offer, or an unsaved default (offered to everyone alike) before an admin sets it."""
    return MentoringOffer.objects.filter(organisation=organisation).first() or MentoringOffer(organisation=organisation)


@transaction.atomic
def save_offer(*, actor, offer_first, groups, expected_version=None):
    """Choose whether to make the coaching and mentoring offer first to the groups named."""
    policy.require(actor, "mentoring.manage")
    unknown = set(groups) - known_groups()
    if unknown:
        raise ValidationError({"groups": "Select groups from the list"})
    if offer_first and not groups:
        raise ValidationError({"groups": "Select at least one group to offer mentoring to first, or choose not to"})
    offer, created = MentoringOffer.objects.select_for_update().get_or_create(organisation=actor.organisation)
    if not created:
        ensure_current(offer, expected_version, OFFER_FIELDS)
    before = snapshot(offer, OFFER_FIELDS) if not created else {}
    offer.offer_first, offer.groups = offer_first, sorted(groups)
    changes = diff(before, snapshot(offer, OFFER_FIELDS))
    if not changes:
        return offer
    if not created:
        offer.version += 1
    offer.updated_by = actor
    offer.updated_at = timezone.now()
    offer.save()
    record_event(actor=actor, verb="changed the coaching and mentoring offer", target=offer, changes=changes)
    return offer


# --- Peer groups ---------------------------------------------------------------------------------------


def _check_group(fields):
    if bool(fields.get("facilitator")) == bool(fields.get("external_facilitator")):
        raise ValidationError(
            {"facilitator": "Select the facilitator, or enter the name of a facilitator from outside the organisation (not both)"}
        )
    started_on, ended_on = fields.get("started_on"), fields.get("ended_on")
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": f"End date must be on or after the start date, {long_date(started_on)}"})


@transaction.atomic
def create_peer_group(*, actor, kind, name, started_on, facilitator=None, external_facilitator="", purpose="", meets=""):
    policy.require(actor, "mentoring.manage")
    _same_organisation(actor, facilitator)
    fields = {
        "kind": kind,
        "name": name,
        "purpose": purpose,
        "facilitator": facilitator,
        "external_facilitator": external_facilitator,
        "meets": meets,
        "started_on": started_on,
    }
    _check_group(fields)
    _current("facilitator", facilitator, "a facilitator")
    if PeerGroup.objects.filter(organisation=actor.organisation, name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a group called {name}. Choose another name."})
    group = PeerGroup.objects.create(organisation=actor.organisation, created_by=actor, updated_by=actor, **fields)
    record_event(actor=actor, verb="created peer group", target=group, changes=diff({}, snapshot(group, GROUP_FIELDS)))
    return group


@transaction.atomic
def update_peer_group(group, *, actor, expected_version, **fields):
    group = _lock(group)
    policy.require(actor, "mentoring.manage_peer_group", group)
    _same_organisation(actor, fields.get("facilitator"))
    ensure_current(group, expected_version, GROUP_FIELDS)
    merged = {name: fields.get(name, getattr(group, name)) for name in GROUP_FIELDS}
    _check_group(merged)
    if merged["facilitator"] is not None and merged["facilitator"].pk != group.facilitator_id:
        _current("facilitator", merged["facilitator"], "a facilitator")
    name = merged["name"]
    if PeerGroup.objects.filter(organisation=group.organisation, name__iexact=name).exclude(pk=group.pk).exists():
        raise ValidationError({"name": f"There is already a group called {name}. Choose another name."})
    dates = group.sessions.exclude(status=PeerSession.Status.CANCELLED).order_by("held_on").values_list("held_on", flat=True)
    first, last = dates.first(), dates.last()
    if first is not None and merged["started_on"] > first:
        raise ValidationError({"started_on": f"Start date must be on or before the first session, on {long_date(first)}"})
    if merged["ended_on"] is not None:
        _not_in_future("ended_on", "End date", merged["ended_on"])
        if last is not None and merged["ended_on"] < last:
            raise ValidationError(
                {"ended_on": f"There is a session on {long_date(last)}. Cancel it, or end the group on or after that date"}
            )
    before = _snapshot(group, GROUP_FIELDS)
    _apply(group, fields, GROUP_FIELDS, "update_peer_group")
    return _save(group, actor, GROUP_FIELDS, before)


def _refuse_ended_group(group):
    if not group.is_open:
        raise ValidationError(f"{group.name} ended on {long_date(group.ended_on)}. Change its end date to reopen it.")


@transaction.atomic
def add_group_member(group, *, actor, staff, joined_on):
    policy.require(actor, "mentoring.manage_peer_group", group)
    _same_organisation(actor, group, staff)
    _refuse_ended_group(group)
    _current("staff", staff, "someone")
    if group.members.filter(staff=staff, left_on__isnull=True).exists():
        raise ValidationError({"staff": f"{staff.full_name} is already a member of {group.name}"})
    if joined_on < group.started_on:
        raise ValidationError({"joined_on": f"Date joined must be on or after the group started, {long_date(group.started_on)}"})
    member = PeerGroupMember.objects.create(
        organisation=group.organisation, group=group, staff=staff, joined_on=joined_on, created_by=actor
    )
    record_event(
        actor=actor,
        verb="added member",
        target=group,
        changes={"member": [None, staff.full_name], "joined": [None, joined_on.isoformat()]},
    )
    return member


@transaction.atomic
def remove_group_member(member, *, actor, left_on):
    policy.require(actor, "mentoring.manage_peer_group", member)
    member = PeerGroupMember.objects.select_for_update().select_related("group", "staff").get(pk=member.pk)
    if member.left_on is not None:
        raise ValidationError(f"{member.staff.full_name} left {member.group.name} on {long_date(member.left_on)}.")
    if left_on < member.joined_on:
        raise ValidationError({"left_on": f"Date left must be on or after they joined, {long_date(member.joined_on)}"})
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    record_event(
        actor=actor,
        verb="recorded member leaving",
        target=member.group,
        changes={"member": [member.staff.full_name, None], "left": [None, left_on.isoformat()]},
    )
    return member


def _check_peer_session(group, held_on):
    if held_on < group.started_on:
        raise ValidationError({"held_on": f"Date must be on or after the group started, {long_date(group.started_on)}"})
    if group.ended_on is not None and held_on > group.ended_on:
        raise ValidationError({"held_on": f"Date must be on or before the group ended, {long_date(group.ended_on)}"})


@transaction.atomic
def schedule_peer_session(group, *, actor, held_on, place, starts_at=None):
    policy.require(actor, "mentoring.manage_peer_group", group)
    _same_organisation(actor, group)
    _refuse_ended_group(group)
    _check_peer_session(group, held_on)
    session = PeerSession.objects.create(
        organisation=group.organisation,
        group=group,
        held_on=held_on,
        starts_at=starts_at,
        place=place,
        created_by=actor,
        updated_by=actor,
    )
    record_event(actor=actor, verb="scheduled session", target=session, changes=diff({}, _snapshot(session, PEER_SESSION_FIELDS)))
    return session


@transaction.atomic
def update_peer_session(session, *, actor, expected_version, **fields):
    """Move a session, change its place, or cancel it (or undo that). A held session is not cancelled:
    its attendance is the record that it happened."""
    session = _lock(session)
    policy.require(actor, "mentoring.manage_peer_group", session)
    ensure_current(session, expected_version, PEER_SESSION_FIELDS)
    status = fields.get("status", session.status)
    if session.status == PeerSession.Status.HELD and status != PeerSession.Status.HELD:
        raise ValidationError({"status": "Attendance is recorded for this session, so it was held and cannot be cancelled"})
    if session.status != PeerSession.Status.HELD and status == PeerSession.Status.HELD:
        raise ValidationError({"status": "Record the attendance to mark the session as held"})
    held_on = fields.get("held_on", session.held_on)
    _check_peer_session(session.group, held_on)
    if session.status == PeerSession.Status.HELD:
        _not_in_future("held_on", "Date", held_on)
    before = _snapshot(session, PEER_SESSION_FIELDS)
    cancelling = status == PeerSession.Status.CANCELLED and session.status != status
    _apply(session, fields, PEER_SESSION_FIELDS, "update_peer_session")
    return _save(session, actor, PEER_SESSION_FIELDS, before, verb="cancelled session" if cancelling else "updated")


def members_on(session):
    """The group's members on the session's date, and anyone whose attendance is already recorded."""
    recorded = set(session.attendance.values_list("staff_id", flat=True))
    rows = session.group.members.select_related("staff").order_by("staff__full_name", "-joined_on")
    people, seen = [], set()
    for member in rows:
        if member.staff_id in seen:
            continue
        if member.was_member_on(session.held_on) or member.staff_id in recorded:
            seen.add(member.staff_id)
            people.append(member.staff)
    return people


@transaction.atomic
def record_attendance(session, *, actor, rows, expected_version=None):
    """Who came to a session and what each presenter committed to do. `rows`: one dict per member with
    `staff`, `status`, `presented` and `commitment`. Replaces what was recorded before; the session is
    then held."""
    session = _lock(session)
    policy.require(actor, "mentoring.manage_peer_group", session)
    ensure_current(session, expected_version, PEER_SESSION_FIELDS)
    if session.status == PeerSession.Status.CANCELLED:
        raise ValidationError("This session was cancelled. Change it back to going ahead before recording who came.")
    if session.held_on > timezone.localdate():
        raise ValidationError(f"You can record who came once the session has happened, on or after {long_date(session.held_on)}.")
    allowed = {person.pk for person in members_on(session)}
    for row in rows:
        person, key = row["staff"], row["staff"].pk
        if key not in allowed:
            raise ValueError(f"{person!r} was not a member of the group on the session's date")
        if row["status"] not in Attendance.Status.values:
            raise ValidationError({f"status_{key}": f"Select whether {person.full_name} attended"})
        if row["presented"] and row["status"] != Attendance.Status.ATTENDED:
            raise ValidationError({f"presented_{key}": f"{person.full_name} did not attend, so cannot have presented"})
        if row["commitment"] and not row["presented"]:
            raise ValidationError({f"commitment_{key}": f"Tick that {person.full_name} presented, or remove their commitment"})
    before = {a.staff_id: (a.status, a.presented, a.commitment) for a in session.attendance.all()}
    after = {row["staff"].pk: (row["status"], row["presented"], row["commitment"]) for row in rows}
    session.attendance.all().delete()
    Attendance.objects.bulk_create(
        Attendance(
            organisation=session.organisation,
            session=session,
            staff=row["staff"],
            status=row["status"],
            presented=row["presented"],
            commitment=row["commitment"],
        )
        for row in rows
    )
    names = {row["staff"].pk: row["staff"].full_name for row in rows}
    changes = {
        f"{names[key]}": [_attendance_text(before.get(key)), _attendance_text(value)]
        for key, value in after.items()
        if before.get(key) != value
    }
    was = session.status
    session.status = PeerSession.Status.HELD
    if changes or was != session.status:
        session.version += 1
        session.updated_by = actor
        session.updated_at = timezone.now()
        session.save()
        record_event(actor=actor, verb="recorded attendance", target=session, changes=changes)
    return session


def _attendance_text(value):
    if value is None:
        return None
    status, presented, commitment = value
    text = Attendance.Status(status).label
    if presented:
        text += ", presented"
    if commitment:
        text += f": {commitment}"
    return text
