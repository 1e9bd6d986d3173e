"""Reads over many rows of frameworks."""

from django.db.models import Q, QuerySet


class FrameworkQuerySet(QuerySet):
    def available_to(self, organisation):
        """Shipped frameworks and the organisation's own: the only way pages should list frameworks."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
