from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "trellis.pathway"
    verbose_name = "Implementation pathway"
