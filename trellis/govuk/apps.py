from django.apps import AppConfig


class GovukConfig(AppConfig):
    name = "trellis.govuk"
    verbose_name = "GOV.UK Frontend UI kit"
