from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "saferoptions.governance"
    label = "governance"

    def ready(self) -> None:
        from saferoptions.audit import actions
        from saferoptions.core import navigation

        from . import audit_actions, nav

        # Words for this app's audit actions, and its links for the header and home page
        # (neither the audit search nor web imports an app).
        actions.register(audit_actions.ACTIONS)
        navigation.register(entries=nav.NAV_ENTRIES)
