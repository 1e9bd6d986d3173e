from django.urls import path

from . import views

app_name = "development"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("plan/share/", views.share, name="plan-share"),
    path("people/<uuid:pk>/", views.person, name="person"),
    path("people/<uuid:pk>/goals/add/", views.goal_add, name="goal-add"),
    path("people/<uuid:pk>/partnership-roles/add/", views.partnership_add, name="partnership-add"),
    path("goals/<uuid:pk>/edit/", views.goal_edit, name="goal-edit"),
    path("goals/<uuid:pk>/delete/", views.goal_delete, name="goal-delete"),
    path("goals/<uuid:pk>/actions/add/", views.action_add, name="action-add"),
    path("actions/<uuid:pk>/", views.action_detail, name="action"),
    path("actions/<uuid:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<uuid:pk>/delete/", views.action_delete, name="action-delete"),
    path("actions/<uuid:pk>/progress/", views.action_progress, name="action-progress"),
    path("plans/<uuid:pk>/review/", views.plan_review, name="plan-review"),
    path("partnership-roles/<uuid:pk>/edit/", views.partnership_edit, name="partnership-edit"),
    path("partnership-roles/<uuid:pk>/delete/", views.partnership_delete, name="partnership-delete"),
    path("team/", views.team, name="team"),
    path("overview/", views.overview, name="overview"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/supervisors/", views.coverage_names, name="coverage-names"),
]
