from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "saferoptions.governance"
    label = "governance"
