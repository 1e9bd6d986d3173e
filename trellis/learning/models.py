"""Training (seed 000 section 3): the organisation's course catalogue, sessions of each course, the
bookings people make on them, who attended and completed, and each person's training record.

People are staff records from the workforce register, so an admin can book someone who has no
Trellis login, and a person's record survives a change of login.
"""

import datetime
import uuid

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trellis.audit.versions import VersionedModel
from trellis.frameworks.models import Standard
from trellis.tenancy.models import Membership, TenantModel, tenant_manager
from trellis.workforce.models import StaffRecord

from .queries import BookingQuerySet, CourseQuerySet, ExternalTrainingQuerySet, TrainingSessionQuerySet


def clock(value):
    """'9:30am', '4pm', 'midday': the GOV.UK style for times."""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def long_date(day):
    return f"{day.day} {day:%B %Y}"


class Catalogue(TenantModel):
    """One per organisation, made the first time anyone opens its training catalogue.

    It records that the default courses were loaded, so they are offered once: an organisation that
    retires or renames every default course does not get them back.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    defaults_version = models.PositiveSmallIntegerField("version of the default catalogue loaded", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="one_training_catalogue_per_organisation")]

    def __str__(self):
        return "Training catalogue"


class Course(TenantModel, VersionedModel):
    """A course the organisation offers, run as one or more sessions."""

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        RETIRED = "retired", "Retired"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField("title", max_length=200)
    summary = models.TextField("what it covers")
    audience = models.TextField("who it is for")
    provider = models.CharField("provider", max_length=200)
    hours = models.DecimalField("length (hours)", max_digits=5, decimal_places=1)
    is_core = models.BooleanField(
        "core training for practice supervisors",
        default=False,
        help_text="Every practice supervisor is expected to complete it; the completion view counts it.",
    )
    standards = models.ManyToManyField(Standard, verbose_name="standards it develops", blank=True, related_name="courses")
    status = models.CharField(max_length=10, choices=Status, default=Status.OFFERED)
    default_key = models.SlugField(
        "from the default catalogue", max_length=60, blank=True, help_text="The default course it started as, if any."
    )
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(CourseQuerySet)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(Lower("title"), "organisation", name="course_title_once"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="course_has_length"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_offered(self):
        return self.status == self.Status.OFFERED


class TrainingSession(TenantModel, VersionedModel):
    """One run of a course: when, where, how many places and who runs it. A session may run over
    more than one day, at the same times each day."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField("date")
    end_date = models.DateField("last day", null=True, blank=True, help_text="Only for a session over more than one day.")
    start_time = models.TimeField("start time")
    end_time = models.TimeField("end time")
    mode = models.CharField("in person or online", max_length=10, choices=Mode)
    location = models.CharField("where", max_length=300, blank=True)
    capacity = models.PositiveSmallIntegerField("places")
    facilitator = models.CharField("facilitator", max_length=200, blank=True)
    notes = models.TextField("notes for people booking", blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.SCHEDULED)
    cancellation_reason = models.TextField("why it was cancelled", blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(TrainingSessionQuerySet)

    class Meta:
        verbose_name = "session"
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_has_places"),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="session_ends_after_it_starts"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("date")), name="session_last_day_after_first"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "date"])]

    def __str__(self):
        return f"{self.course.title}, {self.dates}"

    @property
    def last_day(self):
        return self.end_date or self.date

    @property
    def starts_at(self):
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    def has_started(self, now=None):
        return (now or timezone.now()) >= self.starts_at

    @property
    def ends_at(self):
        return timezone.make_aware(datetime.datetime.combine(self.last_day, self.end_time))

    def has_finished(self, now=None):
        return (now or timezone.now()) >= self.ends_at

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def places_left(self):
        """On rows from `with_places()`."""
        return max(self.capacity - self.booked, 0)

    @property
    def is_full(self):
        """On rows from `with_places()`."""
        return self.booked >= self.capacity

    @property
    def dates(self):
        """'12 March 2027', '12 to 13 March 2027', '30 March to 1 April 2027'."""
        first, last = self.date, self.end_date
        if last is None:
            return long_date(first)
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.day} to {long_date(last)}"
        if first.year == last.year:
            return f"{first.day} {first:%B} to {long_date(last)}"
        return f"{long_date(first)} to {long_date(last)}"

    @property
    def times(self):
        each = " each day" if self.end_date else ""
        return f"{clock(self.start_time)} to {clock(self.end_time)}{each}"

    @property
    def place(self):
        if self.mode == self.Mode.ONLINE:
            return f"Online: {self.location}" if self.location else "Online"
        return self.location

    def overlaps(self, other):
        """Whether the two sessions' days and times overlap (a person cannot be at both)."""
        if self.date > other.last_day or other.date > self.last_day:
            return False
        return self.start_time < other.end_time and other.start_time < self.end_time


class Booking(TenantModel, VersionedModel):
    """A person's place on a session, or their place in its waiting list; then whether they attended
    and when they completed the course."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Has a place"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    class Attendance(models.TextChoices):
        ATTENDED = "attended", "Attended"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"

    LIVE = (Status.BOOKED, Status.WAITING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="bookings")
    staff = models.ForeignKey(StaffRecord, verbose_name="person", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status)
    requested_at = models.DateTimeField("asked for a place", default=timezone.now, help_text="Orders the waiting list.")
    promoted_at = models.DateTimeField("given a place from the waiting list", null=True, blank=True)
    attendance = models.CharField(max_length=16, choices=Attendance, blank=True)
    completed_on = models.DateField("completed on", null=True, blank=True)
    booked_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = tenant_manager(BookingQuerySet)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            # No double booking: one place (or place in the queue) per person per session.
            models.UniqueConstraint(
                fields=["session", "staff"], condition=Q(status__in=["booked", "waiting"]), name="one_live_booking_per_person"
            ),
            models.CheckConstraint(condition=Q(attendance="") | Q(status="booked"), name="attendance_only_with_a_place"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(attendance="attended"), name="completion_needs_attendance"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "staff", "status"]),
            models.Index(fields=["session", "status", "requested_at"]),
        ]

    def __str__(self):
        return f"{self.staff.full_name} on {self.session}"

    @property
    def is_live(self):
        return self.status in self.LIVE

    def is_ahead(self, now=None):
        """Still to come for the person: a live booking on a session that has not finished, with no
        attendance recorded yet."""
        return self.is_live and not self.session.is_cancelled and not self.attendance and not self.session.has_finished(now)


class TrainingRecord(TenantModel):
    """A person's choices about their own training record. Only made once they choose something."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.OneToOneField(StaffRecord, verbose_name="person", on_delete=models.CASCADE, related_name="training_record")
    shared_with_mentor = models.BooleanField("shared with their mentor or coach", default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    def __str__(self):
        return f"{self.staff.full_name}'s training record"


class ExternalTraining(TenantModel, VersionedModel):
    """Training someone did outside the catalogue (a conference, a university module, e-learning),
    which they add to their own record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.ForeignKey(StaffRecord, verbose_name="person", on_delete=models.CASCADE, related_name="+")
    title = models.CharField("title", max_length=200)
    provider = models.CharField("provider", max_length=200)
    completed_on = models.DateField("date")
    hours = models.DecimalField("hours", max_digits=5, decimal_places=1)
    notes = models.TextField("what you took from it", blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(ExternalTrainingQuerySet)

    class Meta:
        verbose_name = "training done elsewhere"
        verbose_name_plural = "training done elsewhere"
        ordering = ["-completed_on", "title"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="external_training_has_hours")]
        indexes = [models.Index(fields=["organisation", "staff", "completed_on"])]

    def __str__(self):
        return f"{self.title} ({self.staff.full_name})"
