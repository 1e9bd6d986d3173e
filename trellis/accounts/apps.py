from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trellis.accounts"
