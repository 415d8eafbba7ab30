"""Retention rules are reference data, edited here (audited); holds and tombstones are not.

Legal holds name a person and say why, and tombstones say what was disposed of: both are
shown and changed only on the governance pages, through their services.
"""

from django.contrib import admin

from saferoptions.core.admin_site import ReferenceDataAdmin

from .models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(ReferenceDataAdmin):
    list_display = ["category", "review_trigger", "years_after_last_contact", "until_age"]
