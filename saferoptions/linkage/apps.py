from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "saferoptions.linkage"
    label = "linkage"
