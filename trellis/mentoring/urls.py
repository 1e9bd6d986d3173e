from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("mine/", views.mine, name="mine"),
    path("mentors/add/", views.mentor_add, name="mentor-add"),
    path("mentors/<uuid:pk>/edit/", views.mentor_edit, name="mentor-edit"),
    path("match/", views.match, name="match"),
    path("relationships/<uuid:pk>/", views.relationship, name="relationship"),
    path("relationships/<uuid:pk>/edit/", views.relationship_edit, name="relationship-edit"),
    path("relationships/<uuid:pk>/end/", views.relationship_end, name="relationship-end"),
    path("relationships/<uuid:pk>/sessions/add/", views.session_add, name="session-add"),
    path("sessions/<uuid:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<uuid:pk>/delete/", views.session_delete, name="session-delete"),
    path("offer/", views.offer, name="offer"),
    path("offer/without-a-mentor/", views.waiting, name="waiting-list"),
    path("peer-groups/", views.group_list, name="group-list"),
    path("peer-groups/add/", views.group_add, name="group-add"),
    path("peer-groups/<uuid:pk>/", views.group_detail, name="group"),
    path("peer-groups/<uuid:pk>/edit/", views.group_edit, name="group-edit"),
    path("peer-groups/<uuid:pk>/members/", views.group_members, name="group-members"),
    path("peer-groups/members/<uuid:pk>/leave/", views.member_leave, name="member-leave"),
    path("peer-groups/<uuid:pk>/sessions/add/", views.group_session_add, name="group-session-add"),
    path("peer-groups/sessions/<uuid:pk>/", views.group_session, name="group-session"),
    path("peer-groups/sessions/<uuid:pk>/edit/", views.group_session_edit, name="group-session-edit"),
    path("peer-groups/sessions/<uuid:pk>/attendance/", views.group_session_attendance, name="group-session-attendance"),
]
