"""The implementation pathway.

Stage, Outcome, Idea and Resource are the template shipped as data (data/pathway.yaml), shared by
every organisation. Everything else is an organisation's own work against that template, so a
template update never touches it.
"""

import uuid

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trellis.audit.versions import VersionedModel
from trellis.tenancy.models import Membership, TenantModel, tenant_manager

from .queries import ActionQuerySet, ReflectionQuerySet


class Stage(models.Model):
    key = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=60)
    reflective_question = models.TextField()

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.name


class Outcome(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="outcomes")
    key = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    retired = models.BooleanField(
        default=False, help_text="No longer in the template; kept because organisations' work may refer to it."
    )

    class Meta:
        ordering = ["stage__position", "position"]

    def __str__(self):
        return self.text


class Idea(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="ideas")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["stage__position", "position"]
        constraints = [models.UniqueConstraint(fields=["stage", "position"], name="idea_position")]

    def __str__(self):
        return self.text


class Resource(models.Model):
    class Group(models.TextChoices):
        PATHWAY = "pathway", "Resources"
        CHILDRENS_TOOLS = "childrens_tools", "Tools for leaders that are transferable from children's services"

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="resources")
    group = models.CharField(max_length=20, choices=Group, default=Group.PATHWAY)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = models.CharField(max_length=300, blank=True)
    url = models.URLField(blank=True)
    source = models.CharField(max_length=100, blank=True, help_text="Publisher, e.g. skillsforcare.org.uk")

    class Meta:
        ordering = ["stage__position", "group", "position"]
        constraints = [models.UniqueConstraint(fields=["stage", "group", "position"], name="resource_position")]

    def __str__(self):
        return self.title


PRINCIPLES = [
    ("Equity and diversity", "Different approaches are needed for different organisations to achieve similar outcomes."),
    ("Strengths-based", "Implementation is about recognising good practice and enabling people to develop."),
    ("Community of practice", "Implementation is supported by sharing ideas and learning."),
]


class OutcomeProgress(TenantModel, VersionedModel):
    """Whether the organisation has achieved one outcome of the template, and its evidence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="+")
    is_achieved = models.BooleanField("achieved", default=False)
    achieved_on = models.DateField("date achieved", null=True, blank=True)
    evidence = models.TextField("evidence", blank=True)
    # A record elsewhere in Trellis chosen as evidence (see evidence.py): its address and what it was
    # called, kept as text so the pathway depends on no other app.
    evidence_link = models.CharField("evidence in Trellis (address)", max_length=300, blank=True)
    evidence_link_label = models.CharField("evidence in Trellis", max_length=300, blank=True)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "outcome"
        verbose_name_plural = "outcomes"
        constraints = [models.UniqueConstraint(fields=["organisation", "outcome"], name="one_progress_per_outcome")]

    def __str__(self):
        return str(self.outcome)


class Reflection(TenantModel, VersionedModel):
    """One member's answer to a stage's reflective question. Earlier versions stay in its history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    answer = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = tenant_manager(ReflectionQuerySet)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "stage", "author"], name="one_reflection_per_person")]

    def __str__(self):
        return f"{self.author}'s answer on {self.stage}"


class Stakeholder(TenantModel, VersionedModel):
    """A person or group the pathway needs to reach; can own actions."""

    class Engagement(models.TextChoices):
        AWARE = "aware", "Aware"
        ENGAGED = "engaged", "Engaged"
        CHAMPION = "champion", "Champion"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField("name or group", max_length=200)
    role = models.CharField(max_length=200, help_text="For example practice supervisors, senior leaders, Principal Social Worker")
    engagement = models.CharField(max_length=10, choices=Engagement, default=Engagement.AWARE)
    notes = models.TextField(blank=True)
    staff = models.ForeignKey(
        "workforce.StaffRecord",
        verbose_name="person in the workforce register",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Set when the stakeholder is one person picked from the register.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def engagement_colour(self):
        return {"aware": "grey", "engaged": "blue", "champion": "green"}[self.engagement]


class PlanAction(VersionedModel):
    """The action-plan row of seed 002 (Action(s), Support needed, Owner, Date to be completed, Status),
    shared by every plan in Trellis: the pathway's action plan and the actions agreed at oversight meetings."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        BLOCKED = "blocked", "Blocked"
        CANCELLED = "cancelled", "Cancelled"

    CLOSED = (Status.COMPLETE, Status.CANCELLED)
    STATUS_COLOURS = {
        Status.NOT_STARTED: "grey",
        Status.IN_PROGRESS: "blue",
        Status.COMPLETE: "green",
        Status.BLOCKED: "orange",
        Status.CANCELLED: "purple",
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    description = models.TextField("action(s)")
    support_needed = models.TextField("support needed", blank=True)
    owner_member = models.ForeignKey(
        Membership, verbose_name="owner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField("date to be completed", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.NOT_STARTED)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return self.description[:80]

    @property
    def is_overdue(self):
        return self.due_date is not None and self.status not in self.CLOSED and self.due_date < timezone.localdate()

    @property
    def status_colour(self):
        return self.STATUS_COLOURS[self.status]


class Action(TenantModel, PlanAction):
    """A row of the implementation pathway's action plan, against one of the template's outcomes."""

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="+")
    owner_stakeholder = models.ForeignKey(
        Stakeholder, verbose_name="owner (stakeholder)", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(ActionQuerySet)

    class Meta:
        ordering = ["due_date", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(owner_member__isnull=False, owner_stakeholder__isnull=False),
                name="action_has_one_owner",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_date"]),
            models.Index(fields=["organisation", "outcome"]),
        ]

    @property
    def stage(self):
        return self.outcome.stage

    @property
    def owner(self):
        return self.owner_member or self.owner_stakeholder


class ProgressUpdate(TenantModel):
    """A dated comment on an action's progress, optionally recording a change of status."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField("progress update")
    status = models.CharField(max_length=12, choices=Action.Status, blank=True, help_text="The status it moved to, if it changed")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:80]
