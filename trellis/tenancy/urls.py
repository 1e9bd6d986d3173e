from django.urls import path

from . import views

app_name = "tenancy"

urlpatterns = [
    path("", views.organisation_home, name="organisation-home"),
    path("people/", views.member_list, name="member-list"),
    path("people/invite/", views.member_invite, name="member-invite"),
    path("people/<uuid:pk>/roles/", views.member_roles, name="member-roles"),
]
