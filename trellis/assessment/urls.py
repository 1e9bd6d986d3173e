from . import views  # noqa: F401

app_name = "assessment"

urlpatterns = []
