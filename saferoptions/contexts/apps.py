from django.apps import AppConfig


class ContextsConfig(AppConfig):
    name = "saferoptions.contexts"
    label = "contexts"
