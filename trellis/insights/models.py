"""Recruitment and retention oversight meetings (seed 000 section 2): the figures the meeting looked at,
frozen as a snapshot, with its notes and the actions it agreed.

The figures themselves are computed from the workforce register and succession records on demand
(`insights/figures.py`); nothing here stores a running total.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trellis.audit.versions import VersionedModel
from trellis.pathway.models import PlanAction
from trellis.tenancy.models import Membership, TenantModel, tenant_manager
from trellis.workforce.models import Service

from .queries import MeetingActionQuerySet, OversightMeetingQuerySet


class OversightMeeting(TenantModel, VersionedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    held_on = models.DateField("date of the meeting")
    title = models.CharField(max_length=200, default="Recruitment and retention oversight")
    window_start = models.DateField("figures from")
    window_end = models.DateField("figures to")
    service = models.CharField(max_length=10, choices=Service, blank=True, help_text="Blank: both services.")
    attendees = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    snapshot = models.JSONField(default=dict, help_text="The dashboard's figures as the meeting saw them.")
    snapshot_taken_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at", "snapshot"])

    objects = tenant_manager(OversightMeetingQuerySet)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        constraints = [models.CheckConstraint(condition=Q(window_end__gte=F("window_start")), name="meeting_window_in_order")]

    def __str__(self):
        return f"{self.title}, {self.held_on.day} {self.held_on:%B %Y}"


class MeetingAction(TenantModel, PlanAction):
    """An action an oversight meeting agreed: the same columns and statuses as the pathway's action plan."""

    meeting = models.ForeignKey(OversightMeeting, on_delete=models.CASCADE, related_name="actions")
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = tenant_manager(MeetingActionQuerySet)

    class Meta:
        ordering = [F("due_date").asc(nulls_last=True), "created_at"]
        indexes = [models.Index(fields=["organisation", "status", "due_date"])]
