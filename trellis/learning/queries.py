"""Reads over many rows of training."""

import datetime

from django.db.models import Count, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from trellis.tenancy.models import TenantQuerySet
from trellis.workforce.queries import year_before

LIVE = ("booked", "waiting")


class CourseQuerySet(TenantQuerySet):
    def offered(self):
        return self.filter(status="offered")

    def core(self):
        return self.filter(is_core=True)

    def with_next_session(self, today=None):
        """`next_session`: the first day of the earliest scheduled session from today on."""
        today = today or timezone.localdate()
        upcoming = Q(sessions__status="scheduled", sessions__date__gte=today)
        return self.annotate(
            next_session=Min("sessions__date", filter=upcoming),
            upcoming_sessions=Count("sessions", filter=upcoming, distinct=True),
        )

    def for_standard(self, standard_id):
        return self.filter(standards=standard_id)


class TrainingSessionQuerySet(TenantQuerySet):
    def scheduled(self):
        return self.filter(status="scheduled")

    def upcoming(self, today=None):
        """Scheduled sessions from today on (today's may have started; `has_started` says)."""
        return self.scheduled().filter(date__gte=today or timezone.localdate())

    def past(self, today=None):
        return self.filter(date__lt=today or timezone.localdate())

    def for_rows(self):
        return self.select_related("course")

    def with_places(self):
        """`booked` (people with a place), `waiting`, and `unrecorded` (places with no attendance yet)."""
        return self.annotate(
            booked=Count("bookings", filter=Q(bookings__status="booked")),
            waiting=Count("bookings", filter=Q(bookings__status="waiting")),
            unrecorded=Count("bookings", filter=Q(bookings__status="booked", bookings__attendance="")),
        )

    def needing_register(self, today=None):
        """Sessions that have taken place with someone whose attendance is not recorded yet."""
        today = today or timezone.localdate()
        return self.scheduled().filter(date__lte=today).filter(bookings__status="booked", bookings__attendance="").distinct()


class BookingQuerySet(TenantQuerySet):
    def live(self):
        return self.filter(status__in=LIVE)

    def completed(self):
        return self.filter(completed_on__isnull=False)

    def for_rows(self):
        return self.select_related("session__course", "staff")

    def upcoming(self, today=None):
        """Live bookings on scheduled sessions that have not finished (their last day is today or later)."""
        today = today or timezone.localdate()
        return (
            self.live().filter(session__status="scheduled").filter(Q(session__date__gte=today) | Q(session__end_date__gte=today))
        )

    def with_waiting_position(self):
        """`waiting_position`: 1 for the first in the session's waiting list (meaningful only while waiting)."""
        from .models import Booking

        ahead = (
            Booking.objects.filter(session=OuterRef("session"), status="waiting")
            .filter(
                Q(requested_at__lt=OuterRef("requested_at")) | Q(requested_at=OuterRef("requested_at"), id__lt=OuterRef("id"))
            )
            .order_by()
            .values("session")
            .annotate(n=Count("id"))
            .values("n")
        )
        return self.annotate(waiting_position=Coalesce(Subquery(ahead), Value(0)) + 1)


class ExternalTrainingQuerySet(TenantQuerySet):
    def since(self, day):
        return self.filter(completed_on__gte=day)


def last_twelve_months(today=None):
    """The first day of the 12 months up to today, for 'hours in the last 12 months'."""
    today = today or timezone.localdate()
    return year_before(today) + datetime.timedelta(days=1)
