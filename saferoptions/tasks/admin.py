"""Rules are shown here to system administrators, never changed: a rule decides who gets access.

A rule that sends a team a task to do with a child gives that team the child's record
(`tasks/access_rules.py`), so its team, type and conditions are access decisions. Edited here,
one administrator could route every matching child to a team of their choosing, with no second
person and no new version (the version a task records would no longer say what made it). A new
version comes in by a reviewed data migration, as the first rules did (`tasks/rulebook.py`).
"""

from django.contrib import admin

from saferoptions.core.admin_site import ReferenceDataAdmin

from .models import TaskRule


@admin.register(TaskRule)
class TaskRuleAdmin(ReferenceDataAdmin):
    list_display = ("slug", "version", "name", "task_type", "team_slug", "is_active")
    list_filter = ("is_active", "task_type")
    search_fields = ("slug", "name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
