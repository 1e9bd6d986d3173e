from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.trail, name="trail"),
    path("<str:target_type>/<str:target_id>/", views.record_trail, name="record"),
]
