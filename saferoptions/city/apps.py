from django.apps import AppConfig


class CityConfig(AppConfig):
    name = "saferoptions.city"
    label = "city"
