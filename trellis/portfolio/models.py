"""Cohorts and portfolios of evidence (issue 6; seed 002, Preparation and Initial action).

An organisation chooses which practice supervisors start first (a **cohort**), who mentors each of them,
and who reviews and moderates their portfolios. Each supervisor in a cohort has one **portfolio**: the
evidence items they choose, each mapped to the standards (and statements) of the cohort's frameworks.

The workflow is a state on the portfolio, changed only by `actions.py`:

    draft → with mentor → submitted → returned ↺ (more evidence, submit again)
                                    → recommended → signed off / referred back ↺

Submitting freezes what the reviewer sees in a `Submission` snapshot, so a returned portfolio can be
edited without changing the record of what was decided. A reviewer's `Review` decides per standard; a
sample of reviews (and every borderline or disputed one) is second-marked blind in a `Moderation`.

Evidence items belong to the person, not to a portfolio, so one item can be reused across portfolios.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trellis.audit.versions import VersionedModel
from trellis.frameworks.models import FrameworkInUse, Standard, Statement
from trellis.tenancy.models import Membership, TenantModel, tenant_manager
from trellis.workforce.models import StaffRecord


class Cohort(TenantModel, VersionedModel):
    """Supervisors who go through the pathway together, with the people who support and assess them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    frameworks = models.ManyToManyField(
        FrameworkInUse,
        verbose_name="frameworks",
        related_name="cohorts",
        help_text="The standards portfolios are assessed against.",
    )
    starts_on = models.DateField("start date")
    expected_end_on = models.DateField("expected end date")
    ended_on = models.DateField("end date", null=True, blank=True)
    moderation_share = models.PositiveSmallIntegerField(
        "share of reviews sampled for moderation (%)",
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="cohort_name_unique_in_org"),
            models.CheckConstraint(condition=Q(expected_end_on__gte=F("starts_on")), name="cohort_ends_after_start"),
        ]

    def __str__(self):
        return self.name


class Assessor(TenantModel):
    """A reviewer or moderator of a cohort. Guests from a network organisation are members here through
    a guest membership (ADR 0014)."""

    class Role(models.TextChoices):
        REVIEWER = "reviewer", "Reviewer"
        MODERATOR = "moderator", "Moderator"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assessors")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="assessor_roles")
    role = models.CharField(max_length=10, choices=Role)
    added_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        ordering = ["role", "membership__user__full_name"]
        constraints = [models.UniqueConstraint(fields=["cohort", "membership", "role"], name="one_assessor_role_per_cohort")]

    def __str__(self):
        return f"{self.get_role_display()}: {self.membership}"


class Portfolio(TenantModel, VersionedModel):
    """One supervisor's portfolio in one cohort: being in a cohort means having a portfolio in it."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        WITH_MENTOR = "with_mentor", "Shared with mentor"
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned for more evidence"
        RECOMMENDED = "recommended", "Recommended"
        SIGNED_OFF = "signed_off", "Signed off"
        REFERRED_BACK = "referred_back", "Referred back"

    # The supervisor may change the portfolio's contents only in these states.
    EDITABLE = {State.DRAFT, State.WITH_MENTOR, State.RETURNED, State.REFERRED_BACK}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="portfolios")
    staff = models.ForeignKey(StaffRecord, verbose_name="supervisor", on_delete=models.PROTECT, related_name="portfolios")
    mentor = models.ForeignKey(
        Membership, verbose_name="mentor", null=True, blank=True, on_delete=models.SET_NULL, related_name="portfolios_mentored"
    )
    reviewer = models.ForeignKey(
        Membership, verbose_name="reviewer", null=True, blank=True, on_delete=models.SET_NULL, related_name="portfolios_reviewed"
    )
    state = models.CharField(max_length=15, choices=State, default=State.DRAFT)
    shared_with_mentor_at = models.DateTimeField(null=True, blank=True)
    state_changed_at = models.DateTimeField(default=timezone.now)
    items = models.ManyToManyField("EvidenceItem", through="PortfolioItem", related_name="portfolios")
    added_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager()

    class Meta:
        ordering = ["staff__full_name"]
        constraints = [models.UniqueConstraint(fields=["cohort", "staff"], name="one_portfolio_per_cohort")]
        indexes = [models.Index(fields=["organisation", "state"])]

    def __str__(self):
        return f"{self.staff}'s portfolio ({self.cohort})"

    @property
    def is_editable(self):
        return self.state in self.EDITABLE


class EvidenceItem(TenantModel, VersionedModel):
    """A piece of evidence the person collected, with their reflection and the standards it evidences."""

    class Kind(models.TextChoices):
        REFLECTIVE_ACCOUNT = "reflective_account", "Reflective account"
        OBSERVATION = "observation", "Observation of their supervision"
        SUPERVISEE_FEEDBACK = "supervisee_feedback", "Feedback from a supervisee"
        PERSON_FEEDBACK = "person_feedback", "Feedback from an adult, carer or family"
        MANAGER_FEEDBACK = "manager_feedback", "Feedback from their manager"
        TRAINING_CERTIFICATE = "training_certificate", "Training certificate"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.ForeignKey(StaffRecord, verbose_name="person", on_delete=models.CASCADE, related_name="evidence_items")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=25, choices=Kind)
    occurred_on = models.DateField("date")
    reflection = models.TextField("reflection", blank=True)
    # Where the item came from in Trellis (a mentoring session, a course...), kept as a link and a label
    # so the item still reads well if the source is deleted.
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_id = models.CharField(max_length=64, blank=True)
    source_label = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager()

    class Meta:
        verbose_name = "evidence item"
        ordering = ["-occurred_on", "title"]
        indexes = [models.Index(fields=["organisation", "staff"])]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "source_type", "source_id"],
                condition=~Q(source_id=""),
                name="one_evidence_item_per_source",
            )
        ]

    def __str__(self):
        return self.title


def evidence_upload_to(instance, filename):
    """Stored under the organisation, with a random name: the original name is kept in the row, and
    never used as a path (it is the user's input)."""
    return f"evidence/{instance.organisation_id}/{uuid.uuid4().hex}"


class EvidenceFile(TenantModel):
    """A file attached to an evidence item. Served only through a view that checks access."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_upload_to, max_length=200)
    name = models.CharField("file name", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name

    @property
    def staff(self):
        return self.item.staff

    @property
    def type_label(self):
        """ "PDF", "Word document": what the content was found to be when it was uploaded."""
        return FILE_TYPE_LABELS.get(self.content_type, self.content_type)


FILE_TYPE_LABELS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/msword": "Word document",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
}


class EvidenceMapping(TenantModel):
    """What an item evidences: a standard, or one statement of it, with a sentence on how."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="mappings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    statement = models.ForeignKey(Statement, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    how = models.TextField("how it evidences this")

    objects = tenant_manager()

    class Meta:
        # The whole standard before its statements, on every database (PostgreSQL puts NULLs last).
        ordering = ["standard__position", F("statement__position").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(fields=["item", "standard", "statement"], name="one_mapping_per_statement"),
            models.UniqueConstraint(
                fields=["item", "standard"], condition=Q(statement__isnull=True), name="one_mapping_per_standard"
            ),
        ]

    def __str__(self):
        return f"{self.item} → {self.statement or self.standard}"

    @property
    def staff(self):
        return self.item.staff


class PortfolioItem(TenantModel):
    """An evidence item chosen for a portfolio."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="entries")
    added_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        ordering = ["added_at"]
        constraints = [models.UniqueConstraint(fields=["portfolio", "item"], name="item_once_per_portfolio")]


class Comment(TenantModel):
    """A mentor's comment or suggestion on a shared portfolio (or one item of it), and replies."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(EvidenceItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField("comment")
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Comment on {self.portfolio}"

    @property
    def staff(self):
        return self.portfolio.staff


class Submission(TenantModel):
    """One submission of a portfolio for review, with a frozen copy of what the reviewer sees."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField()
    submitted_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    note = models.TextField("note to the reviewer", blank=True)
    # Items, reflections, mappings and file references as they were when submitted (see actions.py).
    snapshot = models.JSONField(default=dict)

    objects = tenant_manager()

    class Meta:
        ordering = ["portfolio", "-number"]
        constraints = [models.UniqueConstraint(fields=["portfolio", "number"], name="submission_number_unique")]

    def __str__(self):
        return f"Submission {self.number} of {self.portfolio}"

    @property
    def staff(self):
        return self.portfolio.staff


class Review(TenantModel, VersionedModel):
    """The reviewer's decision on one submission: met or not yet met for each standard, then an overall
    outcome. A draft until `decided_at` is set."""

    class Outcome(models.TextChoices):
        RECOMMENDED = "recommended", "Recommended"
        RETURNED = "returned", "Returned for more evidence"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome, blank=True)
    feedback = models.TextField("overall feedback", blank=True)
    borderline = models.BooleanField(default=False, help_text="The reviewer found this a close call: it is always moderated.")
    decided_at = models.DateTimeField(null=True, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.TextField("why the supervisor disputes the decision", blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # A draft review saved from two tabs is refused as a stale edit, which compares against history.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = tenant_manager()

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self):
        return f"Review of {self.submission}"

    @property
    def staff(self):
        return self.submission.portfolio.staff


class StandardDecision(TenantModel):
    """A reviewer's (or a moderator's second) decision on one standard."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions")
    moderation = models.ForeignKey("Moderation", null=True, blank=True, on_delete=models.CASCADE, related_name="decisions")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField()
    feedback = models.TextField(blank=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["standard__position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review__isnull=False, moderation__isnull=True) | Q(review__isnull=True, moderation__isnull=False),
                name="decision_by_reviewer_or_moderator",
            ),
            models.UniqueConstraint(fields=["review", "standard"], name="one_review_decision_per_standard"),
            models.UniqueConstraint(fields=["moderation", "standard"], name="one_moderation_decision_per_standard"),
        ]


class SampleDraw(TenantModel):
    """One draw of a cohort's moderation sample. The seed makes it reproducible."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sample_draws")
    seed = models.BigIntegerField()
    share = models.PositiveSmallIntegerField()
    considered = models.PositiveIntegerField(help_text="How many reviews the sample was drawn from.")
    # The ids of those reviews, in the order the draw sorted them: with the seed, enough to re-run the
    # draw later and show it chose the same reviews.
    candidates = models.JSONField(default=list)
    drawn_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    drawn_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        ordering = ["-drawn_at"]

    def __str__(self):
        return f"Moderation sample of {self.cohort} (seed {self.seed})"


class Moderation(TenantModel, VersionedModel):
    """A moderator's blind second marking of one review, then agree or disagree with the first decision.
    A disagreement goes to a resolution by another moderator or an organisation admin."""

    class Reason(models.TextChoices):
        SAMPLED = "sampled", "Chosen at random"
        BORDERLINE = "borderline", "Borderline"
        DISPUTED = "disputed", "Disputed"

    class Resolution(models.TextChoices):
        FIRST_DECISION = "first_decision", "The reviewer's decision stands"
        SECOND_DECISION = "second_decision", "The moderator's decision stands"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="moderation")
    reason = models.CharField(max_length=10, choices=Reason)
    draw = models.ForeignKey(SampleDraw, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderations")
    moderator = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderations")
    second_outcome = models.CharField(max_length=12, choices=Review.Outcome, blank=True)
    second_feedback = models.TextField("the moderator's overall feedback", blank=True)
    second_marked_at = models.DateTimeField(null=True, blank=True)
    agrees = models.BooleanField(null=True)
    reasons = models.TextField("reasons", blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=16, choices=Resolution, blank=True)
    resolution_reasons = models.TextField(blank=True)
    resolved_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Moderation of {self.review.submission}"

    @property
    def staff(self):
        return self.review.submission.portfolio.staff

    @property
    def is_waiting(self):
        """Sign-off waits on it: not yet agreed, or a disagreement not yet resolved."""
        return self.decided_at is None or (self.agrees is False and not self.resolution)


class SignOff(TenantModel):
    """The end of a recommended portfolio's journey: signed off, or referred back with reasons. A
    resolution that overturns a recommendation refers the portfolio back too, naming the moderation."""

    class Decision(models.TextChoices):
        SIGNED_OFF = "signed_off", "Signed off"
        REFERRED_BACK = "referred_back", "Referred back"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="sign_offs")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="sign_offs")
    moderation = models.ForeignKey(Moderation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.CharField(max_length=13, choices=Decision)
    reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.get_decision_display()}: {self.portfolio}"

    @property
    def staff(self):
        return self.portfolio.staff


class Questionnaire(TenantModel, VersionedModel):
    """End-of-cohort feedback on the pathway, from its supervisors and mentors (seed 002, Full
    implementation). Questions are editable until the first answer arrives."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="questionnaire")
    introduction = models.TextField("introduction", blank=True)
    anonymous = models.BooleanField("anonymous", default=True, help_text="Answers are stored without who gave them.")
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_on = models.DateField("closing date", null=True, blank=True)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    # Kept so a stale edit can say what changed (audit.versions.ensure_current).
    history = HistoricalRecords()

    objects = tenant_manager()

    def __str__(self):
        return f"Feedback on the pathway from {self.cohort}"

    @property
    def is_open(self):
        """Taking answers: opened, and its closing date (the last day to answer) not yet passed."""
        return self.opened_at is not None and (self.closes_on is None or timezone.localdate() <= self.closes_on)

    @property
    def has_closed(self):
        return self.opened_at is not None and self.closes_on is not None and timezone.localdate() > self.closes_on


class Question(TenantModel):
    class Kind(models.TextChoices):
        SCALE = "scale", "Rating from 1 (poor) to 5 (excellent)"
        TEXT = "text", "Written answer"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=5, choices=Kind)

    objects = tenant_manager()

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.text


class QuestionnaireResponse(TenantModel):
    """One person's answers. `respondent` is empty when the questionnaire is anonymous; `Receipt` then
    records only that they answered, in a separate row with no link to the answers."""

    class Role(models.TextChoices):
        SUPERVISOR = "supervisor", "Supervisor"
        MENTOR = "mentor", "Mentor"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    role = models.CharField(max_length=10, choices=Role)
    submitted_on = models.DateField(default=timezone.localdate)  # a date, not a time: less to link answers by

    objects = tenant_manager()


class Answer(TenantModel):
    # A random id, not a counter: an increasing id would put answers in the order they came, and the
    # receipts (who answered, in order) could then be matched to them.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(QuestionnaireResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(blank=True)

    objects = tenant_manager()


class Receipt(TenantModel):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="receipts")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")

    objects = tenant_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["questionnaire", "membership"], name="one_answer_per_person")]
