from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "saferoptions.dashboards"
    label = "dashboards"
    verbose_name = "Strategic dashboards"
