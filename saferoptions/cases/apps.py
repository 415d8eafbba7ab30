from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "saferoptions.cases"
    label = "cases"

    def ready(self) -> None:
        from saferoptions.people.localities import follow_locality

        from . import access_rules
        from .services.clocks import follow_child

        # A child's open clocks and concerns follow them to a new locality.
        follow_locality(follow_child)
        # Who works with a child, and the case records, for the access policy.
        access_rules.register()

        from saferoptions.audit import actions
        from saferoptions.core import navigation

        from . import audit_actions, nav

        # Words for this app's audit actions, and its links for the header and home
        # page (neither the audit search nor web imports an app).
        actions.register(audit_actions.ACTIONS)
        navigation.register(entries=nav.NAV_ENTRIES, counts=nav.HOME_COUNTS)

        from saferoptions.contexts.outcomes import routed_children_from

        from .contextual_pathway import routed_to_place

        # A place's context case lists the children the Hub routed to it at triage (contexts
        # sits below cases, so cases tells it where to find them).
        routed_children_from(routed_to_place)
