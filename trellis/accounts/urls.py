from django.urls import path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("me/", views.manage, name="account_manage"),
    # One address per account, set by the invitation: allauth's page for managing several is closed.
    path("email/", RedirectView.as_view(pattern_name="account_manage"), name="account_email"),
]
