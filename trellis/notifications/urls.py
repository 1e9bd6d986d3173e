from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<uuid:pk>/read/", views.read, name="read"),
    path("read-all/", views.read_all, name="read-all"),
]
