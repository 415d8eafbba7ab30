from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "saferoptions.feeds"
    label = "feeds"

    def ready(self) -> None:
        from saferoptions.linkage import resolution

        from .services import act_on_matched

        # Linkage gives a record its person; feeds then run the rules waiting on the child.
        resolution.when_resolved(act_on_matched)

        from saferoptions.audit import actions
        from saferoptions.core import navigation

        from . import audit_actions, nav

        # Words for this app's audit actions, and its links for the header and home
        # page (neither the audit search nor web imports an app).
        actions.register(audit_actions.ACTIONS)
        navigation.register(entries=nav.NAV_ENTRIES)
