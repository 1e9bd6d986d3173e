"""The first 12 months after someone becomes a practice supervisor (seed 000 §2–3): an induction
checklist copied from the organisation's template, and check-ins at 1, 3, 6 and 12 months.

A person is a workforce staff record, so someone with no Trellis login still gets an induction, and
their line manager comes from the register.
"""

import calendar
import datetime
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trellis.audit.versions import VersionedModel
from trellis.tenancy.models import Membership, TenantModel, tenant_manager
from trellis.workforce.models import StaffRecord

from .queries import CheckInQuerySet, ChecklistItemQuerySet, FirstYearQuerySet

CHECK_IN_MONTHS = (1, 3, 6, 12)


def add_months(day, months):
    """The same day `months` later; a day the month lacks falls back to its last (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_within_label(days):
    """'Within 2 weeks', 'Within 10 days', 'On their first day'."""
    if days == 0:
        return "On their first day"
    if days % 7 == 0:
        weeks = days // 7
        return f"Within {weeks} week{'s' if weeks != 1 else ''}"
    return f"Within {days} day{'s' if days != 1 else ''}"


class Owner(models.TextChoices):
    """Who makes sure an induction item happens."""

    SUPERVISOR = "supervisor", "The new supervisor"
    LINE_MANAGER = "line_manager", "Their line manager"
    NAMED = "named", "Someone named"


class ChecklistTemplate(TenantModel):
    """One per organisation, made the first time anyone needs its induction checklist template.

    It records that the shipped default items were loaded, so they are offered once: an organisation
    that later removes every item gets an empty template, not the defaults again.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    defaults_version = models.PositiveSmallIntegerField("version of the default checklist loaded", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        verbose_name = "induction checklist template"
        constraints = [models.UniqueConstraint(fields=["organisation"], name="one_induction_template_per_organisation")]

    def __str__(self):
        return "Induction checklist template"


class OwnedItem(models.Model):
    """What a template item and a person's checklist item share: what to do, guidance and an owner."""

    title = models.CharField("item", max_length=200)
    guidance = models.TextField("guidance", blank=True)
    owner_kind = models.CharField("owner", max_length=12, choices=Owner, default=Owner.SUPERVISOR)
    owner = models.ForeignKey(
        StaffRecord,
        verbose_name="named owner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Only when the owner is someone named.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title


class TemplateItem(OwnedItem, TenantModel, VersionedModel):
    """One item of the organisation's induction checklist template. Opening someone's first 12 months
    copies every item; changing the template later leaves checklists already open as they are."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    due_after_days = models.PositiveSmallIntegerField(
        "due within (days)", help_text="Days after the start of their first 12 months: 14 is within 2 weeks."
    )
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = tenant_manager()

    class Meta:
        verbose_name = "induction checklist template item"
        ordering = ["due_after_days", "position", "title"]

    @property
    def due_within(self):
        return due_within_label(self.due_after_days)


class FirstYear(TenantModel, VersionedModel):
    """Someone's first 12 months as a practice supervisor. Opened from the workforce register when a
    supervisory spell begins, or by an organisation admin; closed at 12 months or by hand."""

    class Route(models.TextChoices):
        PROMOTION = "promotion", "Internal promotion"
        NEW = "new", "Appointed from outside the organisation"
        ACTING_UP = "acting_up", "Acting up"
        SECONDMENT = "secondment", "Secondment"
        OTHER = "other", "Other"

    class Opened(models.TextChoices):
        REGISTER = "register", "From the workforce register"
        BY_HAND = "by_hand", "By hand"

    class Status(models.TextChoices):
        OPEN = "open", "In their first 12 months"
        CLOSED = "closed", "Closed"

    class ClosingReason(models.TextChoices):
        COMPLETED = "completed", "Completed their first 12 months"
        LEFT = "left", "Left the organisation"
        STEPPED_DOWN = "stepped_down", "No longer a practice supervisor"
        NOT_NEEDED = "not_needed", "Not needed, for example an experienced supervisor"
        OPENED_IN_ERROR = "opened_in_error", "Opened by mistake"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.ForeignKey(StaffRecord, verbose_name="person", on_delete=models.CASCADE, related_name="first_years")
    start_date = models.DateField("started as a practice supervisor")
    ends_on = models.DateField(
        "12 months end on", help_text="The anniversary of the start date: the 12-month check-in is due then."
    )
    route = models.CharField("how they came to the role", max_length=12, choices=Route, default=Route.OTHER)
    opened = models.CharField("opened", max_length=10, choices=Opened)
    status = models.CharField(max_length=8, choices=Status, default=Status.OPEN)
    closed_on = models.DateField("date closed", null=True, blank=True)
    closing_reason = models.CharField("why it closed", max_length=16, choices=ClosingReason, blank=True)
    closing_note = models.TextField("note", blank=True)
    shared_with_mentor = models.BooleanField(
        "shared with their mentor", default=False, help_text="The person chose to let their mentor or coach see it."
    )
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(FirstYearQuerySet)

    class Meta:
        verbose_name = "first 12 months"
        verbose_name_plural = "first 12 months"
        ordering = ["-start_date", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["staff"], condition=Q(status="open"), name="one_open_first_year_per_person"),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True, closing_reason="")
                | (Q(status="closed", closed_on__isnull=False) & ~Q(closing_reason="")),
                name="closed_first_years_say_when_and_why",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "start_date"]),
            models.Index(fields=["organisation", "staff"]),
        ]

    def __str__(self):
        return f"{self.staff}'s first 12 months from {self.start_date:%d/%m/%Y}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def months_in(self, today=None):
        """Whole months since the start (0 in the first month, never negative)."""
        today = today or timezone.localdate()
        months = (
            (today.year - self.start_date.year) * 12 + today.month - self.start_date.month - (today.day < self.start_date.day)
        )
        return max(months, 0)

    def has_started(self, today=None):
        return self.start_date <= (today or timezone.localdate())

    def stage_label(self, today=None):
        """Where they are in it: 'Month 4 of 12', 'Starts on 5 January 2027', '12 months have passed'."""
        today = today or timezone.localdate()
        if not self.has_started(today):
            return f"Starts on {self.start_date.day} {self.start_date:%B %Y}"
        months = self.months_in(today)
        return f"Month {months + 1} of 12" if months < 12 else "12 months have passed"

    @property
    def stage(self):
        return self.stage_label()


class PartOfFirstYear(models.Model):
    """Items and check-ins are allowed to whoever their first 12 months is allowed to: the policy's
    predicates read `.staff` and `.shared_with_mentor`."""

    class Meta:
        abstract = True

    @property
    def staff(self):
        return self.first_year.staff

    @property
    def shared_with_mentor(self):
        return self.first_year.shared_with_mentor


class ChecklistItem(OwnedItem, PartOfFirstYear, TenantModel, VersionedModel):
    """One item of a person's induction checklist: copied from the template when their first 12 months
    opened, or added for them. Ticked off with who, when and a note; can be reopened."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    first_year = models.ForeignKey(FirstYear, on_delete=models.CASCADE, related_name="items")
    due_on = models.DateField("due by")
    completed_on = models.DateField("date done", null=True, blank=True)
    completed_by = models.ForeignKey(
        Membership, verbose_name="ticked off by", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completion_note = models.TextField("note", blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(ChecklistItemQuerySet)

    class Meta:
        verbose_name = "induction checklist item"
        ordering = ["due_on", "position", "title"]
        indexes = [models.Index(fields=["organisation", "first_year", "due_on"])]

    @property
    def is_done(self):
        return self.completed_on is not None

    def is_overdue(self, today=None):
        return not self.is_done and self.due_on < (today or timezone.localdate())

    def owner_for(self, first_year=None):
        """The staff record who owns it now: the supervisor, their line manager today, or the named person."""
        first_year = first_year or self.first_year
        if self.owner_kind == Owner.SUPERVISOR:
            return first_year.staff
        if self.owner_kind == Owner.LINE_MANAGER:
            return first_year.staff.line_manager
        return self.owner


class CheckIn(PartOfFirstYear, TenantModel, VersionedModel):
    """A check-in at 1, 3, 6 or 12 months: when it is due, and once held, when, with whom, and notes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    first_year = models.ForeignKey(FirstYear, on_delete=models.CASCADE, related_name="check_ins")
    months = models.PositiveSmallIntegerField("months in")
    due_on = models.DateField("due by")
    held_on = models.DateField("date held", null=True, blank=True)
    held_with = models.ForeignKey(
        StaffRecord, verbose_name="held with", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField("notes", blank=True)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = tenant_manager(CheckInQuerySet)

    class Meta:
        verbose_name = "check-in"
        ordering = ["months"]
        constraints = [models.UniqueConstraint(fields=["first_year", "months"], name="one_check_in_per_point")]
        indexes = [models.Index(fields=["organisation", "first_year", "months"])]

    def __str__(self):
        return f"{self.name} for {self.first_year.staff}"

    @property
    def name(self):
        return f"{self.months}-month check-in"

    @property
    def is_held(self):
        return self.held_on is not None

    def is_overdue(self, today=None):
        return not self.is_held and self.due_on < (today or timezone.localdate())
