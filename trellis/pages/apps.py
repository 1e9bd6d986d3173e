from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "trellis.pages"
    verbose_name = "Service pages"
