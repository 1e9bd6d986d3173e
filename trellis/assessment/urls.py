from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.home, name="home"),
    path("asked/", views.feedback_asked, name="feedback-asked"),
    path("organisation/", views.organisation, name="organisation"),
    path("start/", views.start, name="start"),
    path("people/<uuid:pk>/", views.person, name="person"),
    path("<uuid:pk>/", views.assessment_detail, name="assessment"),
    path("<uuid:pk>/overall/", views.overall, name="overall"),
    path("<uuid:pk>/submit/", views.submit, name="submit"),
    path("<uuid:pk>/delete/", views.delete, name="delete"),
    path("<uuid:pk>/feedback/", views.feedback_requests, name="feedback-requests"),
    path("standards/<uuid:pk>/", views.section, name="section"),
    path("feedback/<uuid:pk>/", views.request_detail, name="request"),
    path("feedback/<uuid:pk>/decline/", views.request_decline, name="request-decline"),
    path("feedback/<uuid:pk>/withdraw/", views.request_withdraw, name="request-withdraw"),
]
