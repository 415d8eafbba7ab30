"""Places and schools are reference data a system administrator may correct here."""

from django.contrib import admin

from .models import Place, PlaceAlias, School


class PlaceAliasInline(admin.TabularInline):
    model = PlaceAlias
    extra = 1


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    inlines = [PlaceAliasInline]
    list_display = ["name", "place_type", "ward", "h3_cell"]
    list_filter = ["place_type", "ward__locality"]
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "phase"]
