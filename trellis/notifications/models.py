"""Notices that something is waiting on someone: shown in Trellis, and emailed through the configured
backend. Apps call `notifications.actions.notify`; nothing else writes these rows."""

import uuid

from django.db import models
from django.utils import timezone

from trellis.tenancy.models import Membership, TenantModel, tenant_manager


class Notification(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField("link", max_length=500, blank=True, help_text="A path within Trellis.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject
