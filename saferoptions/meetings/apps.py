from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "saferoptions.meetings"
    label = "meetings"
    verbose_name = "Locality meetings"
