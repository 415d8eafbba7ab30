"""Reference data is edited here by system administrators; each read and change is audited.

Users are not here: accounts, roles and second factors are managed on the audited account
pages (docs/accounts.md), where a change that widens someone's reach needs a second person.
"""

from django.contrib import admin

from .admin_site import KeyedReferenceDataAdmin, ReferenceDataAdmin
from .models import Agency, Locality, PostcodeDistrict, Team, Ward


@admin.register(Locality)
class LocalityAdmin(KeyedReferenceDataAdmin):
    list_display = ["name", "slug"]


@admin.register(Ward)
class WardAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "locality"]
    list_filter = ["locality"]


@admin.register(PostcodeDistrict)
class PostcodeDistrictAdmin(ReferenceDataAdmin):
    list_display = ["outward_code", "locality"]
    list_filter = ["locality"]


@admin.register(Agency)
class AgencyAdmin(KeyedReferenceDataAdmin):
    list_display = ["name", "kind", "is_statutory"]
    # The kind decides which feeds the agency's partner systems may send (police incidents,
    # ED assaults...) and whether it takes part in encoded matching: not a correction.
    fixed_fields = ("slug", "kind")


@admin.register(Team)
class TeamAdmin(KeyedReferenceDataAdmin):
    list_display = ["name", "agency", "locality"]
    list_filter = ["agency", "locality"]
