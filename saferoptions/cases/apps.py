from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "saferoptions.cases"
    label = "cases"

    def ready(self) -> None:
        from saferoptions.people.localities import follow_locality

        from .services.clocks import follow_child

        # A child's open clocks and concerns follow them to a new locality.
        follow_locality(follow_child)

        from saferoptions.core import navigation

        from . import nav

        # This app's links and work counts for the header and home page (web imports no app).
        navigation.register(entries=nav.NAV_ENTRIES, counts=nav.HOME_COUNTS)
