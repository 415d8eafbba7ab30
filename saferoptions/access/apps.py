from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "saferoptions.access"
    label = "access"
