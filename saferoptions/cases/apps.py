from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "saferoptions.cases"
    label = "cases"
