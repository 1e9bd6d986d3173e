from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.manage, name="account_manage"),
]
