from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "saferoptions.web"
    label = "web"

    def ready(self):
        from django_q.signals import post_execute

        # Imported here so the worker processes count audit failures too, not only the web.
        from . import metrics  # noqa: F401
        from .monitoring import beat

        post_execute.connect(beat, dispatch_uid="web.monitoring.beat")

        from saferoptions.core import navigation

        from . import nav

        # The project's own pages (admin, API documentation) for the header and home page.
        navigation.register(entries=nav.NAV_ENTRIES)
