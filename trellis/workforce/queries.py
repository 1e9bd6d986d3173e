"""Reads over many rows of the workforce register.

"Time in role" for a supervisor runs from the start of their continuous supervisory spell: the
earliest supervisory stage that began after their last non-supervisory stage ended. Acting up into a
supervisory stage and then being appointed to it is one spell; returning to a practitioner stage ends it.
"""

import datetime

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from trellis.tenancy.models import TenantQuerySet

FIRST_YEAR_MONTHS = 12


def year_before(today):
    """The same day a year earlier; 29 February falls back to the 28th."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def months_between(start, end):
    """Whole months from `start` to `end` (0 if `end` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


def time_in_role(since, today=None):
    """'2 years 3 months', 'Less than a month', for a date the person started in role."""
    if since is None:
        return ""
    months = months_between(since, today or timezone.localdate())
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(parts) or "Less than a month"


def current_q(today=None, prefix=""):
    """Not left: no leaving date, or one still in the future."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}leaving_date__isnull": True}) | Q(**{f"{prefix}leaving_date__gt": today})


class TeamQuerySet(TenantQuerySet):
    def for_rows(self):
        return self.select_related("manager")

    def with_headcount(self, today=None):
        current = current_q(today, "staff__")
        return self.annotate(headcount=Count("staff", filter=current), fte_in_post=Sum("staff__fte", filter=current))


class CareerStageQuerySet(TenantQuerySet):
    def with_headcount(self, today=None):
        """`headcount`: current staff whose open stage is this one; `ever_held`: whether anyone's history has it."""
        from .models import StageHistory

        held = StageHistory.objects.filter(stage=OuterRef("pk"))
        return self.annotate(
            headcount=Count(
                "history_rows", filter=Q(history_rows__end_date__isnull=True) & current_q(today, "history_rows__staff__")
            ),
            ever_held=Exists(held),
        )


class StageHistoryQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(end_date__isnull=True)


class StaffRecordQuerySet(TenantQuerySet):
    def current(self, today=None):
        return self.filter(current_q(today))

    def left(self, today=None):
        today = today or timezone.localdate()
        return self.filter(leaving_date__lte=today)

    def for_rows(self):
        return self.select_related("team", "line_manager")

    def with_current_stage(self):
        """The open stage's name, position and whether it is supervisory, as annotations (one query)."""
        from .models import StageHistory

        open_row = StageHistory.objects.filter(staff=OuterRef("pk"), end_date__isnull=True)
        return self.annotate(
            current_stage_id=Subquery(open_row.values("stage_id")[:1]),
            current_stage_name=Subquery(open_row.values("stage__name")[:1]),
            current_stage_supervisory=Subquery(open_row.values("stage__is_supervisory")[:1]),
        )

    def with_supervisees(self, today=None):
        supervisees = (
            self.model.objects.filter(current_q(today), line_manager=OuterRef("pk"))
            .order_by()
            .values("line_manager")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(supervisees_count=Coalesce(Subquery(supervisees), Value(0)))

    def with_supervisory_since(self, today=None):
        """`supervisory_since`: the start of the current continuous supervisory spell, and
        `in_first_year`: whether that was within the last 12 months."""
        from .models import StageHistory

        today = today or timezone.localdate()
        rows = StageHistory.objects.filter(staff=OuterRef("pk"))
        last_break = rows.filter(stage__is_supervisory=False, end_date__isnull=False).order_by("-end_date").values("end_date")[:1]
        spell_start = (
            StageHistory.objects.filter(
                staff=OuterRef("pk"),
                stage__is_supervisory=True,
                start_date__gte=Coalesce(OuterRef("last_break"), Value(datetime.date.min)),
            )
            .order_by("start_date")
            .values("start_date")[:1]
        )
        return (
            self.annotate(last_break=Subquery(last_break))
            .annotate(
                supervisory_since=Subquery(spell_start),
            )
            .annotate(in_first_year=ExpressionWrapper(Q(supervisory_since__gt=year_before(today)), output_field=BooleanField()))
        )

    def supervisors(self, today=None):
        """The supervisors register: current staff at a supervisory stage who line-manage at least one
        current member of staff, with their supervisees count, supervisory-since date and whether they
        are in their first 12 months. One query however many rows."""
        from .models import StageHistory

        today = today or timezone.localdate()
        supervisory_now = StageHistory.objects.filter(staff=OuterRef("pk"), end_date__isnull=True, stage__is_supervisory=True)
        manages = self.model.objects.filter(current_q(today), line_manager=OuterRef("pk"))
        return (
            self.current(today)
            .filter(Exists(supervisory_now), Exists(manages))
            .with_current_stage()
            .with_supervisees(today)
            .with_supervisory_since(today)
            .for_rows()
        )

    def filtered(self, *, team=None, service=None, stage=None, status="current", first_year=False, today=None):
        """The staff list's and the supervisors register's filters."""
        rows = self
        if team:
            rows = rows.filter(team_id=team)
        if service:
            rows = rows.filter(service=service)
        if stage:
            rows = rows.filter(stage_history__end_date__isnull=True, stage_history__stage_id=stage)
        if status == "current":
            rows = rows.current(today)
        elif status == "left":
            rows = rows.left(today)
        if first_year:
            rows = rows.filter(in_first_year=True)
        return rows
