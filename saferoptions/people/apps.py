from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "saferoptions.people"
    label = "people"
