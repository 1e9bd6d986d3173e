"""The supervision panel for one person, for the pages that gather a person's development to include.

Two queries (their agreement with who supervises them, and their latest session date), plus the
policy's own reads; nothing for someone the viewer may not see.
"""

from django import template

from trellis.supervision.status import standing_of
from trellis.tenancy import policy

register = template.Library()


@register.inclusion_tag("supervision/_person_panel.html", takes_context=True)
def supervision_panel(context, person):
    membership = context.get("membership")
    if person is None or not policy.allows(membership, "supervision.view", person):
        return {"show": False}
    return {
        "show": True,
        "person": person,
        "standing": standing_of(person),
        "organisation": context.get("organisation"),
        "is_me": person.membership_id is not None and person.membership_id == membership.pk,
    }
