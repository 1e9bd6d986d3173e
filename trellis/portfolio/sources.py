"""Records elsewhere in Trellis a person can add as evidence with one action: a mentoring or coaching
session, a course they attended, training done elsewhere, a supervision session of their own.

Each kind of source says how to find a person's records, who may read one (the owning app's
permission, so evidence never shows more than that app would), and what the new evidence item starts
with: title, date, kind, and the standards the record was tagged with. The portfolio app only reads
these apps; it never changes their records.

A source is named in a form as "<app label>.<model>:<id>", e.g. "mentoring.mentoringsession:4f1c…".
"""

import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.urls import reverse

from trellis.frameworks.models import Standard
from trellis.learning.models import Booking, ExternalTraining
from trellis.mentoring.models import MentoringSession
from trellis.supervision.models import SupervisionSession
from trellis.tenancy import policy

from .models import EvidenceItem


def long_date(day):
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Prefill:
    title: str
    kind: str
    occurred_on: object
    label: str  # what the source was, kept on the item in case the source is deleted
    standards: tuple = ()
    how: str = ""


class Source:
    model = None
    permission = ""
    kind_label = ""

    def rows(self, membership, staff):
        raise NotImplementedError

    def prefill(self, obj):
        raise NotImplementedError

    def url(self, org_slug, obj):
        raise NotImplementedError


def _standards(related):
    return Prefetch(related, queryset=Standard.objects.select_related("version__framework"))


class MentoringSource(Source):
    model = MentoringSession
    permission = "mentoring.view_sessions"
    kind_label = "Mentoring or coaching session"

    def rows(self, membership, staff):
        return (
            MentoringSession.objects.visible_to(membership)
            .filter(mentorship__mentee=staff)
            .select_related("mentorship__mentor", "mentorship__mentee")
            .prefetch_related(_standards("standards"))
        )

    def prefill(self, session):
        kind = session.mentorship.get_kind_display()
        day = long_date(session.held_on)
        return Prefill(
            title=f"{kind} session: {session.themes}"[:200],
            kind=EvidenceItem.Kind.REFLECTIVE_ACCOUNT,
            occurred_on=session.held_on,
            label=f"{kind} session with {session.mentorship.mentor.full_name} on {day}",
            standards=tuple(session.standards.all()),
            how=f"Worked on in {kind.lower()} session on {day}.",
        )

    def url(self, org_slug, session):
        return reverse("mentoring:relationship", args=[org_slug, session.mentorship_id]) + "#sessions"


class CourseSource(Source):
    model = Booking
    permission = "learning.view_record"
    kind_label = "Course"

    def rows(self, membership, staff):
        return (
            Booking.objects.visible_to(membership)
            .filter(staff=staff, status=Booking.Status.BOOKED, attendance=Booking.Attendance.ATTENDED)
            .select_related("session__course", "staff")
            .prefetch_related(_standards("session__course__standards"))
        )

    def prefill(self, booking):
        course = booking.session.course
        day = booking.completed_on or booking.session.last_day
        done = "completed" if booking.completed_on else "attended"
        return Prefill(
            title=course.title[:200],
            kind=EvidenceItem.Kind.TRAINING_CERTIFICATE,
            occurred_on=day,
            label=f"Course: {course.title}, {done} on {long_date(day)}",
            standards=tuple(course.standards.all()),
            how=f"Developed on the course ‘{course.title}’, {done} on {long_date(day)}.",
        )

    def url(self, org_slug, booking):
        return reverse("learning:record", args=[org_slug, booking.staff_id])


class ExternalTrainingSource(Source):
    model = ExternalTraining
    permission = "learning.view_record"
    kind_label = "Training done elsewhere"

    def rows(self, membership, staff):
        return ExternalTraining.objects.visible_to(membership).filter(staff=staff).select_related("staff")

    def prefill(self, training):
        return Prefill(
            title=training.title[:200],
            kind=EvidenceItem.Kind.TRAINING_CERTIFICATE,
            occurred_on=training.completed_on,
            label=f"Training done elsewhere: {training.title}, {training.provider}, {long_date(training.completed_on)}",
        )

    def url(self, org_slug, training):
        return reverse("learning:record", args=[org_slug, training.staff_id])


class SupervisionSource(Source):
    """The person's own supervision: the log holds dates, themes and prompts, never case detail."""

    model = SupervisionSession
    permission = "supervision.view"
    kind_label = "Supervision session"

    def rows(self, membership, staff):
        return SupervisionSession.objects.visible_to(membership).filter(staff=staff).select_related("supervisor", "staff")

    def prefill(self, session):
        day = long_date(session.held_on)
        return Prefill(
            title=f"Supervision on {day}: {session.themes}"[:200],
            kind=EvidenceItem.Kind.REFLECTIVE_ACCOUNT,
            occurred_on=session.held_on,
            label=f"{session.get_format_display()} supervision with {session.supervisor.full_name} on {day}",
        )

    def url(self, org_slug, session):
        return reverse("supervision:person", args=[org_slug, session.staff_id])


SOURCES = (MentoringSource(), CourseSource(), ExternalTrainingSource(), SupervisionSource())


def _key(model):
    return model._meta.label_lower


BY_KEY = {_key(source.model): source for source in SOURCES}


def source_for(obj):
    return BY_KEY.get(_key(type(obj)))


def token(obj):
    return f"{_key(type(obj))}:{obj.pk}"


def resolve(membership, value, staff=None):
    """The record a form's `source` names, if this member may read it (and it is `staff`'s), or None."""
    key, _, pk = str(value or "").partition(":")
    source = BY_KEY.get(key)
    try:
        pk = uuid.UUID(pk)
    except ValueError:
        return None
    if source is None:
        return None
    rows = source.model.objects.visible_to(membership)
    obj = rows.filter(pk=pk).first()
    if obj is None or (staff is not None and obj.staff.pk != staff.pk):
        return None
    return obj if policy.allows(membership, source.permission, obj) else None


@dataclass
class Candidate:
    source: Source
    obj: object
    prefill: Prefill
    token: str
    item: EvidenceItem | None  # the evidence item already made from it


def candidates(membership, staff):
    """The person's records that can become evidence, newest first, with the item already made from
    each (if any). One query per kind of source, and two for what is already evidence."""
    made = {}
    rows = (
        EvidenceItem.objects.visible_to(membership)
        .filter(staff=staff)
        .exclude(source_id="")
        .only("pk", "title", "source_type", "source_id")
    )
    for item in rows:
        made[(item.source_type_id, item.source_id)] = item
    found = []
    for source in SOURCES:
        content_type = ContentType.objects.get_for_model(source.model)
        for obj in source.rows(membership, staff):
            if not policy.allows(membership, source.permission, obj):
                continue
            found.append(Candidate(source, obj, source.prefill(obj), token(obj), made.get((content_type.pk, str(obj.pk)))))
    found.sort(key=lambda c: (c.prefill.occurred_on, c.prefill.title), reverse=True)
    return found


def link_back(org_slug, item):
    """Where the item's source lives in Trellis, or None if it has none or it has been deleted."""
    if not item.source_id or item.source_type_id is None:
        return None
    model = ContentType.objects.get_for_id(item.source_type_id).model_class()
    source = BY_KEY.get(_key(model)) if model is not None else None
    if source is None:
        return None
    obj = source.model.objects.filter(pk=item.source_id).first()
    return source.url(org_slug, obj) if obj is not None else None
