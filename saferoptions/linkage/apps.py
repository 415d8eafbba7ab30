from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "saferoptions.linkage"
    label = "linkage"

    def ready(self) -> None:
        from saferoptions.core import navigation

        from . import nav

        # This app's links for the header and home page (web imports no app).
        navigation.register(entries=nav.NAV_ENTRIES)
