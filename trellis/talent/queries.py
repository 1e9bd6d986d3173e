"""Reads over many rows of succession planning."""

from django.db.models import Q
from django.utils import timezone

from trellis.tenancy.models import TenantQuerySet

CLOSED_STATUSES = ("complete", "cancelled")


class PotentialSupervisorQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(status="active")

    def for_rows(self):
        return self.select_related("staff__team", "best_placed_team", "identified_by")


class GapActionQuerySet(TenantQuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(Q(due_date__lt=today) & ~Q(status__in=CLOSED_STATUSES))


class ActingUpOpportunityQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(status="open")
