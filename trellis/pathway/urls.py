from django.urls import path, re_path

from . import views

app_name = "pathway"


urlpatterns = [
    path("", views.overview, name="overview"),
    path("actions/", views.action_list, name="action-list"),
    path("actions/add/", views.action_create, name="action-add"),
    re_path(r"^actions/export\.(?P<file_format>xlsx|docx|csv)$", views.action_export, name="action-export"),
    path("actions/<uuid:pk>/", views.action_detail, name="action"),
    path("actions/<uuid:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<uuid:pk>/status/", views.action_status, name="action-status"),
    path("actions/<uuid:pk>/updates/", views.action_add_update, name="action-add-update"),
    path("actions/<uuid:pk>/delete/", views.action_delete, name="action-delete"),
    path("stakeholders/", views.stakeholder_list, name="stakeholder-list"),
    path("stakeholders/add/", views.stakeholder_create, name="stakeholder-add"),
    path("stakeholders/<uuid:pk>/edit/", views.stakeholder_edit, name="stakeholder-edit"),
    path("stakeholders/<uuid:pk>/delete/", views.stakeholder_delete, name="stakeholder-delete"),
    path("reflections/<uuid:pk>/history/", views.reflection_history, name="reflection-history"),
    path("outcomes/<slug:outcome_key>/", views.outcome_edit, name="outcome-edit"),
    path("stages/<slug:stage_key>/", views.stage_detail, name="stage"),
    path("stages/<slug:stage_key>/reflection/", views.reflection_edit, name="reflection-edit"),
]
