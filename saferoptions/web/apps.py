from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "saferoptions.web"
    label = "web"
