from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "saferoptions.tasks"
    label = "tasks"
