from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "trellis.workforce"
    verbose_name = "Workforce register"
