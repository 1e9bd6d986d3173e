"""Reads over many rows of people's first 12 months."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from trellis.tenancy.models import TenantQuerySet


def _count(rows):
    """A correlated COUNT(*) of `rows` (already filtered on OuterRef), 0 when there are none."""
    counted = rows.order_by().values("first_year").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class FirstYearQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(status="open")

    def closed(self):
        return self.filter(status="closed")

    def for_rows(self):
        return self.select_related("staff__team", "staff__line_manager")

    def with_progress(self, today=None):
        """Checklist and check-in figures per row, as subqueries so the count of queries stays one:
        `items_total`, `items_done`, `items_overdue`, `check_ins_held`, `check_ins_overdue`, and the
        next check-in not yet held (`next_check_in_months`, `next_check_in_due`)."""
        from .models import CheckIn, ChecklistItem

        today = today or timezone.localdate()
        items = ChecklistItem.objects.filter(first_year=OuterRef("pk"))
        check_ins = CheckIn.objects.filter(first_year=OuterRef("pk"))
        waiting = check_ins.filter(held_on__isnull=True).order_by("months")
        return self.annotate(
            items_total=_count(items),
            items_done=_count(items.filter(completed_on__isnull=False)),
            items_overdue=_count(items.filter(completed_on__isnull=True, due_on__lt=today)),
            check_ins_held=_count(check_ins.filter(held_on__isnull=False)),
            check_ins_overdue=_count(check_ins.filter(held_on__isnull=True, due_on__lt=today)),
            next_check_in_months=Subquery(waiting.values("months")[:1]),
            next_check_in_due=Subquery(waiting.values("due_on")[:1]),
        )

    def with_something_overdue(self, today=None):
        """Rows (annotated by with_progress) with an overdue item or check-in."""
        return self.filter(Q(items_overdue__gt=0) | Q(check_ins_overdue__gt=0))

    def filtered(self, *, status="open", team=None, service=None, overdue=False, today=None):
        """The list's filters; `overdue` needs with_progress() first."""
        rows = self
        if status in ("open", "closed"):
            rows = rows.filter(status=status)
        if team:
            rows = rows.filter(staff__team_id=team)
        if service:
            rows = rows.filter(staff__service=service)
        if overdue:
            rows = rows.with_something_overdue(today)
        return rows


class ChecklistItemQuerySet(TenantQuerySet):
    def overdue(self, today=None):
        return self.filter(completed_on__isnull=True, due_on__lt=today or timezone.localdate())

    def done(self):
        return self.filter(completed_on__isnull=False)

    def for_rows(self):
        return self.select_related("owner", "completed_by__user")


class CheckInQuerySet(TenantQuerySet):
    def overdue(self, today=None):
        return self.filter(held_on__isnull=True, due_on__lt=today or timezone.localdate())

    def for_rows(self):
        return self.select_related("held_with", "updated_by__user")
