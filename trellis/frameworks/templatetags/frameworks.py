"""The frameworks panel for one person, for the pages that gather a person's development.

An inclusion tag, so those pages need no knowledge of frameworks. Three queries whatever the person:
whether the organisation has chosen its frameworks yet (the first time, that sets them up), the
frameworks in force for the person's service, and their rating scales.
"""

from django import template
from django.db.models import Prefetch

from trellis.frameworks.actions import ensure_frameworks_in_use
from trellis.frameworks.models import FrameworkInUse, RatingLevel
from trellis.tenancy import policy

register = template.Library()

SERVICE_NAMES = {"adults": "adults' services", "children": "children's services"}


@register.inclusion_tag("frameworks/_person_panel.html", takes_context=True)
def frameworks_panel(context, person):
    membership = context.get("membership")
    if person is None or not policy.allows(membership, "frameworks.view"):
        return {"show": False}
    ensure_frameworks_in_use(membership.organisation)
    in_force = list(
        FrameworkInUse.objects.visible_to(membership)
        .for_person(person)
        .prefetch_related(Prefetch("levels", queryset=RatingLevel.objects.order_by("value")))
        .order_by("version__framework__name")
    )
    return {
        "show": True,
        "person": person,
        "service_name": SERVICE_NAMES.get(person.service, person.get_service_display()),
        "in_force": in_force,
        "organisation": context.get("organisation"),
        "is_me": person.membership_id is not None and person.membership_id == membership.pk,
        "can_manage": policy.allows(membership, "frameworks.manage"),
    }
