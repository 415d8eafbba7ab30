from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "saferoptions.tasks"
    label = "tasks"

    def ready(self) -> None:
        from saferoptions.cases import work_sources
        from saferoptions.interventions import hooks as intervention_hooks

        from . import access_rules
        from .selectors import exclusions_avoided_with
        from .work import open_team_tasks

        # A task sent to a team to do with a child is that team's work with the child.
        access_rules.register()

        # "My work" and the team caseload (in cases) list the team's open tasks per child.
        work_sources.register(open_team_tasks)
        # A programme's report counts the exclusions avoided with it after a school incident.
        intervention_hooks.register_exclusions_avoided(exclusions_avoided_with)

        from saferoptions.core import navigation

        from . import nav

        # This app's links and work counts for the header and home page (web imports no app).
        navigation.register(entries=nav.NAV_ENTRIES, counts=nav.HOME_COUNTS)
