from django.urls import path, re_path

from . import views

app_name = "workforce"


urlpatterns = [
    path("", views.staff_list, name="staff-list"),
    path("staff/add/", views.staff_create, name="staff-add"),
    path("staff/<uuid:pk>/", views.staff_detail, name="staff"),
    path("staff/<uuid:pk>/edit/", views.staff_edit, name="staff-edit"),
    path("staff/<uuid:pk>/stage/", views.staff_stage, name="staff-stage"),
    path("staff/<uuid:pk>/leaving/", views.staff_leaving, name="staff-leaving"),
    path("staff/<uuid:pk>/equality/", views.staff_equality, name="staff-equality"),
    path("career-stages/", views.career_stage_list, name="career-stage-list"),
    path("career-stages/add/", views.career_stage_create, name="career-stage-add"),
    path("career-stages/<uuid:pk>/edit/", views.career_stage_edit, name="career-stage-edit"),
    path("career-stages/<uuid:pk>/move/", views.career_stage_move, name="career-stage-move"),
    path("career-stages/<uuid:pk>/delete/", views.career_stage_delete, name="career-stage-delete"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/add/", views.team_create, name="team-add"),
    path("teams/<uuid:pk>/edit/", views.team_edit, name="team-edit"),
    path("import/", views.import_upload, name="import"),
    path("import/<uuid:pk>/", views.import_batch, name="import-batch"),
    path("import/<uuid:pk>/columns/", views.import_mapping, name="import-mapping"),
    path("import/<uuid:pk>/apply/", views.import_apply, name="import-apply"),
    path("supervisors/", views.supervisor_list, name="supervisors"),
    re_path(r"^supervisors/export\.(?P<file_format>xlsx|csv)$", views.supervisor_export, name="supervisors-export"),
]
