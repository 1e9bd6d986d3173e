from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.generic import TemplateView

app_name = "pages"


def page(name):
    return login_not_required(TemplateView.as_view(template_name=f"pages/{name}.html"))


urlpatterns = [
    path("accessibility/", page("accessibility"), name="accessibility"),
    path("privacy/", page("privacy"), name="privacy"),
    path("cookies/", page("cookies"), name="cookies"),
]
