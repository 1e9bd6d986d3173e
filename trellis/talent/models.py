"""Succession: the career development pathway, potential practice supervisors and their gap plans,
and acting-up opportunities (seed 000 sections 1 and 2).

People here are staff records from the workforce register, so someone with no Trellis login can be
spotted, planned for and offered acting up.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trellis.audit.versions import VersionedModel
from trellis.pathway.models import PlanAction
from trellis.tenancy.models import Membership, TenantModel, tenant_manager
from trellis.workforce.models import CareerStage, Service, StaffRecord, Team

from .queries import ActingUpOpportunityQuerySet, GapActionQuerySet, PotentialSupervisorQuerySet


class CareerPathway(TenantModel):
    """One per organisation, made the first time anyone opens its career pathway.

    It records that the shipped default support was loaded, so the defaults are offered once: an
    organisation that later removes every item gets an empty pathway, not the defaults again.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    defaults_version = models.PositiveSmallIntegerField("version of the default pathway loaded", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="one_career_pathway_per_organisation")]

    def __str__(self):
        return "Career pathway"


class StageSupport(TenantModel, VersionedModel):
    """One kind of support the organisation offers people at a career stage, to move to the next.

    Seed 000 section 1: the development pathway "should make explicit how social work practitioners can
    be supported ... through training, development, research, observation, consultation, supervision,
    emotional, professional and managerial support".
    """

    class Kind(models.TextChoices):
        TRAINING = "training", "Training"
        DEVELOPMENT = "development", "Development"
        RESEARCH = "research", "Research"
        OBSERVATION = "observation", "Observation"
        CONSULTATION = "consultation", "Consultation"
        SUPERVISION = "supervision", "Supervision"
        EMOTIONAL = "emotional", "Emotional support"
        PROFESSIONAL = "professional", "Professional support"
        MANAGERIAL = "managerial", "Managerial support"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    stage = models.ForeignKey(CareerStage, verbose_name="career stage", on_delete=models.CASCADE, related_name="support")
    kind = models.CharField("kind of support", max_length=12, choices=Kind)
    description = models.TextField("what we offer")
    position = models.PositiveSmallIntegerField(default=0)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = tenant_manager()

    class Meta:
        verbose_name = "support on the career pathway"
        verbose_name_plural = "support on the career pathway"
        ordering = ["stage__position", "position", "kind"]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.stage}"


class PotentialSupervisor(TenantModel, VersionedModel):
    """Someone a manager has identified, from appraisal or a performance conversation, as a practice
    supervisor of the future: their strengths, where they might be best placed, how ready they are."""

    class Readiness(models.TextChoices):
        READY_NOW = "ready_now", "Ready now"
        WITHIN_12_MONTHS = "within_12_months", "Within 12 months"
        ONE_TO_TWO_YEARS = "one_to_two_years", "In 1 to 2 years"

    READINESS_COLOURS = {Readiness.READY_NOW: "green", Readiness.WITHIN_12_MONTHS: "blue", Readiness.ONE_TO_TWO_YEARS: "grey"}

    class Source(models.TextChoices):
        APPRAISAL = "appraisal", "Appraisal"
        PERFORMANCE_CONVERSATION = "performance_conversation", "Performance conversation"
        SUPERVISION = "supervision", "Supervision"
        SELF_NOMINATION = "self_nomination", "They put themselves forward"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        ACTIVE = "active", "In the pipeline"
        APPOINTED = "appointed", "Appointed as a supervisor"
        WITHDRAWN = "withdrawn", "No longer in the pipeline"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.ForeignKey(StaffRecord, verbose_name="person", on_delete=models.CASCADE, related_name="+")
    identified_on = models.DateField("date identified")
    identified_by = models.ForeignKey(
        StaffRecord,
        verbose_name="identified by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The manager who identified them.",
    )
    source = models.CharField("identified through", max_length=24, choices=Source, default=Source.APPRAISAL)
    strengths = models.TextField("strengths")
    best_placed_team = models.ForeignKey(
        Team,
        verbose_name="where they might be best placed: team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    best_placed_service = models.CharField("where they might be best placed: service", max_length=10, choices=Service, blank=True)
    readiness = models.CharField(max_length=20, choices=Readiness)
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    closed_on = models.DateField("date closed", null=True, blank=True)
    closing_note = models.TextField("why", blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(PotentialSupervisorQuerySet)

    class Meta:
        verbose_name = "potential practice supervisor"
        ordering = ["-identified_on"]
        constraints = [
            models.UniqueConstraint(fields=["staff"], condition=Q(status="active"), name="one_active_nomination_per_person"),
            models.CheckConstraint(
                condition=Q(status="active", closed_on__isnull=True) | (~Q(status="active") & Q(closed_on__isnull=False)),
                name="closed_nominations_have_a_date",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "readiness"])]

    def __str__(self):
        return f"{self.staff} (potential practice supervisor)"

    @property
    def readiness_colour(self):
        return self.READINESS_COLOURS[self.readiness]

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def placement_team(self):
        """The team the pipeline counts them in: where they might be best placed, or else their own
        team, unless a manager placed them in the other service."""
        if self.best_placed_team_id:
            return self.best_placed_team
        team = self.staff.team
        if team is not None and self.best_placed_service in ("", team.service):
            return team
        return None

    @property
    def placement_service(self):
        if self.best_placed_service:
            return self.best_placed_service
        team = self.best_placed_team or self.staff.team
        return team.service if team is not None else self.staff.service


class GapAction(TenantModel, VersionedModel):
    """One dated step of a potential supervisor's gap plan: what will close a gap, who owns it, its status."""

    class Kind(models.TextChoices):
        TRAINING = "training", "Training"
        MENTORING = "mentoring", "Mentoring"
        SHADOWING = "shadowing", "Shadowing"
        ACTING_UP = "acting_up", "Acting up"
        COACHING = "coaching", "Coaching"
        OTHER = "other", "Other"

    Status = PlanAction.Status
    CLOSED = PlanAction.CLOSED
    STATUS_COLOURS = PlanAction.STATUS_COLOURS

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    candidate = models.ForeignKey(PotentialSupervisor, on_delete=models.CASCADE, related_name="gap_actions")
    kind = models.CharField(max_length=10, choices=Kind)
    description = models.TextField("action")
    owner = models.ForeignKey(StaffRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField("date to be completed", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.NOT_STARTED)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(GapActionQuerySet)

    class Meta:
        verbose_name = "gap plan action"
        ordering = [F("due_date").asc(nulls_last=True), "created_at"]

    def __str__(self):
        return self.description[:80]

    @property
    def is_overdue(self):
        return self.due_date is not None and self.status not in self.CLOSED and self.due_date < timezone.localdate()

    @property
    def status_colour(self):
        return self.STATUS_COLOURS[self.status]

    @property
    def staff(self):
        """The person whose plan this is: the policy's candidate rules read `.staff`, so a gap action
        is allowed to whoever its plan is allowed to."""
        return self.candidate.staff


class ActingUpOpportunity(TenantModel, VersionedModel):
    """Cover for a short absence or a vacancy, offered to people in the pipeline and given to one of them."""

    class Reason(models.TextChoices):
        PARENTAL_LEAVE = "parental_leave", "Maternity, paternity or adoption leave"
        SICKNESS = "sickness", "Sickness absence"
        SECONDMENT = "secondment", "Secondment"
        VACANCY = "vacancy", "Vacancy"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        FILLED = "filled", "Filled"
        CANCELLED = "cancelled", "Cancelled"

    STATUS_COLOURS = {Status.OPEN: "blue", Status.FILLED: "green", Status.CANCELLED: "grey"}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(
        CareerStage, verbose_name="acting up as", on_delete=models.PROTECT, related_name="+", help_text="The role being covered."
    )
    start_date = models.DateField("from")
    end_date = models.DateField("to")
    reason = models.CharField(max_length=16, choices=Reason)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        StaffRecord, verbose_name="acting up", null=True, blank=True, on_delete=models.SET_NULL, related_name="acting_up"
    )
    assigned_on = models.DateField("date assigned", null=True, blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(ActingUpOpportunityQuerySet)

    class Meta:
        verbose_name = "acting-up opportunity"
        verbose_name_plural = "acting-up opportunities"
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="acting_up_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(status="filled") | Q(assigned_to__isnull=False), name="filled_acting_up_has_someone"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "start_date"])]

    def __str__(self):
        return f"Acting up as {self.stage} in {self.team}, {self.start_date:%d/%m/%Y} to {self.end_date:%d/%m/%Y}"

    @property
    def status_colour(self):
        return self.STATUS_COLOURS[self.status]


class ActingUpOffer(TenantModel):
    """An acting-up opportunity offered to one person in the pipeline, and their answer."""

    class Response(models.TextChoices):
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    opportunity = models.ForeignKey(ActingUpOpportunity, on_delete=models.CASCADE, related_name="offers")
    candidate = models.ForeignKey(PotentialSupervisor, on_delete=models.CASCADE, related_name="acting_up_offers")
    offered_on = models.DateField("date offered")
    response = models.CharField(max_length=10, choices=Response, default=Response.OFFERED)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = tenant_manager()

    class Meta:
        ordering = ["offered_on"]
        constraints = [models.UniqueConstraint(fields=["opportunity", "candidate"], name="one_offer_per_candidate")]

    def __str__(self):
        return f"{self.opportunity} offered to {self.candidate.staff}"
