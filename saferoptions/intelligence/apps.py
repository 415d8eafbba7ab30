from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "saferoptions.intelligence"
    label = "intelligence"
    verbose_name = "Intelligence"

    def ready(self) -> None:
        from saferoptions.cases import accumulation

        from . import access_rules
        from .selectors import accumulation_items

        # Originals to graders, sanitised versions by handling code (the access policy).
        access_rules.register()

        # Graded intelligence about a child counts in accumulating concern (weights by grade in
        # settings.CASES_ACCUMULATION); cases never imports this app (docs/architecture.md).
        accumulation.register(accumulation_items)

        from saferoptions.contexts.services_places import on_proposed_place_merged

        from .services import follow_merged_place

        # A place described as not listed and merged into a known one takes its reports.
        on_proposed_place_merged(follow_merged_place)

        from saferoptions.audit import actions
        from saferoptions.core import navigation

        from . import audit_actions, nav

        # Words for this app's audit actions, and its links for the header and home
        # page (neither the audit search nor web imports an app).
        actions.register(audit_actions.ACTIONS)
        navigation.register(entries=nav.NAV_ENTRIES)
