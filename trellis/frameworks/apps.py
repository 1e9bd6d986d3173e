from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "trellis.frameworks"
    verbose_name = "Frameworks (standards)"
