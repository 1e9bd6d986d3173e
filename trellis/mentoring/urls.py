from . import views  # noqa: F401

app_name = "mentoring"

urlpatterns = []
