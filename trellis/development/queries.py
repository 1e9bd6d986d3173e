"""Reads over many rows of development plans and partnership roles."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from trellis.tenancy.models import TenantQuerySet

CLOSED_STATUSES = ("complete", "cancelled")


class DevelopmentPlanQuerySet(TenantQuerySet):
    def with_status(self, today=None):
        """What My team, coverage and the panel show, in the same query as the plans:
        `goal_count`, `action_count`, `overdue_count`, and the latest agreement's `agreed_version`
        and `agreed_on` (None if never agreed)."""
        from .models import PlanReview

        today = today or timezone.localdate()
        agreement = PlanReview.objects.filter(plan=OuterRef("pk"), agreed=True).order_by("-created_at")
        # Counted over a join on the plan → goal → action foreign keys, not as correlated subqueries:
        # the scoped managers add an organisation filter to a subquery, and SQLite then scans every
        # action in the organisation once per plan (a quarter of a second for 150 plans).
        open_overdue = ~Q(goals__actions__status__in=CLOSED_STATUSES) & Q(goals__actions__due_date__lt=today)
        return self.annotate(
            goal_count=Count("goals", distinct=True),
            action_count=Count("goals__actions"),
            overdue_count=Count("goals__actions", filter=open_overdue),
            agreed_version=Subquery(agreement.values("plan_version")[:1]),
            agreed_on=Subquery(agreement.values("reviewed_on")[:1]),
        )

    def summaries(self, today=None):
        """{staff id: the plan with its status annotations}, for a list of people in one query."""
        return {plan.staff_id: plan for plan in self.with_status(today)}


class DevelopmentActionQuerySet(TenantQuerySet):
    def open(self):
        return self.exclude(status__in=CLOSED_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


class PartnershipRoleQuerySet(TenantQuerySet):
    def current(self, today=None):
        today = today or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)


def standards_for(staff, keep=()):
    """The standards a person's goals can be linked to: those of the framework versions their
    organisation has in use for their service (or both), plus `keep` (standards a goal already links
    to, so a framework taken out of use does not take them off it)."""
    from trellis.frameworks.models import FrameworkInUse, Standard

    in_use = FrameworkInUse.objects.filter(organisation_id=staff.organisation_id).for_person(staff).values("version_id")
    return (
        Standard.objects.filter(Q(version_id__in=in_use) | Q(pk__in=list(keep)))
        .select_related("version__framework")
        .order_by("version__framework__name", "version__label", "position")
    )
