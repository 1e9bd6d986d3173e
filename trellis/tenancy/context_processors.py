from django.urls import reverse

from . import access, policy
from .policy import Capabilities

# The service navigation: (URL name, label, section, permission). A section appears only to members
# whose roles allow its permission; `nav_section` in a view's context marks the current one.
NAVIGATION = [
    ("pathway:overview", "Implementation pathway", "pathway", "pathway.view"),
    ("pathway:action-list", "Action plan", "actions", "pathway.view"),
    ("pathway:stakeholder-list", "Stakeholders", "stakeholders", "pathway.view"),
    ("workforce:staff-list", "Workforce", "workforce", "workforce.view"),
    ("talent:pipeline", "Succession", "talent", "talent.view_pipeline"),
    ("talent:career-pathway", "Career pathway", "career", "talent.view_career_pathway"),
    ("insights:oversight", "Retention", "insights", "insights.view_oversight"),
    ("development:mine", "My development", "development", "development.view_own"),
    ("portfolio:mine", "Portfolios", "portfolios", "portfolio.view_own"),
    ("development:overview", "Supervisor development", "development-overview", "development.view_aggregates"),
    ("portfolio:cohort-list", "Cohorts", "cohorts", "portfolio.view_cohorts"),
    ("tenancy:member-list", "People", "people", "tenancy.manage_members"),
    ("audit:trail", "Audit trail", "audit", "audit.view_trail"),
]


def navigation(membership):
    if membership is None:
        return []
    slug = membership.organisation.slug
    return [
        {"href": reverse(name, args=[slug]), "text": text, "section": section}
        for name, text, section, permission in NAVIGATION
        if policy.allows(membership, permission)
    ]


def tenancy(request):
    user = getattr(request, "user", None)

    def my_memberships():
        # Organisation pages already have them from the middleware; other pages ask once.
        if getattr(request, "memberships", None) is None:
            request.memberships = access.memberships_of(user) if user is not None else []
        return request.memberships

    membership = getattr(request, "membership", None)
    return {
        "organisation": getattr(request, "organisation", None),
        "membership": membership,
        "can": Capabilities(membership),
        "my_memberships": my_memberships,
        "service_navigation": navigation(membership),
    }
