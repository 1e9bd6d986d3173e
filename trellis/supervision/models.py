"""The supervisor's own supervision (seed 000 section 3): who supervises them, how often, and a log of
sessions with the prompts the seed names.

"High-quality supervision which allows the expression and containment of anxiety and addresses skill
development. There should also be a focus on supporting practice supervisors to consider issues of
diversity and power in relation to staff they supervise and children and families."

The log records that supervision happened and what kind of conversation it was, never case detail:
the records are seen by the person's line manager and organisation admins.
"""

import calendar
import datetime
import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trellis.audit.versions import VersionedModel
from trellis.tenancy.models import Membership, TenantModel, tenant_manager
from trellis.workforce.models import StaffRecord

from .queries import SupervisionSessionQuerySet


def add_months(day, months):
    """The same day `months` later; a day the month lacks falls back to its last day (31 Jan → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class SupervisionAgreement(TenantModel, VersionedModel):
    """The agreement between a supervisor and the person who supervises them. One per person, kept up
    to date (its history keeps earlier versions); sessions are due against it."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        MONTHLY = "monthly", "Monthly"
        SIX_WEEKLY = "six_weekly", "Every 6 weeks"
        OTHER = "other", "Other"

    # Weeks between sessions; monthly is counted in calendar months.
    WEEKS = {Frequency.WEEKLY: 1, Frequency.FORTNIGHTLY: 2, Frequency.SIX_WEEKLY: 6}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.OneToOneField(
        StaffRecord, verbose_name="person", on_delete=models.CASCADE, related_name="supervision_agreement"
    )
    supervisor = models.ForeignKey(StaffRecord, verbose_name="supervised by", on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField("how often", max_length=12, choices=Frequency)
    other_weeks = models.PositiveSmallIntegerField("weeks between sessions", null=True, blank=True)
    length_minutes = models.PositiveSmallIntegerField("expected length in minutes")
    starts_on = models.DateField("start date")
    review_on = models.DateField("review date")
    notes = models.TextField("notes", blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager()

    class Meta:
        verbose_name = "supervision agreement"
        constraints = [
            models.CheckConstraint(condition=~Q(supervisor=F("staff")), name="nobody_supervises_themselves"),
            models.CheckConstraint(condition=Q(review_on__gte=F("starts_on")), name="agreement_review_after_start"),
            models.CheckConstraint(
                condition=~Q(frequency="other") | Q(other_weeks__isnull=False), name="other_frequency_has_weeks"
            ),
        ]

    def __str__(self):
        return f"Supervision agreement for {self.staff}"

    @property
    def frequency_display(self):
        if self.frequency == self.Frequency.OTHER and self.other_weeks:
            return f"Every {self.other_weeks} weeks" if self.other_weeks != 1 else "Every week"
        return self.get_frequency_display()

    def due_after(self, day):
        """When the next session is due if the last one was on `day`."""
        if self.frequency == self.Frequency.MONTHLY:
            return add_months(day, 1)
        weeks = self.other_weeks if self.frequency == self.Frequency.OTHER else self.WEEKS[self.frequency]
        return day + datetime.timedelta(weeks=weeks)

    def next_due(self, last_session_on):
        """The next session is due one interval after the last one, or after the start if none yet."""
        since = max(d for d in (last_session_on, self.starts_on) if d is not None)
        return self.due_after(since)

    def review_is_due(self, today=None):
        return self.review_on < (today or timezone.localdate())


# (field, label, hint): the prompts seed 000 names for a supervisor's own supervision.
PROMPTS = (
    (
        "containment",
        "Containment of anxiety",
        "Was there space to talk about what is worrying you, and to feel held with it?",
    ),
    (
        "skill_development",
        "Skill development",
        "Did it help you develop your skills as a supervisor?",
    ),
    (
        "diversity_power",
        "Diversity and power",
        "Did you consider diversity and power in relation to the staff you supervise and children and families?",
    ),
)


class SupervisionSession(TenantModel, VersionedModel):
    """One supervision session of a supervisor: when, how long, individual or group, its themes in a few
    words, and whether it covered each of the seed's prompts with a short reflection."""

    class Format(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        GROUP = "group", "Group"

    PROMPTS = PROMPTS

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.ForeignKey(StaffRecord, verbose_name="person", on_delete=models.CASCADE, related_name="supervision_sessions")
    supervisor = models.ForeignKey(StaffRecord, verbose_name="supervised by", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("date")
    length_minutes = models.PositiveSmallIntegerField("length in minutes")
    format = models.CharField("individual or group", max_length=10, choices=Format, default=Format.INDIVIDUAL)
    themes = models.CharField("themes", max_length=200)
    containment = models.BooleanField("containment of anxiety", default=False)
    containment_note = models.CharField("reflection on containment of anxiety", max_length=500, blank=True)
    skill_development = models.BooleanField("skill development", default=False)
    skill_development_note = models.CharField("reflection on skill development", max_length=500, blank=True)
    diversity_power = models.BooleanField("diversity and power", default=False)
    diversity_power_note = models.CharField("reflection on diversity and power", max_length=500, blank=True)
    recorded_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(SupervisionSessionQuerySet)

    class Meta:
        verbose_name = "supervision session"
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["organisation", "staff", "held_on"])]
        constraints = [
            models.CheckConstraint(condition=~Q(supervisor=F("staff")), name="session_not_with_themselves"),
            *[
                models.CheckConstraint(condition=Q(**{f"{name}_note": ""}) | Q(**{name: True}), name=f"{name}_note_needs_tick")
                for name, _label, _hint in PROMPTS
            ],
        ]

    def __str__(self):
        return f"Supervision for {self.staff} on {self.held_on:%d/%m/%Y}"

    @property
    def prompts(self):
        """[(label, ticked, reflection)] in the seed's order, for pages."""
        return [(label, getattr(self, name), getattr(self, f"{name}_note")) for name, label, _hint in self.PROMPTS]

    @property
    def covered(self):
        return [label for label, ticked, _reflection in self.prompts if ticked]

    @property
    def reflections(self):
        return [(label, reflection) for label, _ticked, reflection in self.prompts if reflection]
