from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("mine/", views.mine, name="mine"),
    path("people/<uuid:pk>/", views.person, name="person"),
    path("people/<uuid:pk>/agreement/", views.agreement, name="agreement"),
    path("people/<uuid:pk>/sessions/add/", views.session_add, name="session-add"),
    path("sessions/<uuid:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<uuid:pk>/delete/", views.session_delete, name="session-delete"),
]
