from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.oversight, name="oversight"),
    path("export.xlsx", views.oversight_export, name="oversight-export"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/add/", views.meeting_create, name="meeting-add"),
    path("meetings/<uuid:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<uuid:pk>/export.xlsx", views.meeting_export, name="meeting-export"),
    path("meetings/<uuid:pk>/actions/add/", views.action_create, name="meeting-action-add"),
    path("actions/<uuid:pk>/", views.action_detail, name="meeting-action"),
    path("actions/<uuid:pk>/edit/", views.action_edit, name="meeting-action-edit"),
    path("actions/<uuid:pk>/status/", views.action_status, name="meeting-action-status"),
]
