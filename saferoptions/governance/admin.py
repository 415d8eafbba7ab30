"""Retention rules are edited in admin; holds and tombstones are shown, changed only by services."""

from django.contrib import admin

from .models import DisposalTombstone, LegalHold, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "review_trigger", "years_after_last_contact", "until_age"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ["person_id", "reason", "placed_at", "released_at"]


@admin.register(DisposalTombstone)
class DisposalTombstoneAdmin(ReadOnlyAdmin):
    list_display = ["record_type", "record_id", "category", "disposed_at", "rule_summary"]
