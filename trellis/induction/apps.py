from django.apps import AppConfig


class InductionConfig(AppConfig):
    name = "trellis.induction"
