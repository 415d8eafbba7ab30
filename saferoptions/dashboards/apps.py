from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "saferoptions.dashboards"
    label = "dashboards"
    verbose_name = "Strategic dashboards"

    def ready(self) -> None:
        from saferoptions.audit import actions
        from saferoptions.core import navigation

        from . import audit_actions, nav

        # This app's links for the header and home page (web imports no app), and the
        # words for its audit actions.
        navigation.register(entries=nav.NAV_ENTRIES)
        actions.register(audit_actions.ACTIONS)
