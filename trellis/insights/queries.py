"""Reads over many rows of oversight meetings and their actions."""

from django.db.models import Count, Q
from django.utils import timezone

from trellis.tenancy.models import TenantQuerySet

CLOSED_STATUSES = ("complete", "cancelled")


def _overdue_q(today=None, prefix=""):
    today = today or timezone.localdate()
    return Q(**{f"{prefix}due_date__lt": today}) & ~Q(**{f"{prefix}status__in": CLOSED_STATUSES})


class OversightMeetingQuerySet(TenantQuerySet):
    def with_action_counts(self, today=None):
        """How many actions each meeting agreed, how many are complete and how many overdue: one query."""
        return self.annotate(
            action_count=Count("actions"),
            complete_count=Count("actions", filter=Q(actions__status="complete")),
            overdue_count=Count("actions", filter=_overdue_q(today, "actions__")),
        )

    def for_rows(self):
        return self.select_related("created_by__user")


class MeetingActionQuerySet(TenantQuerySet):
    def overdue(self, today=None):
        return self.filter(_overdue_q(today))

    def for_rows(self):
        return self.select_related("owner_member__user", "meeting")

    def progress(self, today=None):
        """Counts per status, plus overdue, for one meeting's actions (one query)."""
        counts = self.aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=_overdue_q(today)),
            **{
                status: Count("pk", filter=Q(status=status))
                for status in ("not_started", "in_progress", "complete", "blocked", "cancelled")
            },
        )
        return counts
