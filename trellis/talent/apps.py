from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "trellis.talent"
    verbose_name = "Succession and career development"
