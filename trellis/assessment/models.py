"""Self-assessment against the standards, and feedback from the person's manager and supervisees.

Seed 000 section 3: new practice supervisors should be supported in "evaluating learning needs and
capability using the KSS". A person rates themselves against every standard (and statement) of a
framework their organisation has in use, on the organisation's rating scale, saying in their own words
where they are strong and what they need to learn; they submit it, and do it again later (baseline,
mid-point, review) to see what changed. They can ask their line manager and supervisees to rate them
against the same standards.

The person is a `workforce.StaffRecord`; the people who answer feedback are staff records with a
Trellis login, because they answer in Trellis.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trellis.audit.versions import VersionedModel
from trellis.frameworks.models import FrameworkInUse, RatingLevel, Standard, Statement
from trellis.tenancy.models import Membership, TenantModel, tenant_manager
from trellis.workforce.models import StaffRecord

from .queries import FeedbackRequestQuerySet, SelfAssessmentQuerySet

# Supervisees' anonymous answers are shown, combined, only once this many have answered: fewer, and
# the person could work out who said what.
ANONYMITY_THRESHOLD = 3


class Round(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    MID_POINT = "mid_point", "Mid-point"
    REVIEW = "review", "Review"


class SelfAssessment(TenantModel, VersionedModel):
    """One person's ratings of themselves against one framework, at one point in time."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.ForeignKey(StaffRecord, verbose_name="person", on_delete=models.CASCADE, related_name="self_assessments")
    framework_in_use = models.ForeignKey(
        FrameworkInUse, verbose_name="framework", on_delete=models.PROTECT, related_name="self_assessments"
    )
    round = models.CharField(max_length=10, choices=Round)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    overall_strengths = models.TextField("strengths overall", blank=True)
    overall_learning_needs = models.TextField("learning needs overall", blank=True)
    shared_with_mentor = models.BooleanField("shared with their mentor", default=False)
    submitted_at = models.DateTimeField("submitted", null=True, blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("started", default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(SelfAssessmentQuerySet)

    class Meta:
        verbose_name = "self-assessment"
        ordering = ["-created_at"]
        constraints = [
            # Two drafts against one framework would split a person's answers between them.
            models.UniqueConstraint(
                fields=["staff", "framework_in_use"], condition=Q(status="draft"), name="one_draft_self_assessment"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True) | Q(status="submitted", submitted_at__isnull=False),
                name="submitted_self_assessments_have_a_date",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "staff", "status"]),
            models.Index(fields=["organisation", "framework_in_use", "status", "submitted_at"]),
        ]

    def __str__(self):
        return f"{self.staff.full_name}: {self.get_round_display().lower()} self-assessment"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    @property
    def title(self):
        return f"{self.get_round_display()} self-assessment"


class StandardRating(TenantModel, VersionedModel):
    """A person's answer for one standard: one section of their self-assessment, saved on its own
    page. Its version covers the statement ratings under it too, so a stale save of the page is
    refused whichever part of it changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="self_assessment_ratings")
    level = models.ForeignKey(
        RatingLevel,
        verbose_name="rating",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="self_assessment_ratings",
    )
    strengths = models.TextField(blank=True)
    learning_needs = models.TextField("learning needs", blank=True)
    is_priority = models.BooleanField("a priority learning need", default=False)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = tenant_manager()

    class Meta:
        verbose_name = "self-assessment rating"
        ordering = ["standard__position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "standard"], name="one_rating_per_standard")]

    def __str__(self):
        return f"{self.assessment}, standard {self.standard.number}"

    # The policy's rules for people's own records read `.staff` and `.shared_with_mentor`.
    @property
    def staff(self):
        return self.assessment.staff

    @property
    def shared_with_mentor(self):
        return self.assessment.shared_with_mentor


class StatementRating(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    rating = models.ForeignKey(StandardRating, on_delete=models.CASCADE, related_name="statement_ratings")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="self_assessment_ratings")
    level = models.ForeignKey(
        RatingLevel,
        verbose_name="rating",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="self_assessment_statement_ratings",
    )

    objects = tenant_manager()

    class Meta:
        verbose_name = "self-assessment rating of a statement"
        verbose_name_plural = "self-assessment ratings of statements"
        ordering = ["statement__position"]
        constraints = [models.UniqueConstraint(fields=["rating", "statement"], name="one_rating_per_statement")]

    def __str__(self):
        return f"{self.rating.assessment}, statement {self.statement.number}"


class FeedbackRequest(TenantModel):
    """One person asked for feedback on a self-assessment: the line manager or a supervisee.

    Anonymous feedback (supervisees only) is never shown one answer at a time to anyone but the
    person who gave it: the self-assessor, their manager and admins see it combined, and only once
    ANONYMITY_THRESHOLD supervisees have answered.
    """

    class Relationship(models.TextChoices):
        LINE_MANAGER = "line_manager", "Line manager"
        SUPERVISEE = "supervisee", "Supervisee"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for an answer"
        ANSWERED = "answered", "Answered"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    STATUS_COLOURS = {Status.REQUESTED: "blue", Status.ANSWERED: "green", Status.DECLINED: "grey", Status.WITHDRAWN: "grey"}
    OPEN = (Status.REQUESTED, Status.ANSWERED)  # someone asked and not turned away: not asked again

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="feedback_requests")
    respondent = models.ForeignKey(
        StaffRecord, verbose_name="asked", on_delete=models.CASCADE, related_name="feedback_requests_received"
    )
    relationship = models.CharField(max_length=12, choices=Relationship)
    is_anonymous = models.BooleanField("anonymous", default=False)
    message = models.TextField(blank=True)
    answer_by = models.DateField("answer by", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.REQUESTED)
    overall_comment = models.TextField("overall comment", blank=True)
    decline_reason = models.TextField("reason for declining", blank=True)
    requested_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField("asked", default=timezone.now)
    answered_at = models.DateTimeField("answered", null=True, blank=True)
    closed_at = models.DateTimeField("declined or withdrawn", null=True, blank=True)

    objects = tenant_manager(FeedbackRequestQuerySet)

    class Meta:
        verbose_name = "request for feedback"
        verbose_name_plural = "requests for feedback"
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "respondent"],
                condition=Q(status__in=["requested", "answered"]),
                name="asked_once_per_self_assessment",
            ),
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | Q(relationship="supervisee"), name="only_supervisees_anonymous"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "respondent", "status"])]

    def __str__(self):
        return f"Feedback on {self.assessment}"

    @property
    def staff(self):
        return self.assessment.staff

    @property
    def shared_with_mentor(self):
        return self.assessment.shared_with_mentor

    @property
    def is_waiting(self):
        return self.status == self.Status.REQUESTED

    @property
    def status_colour(self):
        return self.STATUS_COLOURS[self.status]

    @property
    def is_overdue(self):
        return self.is_waiting and self.answer_by is not None and self.answer_by < timezone.localdate()


class FeedbackAnswer(TenantModel):
    """One respondent's rating of the person against one standard. No level: they could not say."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="answers")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="feedback_answers")
    level = models.ForeignKey(
        RatingLevel, verbose_name="rating", null=True, blank=True, on_delete=models.PROTECT, related_name="feedback_answers"
    )
    comment = models.TextField(blank=True)

    objects = tenant_manager()

    class Meta:
        verbose_name = "feedback rating"
        ordering = ["standard__position"]
        constraints = [models.UniqueConstraint(fields=["request", "standard"], name="one_answer_per_standard")]

    def __str__(self):
        return f"{self.request}, standard {self.standard.number}"
