"""The workforce register: teams, the organisation's career stages, staff records and their stage history.

A staff record is a person in the workforce; they need not have a login. When they do, the record
links to their Membership.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trellis.audit.versions import VersionedModel
from trellis.tenancy.models import Membership, TenantModel, tenant_manager

from .queries import CareerStageQuerySet, StaffRecordQuerySet, StageHistoryQuerySet, TeamQuerySet, time_in_role


class Service(models.TextChoices):
    ADULTS = "adults", "Adults"
    CHILDREN = "children", "Children"


class CareerStage(TenantModel, VersionedModel):
    """One step of the organisation's career pathway, in order. Practice supervisor and above are supervisory."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField()
    is_supervisory = models.BooleanField(
        "supervisory", default=False, help_text="Practice supervisor and above: people at this stage supervise others."
    )
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    objects = tenant_manager(CareerStageQuerySet)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "position"], name="career_stage_position"),
            models.UniqueConstraint(fields=["organisation", "name"], name="career_stage_name"),
        ]

    def __str__(self):
        return self.name


class Team(TenantModel, VersionedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=150)
    service = models.CharField(max_length=10, choices=Service)
    manager = models.ForeignKey(
        "StaffRecord", verbose_name="team manager", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    establishment_fte = models.DecimalField(
        "funded posts (FTE)",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The full-time equivalent the team is funded for. Recorded, it gives the vacancy rate.",
    )
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    objects = tenant_manager(TeamQuerySet)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_name")]

    def __str__(self):
        return self.name


class StaffRecord(TenantModel, VersionedModel):
    class EmploymentType(models.TextChoices):
        PERMANENT = "permanent", "Permanent"
        FIXED_TERM = "fixed_term", "Fixed-term"
        AGENCY = "agency", "Agency"
        SECONDMENT = "secondment", "Secondment"

    class LeavingReason(models.TextChoices):
        RESIGNATION = "resignation", "Resignation"
        RETIREMENT = "retirement", "Retirement"
        END_OF_CONTRACT = "end_of_contract", "End of contract"
        DISMISSAL = "dismissal", "Dismissal"
        REDEPLOYMENT = "redeployment", "Redeployment"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    full_name = models.CharField("full name", max_length=150)
    employee_ref = models.CharField("employee reference", max_length=50)
    work_email = models.EmailField("work email", blank=True)
    job_title = models.CharField("job title", max_length=150, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    service = models.CharField(max_length=10, choices=Service)
    line_manager = models.ForeignKey(
        "self", verbose_name="line manager", null=True, blank=True, on_delete=models.SET_NULL, related_name="supervisees"
    )
    fte = models.DecimalField("FTE", max_digits=3, decimal_places=2, default=1)
    employment_type = models.CharField("employment type", max_length=12, choices=EmploymentType)
    start_date = models.DateField("start date")
    leaving_date = models.DateField("leaving date", null=True, blank=True)
    leaving_reason = models.CharField("leaving reason", max_length=20, choices=LeavingReason, blank=True)
    membership = models.ForeignKey(
        Membership, verbose_name="Trellis login", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(StaffRecordQuerySet)

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "employee_ref"], name="staff_employee_ref"),
            models.UniqueConstraint(
                fields=["organisation", "membership"], condition=Q(membership__isnull=False), name="staff_one_record_per_login"
            ),
            models.CheckConstraint(condition=Q(fte__gte=0.01, fte__lte=1), name="staff_fte_range"),
            models.CheckConstraint(
                condition=Q(leaving_date__isnull=True) | Q(leaving_date__gte=F("start_date")), name="staff_leaves_after_start"
            ),
        ]
        # Every tenant query also filters on organisation (django-scopes), and SQLite without statistics
        # then prefers the organisation index over a foreign key's: per-person lookups inside the
        # register's subqueries would scan the whole organisation. Leading with organisation keeps
        # them on an index that narrows to one person.
        indexes = [
            models.Index(fields=["organisation", "leaving_date"]),
            models.Index(fields=["organisation", "line_manager"]),
        ]

    def __str__(self):
        return self.full_name

    @property
    def time_in_role(self):
        """'2 years 3 months' as a supervisor, on rows from StaffRecord.objects.supervisors()."""
        return time_in_role(getattr(self, "supervisory_since", None))

    def has_left(self, today=None):
        return self.leaving_date is not None and self.leaving_date <= (today or timezone.localdate())


class StageHistory(TenantModel):
    """A dated spell at one career stage. The open one (no end date) is the person's current stage."""

    class Kind(models.TextChoices):
        APPOINTMENT = "appointment", "Appointment"
        PROMOTION = "promotion", "Promotion"
        ACTING_UP = "acting_up", "Acting up"
        SECONDMENT = "secondment", "Secondment"
        RETURN = "return", "Return to substantive role"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="stage_history")
    stage = models.ForeignKey(CareerStage, verbose_name="career stage", on_delete=models.PROTECT, related_name="history_rows")
    start_date = models.DateField("start date")
    end_date = models.DateField("end date", null=True, blank=True)
    kind = models.CharField("kind of change", max_length=12, choices=Kind)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager(StageHistoryQuerySet)

    class Meta:
        verbose_name = "career stage history"
        verbose_name_plural = "career stage history"
        ordering = ["-start_date", "-created_at"]
        indexes = [models.Index(fields=["organisation", "staff", "start_date"])]  # see StaffRecord's indexes
        constraints = [
            models.UniqueConstraint(fields=["staff"], condition=Q(end_date__isnull=True), name="one_open_stage_per_person"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="stage_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.stage} from {self.start_date:%d/%m/%Y}"


class ImportMapping(TenantModel):
    """The columns an organisation mapped last time it imported, offered again next time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    columns = models.JSONField(default=dict, help_text="Staff-record field → the file's column header.")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="one_import_mapping_per_organisation")]


class ImportBatch(TenantModel):
    """One uploaded HR file, staged: mapped, validated into a preview, then applied (or not)."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Choose columns"
        VALIDATING = "validating", "Checking rows"
        READY = "ready", "Ready to import"
        APPLYING = "applying", "Importing"
        APPLIED = "applied", "Imported"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    filename = models.CharField(max_length=255)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=12, choices=Status, default=Status.UPLOADED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, help_text="Rows per outcome: create, update, unchanged, invalid.")
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"Import of {self.filename}"

    @property
    def percent(self):
        return int(self.processed * 100 / self.total) if self.total else 100


class ImportRow(TenantModel):
    class Outcome(models.TextChoices):
        PENDING = "pending", "Not checked"
        CREATE = "create", "New"
        UPDATE = "update", "Update"
        UNCHANGED = "unchanged", "Unchanged"
        INVALID = "invalid", "Invalid"

    id = models.BigAutoField(primary_key=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(help_text="Row number in the file; the header is row 1.")
    raw = models.JSONField(default=dict)
    cleaned = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    changes = models.JSONField(default=list)
    outcome = models.CharField(max_length=10, choices=Outcome, default=Outcome.PENDING)

    objects = tenant_manager()

    class Meta:
        ordering = ["line"]
        indexes = [models.Index(fields=["batch", "outcome", "line"])]

    def shown(self, field, mapping):
        """A field as checked, or for an invalid row (nothing cleaned) as the file has it, so the
        preview can say whose row is wrong. `mapping` is the batch's, passed in to save a query."""
        return self.cleaned.get(field) or str(self.raw.get(mapping.get(field, ""), "")).strip()


class EqualityRecord(TenantModel, VersionedModel):
    """Equality-monitoring answers for one person: special-category data (UK GDPR article 9).

    Kept apart from the staff record so that nothing which loads a staff record loads these. Each answer
    is optional, and "prefer not to say" is an answer; a blank field means nobody has asked. Only the roles
    `tenancy.policy` allows ("workforce.view_equality") see one person's answers; everyone else sees
    aggregates with small numbers suppressed.
    """

    PREFER_NOT_TO_SAY = "prefer_not_to_say"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    class EthnicGroup(models.TextChoices):
        # The five high-level groups of the 2021 census for England and Wales.
        ASIAN = "asian", "Asian, Asian British or Asian Welsh"
        BLACK = "black", "Black, Black British, Black Welsh, Caribbean or African"
        MIXED = "mixed", "Mixed or Multiple ethnic groups"
        WHITE = "white", "White"
        OTHER = "other", "Other ethnic group"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    class Disability(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    class AgeBand(models.TextChoices):
        UNDER_25 = "under_25", "Under 25"
        FROM_25 = "25_34", "25 to 34"
        FROM_35 = "35_44", "35 to 44"
        FROM_45 = "45_54", "45 to 54"
        FROM_55 = "55_64", "55 to 64"
        FROM_65 = "65_plus", "65 and over"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.OneToOneField(StaffRecord, on_delete=models.CASCADE, related_name="equality")
    sex = models.CharField(max_length=20, choices=Sex, blank=True)
    ethnic_group = models.CharField("ethnic group", max_length=20, choices=EthnicGroup, blank=True)
    disability = models.CharField(
        "disability", max_length=20, choices=Disability, blank=True, help_text="Disabled under the Equality Act 2010."
    )
    age_band = models.CharField("age band", max_length=20, choices=AgeBand, blank=True)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = tenant_manager()

    SPECIAL_CATEGORY = True  # tenancy.policy.narrow hides rows from members who may not see them
    # (field name, label) in the order pages show them.
    CHARACTERISTICS = (
        ("sex", "Sex"),
        ("ethnic_group", "Ethnic group"),
        ("disability", "Disability"),
        ("age_band", "Age band"),
    )

    class Meta:
        verbose_name = "equality monitoring record"

    def __str__(self):
        return f"Equality monitoring for {self.staff}"
