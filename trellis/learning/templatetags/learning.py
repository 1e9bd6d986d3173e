"""Training on another page: the panel "My development" gathers, and small display filters.

An inclusion tag rather than view context, so the page that shows it needs no knowledge of training.
A fixed number of queries whatever the person's history: their sharing choice, their bookings, the
core courses and their training done elsewhere (plus what the policy reads to decide who may see it).
"""

from decimal import Decimal

from django import template
from django.db.models import Count, Sum
from django.utils import timezone

from trellis.tenancy import policy

from ..models import Booking, Course, ExternalTraining, TrainingRecord, clock
from ..queries import last_twelve_months

register = template.Library()

RECENT = 5


@register.filter
def hours(value):
    """3 -> '3 hours', 1.5 -> '1.5 hours', 1 -> '1 hour'."""
    if value in (None, ""):
        return ""
    number = Decimal(value).normalize()
    text = f"{number:f}"
    return f"{text} hour{'' if number == 1 else 's'}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def time_of_day(value):
    return clock(value) if value else ""


@register.inclusion_tag("learning/_person_panel.html", takes_context=True)
def learning_panel(context, person):
    membership = context.get("membership")
    record = TrainingRecord.objects.visible_to(membership).filter(staff=person).first() or TrainingRecord(
        organisation_id=person.organisation_id
    )
    record.staff = person  # the policy reads the person through it: no second query for them
    if not policy.allows(membership, "learning.view_record", record):
        return {"show": False}
    today = timezone.localdate()
    bookings = list(
        Booking.objects.visible_to(membership)
        .filter(staff=person)
        .upcoming(today)
        .select_related("session__course")
        .with_waiting_position()
        .order_by("session__date", "session__start_time")
    )
    now = timezone.now()
    upcoming = [b for b in bookings if b.is_ahead(now)]
    completed = list(
        Booking.objects.visible_to(membership)
        .filter(staff=person)
        .completed()
        .select_related("session__course")
        .order_by("-completed_on")
    )
    core = set(Course.objects.visible_to(membership).offered().core().values_list("pk", flat=True))
    elsewhere = (
        ExternalTraining.objects.visible_to(membership)
        .filter(staff=person, completed_on__gte=last_twelve_months(today))
        .aggregate(count=Count("pk"), hours=Sum("hours"))
    )
    return {
        "show": True,
        "person": person,
        "own": person.membership_id == getattr(membership, "pk", None),
        "organisation": context.get("organisation"),
        "upcoming": upcoming,
        "completed": completed[:RECENT],
        "more_completed": max(len(completed) - RECENT, 0),
        "core_total": len(core),
        "core_done": len({b.session.course_id for b in completed} & core),
        "elsewhere": elsewhere,
    }
