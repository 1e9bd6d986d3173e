from django.urls import path

from . import views

app_name = "talent"

urlpatterns = [
    path("career-pathway/", views.career_pathway, name="career-pathway"),
    path("career-pathway/stages/<uuid:pk>/", views.career_stage, name="career-stage"),
    path("career-pathway/stages/<uuid:pk>/add/", views.support_add, name="support-add"),
    path("career-pathway/support/<uuid:pk>/edit/", views.support_edit, name="support-edit"),
    path("career-pathway/support/<uuid:pk>/move/", views.support_move, name="support-move"),
    path("career-pathway/support/<uuid:pk>/delete/", views.support_delete, name="support-delete"),
    path("", views.pipeline, name="pipeline"),
    path("pipeline/", views.candidate_list, name="candidate-list"),
    path("pipeline/add/", views.candidate_add, name="candidate-add"),
    path("pipeline/<uuid:pk>/", views.candidate_detail, name="candidate"),
    path("pipeline/<uuid:pk>/edit/", views.candidate_edit, name="candidate-edit"),
    path("pipeline/<uuid:pk>/close/", views.candidate_close, name="candidate-close"),
    path("pipeline/<uuid:pk>/gap-plan/add/", views.gap_action_add, name="gap-action-add"),
    path("gap-plan/<uuid:pk>/edit/", views.gap_action_edit, name="gap-action-edit"),
    path("gap-plan/<uuid:pk>/status/", views.gap_action_status, name="gap-action-status"),
    path("gap-plan/<uuid:pk>/delete/", views.gap_action_delete, name="gap-action-delete"),
    path("acting-up/", views.acting_up_list, name="acting-up-list"),
    path("acting-up/add/", views.acting_up_add, name="acting-up-add"),
    path("acting-up/<uuid:pk>/", views.acting_up_detail, name="acting-up"),
    path("acting-up/<uuid:pk>/edit/", views.acting_up_edit, name="acting-up-edit"),
    path("acting-up/<uuid:pk>/offer/", views.acting_up_offer, name="acting-up-offer"),
    path("acting-up/<uuid:pk>/assign/", views.acting_up_assign, name="acting-up-assign"),
    path("acting-up/<uuid:pk>/cancel/", views.acting_up_cancel, name="acting-up-cancel"),
    path("acting-up/offers/<uuid:pk>/answer/", views.acting_up_response, name="acting-up-response"),
]
