"""The self-assessment panel for one person, on the "My development" page (development gathers it).

An inclusion tag, so the page needs no knowledge of self-assessments. It shows only what the viewing
member may see: everything for the person, their line manager and admins (a draft as a draft, never
its answers), only what is shared with them for a mentor. Four queries at most, whatever the history.
"""

from django import template

from trellis.assessment.models import FeedbackRequest, SelfAssessment
from trellis.tenancy import policy

register = template.Library()


@register.inclusion_tag("assessment/_person_panel.html", takes_context=True)
def assessment_panel(context, person):
    membership = context.get("membership")
    if person is None or membership is None or not policy.allows(membership, "assessment.view_person", person):
        return {"show": False}
    rows = (
        SelfAssessment.objects.visible_to(membership)
        .shown_to(membership, person)
        .select_related("framework_in_use__version__framework")
        .with_feedback_counts()
        .order_by("-created_at")
    )
    frameworks = {}
    for assessment in rows:
        item = frameworks.setdefault(
            assessment.framework_in_use_id,
            {"framework": assessment.framework_in_use, "latest": None, "draft": None, "submitted": 0, "waiting": 0},
        )
        if assessment.is_submitted:
            item["submitted"] += 1
            if item["latest"] is None or assessment.submitted_at > item["latest"].submitted_at:
                item["latest"] = assessment
        else:
            item["draft"] = assessment
        item["waiting"] += assessment.feedback_waiting
    is_me = person.membership_id is not None and person.membership_id == membership.pk
    return {
        "show": True,
        "person": person,
        "is_me": is_me,
        "frameworks": list(frameworks.values()),
        "asked": FeedbackRequest.objects.visible_to(membership).asked_of(membership).waiting().count() if is_me else 0,
        "can_change": policy.allows(membership, "assessment.change_assessment", person) and not person.has_left(),
        "organisation": context.get("organisation"),
    }
