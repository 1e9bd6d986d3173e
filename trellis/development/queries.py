"""Reads over many rows of development plans and partnership roles."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from trellis.tenancy.models import TenantQuerySet

CLOSED_STATUSES = ("complete", "cancelled")


def _count(rows, group):
    """COUNT(*) of `rows` per `group`, as a subquery (no join, so no rows multiplied)."""
    return Coalesce(
        Subquery(rows.order_by().values(group).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0)
    )


class DevelopmentPlanQuerySet(TenantQuerySet):
    def with_status(self, today=None):
        """What My team, coverage and the panel show, in the same query as the plans:
        `goal_count`, `action_count`, `overdue_count`, and the latest agreement's `agreed_version`
        and `agreed_on` (None if never agreed)."""
        from .models import DevelopmentAction, Goal, PlanReview

        today = today or timezone.localdate()
        actions = DevelopmentAction.objects.filter(goal__plan=OuterRef("pk"))
        agreement = PlanReview.objects.filter(plan=OuterRef("pk"), agreed=True).order_by("-created_at")
        return self.annotate(
            goal_count=_count(Goal.objects.filter(plan=OuterRef("pk")), "plan"),
            action_count=_count(actions, "goal__plan"),
            overdue_count=_count(actions.exclude(status__in=CLOSED_STATUSES).filter(due_date__lt=today), "goal__plan"),
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
