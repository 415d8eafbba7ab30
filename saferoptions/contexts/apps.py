from django.apps import AppConfig


class ContextsConfig(AppConfig):
    name = "saferoptions.contexts"
    label = "contexts"

    def ready(self) -> None:
        from saferoptions.people.selectors import show_on_child_record

        from .models import GroupMembership

        # A child's page lists the groups they are in; people sits below contexts.
        show_on_child_record("groups", lambda: GroupMembership.objects.select_related("group"))

        from saferoptions.audit import actions
        from saferoptions.core import navigation

        from . import audit_actions, nav

        # Words for this app's audit actions, and its links for the header and home page
        # (neither the audit search nor web imports an app).
        actions.register(audit_actions.ACTIONS)
        navigation.register(entries=nav.NAV_ENTRIES)

        from . import access_rules

        # Places, groups, context cases and group memberships, for the access policy.
        access_rules.register()
