"""Competency frameworks: the post-qualifying standards and knowledge and skills statements people
develop against, and any an organisation adds of its own.

A framework ships with Trellis (no organisation) or belongs to one organisation. Each has versions,
because frameworks are revised (DfE consulted on new children's standards in 2025): a version has its
effective dates, its source, and says which of its standards' wording was checked against the
published text. Standards and statements belong to a version and are never edited in place once people
have rated against them; a revision is a new version.

An organisation chooses which versions are in force for which service (`FrameworkInUse`), with the
rating scale its people use (`RatingLevel`, editable, with a sensible default).
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trellis.audit.versions import VersionedModel
from trellis.tenancy.models import Membership, Organisation, TenantModel, tenant_manager

from .queries import (
    FrameworkImportQuerySet,
    FrameworkInUseQuerySet,
    FrameworkQuerySet,
    FrameworkVersionQuerySet,
    StandardQuerySet,
    StatementQuerySet,
)


class Service(models.TextChoices):
    ADULTS = "adults", "Adults"
    CHILDREN = "children", "Children"
    ANY = "any", "Adults and children"


class Revised(models.Model):
    """Optimistic locking for framework text. Named `revision`, not `version`, because a standard's
    `version` is the framework version it belongs to; `actions._ensure_current` reads it the way
    `audit.versions.ensure_current` reads `version`."""

    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class Framework(Revised):
    """Shipped frameworks (organisation is null) are shared reference data; an organisation's own are
    visible only to it. Not a TenantModel for that reason: reads go through `available_to()`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+", help_text="Empty: ships with Trellis."
    )
    key = models.SlugField(max_length=80, help_text="Stable identifier, used by the loader and imports.")
    name = models.CharField(max_length=250)
    short_name = models.CharField("short name", max_length=60, help_text="For example 'PS KSS' or 'Adult PQS'.")
    service = models.CharField(max_length=10, choices=Service, default=Service.ANY)
    publisher = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(organisation__isnull=True), name="shipped_framework_key"),
            models.UniqueConstraint(fields=["organisation", "key"], name="organisation_framework_key"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_shipped(self):
        return self.organisation_id is None

    @property
    def owner_organisation_id(self):
        """Who may change it (policy.owns_framework): nobody for a shipped framework."""
        return self.organisation_id


class FrameworkVersion(Revised):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(max_length=60, help_text="For example '2018'.")
    effective_from = models.DateField("in force from", null=True, blank=True)
    effective_to = models.DateField("in force until", null=True, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="The published document this version follows.")
    source_url = models.URLField("source address", max_length=500, blank=True)
    checked_note = models.TextField(
        "what was checked", blank=True, help_text="Which standards' wording was checked against the published text, and how."
    )
    # The published document's standards that this version leaves out (their numbers), so a page can
    # say plainly what is missing rather than let an incomplete framework pass for the whole one.
    missing_standards = models.JSONField("standards not included", default=list, blank=True)
    based_on = models.ForeignKey(
        "self", verbose_name="copied from", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["framework__name", F("effective_from").desc(nulls_last=True), "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "label"], name="framework_version_label"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=F("effective_from")),
                name="framework_version_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.framework.short_name} ({self.label})"

    @property
    def owner_organisation_id(self):
        return self.framework.organisation_id

    @property
    def missing_text(self):
        """'1, 2 and 8': the standards not included, as a sentence says them."""
        numbers = list(self.missing_standards or [])
        return " and ".join([", ".join(numbers[:-1]), numbers[-1]]) if len(numbers) > 1 else "".join(numbers)

    def is_in_force(self, day=None):
        day = day or timezone.localdate()
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )


class Standard(Revised):
    """One numbered heading of a framework version. `is_checked`: its wording was checked against the
    published text (and `citation` says where); unchecked wording is never shipped."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="standards")
    number = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField()
    is_checked = models.BooleanField("checked against the published text", default=False)
    citation = models.URLField(max_length=500, blank=True)
    history = HistoricalRecords()

    objects = StandardQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="standard_number"),
            models.UniqueConstraint(fields=["version", "position"], name="standard_position"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def owner_organisation_id(self):
        return self.version.framework.organisation_id


class Statement(Revised):
    """One numbered statement under a standard, for frameworks that have them (e.g. '3.2')."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="statements")
    number = models.CharField(max_length=20)
    text = models.TextField()
    position = models.PositiveSmallIntegerField()
    is_checked = models.BooleanField("checked against the published text", default=False)
    citation = models.URLField(max_length=500, blank=True)
    history = HistoricalRecords()

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["standard", "position"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="statement_number")]

    def __str__(self):
        return f"{self.number} {self.text[:60]}"

    @property
    def owner_organisation_id(self):
        return self.standard.version.framework.organisation_id


class FrameworkInUse(TenantModel, Revised):
    """An organisation's choice to work against one framework version, for one service or both, with
    its rating scale. Several can be in force at once; a person works against those for their service.

    Its `version` is the framework version, so its edits are counted in `revision` (Revised), not in
    VersionedModel's `version`, which this field would hide."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(FrameworkVersion, verbose_name="framework version", on_delete=models.PROTECT, related_name="+")
    service = models.CharField(
        "for", max_length=10, choices=Service, default=Service.ANY, help_text="Which people work against it."
    )
    is_active = models.BooleanField("in use", default=True)
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = tenant_manager(FrameworkInUseQuerySet)

    class Meta:
        verbose_name = "framework in use"
        verbose_name_plural = "frameworks in use"
        constraints = [models.UniqueConstraint(fields=["organisation", "version"], name="framework_used_once")]

    def __str__(self):
        return str(self.version)


class RatingLevel(TenantModel, VersionedModel):
    """One step of the rating scale an organisation uses with a framework, lowest first.
    Default: Not yet, Developing, Confident, Can support others."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    framework_in_use = models.ForeignKey(FrameworkInUse, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(help_text="Its place on the scale: 1 is the lowest.")
    label = models.CharField(max_length=60)
    description = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = tenant_manager()

    class Meta:
        ordering = ["framework_in_use", "value"]
        constraints = [models.UniqueConstraint(fields=["framework_in_use", "value"], name="rating_level_value")]

    def __str__(self):
        return self.label


DEFAULT_RATING_SCALE = [
    (1, "Not yet", "I have not yet had the chance to do this, or I need a lot of support with it."),
    (2, "Developing", "I do this sometimes, with support, and am building confidence."),
    (3, "Confident", "I do this well and consistently."),
    (4, "Can support others", "I do this well enough to help other supervisors develop it."),
]


class FrameworkImport(TenantModel):
    """A framework file an admin uploaded, kept as text so its preview can be shown, checked again and
    applied without uploading it twice. Applying it is all or nothing."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        YAML = "yaml", "YAML"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    filename = models.CharField(max_length=255)
    file_format = models.CharField("format", max_length=4, choices=Format)
    content = models.TextField()
    uploaded_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    created_version = models.ForeignKey(FrameworkVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = tenant_manager(FrameworkImportQuerySet)

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["organisation", "-uploaded_at"])]

    def __str__(self):
        return self.filename
