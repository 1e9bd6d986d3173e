"""Reads over many rows of supervisors' own supervision.

Whether someone's supervision is overdue depends on their agreement's frequency (monthly counts in
calendar months), so it is worked out in Python (`status.py`) over rows loaded here in a fixed number
of queries: an organisation has hundreds of supervisors at most.
"""

from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from trellis.tenancy.models import TenantQuerySet


class SupervisionSessionQuerySet(TenantQuerySet):
    def for_rows(self):
        return self.select_related("supervisor")

    def last_dates(self, today=None):
        """{staff id: date of their latest session up to today}, in one query."""
        today = today or timezone.localdate()
        rows = self.filter(held_on__lte=today).order_by().values("staff_id").annotate(last=Max("held_on"))
        return {row["staff_id"]: row["last"] for row in rows}


def supervisory_now():
    """A condition on staff records: their open career stage is supervisory. These people should have
    supervision of their own as supervisors. Not the supervisors register (`supervisors()`), which also
    needs them to line-manage someone: a new supervisor whose team is not recorded yet still needs it."""
    from trellis.workforce.models import StageHistory

    return Exists(StageHistory.objects.filter(staff=OuterRef("pk"), end_date__isnull=True, stage__is_supervisory=True))
