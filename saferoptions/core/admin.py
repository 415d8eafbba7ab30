"""Reference data is edited here by system administrators."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Agency, Locality, PostcodeDistrict, Team, User, Ward


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "locality"]
    list_filter = ["locality"]


@admin.register(PostcodeDistrict)
class PostcodeDistrictAdmin(admin.ModelAdmin):
    list_display = ["outward_code", "locality"]
    list_filter = ["locality"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_statutory"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "locality"]
    list_filter = ["agency", "locality"]


@admin.register(User)
class PartnershipUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "agency", "team", "is_active"]
    list_filter = ["role", "agency", "is_active"]
    fieldsets = UserAdmin.fieldsets + (
        ("Partnership", {"fields": ("role", "agency", "team", "locality")}),
    )
