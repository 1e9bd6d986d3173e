"""Reads over many rows of succession planning."""

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, When
from django.utils import timezone

from trellis.tenancy.models import TenantQuerySet
from trellis.workforce.queries import current_q

CLOSED_STATUSES = ("complete", "cancelled")


def placement_service_q(service):
    """PotentialSupervisor.placement_service == service, in SQL."""
    unset = Q(best_placed_service="")
    return (
        Q(best_placed_service=service)
        | (unset & Q(best_placed_team__service=service))
        | (unset & Q(best_placed_team__isnull=True, staff__team__service=service))
        | (unset & Q(best_placed_team__isnull=True, staff__team__isnull=True, staff__service=service))
    )


class PotentialSupervisorQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(status="active")

    def closed(self):
        return self.exclude(status="active")

    def in_pipeline(self, today=None):
        """Active plans for people still in post. Someone who has left drops out of the figures even
        before their plan is closed (the succession view lists them so it can be)."""
        return self.active().filter(current_q(today, "staff__"))

    def for_rows(self):
        return self.select_related("staff__team", "staff__line_manager", "best_placed_team", "identified_by")

    def by_readiness(self):
        """Readiest first (the choices' values do not sort that way), then by name."""
        rank = Case(When(readiness="ready_now", then=0), When(readiness="within_12_months", then=1), default=2)
        return self.annotate(readiness_rank=rank).order_by("readiness_rank", "staff__full_name")

    def for_member(self, membership):
        """Plans this member sees as the person or as their line manager, not as a lead."""
        return self.filter(Q(staff__membership=membership) | Q(staff__line_manager__membership=membership))

    def with_current_stage(self):
        from trellis.workforce.models import StageHistory

        open_row = StageHistory.objects.filter(staff=OuterRef("staff_id"), end_date__isnull=True)
        return self.annotate(current_stage_name=Subquery(open_row.values("stage__name")[:1]))

    def with_gap_counts(self, today=None):
        today = today or timezone.localdate()
        open_actions = ~Q(gap_actions__status__in=CLOSED_STATUSES)
        return self.annotate(
            gap_total=Count("gap_actions", distinct=True),
            gap_open=Count("gap_actions", filter=open_actions, distinct=True),
            gap_overdue=Count("gap_actions", filter=open_actions & Q(gap_actions__due_date__lt=today), distinct=True),
        )

    def filtered(self, *, status="active", readiness=None, service=None, team=None, today=None):
        """The list of plans' filters."""
        rows = self
        if status == "active":
            rows = rows.in_pipeline(today)
        elif status in ("appointed", "withdrawn"):
            rows = rows.filter(status=status)
        if readiness:
            rows = rows.filter(readiness=readiness)
        if service:
            rows = rows.filter(placement_service_q(service))
        if team:
            rows = rows.filter(Q(best_placed_team_id=team) | Q(staff__team_id=team))
        return rows


class GapActionQuerySet(TenantQuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(Q(due_date__lt=today) & ~Q(status__in=CLOSED_STATUSES))

    def for_rows(self):
        return self.select_related("owner")


class ActingUpOpportunityQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(status="open")

    def for_rows(self):
        return self.select_related("team", "stage", "assigned_to")

    def with_offer_counts(self):
        return self.annotate(
            offers_total=Count("offers", distinct=True),
            offers_accepted=Count("offers", filter=Q(offers__response="accepted"), distinct=True),
            offers_declined=Count("offers", filter=Q(offers__response="declined"), distinct=True),
        )

    def for_person(self, staff):
        """Acting up someone was given, or offered through their plans: their acting-up history."""
        return self.filter(Q(assigned_to=staff) | Q(offers__candidate__staff=staff)).distinct()


def supervisors_leaving_or_new(staff_rows, today=None):
    """Supervisors whose team faces a gap: staff in a team, at a supervisory career stage today, who
    are leaving (a leaving date today or later) or in their first 12 months as a supervisor.

    Not `StaffRecordQuerySet.supervisors()`: that register also needs people to line-manage someone,
    and a team's gap is there whether or not the leaving supervisor still has supervisees recorded.
    Supervisory "today" here is any stage row spanning today.
    """
    from trellis.workforce.models import StageHistory

    today = today or timezone.localdate()
    supervisory_today = StageHistory.objects.filter(
        staff=OuterRef("pk"), stage__is_supervisory=True, start_date__lte=today
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    return (
        staff_rows.filter(team__isnull=False)
        .filter(Q(leaving_date__isnull=True) | Q(leaving_date__gte=today))
        .filter(Exists(supervisory_today))
        .with_supervisory_since(today)
        .filter(Q(leaving_date__isnull=False) | Q(in_first_year=True))
        .order_by("team__name", F("leaving_date").asc(nulls_last=True), "full_name")
    )
