"""The first-12-months panel for one person: on "My development" (the development app gathers it) and on
the staff record page (workforce/staff_detail.html includes induction/_staff_record.html).

An inclusion tag rather than view context, so neither page needs to know about induction. It brings the
person's first 12 months up to date with the register first (opening one when a supervisory spell began
in the last year), then shows what the viewer may see: the detail and a link for the person, their line
manager, their mentor if shared, and admins; progress figures only for senior leaders. A fixed number of
queries whatever the person's history.
"""

from django import template
from django.utils import timezone

from trellis.induction import actions
from trellis.induction.models import FirstYear
from trellis.tenancy import policy

register = template.Library()


@register.inclusion_tag("induction/_person_panel.html", takes_context=True)
def induction_panel(context, person):
    membership = context.get("membership")
    hidden = {"show": False}
    if person is None or membership is None:
        return hidden
    can_manage = policy.allows(membership, "induction.manage", person)
    may_see_something = (
        policy.allows(membership, "induction.view_first_year", person)
        or policy.allows(membership, "induction.view_list")
        or policy.mentors_the_person(membership, person)  # if the person shares it: decided below
    )
    if not may_see_something:
        return hidden
    today = timezone.localdate()
    actions.bring_up_to_date(membership.organisation, people=[person], today=today)
    first_years = list(
        FirstYear.objects.visible_to(membership).filter(staff=person).with_progress(today).order_by("-start_date", "-created_at")
    )
    current = next((first_year for first_year in first_years if first_year.is_open), first_years[0] if first_years else None)
    if current is None and not can_manage:
        return hidden  # nothing to show the person or their manager; an admin gets the button to open one
    can_view = False
    if current is not None:
        current.staff = person  # the policy reads the person through it; no need to load them again
        # A mentor sees only what the person shares, so ask about this record, not the person.
        can_view = policy.allows(membership, "induction.view_first_year", current)
        if not can_view and not policy.allows(membership, "induction.view_list"):
            return hidden
    return {
        "show": True,
        "staff": person,
        "first_year": current,
        "earlier": [first_year for first_year in first_years if first_year is not current],
        "can_view": can_view,
        "can_open": can_manage and (current is None or not current.is_open) and not person.has_left(today),
        "is_the_person": person.membership_id is not None and person.membership_id == membership.pk,
        "organisation": context.get("organisation") or membership.organisation,
    }
