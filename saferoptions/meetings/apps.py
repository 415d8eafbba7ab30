from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "saferoptions.meetings"
    label = "meetings"
    verbose_name = "Locality meetings"

    def ready(self) -> None:
        from saferoptions.audit import actions
        from saferoptions.core import navigation

        from . import audit_actions, nav

        # Words for this app's audit actions, and its links and work counts for the header and
        # home page (neither the audit search nor web imports an app).
        actions.register(audit_actions.ACTIONS)
        navigation.register(entries=nav.NAV_ENTRIES, counts=nav.HOME_COUNTS)
