"""Reads over many rows of coaching, mentoring and peer support."""

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from trellis.tenancy.models import TenantQuerySet


class MentorProfileQuerySet(TenantQuerySet):
    def with_load(self):
        """`load`: how many open relationships each mentor has, whatever their kind."""
        return self.annotate(
            load=Count("staff__mentorships_as_mentor", filter=Q(staff__mentorships_as_mentor__ended_on__isnull=True))
        )

    def for_rows(self):
        return self.select_related("staff__team")


class MentorshipQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(ended_on__isnull=True)

    def ended(self):
        return self.filter(ended_on__isnull=False)

    def for_rows(self):
        return self.select_related("mentor__team", "mentee__team", "mentee__line_manager")

    def with_session_facts(self):
        """`last_session_on` and `session_count`, in the same query."""
        return self.annotate(last_session_on=Max("sessions__held_on"), session_count=Count("sessions"))

    def involving(self, staff):
        return self.filter(Q(mentor=staff) | Q(mentee=staff))

    def for_member(self, membership):
        """Relationships the member is in, as mentor or mentee."""
        return self.filter(Q(mentor__membership=membership) | Q(mentee__membership=membership))


class PeerGroupQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(ended_on__isnull=True)

    def for_member(self, membership):
        """Groups the member belongs to now or facilitates: what a member who is not an admin sees."""
        from .models import PeerGroupMember

        current = PeerGroupMember.objects.filter(group=OuterRef("pk"), staff__membership=membership, left_on__isnull=True)
        return self.filter(Q(facilitator__membership=membership) | Exists(current))

    def with_counts(self, today=None):
        """`member_count` (members now) and `next_session_on` (the next scheduled session from today)."""
        from .models import PeerGroupMember, PeerSession

        today = today or timezone.localdate()
        members = (
            PeerGroupMember.objects.filter(group=OuterRef("pk"), left_on__isnull=True)
            .order_by()
            .values("group")
            .annotate(n=Count("pk"))
            .values("n")
        )
        upcoming = PeerSession.objects.filter(group=OuterRef("pk"), status="scheduled", held_on__gte=today).order_by(
            "held_on", "starts_at"
        )
        held = PeerSession.objects.filter(group=OuterRef("pk"), status="held").order_by("-held_on")
        return self.annotate(
            member_count=Subquery(members),
            next_session_on=Subquery(upcoming.values("held_on")[:1]),
            last_session_on=Subquery(held.values("held_on")[:1]),
        )

    def for_rows(self):
        return self.select_related("facilitator")


class PeerSessionQuerySet(TenantQuerySet):
    def upcoming(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status="scheduled", held_on__gte=today)

    def awaiting_attendance(self, today=None):
        """Scheduled sessions whose date has passed: the facilitator should record who came."""
        today = today or timezone.localdate()
        return self.filter(status="scheduled", held_on__lt=today)

    def with_attendance_counts(self):
        return self.annotate(
            attended_count=Count("attendance", filter=Q(attendance__status="attended")),
            presenter_count=Count("attendance", filter=Q(attendance__presented=True)),
        )

    def in_order(self):
        return self.order_by(F("held_on").asc(), F("starts_at").asc(nulls_first=True))
