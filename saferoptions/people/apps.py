from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "saferoptions.people"
    label = "people"

    def ready(self) -> None:
        from saferoptions.core import navigation

        from . import nav

        # This app's links for the header and home page (web imports no app).
        navigation.register(entries=nav.NAV_ENTRIES)

        from . import access_rules

        # The person and their record's rows, for the access policy.
        access_rules.register()
