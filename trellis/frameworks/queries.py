"""Reads over many rows of frameworks."""

from django.db.models import Q, QuerySet

from trellis.tenancy.models import TenantQuerySet


class FrameworkQuerySet(QuerySet):
    def available_to(self, organisation):
        """Shipped frameworks and the organisation's own: the only way pages should list frameworks."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation=organisation))


class FrameworkInUseQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_person(self, staff):
        """The frameworks a person works against: in use, for their service or for both."""
        return self.active().filter(service__in=[staff.service, "any"]).select_related("version__framework")
