"""A person's development plan and partnership roles (issue 5; seed 000 section 3).

A plan belongs to one person in the workforce register, so someone without a Trellis login can have one
(an organisation admin keeps it for them). It has goals, each linked to standards from the frameworks
the person works against, and each goal has dated actions with the action plan's statuses and progress
notes. The person's line manager, or a mentor they share the plan with, comments on it and agrees it;
an agreement records which version of the plan was agreed, so a later change shows as "changed since
agreed".

Two counters, for two different things: `version` (from VersionedModel) refuses stale edits of a row;
`DevelopmentPlan.plan_version` counts changes to what the plan says (its goals and actions), which is
what a reviewer agrees to. Progress (an action's status, progress notes) and the sharing choice change
neither what was agreed nor `plan_version`.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trellis.audit.versions import VersionedModel
from trellis.frameworks.models import Standard
from trellis.pathway.models import PlanAction
from trellis.tenancy.models import Membership, TenantModel, tenant_manager
from trellis.workforce.models import StaffRecord

from .queries import DevelopmentActionQuerySet, DevelopmentPlanQuerySet, PartnershipRoleQuerySet


class PlanStatus(models.TextChoices):
    """Where a person's plan is, as My team and coverage show it."""

    NONE = "none", "No plan"
    DRAFT = "draft", "Not agreed yet"
    AGREED = "agreed", "Agreed"
    CHANGED = "changed", "Changed since agreed"


PLAN_STATUS_COLOURS = {
    PlanStatus.NONE: "grey",
    PlanStatus.DRAFT: "blue",
    PlanStatus.AGREED: "green",
    PlanStatus.CHANGED: "yellow",
}


def plan_status(goal_count, plan_version, agreed_version):
    if not goal_count:
        return PlanStatus.NONE
    if agreed_version is None:
        return PlanStatus.DRAFT
    return PlanStatus.AGREED if agreed_version == plan_version else PlanStatus.CHANGED


class DevelopmentPlan(TenantModel, VersionedModel):
    """One per person, made when they (or an admin for them) first add to it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.OneToOneField(StaffRecord, verbose_name="person", on_delete=models.CASCADE, related_name="development_plan")
    shared_with_mentor = models.BooleanField(
        "shared with their mentor",
        default=False,
        help_text="The person chose to let their mentor or coach see their plan and partnership roles.",
    )
    plan_version = models.PositiveIntegerField("version of the plan", default=0)
    changed_at = models.DateTimeField("last changed", null=True, blank=True)
    changed_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    # Each change to what the plan says is saved here with a line saying what it was ("Added goal
    # …"), so a reviewer can read what changed since they agreed it.
    history = HistoricalRecords(excluded_fields=["created_at"], history_change_reason_field=models.TextField(null=True))

    objects = tenant_manager(DevelopmentPlanQuerySet)

    class Meta:
        verbose_name = "development plan"

    def __str__(self):
        return f"Development plan: {self.staff}"

    @property
    def status(self):
        """On rows from `with_status()`."""
        return plan_status(self.goal_count, self.plan_version, self.agreed_version)

    @property
    def status_label(self):
        return PlanStatus(self.status).label

    @property
    def status_colour(self):
        return PLAN_STATUS_COLOURS[self.status]


class Goal(TenantModel, VersionedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "Working on it"
        ACHIEVED = "achieved", "Achieved"
        STOPPED = "stopped", "No longer a goal"

    STATUS_COLOURS = {Status.ACTIVE: "blue", Status.ACHIEVED: "green", Status.STOPPED: "grey"}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField("goal", max_length=300)
    success = models.TextField("how you will know you have achieved it", blank=True)
    standards = models.ManyToManyField(Standard, verbose_name="standards", related_name="development_goals", blank=True)
    target_date = models.DateField("target date", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager()

    class Meta:
        verbose_name = "development goal"
        ordering = ["created_at"]

    def __str__(self):
        return self.title

    @property
    def staff(self):
        """The policy's person rules read `.staff`: a goal is allowed to whoever its plan is."""
        return self.plan.staff

    @property
    def shared_with_mentor(self):
        return self.plan.shared_with_mentor

    @property
    def status_colour(self):
        return self.STATUS_COLOURS[self.status]


class DevelopmentAction(TenantModel, VersionedModel):
    """One dated step towards a goal."""

    class Kind(models.TextChoices):
        TRAINING = "training", "Training"
        MENTORING = "mentoring", "Mentoring"
        COACHING = "coaching", "Coaching"
        SHADOWING = "shadowing", "Shadowing"
        READING = "reading", "Reading or research"
        OBSERVATION = "observation", "Observation"
        OTHER = "other", "Other"

    Status = PlanAction.Status
    CLOSED = PlanAction.CLOSED
    STATUS_COLOURS = PlanAction.STATUS_COLOURS

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField("kind of action", max_length=12, choices=Kind)
    description = models.TextField("action")
    support_needed = models.TextField("support needed", blank=True)
    start_date = models.DateField("start date", null=True, blank=True)
    due_date = models.DateField("date to be completed")
    status = models.CharField(max_length=12, choices=Status, default=Status.NOT_STARTED)
    completed_on = models.DateField("date completed", null=True, blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(DevelopmentActionQuerySet)

    class Meta:
        verbose_name = "development plan action"
        ordering = ["due_date", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(due_date__gte=F("start_date")), name="development_action_dates_in_order"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status", "due_date"])]

    def __str__(self):
        return self.description[:80]

    @property
    def staff(self):
        return self.goal.plan.staff

    @property
    def shared_with_mentor(self):
        return self.goal.plan.shared_with_mentor

    @property
    def is_overdue(self):
        return self.status not in self.CLOSED and self.due_date < timezone.localdate()

    @property
    def status_colour(self):
        return self.STATUS_COLOURS[self.status]


class ProgressNote(TenantModel):
    """A dated note on an action's progress, by whoever wrote it, optionally with the status it moved to.
    Never changed or deleted: it is what was said at the time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(DevelopmentAction, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField("by", max_length=150, help_text="Kept so the note still reads after its author leaves.")
    text = models.TextField("progress note", blank=True)
    status = models.CharField(
        max_length=12, choices=PlanAction.Status, blank=True, help_text="The status the action moved to, if it changed."
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:80] or f"Status changed to {self.get_status_display()}"


class PlanReview(TenantModel):
    """A reviewer's comment on a plan, agreement of it, or both. The latest agreement is the plan's.

    `plan_version` is the version the reviewer saw. When an admin records the review of a line manager
    who has no login, `on_behalf_of` is that manager and `recorded_by` the admin.
    """

    class Role(models.TextChoices):
        LINE_MANAGER = "line_manager", "line manager"
        MENTOR = "mentor", "mentor"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewer_name = models.CharField("reviewed by", max_length=150)
    reviewer_role = models.CharField("as their", max_length=12, choices=Role)
    on_behalf_of = models.ForeignKey(
        StaffRecord, verbose_name="on behalf of", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        Membership, verbose_name="recorded by", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(
        "recorded by", max_length=150, help_text="Kept so the review still reads after they leave."
    )
    comment = models.TextField(blank=True)
    agreed = models.BooleanField("agreed the plan", default=False)
    plan_version = models.PositiveIntegerField("version of the plan")
    reviewed_on = models.DateField("date")
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "plan", "agreed", "created_at"])]

    def __str__(self):
        what = "agreed" if self.agreed else "commented on"
        return f"{self.reviewer_name} {what} version {self.plan_version} of {self.plan}"


class PartnershipRole(TenantModel, VersionedModel):
    """A person's role in a partnership beyond their team (seed 000 section 3: "membership of
    multi-agency safeguarding partnership sub-groups, membership of housing partnerships, or
    inter-agency partnership responses to criminal exploitation")."""

    class Kind(models.TextChoices):
        SAFEGUARDING = "safeguarding", "Multi-agency safeguarding partnership or sub-group"
        HOUSING = "housing", "Housing partnership"
        EXPLOITATION = "exploitation", "Inter-agency response to criminal exploitation"
        OTHER = "other", "Other partnership"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.ForeignKey(StaffRecord, verbose_name="person", on_delete=models.CASCADE, related_name="partnership_roles")
    kind = models.CharField("kind of partnership", max_length=12, choices=Kind)
    body = models.CharField("partnership or group", max_length=200)
    role = models.CharField("role", max_length=150)
    start_date = models.DateField("start date")
    end_date = models.DateField("end date", null=True, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(PartnershipRoleQuerySet)

    class Meta:
        verbose_name = "partnership role"
        ordering = [F("end_date").desc(nulls_first=True), "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="partnership_role_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.role}, {self.body}"

    def is_current(self, today=None):
        return self.end_date is None or self.end_date >= (today or timezone.localdate())
