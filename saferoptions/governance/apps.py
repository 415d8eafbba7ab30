from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "saferoptions.governance"
    label = "governance"

    def ready(self) -> None:
        from saferoptions.core import navigation

        from . import nav

        # This app's links for the header and home page (web imports no app).
        navigation.register(entries=nav.NAV_ENTRIES)
