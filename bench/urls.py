"""The URLconf of every timed request: the app's own URLs plus the two yardstick views."""

from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

from . import views

urlpatterns = [
    path("bench-bare/<int:organisation_id>/", views.bare, name="bench-bare"),
    path("o/<slug:org_slug>/bench-empty/", views.empty, name="bench-empty"),
    *app_urlpatterns,
]
