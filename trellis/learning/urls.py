from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("courses/add/", views.course_add, name="course-add"),
    path("courses/<uuid:pk>/", views.course_detail, name="course"),
    path("courses/<uuid:pk>/edit/", views.course_edit, name="course-edit"),
    path("courses/<uuid:pk>/sessions/add/", views.session_add, name="session-add"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/<uuid:pk>/", views.session_detail, name="session"),
    path("sessions/<uuid:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<uuid:pk>/cancel/", views.session_cancel, name="session-cancel"),
    path("sessions/<uuid:pk>/book/", views.book, name="book"),
    path("sessions/<uuid:pk>/book-someone/", views.book_someone, name="book-someone"),
    path("sessions/<uuid:pk>/register/", views.register, name="register"),
    path("bookings/<uuid:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("my-training/", views.my_training, name="my-training"),
    path("my-training/sharing/", views.sharing, name="sharing"),
    path("people/<uuid:pk>/", views.person_record, name="record"),
    path("people/<uuid:pk>/elsewhere/add/", views.external_add, name="external-add"),
    path("elsewhere/<uuid:pk>/edit/", views.external_edit, name="external-edit"),
    path("elsewhere/<uuid:pk>/delete/", views.external_delete, name="external-delete"),
    path("completion/", views.completion, name="completion"),
]
