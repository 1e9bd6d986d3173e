"""Every write to training: one function per thing a person means to do.

Each re-asserts the policy, refuses a stale edit, saves and records an audit event, in one
transaction. Rules a person can break by what they enter (a full session, a double booking, dates in
the wrong order) are ValidationErrors keyed by form field where there is one, so a view can put them
next to the field.

Places on a session are decided with the session row locked (`_lock`): on PostgreSQL
`select_for_update()` makes a second booking wait until the first commits, and on SQLite the
IMMEDIATE transaction mode has already made every writer queue, so two people can never both take
the last place.
"""

import datetime
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from trellis.audit.actions import diff, record_event
from trellis.audit.actions import snapshot as audit_snapshot
from trellis.audit.versions import StaleEdit, ensure_current
from trellis.frameworks.models import Framework, FrameworkVersion, Standard
from trellis.tenancy import policy
from trellis.workforce.models import StaffRecord

from .models import Booking, Catalogue, Course, ExternalTraining, TrainingRecord, TrainingSession, clock, long_date

DEFAULT_CATALOGUE_FILE = Path(__file__).parent / "data" / "catalogue.yaml"

COURSE_FIELDS = ("title", "summary", "audience", "provider", "hours", "is_core", "status")
SESSION_FIELDS = (
    "date",
    "end_date",
    "start_time",
    "end_time",
    "mode",
    "location",
    "capacity",
    "facilitator",
    "notes",
)
BOOKING_FIELDS = ("status", "attendance", "completed_on")
EXTERNAL_FIELDS = ("title", "provider", "completed_on", "hours", "notes")
ORGANISATION_SERVICES = {"adults": {"adults", "any"}, "children": {"children", "any"}, "both": {"adults", "children", "any"}}


def snapshot(obj, fields):
    """The audit trail's snapshot, with times as people read them ('9:30am'): it stores JSON."""
    values = audit_snapshot(obj, fields)
    return {name: clock(value) if isinstance(value, datetime.time) else value for name, value in values.items()}


def _same_organisation(actor, *objects):
    for obj in objects:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValueError(f"{obj!r} belongs to another organisation")


def _lock(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _apply(obj, fields, allowed, what):
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{what}() cannot change {name!r}")
        setattr(obj, name, value)


def _save(obj, actor, fields, before, verb="updated", extra=None):
    """Bump the version and record what changed; nothing is written when nothing changed."""
    changes = diff(before, snapshot(obj, fields))
    changes.update(extra or {})
    if not changes:
        return obj
    obj.version += 1
    obj.updated_by = actor
    obj.updated_at = timezone.now()
    obj.save()
    record_event(actor=actor, verb=verb, target=obj, changes=changes)
    return obj


def _not_in_future(field, label, day):
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{label} must be today or in the past"})


def _still_in_post(staff, field="staff"):
    if staff.has_left():
        raise ValidationError(
            {field: f"{staff.full_name} left on {long_date(staff.leaving_date)}. Select someone still in post."}
        )


# --- The default catalogue ----------------------------------------------------------------------------


def default_catalogue(path=DEFAULT_CATALOGUE_FILE):
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _default_standards(organisation, wanted):
    """The shipped standards named by (framework key, number), from frameworks for the organisation's
    services, in the version in force today (or else the latest). Keys or numbers not shipped are skipped."""
    keys = {key for key, _number in wanted}
    services = ORGANISATION_SERVICES.get(organisation.services, {"adults", "children", "any"})
    frameworks = Framework.objects.filter(organisation__isnull=True, key__in=keys, service__in=services)
    versions = {}
    for version in FrameworkVersion.objects.filter(framework__in=frameworks).select_related("framework"):
        current = versions.get(version.framework.key)
        if current is None or (version.is_in_force() and not current.is_in_force()):
            versions[version.framework.key] = version  # the ordering puts the latest first
    standards = Standard.objects.filter(version__in=versions.values()).select_related("version__framework")
    return {(s.version.framework.key, s.number): s for s in standards}


@transaction.atomic
def ensure_default_catalogue(organisation, *, path=DEFAULT_CATALOGUE_FILE):
    """Give an organisation the default courses, once. Safe to call on every page view: after the
    first call it is one indexed read. Returns whether it loaded anything."""
    if Catalogue.objects.filter(organisation=organisation).exists():
        return False
    data = default_catalogue(path)
    try:
        with transaction.atomic():
            Catalogue.objects.create(organisation=organisation, defaults_version=data.get("version"))
    except IntegrityError:
        return False  # another request loaded it a moment ago
    taken = {title.lower() for title in Course.objects.filter(organisation=organisation).values_list("title", flat=True)}
    wanted = {(link["framework"], str(link["number"])) for item in data["courses"] for link in item.get("standards", [])}
    standards = _default_standards(organisation, wanted)
    loaded = 0
    for item in data["courses"]:
        if item["title"].lower() in taken:
            continue  # an admin made a course of that name before the defaults arrived: theirs stays
        course = Course.objects.create(
            organisation=organisation,
            title=item["title"],
            summary=" ".join(item["summary"].split()),
            audience=" ".join(item["audience"].split()),
            provider=item["provider"],
            hours=item["hours"],
            is_core=item.get("core", False),
            default_key=item["key"],
        )
        links = [standards.get((link["framework"], str(link["number"]))) for link in item.get("standards", [])]
        course.standards.set([standard for standard in links if standard is not None])
        loaded += 1
    record_event(
        actor=None,
        verb="loaded the default training catalogue",
        target=organisation,
        changes={"courses": [None, loaded], "version": [None, data.get("version")]},
        organisation=organisation,
    )
    return True


# --- Courses ----------------------------------------------------------------------------------------


def _check_standards(actor, standards):
    for standard in standards:
        owner = standard.version.framework.organisation_id
        if owner is not None and owner != actor.organisation_id:
            raise ValueError(f"{standard!r} belongs to another organisation's framework")


def _standard_labels(standards):
    return sorted(f"{s.version.framework.short_name} {s.number}" for s in standards)


def _title_free(actor, title, course=None):
    clash = Course.objects.filter(organisation=actor.organisation, title__iexact=title.strip())
    if course is not None:
        clash = clash.exclude(pk=course.pk)
    if clash.exists():
        raise ValidationError({"title": f"There is already a course called ‘{title.strip()}’. Give this one a different title."})


@transaction.atomic
def create_course(*, actor, standards=(), **fields):
    policy.require(actor, "learning.manage")
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"create_course() cannot set {sorted(unknown)!r}")
    standards = list(standards)
    _check_standards(actor, standards)
    _title_free(actor, fields["title"])
    course = Course.objects.create(organisation=actor.organisation, created_by=actor, updated_by=actor, **fields)
    course.standards.set(standards)
    changes = diff({}, snapshot(course, COURSE_FIELDS))
    if standards:
        changes["standards"] = [None, _standard_labels(standards)]
    record_event(actor=actor, verb="added course", target=course, changes=changes)
    return course


@transaction.atomic
def update_course(course, *, actor, expected_version, standards=None, **fields):
    """Change a course, retire it or offer it again. Refused with StaleEdit if someone saved it meanwhile."""
    course = _lock(course)
    policy.require(actor, "learning.manage", course)
    ensure_current(course, expected_version, COURSE_FIELDS)
    if "title" in fields:
        _title_free(actor, fields["title"], course)
    before = snapshot(course, COURSE_FIELDS)
    _apply(course, fields, COURSE_FIELDS, "update_course")
    extra = {}
    if standards is not None:
        standards = list(standards)
        _check_standards(actor, standards)
        old = _standard_labels(course.standards.select_related("version__framework"))
        new = _standard_labels(standards)
        if old != new:
            course.standards.set(standards)
            extra["standards"] = [old, new]
    verb = "updated"
    if before["status"] != course.get_status_display():
        verb = "retired course" if course.status == Course.Status.RETIRED else "offered course again"
    return _save(course, actor, COURSE_FIELDS, before, verb=verb, extra=extra)


# --- Sessions -----------------------------------------------------------------------------------------


def _check_session(fields):
    date, end_date = fields.get("date"), fields.get("end_date")
    if date and end_date and end_date <= date:
        raise ValidationError({"end_date": f"The last day must be after the first day, {long_date(date)}"})
    start, end = fields.get("start_time"), fields.get("end_time")
    if start and end and end <= start:
        raise ValidationError({"end_time": f"The end time must be after the start time, {clock(start)}"})
    if fields.get("mode") == TrainingSession.Mode.IN_PERSON and not (fields.get("location") or "").strip():
        raise ValidationError({"location": "Enter where the session takes place"})


def _booked_count(session):
    return session.bookings.filter(status=Booking.Status.BOOKED).count()


def _refuse_cancelled(session):
    if session.is_cancelled:
        raise ValidationError("This session was cancelled. Add a new session instead.")


@transaction.atomic
def create_session(course, *, actor, **fields):
    """Schedule a session of a course. A past date is allowed, to record training that has happened."""
    policy.require(actor, "learning.manage", course)
    _same_organisation(actor, course)
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"create_session() cannot set {sorted(unknown)!r}")
    if not course.is_offered:
        raise ValidationError(f"{course.title} is retired. Offer it again before adding sessions.")
    _check_session(fields)
    session = TrainingSession.objects.create(
        organisation=actor.organisation, course=course, created_by=actor, updated_by=actor, **fields
    )
    record_event(actor=actor, verb="added session", target=session, changes=diff({}, snapshot(session, SESSION_FIELDS)))
    return session


@transaction.atomic
def update_session(session, *, actor, expected_version, **fields):
    """Change a session's details. Fewer places than people already booked is refused; more places
    go to the waiting list at once."""
    session = _lock(session)
    policy.require(actor, "learning.manage", session)
    ensure_current(session, expected_version, SESSION_FIELDS)
    _refuse_cancelled(session)
    _check_session({name: fields.get(name, getattr(session, name)) for name in SESSION_FIELDS})
    booked = _booked_count(session)
    if fields.get("capacity", session.capacity) < booked:
        raise ValidationError(
            {
                "capacity": f"{booked} people have places, so there must be at least {booked} places. "
                "Cancel some bookings first to have fewer."
            }
        )
    before = snapshot(session, SESSION_FIELDS)
    _apply(session, fields, SESSION_FIELDS, "update_session")
    session = _save(session, actor, SESSION_FIELDS, before)
    _fill_places(session, reason="more places")
    return session


@transaction.atomic
def cancel_session(session, *, actor, reason, expected_version=None):
    """Cancel a session that has not started; everyone's booking and waiting-list place is cancelled."""
    session = _lock(session)
    policy.require(actor, "learning.manage", session)
    ensure_current(session, expected_version, SESSION_FIELDS)
    _refuse_cancelled(session)
    if session.has_started():
        raise ValidationError("This session has already started, so it cannot be cancelled. Record who attended instead.")
    now = timezone.now()
    affected = list(session.bookings.select_for_update(of=("self",)).live().select_related("staff"))
    for booking in affected:
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.cancelled_by = actor
        booking.version += 1
        booking.updated_by = actor
        booking.updated_at = now
        booking.save()
    session.status = TrainingSession.Status.CANCELLED
    session.cancellation_reason = reason.strip()
    session.version += 1
    session.updated_by = actor
    session.updated_at = now
    session.save()
    record_event(
        actor=actor,
        verb="cancelled session",
        target=session,
        changes={
            "status": ["Scheduled", "Cancelled"],
            "reason": [None, session.cancellation_reason],
            "bookings cancelled": [None, sorted(b.staff.full_name for b in affected)],
        },
    )
    return session, affected


# --- Bookings -------------------------------------------------------------------------------------------


def _clashing_booking(session, staff, started):
    """A live booking that stops `staff` taking this session: another session of the same course that
    has not finished (not checked when recording a past session), or any session at the same time."""
    live = (
        Booking.objects.live()
        .filter(staff=staff, session__status=TrainingSession.Status.SCHEDULED)
        .exclude(session=session)
        .select_related("session__course")
    )
    if not started:
        today = timezone.localdate()
        same_course = (
            live.filter(session__course_id=session.course_id)
            .filter(Q(session__date__gte=today) | Q(session__end_date__gte=today))
            .first()
        )
        if same_course is not None:
            return same_course, "course"
    around = live.filter(session__date__lte=session.last_day).filter(
        Q(session__end_date__gte=session.date) | Q(session__end_date__isnull=True, session__date__gte=session.date)
    )
    return next(((other, "time") for other in around if other.session.overlaps(session)), (None, None))


def _refuse_double_booking(session, staff, actor, started):
    you = staff.membership_id == actor.pk
    who = "You" if you else staff.full_name
    existing = session.bookings.live().filter(staff=staff).first()
    if existing is not None:
        if existing.status == Booking.Status.BOOKED:
            text = "You already have a place" if you else f"{who} already has a place"
        else:
            text = "You are already on the waiting list" if you else f"{who} is already on the waiting list"
        raise ValidationError({"staff": f"{text} for this session."})
    other, why = _clashing_booking(session, staff, started)
    if why is None:
        return
    are = "You are" if you else f"{who} is"
    where = "booked on" if other.status == Booking.Status.BOOKED else "on the waiting list for"
    if why == "course":
        raise ValidationError(
            {
                "staff": f"{are} already {where} {other.session.course.title} on {other.session.dates}. "
                "Cancel that booking first to change to this session."
            }
        )
    raise ValidationError(
        {
            "staff": f"{are} already {where} {other.session.course.title} at the same time "
            f"({other.session.dates}, {other.session.times})."
        }
    )


@transaction.atomic
def book_place(session, *, actor, staff):
    """Book `staff` a place on a session, or the next place in its waiting list when it is full.

    People book for themselves before the session starts; an organisation admin can also book anyone,
    and add people to a session that has already taken place (to record it), but only into a free place.
    """
    session = TrainingSession.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
    policy.require(actor, "learning.book", staff)
    _same_organisation(actor, session, staff)
    _refuse_cancelled(session)
    if not session.course.is_offered:
        raise ValidationError(f"{session.course.title} is no longer offered.")
    StaffRecord.objects.select_for_update().get(pk=staff.pk)  # one booking at a time per person too
    _still_in_post(staff)
    started = session.has_started()
    if started and not policy.allows(actor, "learning.manage"):
        raise ValidationError(f"This session started on {session.dates} at {clock(session.start_time)}. Book a later session.")
    _refuse_double_booking(session, staff, actor, started)
    full = _booked_count(session) >= session.capacity
    if full and started:
        raise ValidationError(
            {
                "staff": f"All {session.capacity} places were taken. To record that {staff.full_name} came too, "
                "add a place to the session first."
            }
        )
    booking = Booking.objects.create(
        organisation=session.organisation,
        session=session,
        staff=staff,
        status=Booking.Status.WAITING if full else Booking.Status.BOOKED,
        booked_by=actor,
        updated_by=actor,
    )
    verb = "joined the waiting list" if full else "booked a place"
    changes = {"person": [None, staff.full_name], "status": [None, booking.get_status_display()]}
    if staff.membership_id != actor.pk:
        changes["booked by"] = [None, str(actor)]
    record_event(actor=actor, verb=verb, target=booking, changes=changes)
    return booking


def _fill_places(session, reason):
    """Give free places to the waiting list, first come first served. Done by Trellis, not by the
    person whose change freed the place, so the audit trail says so. Returns the bookings promoted."""
    free = session.capacity - _booked_count(session)
    if free <= 0:
        return []
    promoted = list(
        session.bookings.select_for_update(of=("self",))
        .filter(status=Booking.Status.WAITING)
        .select_related("staff")
        .order_by("requested_at", "id")[:free]
    )
    now = timezone.now()
    for booking in promoted:
        booking.status = Booking.Status.BOOKED
        booking.promoted_at = now
        booking.version += 1
        booking.updated_by = None
        booking.updated_at = now
        booking.save()
        record_event(
            actor=None,
            verb="gave a place from the waiting list",
            target=booking,
            changes={"status": ["On the waiting list", "Has a place"], "because": [None, reason]},
            organisation=session.organisation,
        )
    return promoted


@transaction.atomic
def cancel_booking(booking, *, actor, expected_version=None):
    """Cancel a place or a place in the waiting list before the session starts. A freed place goes to
    the first person waiting. Returns the cancelled booking and whoever was given the place."""
    session = TrainingSession.objects.select_for_update().get(pk=booking.session_id)
    booking = Booking.objects.select_for_update(of=("self",)).select_related("staff__line_manager").get(pk=booking.pk)
    policy.require(actor, "learning.cancel_booking", booking)
    ensure_current(booking, expected_version, BOOKING_FIELDS)
    if not booking.is_live:
        raise ValidationError("This booking is already cancelled.")
    if session.has_started():
        raise ValidationError(
            f"This session started on {session.dates}, so the booking cannot be cancelled. "
            "An organisation admin records who did not attend on the register."
        )
    had_place = booking.status == Booking.Status.BOOKED
    before = snapshot(booking, BOOKING_FIELDS)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = actor
    _save(booking, actor, BOOKING_FIELDS, before, verb="cancelled booking")
    promoted = _fill_places(session, reason=f"{booking.staff.full_name} cancelled") if had_place else []
    return booking, promoted


# --- The attendance register -----------------------------------------------------------------------------


def _refuse_stale_register(bookings, marks):
    """One StaleEdit for every row someone else changed since the register was opened."""
    changes, latest = [], None
    for mark in marks:
        booking = bookings[mark["booking"].pk]
        try:
            ensure_current(booking, mark.get("version"), BOOKING_FIELDS)
        except StaleEdit as stale:
            changes += [(f"{booking.staff.full_name}: {label.lower()}", then, now) for label, then, now in stale.changes]
            latest = booking
    if latest is not None:
        raise StaleEdit(latest, changes)


@transaction.atomic
def record_attendance(session, *, actor, marks, completed_on=None):
    """Save the register: for each booking, attended / did not attend / not recorded, and whether they
    completed the course (on `completed_on`, for people newly marked as completed).

    `marks`: [{"booking": Booking, "attendance": "attended" | "did_not_attend" | "", "completed": bool,
    "version": the version the register showed}]. Someone on the waiting list who came is given a
    place. Returns the bookings that changed.
    """
    session = _lock(session)
    policy.require(actor, "learning.manage", session)
    _refuse_cancelled(session)
    if not session.has_started():
        raise ValidationError(
            f"This session starts on {session.dates} at {clock(session.start_time)}. Record attendance once it has started."
        )
    ids = [mark["booking"].pk for mark in marks]
    bookings = {
        b.pk: b
        for b in Booking.objects.select_for_update(of=("self",)).filter(session=session, pk__in=ids).select_related("staff")
    }
    if len(bookings) != len(set(ids)):
        raise ValueError("Every booking on a register must belong to its session")
    _refuse_stale_register(bookings, marks)

    errors = {}
    newly_completed = False
    for mark in marks:
        booking = bookings[mark["booking"].pk]
        name = booking.staff.full_name
        attendance, completed = mark["attendance"], mark["completed"]
        if attendance not in ("", *Booking.Attendance.values):
            raise ValueError(f"Unknown attendance {attendance!r}")
        if booking.status == Booking.Status.CANCELLED:
            raise ValidationError(f"{name}'s booking was cancelled, so they are not on this register any more.")
        if completed and attendance != Booking.Attendance.ATTENDED:
            errors[f"completed_{booking.pk}"] = f"Select attended for {name}, or untick completed"
        if completed and booking.completed_on is None:
            newly_completed = True
    if newly_completed:
        if completed_on is None:
            errors["completed_on"] = "Enter the date they completed the course"
        elif completed_on < session.date:
            errors["completed_on"] = f"The completion date must be on or after the session, {long_date(session.date)}"
        elif completed_on > timezone.localdate():
            errors["completed_on"] = "The completion date must be today or in the past"
    if errors:
        raise ValidationError(errors)

    changed = []
    for mark in marks:
        booking = bookings[mark["booking"].pk]
        before = snapshot(booking, BOOKING_FIELDS)
        if mark["attendance"] == Booking.Attendance.ATTENDED and booking.status == Booking.Status.WAITING:
            booking.status = Booking.Status.BOOKED  # they came from the waiting list
        if booking.status == Booking.Status.BOOKED:
            booking.attendance = mark["attendance"]
        if mark["completed"] and booking.completed_on is None:
            booking.completed_on = completed_on
        elif not mark["completed"]:
            booking.completed_on = None
        if diff(before, snapshot(booking, BOOKING_FIELDS)):
            _save(booking, actor, BOOKING_FIELDS, before, verb="recorded attendance")
            changed.append(booking)
    return changed


# --- A person's own record ------------------------------------------------------------------------------


def _check_external(fields):
    _not_in_future("completed_on", "The date", fields.get("completed_on"))


@transaction.atomic
def add_external_training(*, actor, staff, **fields):
    policy.require(actor, "learning.change_record", staff)
    _same_organisation(actor, staff)
    unknown = set(fields) - set(EXTERNAL_FIELDS)
    if unknown:
        raise TypeError(f"add_external_training() cannot set {sorted(unknown)!r}")
    _check_external(fields)
    item = ExternalTraining.objects.create(
        organisation=actor.organisation, staff=staff, created_by=actor, updated_by=actor, **fields
    )
    changes = diff({}, snapshot(item, EXTERNAL_FIELDS))
    changes["person"] = [None, staff.full_name]
    record_event(actor=actor, verb="added training done elsewhere", target=item, changes=changes)
    return item


@transaction.atomic
def update_external_training(item, *, actor, expected_version, **fields):
    item = _lock(item)
    policy.require(actor, "learning.change_record", item)
    ensure_current(item, expected_version, EXTERNAL_FIELDS)
    _check_external(fields)
    before = snapshot(item, EXTERNAL_FIELDS)
    _apply(item, fields, EXTERNAL_FIELDS, "update_external_training")
    return _save(item, actor, EXTERNAL_FIELDS, before)


@transaction.atomic
def delete_external_training(item, *, actor):
    policy.require(actor, "learning.change_record", item)
    changes = diff(snapshot(item, EXTERNAL_FIELDS), {})
    changes["person"] = [item.staff.full_name, None]
    record_event(actor=actor, verb="deleted training done elsewhere", target=item, changes=changes)
    item.delete()


@transaction.atomic
def share_with_mentor(staff, *, actor, shared):
    """The person chooses whether their mentor or coach sees their training record."""
    policy.require(actor, "learning.share_record", staff)
    record, _created = TrainingRecord.objects.select_for_update().get_or_create(organisation=staff.organisation, staff=staff)
    if record.shared_with_mentor == shared:
        return record
    record.shared_with_mentor = shared
    record.updated_at = timezone.now()
    record.save()
    record_event(
        actor=actor,
        verb="shared training record with mentor" if shared else "stopped sharing with mentor",
        target=record,
        changes={"shared with their mentor or coach": [not shared, shared]},
    )
    return record
