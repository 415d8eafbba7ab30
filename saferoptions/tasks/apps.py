from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "saferoptions.tasks"
    label = "tasks"

    def ready(self) -> None:
        from saferoptions.cases import work_sources

        from .work import open_team_tasks

        # "My work" and the team caseload (in cases) list the team's open tasks per child.
        work_sources.register(open_team_tasks)
