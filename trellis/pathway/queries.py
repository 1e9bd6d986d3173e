"""Reads over many rows of the pathway."""

from django.db.models import Count, Q
from django.utils import timezone

from trellis.tenancy.models import TenantQuerySet

CLOSED_STATUSES = ("complete", "cancelled")


def overdue_q(today=None):
    today = today or timezone.localdate()
    return Q(due_date__lt=today) & ~Q(status__in=CLOSED_STATUSES)


class ActionQuerySet(TenantQuerySet):
    def for_rows(self):
        """What a row of the action plan shows: its outcome and stage, and its owner."""
        return self.select_related("outcome__stage", "owner_member__user", "owner_stakeholder")

    def for_display(self):
        """One action's page: its row, plus who created and last changed it."""
        return self.for_rows().select_related("created_by__user", "updated_by__user")

    def overdue(self, today=None):
        return self.filter(overdue_q(today))

    def for_stage(self, stage):
        return self.filter(outcome__stage=stage)

    def filtered(self, *, stage=None, outcome=None, owner=None, status=None, overdue=False):
        """The action list's filters. `owner` is 'm:<membership id>' or 's:<stakeholder id>'."""
        rows = self
        if stage:
            rows = rows.filter(outcome__stage__key=stage)
        if outcome:
            rows = rows.filter(outcome__key=outcome)
        if owner:
            kind, _, pk = owner.partition(":")
            rows = rows.filter(**{"owner_member_id" if kind == "m" else "owner_stakeholder_id": pk})
        if status:
            rows = rows.filter(status=status)
        if overdue:
            rows = rows.overdue()
        return rows

    def counts_by_stage(self, today=None):
        """{stage_id: {status: n, ..., 'overdue': n, 'total': n}} in one query."""
        statuses = ("not_started", "in_progress", "complete", "blocked", "cancelled")
        rows = self.values("outcome__stage_id").annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=overdue_q(today)),
            **{status: Count("pk", filter=Q(status=status)) for status in statuses},
        )
        return {row.pop("outcome__stage_id"): row for row in rows.order_by()}


class ReflectionQuerySet(TenantQuerySet):
    def for_display(self):
        return self.select_related("author__user", "stage")
