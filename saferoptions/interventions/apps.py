from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "saferoptions.interventions"
    label = "interventions"
    verbose_name = "Interventions: the catalogue and referrals"

    def ready(self) -> None:
        from saferoptions.core import navigation

        from . import nav

        # This app's links for the header and home page (web imports no app).
        navigation.register(entries=nav.NAV_ENTRIES)
