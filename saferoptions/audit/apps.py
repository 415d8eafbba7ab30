from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "saferoptions.audit"
    label = "audit"

    def ready(self) -> None:
        from saferoptions.core import navigation

        from . import nav
        from .actions import register
        from .models import AuditAction

        # Words for the general audit actions (each app registers its own), and the
        # audit search's link for the header and home page (web imports no app).
        register(dict(AuditAction.choices))
        navigation.register(entries=nav.NAV_ENTRIES)
