from . import views  # noqa: F401

app_name = "induction"

urlpatterns = []
