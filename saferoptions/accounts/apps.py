from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "saferoptions.accounts"
    label = "accounts"
