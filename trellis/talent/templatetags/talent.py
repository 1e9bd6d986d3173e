"""The succession panel on a staff record page (workforce/staff_detail.html includes it).

An inclusion tag rather than view context, so the workforce view needs no knowledge of talent. Three
queries whatever the person's history: their plans with gap-plan counts, the acting up they were given
or offered, and their answers to offers.
"""

from django import template
from django.utils import timezone

from trellis.talent.models import ActingUpOffer, ActingUpOpportunity, PotentialSupervisor
from trellis.tenancy import policy

register = template.Library()


@register.inclusion_tag("talent/_staff_panel.html", takes_context=True)
def succession_panel(context, staff):
    membership = context.get("membership")
    shown = {"show": False}
    if not policy.allows(membership, "talent.view_pipeline"):
        return shown
    plans = list(
        PotentialSupervisor.objects.visible_to(membership)
        .filter(staff=staff)
        .select_related("best_placed_team")
        .with_gap_counts()
        .order_by("-identified_on", "-created_at")
    )
    opportunities = list(ActingUpOpportunity.objects.visible_to(membership).for_person(staff).for_rows().order_by("-start_date"))
    answers = dict(
        ActingUpOffer.objects.visible_to(membership).filter(candidate__staff=staff).values_list("opportunity_id", "response")
    )
    today = timezone.localdate()
    history = [{"opportunity": o, "outcome": _outcome(o, staff, answers.get(o.pk), today)} for o in opportunities]
    current = next((plan for plan in plans if plan.is_active), plans[0] if plans else None)
    return {
        "show": True,
        "staff": staff,
        "plan": current,
        "earlier": [plan for plan in plans if plan is not current],
        "history": history,
        "organisation": context.get("organisation"),
        "can_record": (current is None or not current.is_active)
        and not staff.has_left(today)
        and policy.allows(membership, "talent.manage_pipeline"),
    }


ANSWERS = {"offered": "no answer yet", "accepted": "accepted", "declined": "declined"}


def _outcome(opportunity, staff, answer, today):
    if opportunity.assigned_to_id == staff.pk:
        if opportunity.status == ActingUpOpportunity.Status.CANCELLED:
            return "Given, then cancelled"
        return "Acted up" if opportunity.end_date < today else "Acting up"
    text = f"Offered: {ANSWERS.get(answer, answer)}"
    if opportunity.status == ActingUpOpportunity.Status.FILLED:
        text += "; given to someone else"
    elif opportunity.status == ActingUpOpportunity.Status.CANCELLED:
        text += "; cancelled"
    return text
