from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "saferoptions.interventions"
    label = "interventions"
    verbose_name = "Interventions: the catalogue and referrals"
