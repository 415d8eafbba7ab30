"""Rules are reference data a partnership administrator may add versions of."""

from django.contrib import admin

from saferoptions.core.admin_site import ReferenceDataAdmin

from .models import TaskRule


@admin.register(TaskRule)
class TaskRuleAdmin(ReferenceDataAdmin):
    list_display = ("slug", "version", "name", "task_type", "team_slug", "is_active")
    list_filter = ("is_active", "task_type")
    search_fields = ("slug", "name")
