from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saferoptions.core"
    label = "core"
    verbose_name = "Partnership reference data"
