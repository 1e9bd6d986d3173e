from django.urls import path

from . import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("add/", views.framework_add, name="framework-add"),
    path("import/", views.import_upload, name="import"),
    path("import/format/", views.import_format, name="import-format"),
    path("import/template.<str:file_format>", views.import_template, name="import-template"),
    path("imports/<uuid:pk>/", views.import_preview, name="import-preview"),
    path("imports/<uuid:pk>/apply/", views.import_apply, name="import-apply"),
    path("<uuid:pk>/", views.framework_detail, name="framework"),
    path("<uuid:pk>/edit/", views.framework_edit, name="framework-edit"),
    path("versions/<uuid:pk>/", views.version_detail, name="version"),
    path("versions/<uuid:pk>/edit/", views.version_edit, name="version-edit"),
    path("versions/<uuid:pk>/download.<str:file_format>", views.version_download, name="version-download"),
    path("versions/<uuid:pk>/use/", views.version_use, name="version-use"),
    path("versions/<uuid:pk>/new-version/", views.version_new, name="version-new"),
    path("versions/<uuid:pk>/copy/", views.version_copy, name="version-copy"),
    path("versions/<uuid:pk>/delete/", views.version_delete, name="version-delete"),
    path("versions/<uuid:pk>/standards/add/", views.standard_add, name="standard-add"),
    path("standards/<uuid:pk>/edit/", views.standard_edit, name="standard-edit"),
    path("standards/<uuid:pk>/move/", views.standard_move, name="standard-move"),
    path("standards/<uuid:pk>/delete/", views.standard_delete, name="standard-delete"),
    path("standards/<uuid:pk>/statements/add/", views.statement_add, name="statement-add"),
    path("statements/<uuid:pk>/edit/", views.statement_edit, name="statement-edit"),
    path("statements/<uuid:pk>/move/", views.statement_move, name="statement-move"),
    path("statements/<uuid:pk>/delete/", views.statement_delete, name="statement-delete"),
    path("in-use/<uuid:pk>/", views.in_use_detail, name="in-use"),
    path("in-use/<uuid:pk>/edit/", views.in_use_edit, name="in-use-edit"),
    path("in-use/<uuid:pk>/stop/", views.in_use_stop, name="in-use-stop"),
    path("in-use/<uuid:pk>/levels/add/", views.level_add, name="level-add"),
    path("levels/<uuid:pk>/edit/", views.level_edit, name="level-edit"),
    path("levels/<uuid:pk>/move/", views.level_move, name="level-move"),
    path("levels/<uuid:pk>/delete/", views.level_delete, name="level-delete"),
]
