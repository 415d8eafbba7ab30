"""Places and schools are reference data a system administrator may correct here."""

from django.contrib import admin

from saferoptions.core.admin_site import ReferenceDataAdmin, ReferenceDataInline

from .models import Place, PlaceAlias, School


class PlaceAliasInline(ReferenceDataInline):
    model = PlaceAlias
    extra = 1


@admin.register(Place)
class PlaceAdmin(ReferenceDataAdmin):
    inlines = [PlaceAliasInline]
    list_display = ["name", "place_type", "ward", "h3_cell"]
    list_filter = ["place_type", "ward__locality"]
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(ReferenceDataAdmin):
    list_display = ["name", "urn", "phase"]
