from django.urls import path

from . import views

app_name = "induction"

urlpatterns = [
    path("", views.first_year_list, name="list"),
    path("open/", views.first_year_open, name="open"),
    path("<uuid:pk>/", views.first_year_detail, name="first-year"),
    path("<uuid:pk>/sharing/", views.first_year_sharing, name="sharing"),
    path("<uuid:pk>/close/", views.first_year_close, name="close"),
    path("<uuid:pk>/items/add/", views.item_add, name="item-add"),
    path("items/<uuid:pk>/", views.item_detail, name="item"),
    path("items/<uuid:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<uuid:pk>/reopen/", views.item_reopen, name="item-reopen"),
    path("check-ins/<uuid:pk>/", views.check_in_detail, name="check-in"),
    path("checklist-template/", views.template_items, name="template"),
    path("checklist-template/add/", views.template_item_add, name="template-item-add"),
    path("checklist-template/<uuid:pk>/edit/", views.template_item_edit, name="template-item-edit"),
    path("checklist-template/<uuid:pk>/delete/", views.template_item_delete, name="template-item-delete"),
]
