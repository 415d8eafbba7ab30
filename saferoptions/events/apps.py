from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "saferoptions.events"
    label = "events"
