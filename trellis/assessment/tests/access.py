"""Rows of the access matrix (tenancy/tests/test_access.py) for self-assessment pages.

The self-assessment here belongs to someone without a login (test_access's "Sal Supervisor"), so an
organisation admin keeps it for them and may use every page of it; a senior leader, who sees only
totals, may use none. The request for feedback is to Sal's supervisee, who has no login either, so
the admin records, declines or withdraws it.
"""

from trellis.tenancy.tests.matrix import OrgView

VIEWS = [
    OrgView("assessment:home", allowed="practitioner", denied=None),
    OrgView("assessment:feedback-asked", allowed="practitioner", denied=None),
    OrgView("assessment:start", allowed="practitioner", denied=None),
    OrgView("assessment:organisation", allowed="senior_leader", denied="practice_supervisor"),
    OrgView("assessment:person", allowed="org_admin", denied="senior_leader", target="staff"),
    OrgView("assessment:assessment", allowed="org_admin", denied="senior_leader", target="self_assessment"),
    OrgView("assessment:assessment", allowed="org_admin", denied="senior_leader", target="self_assessment", method="post"),
    OrgView("assessment:overall", allowed="org_admin", denied="senior_leader", target="self_assessment"),
    OrgView("assessment:submit", allowed="org_admin", denied="senior_leader", target="self_assessment"),
    OrgView("assessment:delete", allowed="org_admin", denied="senior_leader", target="self_assessment"),
    OrgView("assessment:feedback-requests", allowed="org_admin", denied="senior_leader", target="self_assessment"),
    OrgView("assessment:feedback-requests", allowed="org_admin", denied="mentor", target="self_assessment", method="post"),
    OrgView("assessment:section", allowed="org_admin", denied="senior_leader", target="standard_rating"),
    OrgView("assessment:section", allowed="org_admin", denied="practice_supervisor", target="standard_rating", method="post"),
    OrgView("assessment:request", allowed="org_admin", denied="senior_leader", target="feedback_request"),
    OrgView("assessment:request", allowed="org_admin", denied="practice_supervisor", target="feedback_request", method="post"),
    OrgView("assessment:request-decline", allowed="org_admin", denied="senior_leader", target="feedback_request"),
    OrgView("assessment:request-withdraw", allowed="org_admin", denied="senior_leader", target="feedback_request"),
]


def objects(base):
    from trellis.assessment import actions

    from .factories import framework_in_use

    admin, sal = base["admin"], base["staff"]
    in_use = framework_in_use(base["org"], standards=2, statements=1)
    assessment = actions.start_self_assessment(actor=admin, staff=sal, framework_in_use=in_use, round="baseline")
    wendy = base["candidate"].staff  # Sal line-manages her
    (request,) = actions.request_feedback(assessment, actor=admin, supervisees=[wendy], anonymous=False)
    return {
        "self_assessment": assessment,
        "standard_rating": assessment.ratings.order_by("standard__position").first(),
        "feedback_request": request,
    }
