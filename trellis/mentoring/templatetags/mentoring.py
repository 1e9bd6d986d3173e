"""The coaching, mentoring and peer support panel for one person, for the pages that gather a person's
development (the "My development" page) to include.

An inclusion tag rather than view context, so those pages need no knowledge of mentoring. A fixed
number of queries whatever the person's history: their open relationships with the date of each one's
last session, and their peer groups with each group's next session (plus the policy's own reads).
"""

from django import template
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from trellis.mentoring.models import Mentorship, PeerGroupMember, PeerSession
from trellis.tenancy import policy

register = template.Library()


@register.inclusion_tag("mentoring/_person_panel.html", takes_context=True)
def mentoring_panel(context, person):
    membership = context.get("membership")
    if person is None or not policy.allows(membership, "mentoring.view_person", person):
        return {"show": False}
    today = timezone.localdate()
    relationships = list(
        Mentorship.objects.visible_to(membership)
        .involving(person)
        .open()
        .select_related("mentor", "mentee__line_manager")
        .with_session_facts()
        .order_by("kind", "started_on")
    )
    upcoming = PeerSession.objects.filter(group=OuterRef("group_id")).upcoming(today).in_order()
    groups = list(
        PeerGroupMember.objects.visible_to(membership)
        .filter(staff=person, left_on__isnull=True, group__ended_on__isnull=True)
        .select_related("group")
        .annotate(next_session_on=Subquery(upcoming.values("held_on")[:1]), next_session_id=Subquery(upcoming.values("pk")[:1]))
        .order_by("group__name")
    )
    return {
        "show": True,
        "person": person,
        "organisation": context.get("organisation"),
        "is_me": policy.allows(membership, "development.change_own", person),
        "mentors": [
            (r, policy.allows(membership, "mentoring.view_relationship", r)) for r in relationships if r.mentee_id == person.pk
        ],
        "mentees": [
            (r, policy.allows(membership, "mentoring.view_relationship", r)) for r in relationships if r.mentor_id == person.pk
        ],
        "groups": groups,
        "can_open_groups": policy.allows(membership, "development.change_own", person)
        or policy.allows(membership, "mentoring.manage"),
    }
