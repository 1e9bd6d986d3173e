from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.http import urlencode
from health_check.views import HealthCheckView

from trellis.tenancy import views as tenancy_views

organisation_urls = [
    path("", include("trellis.tenancy.urls")),
    path("pathway/", include("trellis.pathway.urls")),
    path("workforce/", include("trellis.workforce.urls")),
    path("talent/", include("trellis.talent.urls")),
    path("insights/", include("trellis.insights.urls")),
    path("frameworks/", include("trellis.frameworks.urls")),
    path("assessment/", include("trellis.assessment.urls")),
    path("development/", include("trellis.development.urls")),
    path("induction/", include("trellis.induction.urls")),
    path("learning/", include("trellis.learning.urls")),
    path("mentoring/", include("trellis.mentoring.urls")),
    path("supervision/", include("trellis.supervision.urls")),
    path("portfolio/", include("trellis.portfolio.urls")),
    path("notifications/", include("trellis.notifications.urls")),
    path("audit/", include("trellis.audit.urls")),
]

# The admin signs in through allauth too, so its login gets the same throttling and MFA.
admin.site.login = login_not_required(
    lambda request, extra_context=None: redirect(
        f"{reverse('account_login')}?{urlencode({'next': request.GET.get('next', '/admin/')})}"
    )
)

urlpatterns = [
    path("", tenancy_views.home, name="home"),
    path("organisations/", tenancy_views.organisations, name="organisations"),
    path("o/<slug:org_slug>/", include(organisation_urls)),
    path("invitations/<uuid:token>/", tenancy_views.accept_invitation, name="accept-invitation"),
    path("accounts/", include("trellis.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("trellis.pages.urls")),
    path(
        "health/",
        login_not_required(
            HealthCheckView.as_view(
                checks=["health_check.checks.Database", "health_check.checks.Cache", "health_check.checks.Storage"]
            )
        ),
        name="health",
    ),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", login_not_required(lambda request: redirect(static("images/favicon.svg"), permanent=True))),
    path("admin/", admin.site.urls),
]
