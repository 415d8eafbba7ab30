from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "saferoptions.feeds"
    label = "feeds"
