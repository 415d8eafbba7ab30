from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "saferoptions.intelligence"
    label = "intelligence"
    verbose_name = "Intelligence"

    def ready(self) -> None:
        from saferoptions.cases import accumulation

        from .selectors import accumulation_items

        # Graded intelligence about a child counts in accumulating concern (weights by grade in
        # settings.CASES_ACCUMULATION); cases never imports this app (docs/architecture.md).
        accumulation.register(accumulation_items)

        from saferoptions.core import navigation

        from . import nav

        # This app's links for the header and home page (web imports no app).
        navigation.register(entries=nav.NAV_ENTRIES)
