from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "saferoptions.meetings"
    label = "meetings"
    verbose_name = "Locality meetings"

    def ready(self) -> None:
        from saferoptions.core import navigation

        from . import nav

        # This app's links and work counts for the header and home page (web imports no app).
        navigation.register(entries=nav.NAV_ENTRIES, counts=nav.HOME_COUNTS)
