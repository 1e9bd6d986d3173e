import uuid

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from trellis.tenancy.models import Organisation, TenantQuerySet, tenant_manager


class AuditEventQuerySet(TenantQuerySet):
    def for_target(self, obj):
        return self.filter(target_type=target_type_of(obj), target_id=str(obj.pk))

    def matching(self, *, actor=None, target_type=None, date_from=None, date_to=None):
        rows = self
        if actor:
            rows = rows.filter(actor_id=actor)
        if target_type:
            rows = rows.filter(target_type=target_type)
        if date_from:
            rows = rows.filter(at__date__gte=date_from)
        if date_to:
            rows = rows.filter(at__date__lte=date_to)
        return rows


def target_type_of(obj):
    return obj._meta.label_lower


class AuditEvent(models.Model):
    """One thing someone did to one record. Append-only: nothing updates or deletes these rows."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150, help_text="Kept so the trail still reads after a person leaves.")
    verb = models.CharField(max_length=40)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [before, after]}")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = tenant_manager(AuditEventQuerySet)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["organisation", "-at"]),
            models.Index(fields=["organisation", "target_type", "target_id"]),
        ]

    def __str__(self):
        return f"{self.actor_name} {self.verb} {self.target_repr}"

    @property
    def target_model(self):
        from django.apps import apps

        try:
            return apps.get_model(self.target_type)
        except (LookupError, ValueError):
            return None

    @property
    def target_label(self):
        model = self.target_model
        return model._meta.verbose_name.capitalize() if model else self.target_type

    @property
    def change_rows(self):
        """[(label, before, after)] with fields named as the UI names them ("Owner", not "owner_member")."""
        model = self.target_model
        rows = []
        for name, (before, after) in self.changes.items():
            try:
                # A reverse relation (e.g. an import's "rows") has no verbose name: use the key.
                label = getattr(model._meta.get_field(name), "verbose_name", name) if model else name
            except FieldDoesNotExist:  # not a model field, e.g. "format" on an export
                label = name
            rows.append((str(label).capitalize(), before, after))
        return rows
