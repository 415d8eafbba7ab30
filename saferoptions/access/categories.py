"""The data categories and purposes the access policy speaks in (no database access here)."""

from django.db import models


class DataCategory(models.TextChoices):
    """A kind of information about a person; sharing agreements name the categories they cover."""

    IDENTITY = "identity", "Identity (names, date of birth, sex)"
    ADDRESS = "address", "Address and contact details"
    HEALTH = "health", "Health"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation detail"
    # Incidents and stop-and-search are what happened; police intelligence is graded and is
    # never shared by naming incidents (it goes only as sanitised `intelligence`).
    POLICE_INCIDENTS = "police_incidents", "Police incidents and stop and search"
    POLICE_INTELLIGENCE = "police_intelligence", "Police intelligence (graded)"
    EDUCATION = "education", "Education"
    MISSING = "missing", "Missing episodes"
    HOUSING = "housing", "Housing"
    COMMUNITY = "community", "Licensing and community concerns"
    CASE_RECORDS = "case_records", "Assessments, plans and NRM referrals"
    INTELLIGENCE = "intelligence", "Graded intelligence (sanitised, by handling code)"


class Purpose(models.TextChoices):
    """Why someone opens a record; each read is audited with its purpose."""

    DIRECT_WORK = "direct_work", "Direct work with the child"
    TRIAGE = "triage", "Hub triage of a concern"
    BREAK_GLASS = "break_glass", "Emergency access with a recorded reason"
    SUBJECT_ACCESS = "subject_access", "Subject access request"
    AUDIT = "audit", "Audit of access"
    # Deciding whether two agency records are the same child (record linkage review). Used only
    # when asked for by name: it shows identity records side by side, never a child's record.
    DATA_QUALITY = "data_quality", "Record linkage and data quality review"


ALL_CATEGORIES = frozenset(DataCategory.values)

# Which category each field of an agency's identity record belongs to. This is schema, not
# policy: a new field on Identity needs a line here (the tests check every field has one).
IDENTITY_FIELD_CATEGORIES = {
    "given_name": DataCategory.IDENTITY,
    "family_name": DataCategory.IDENTITY,
    "date_of_birth": DataCategory.IDENTITY,
    "sex": DataCategory.IDENTITY,
    # As agencies record it with the child's identity (ONS groups); shared only where identity is.
    "ethnicity": DataCategory.IDENTITY,
    "ethnicity_recorded_at": DataCategory.IDENTITY,
    "source_id": DataCategory.IDENTITY,
    "address": DataCategory.ADDRESS,
    "postcode": DataCategory.ADDRESS,
    "address_recorded_at": DataCategory.ADDRESS,  # when a move was recorded says one happened
    "phone": DataCategory.ADDRESS,
    "nhs_number": DataCategory.HEALTH,
    "school": DataCategory.EDUCATION,
}


# A case record (assessment, plan, NRM referral) is the record of the agency whose practitioner
# wrote it; each is in one category. Schema, like the fields above: a new kind of case record
# needs a line here and a `registry.CaseRecord` registered by its app (`<app>/access_rules.py`).
CASE_RECORD_CATEGORIES = {
    "assessment": DataCategory.CASE_RECORDS,
    "plan": DataCategory.CASE_RECORDS,
    "nrm_referral": DataCategory.CASE_RECORDS,
    # Written with the team around the child, as plans are: the direct-work agreement that
    # shares case records shares it. Triage never reads it (`policy.record_rows`).
    "case_formulation": DataCategory.CASE_RECORDS,
}


def event_category(event_type: str, category: str, *, type_map: dict, overrides: dict) -> str:
    """The data category of an event: its concern category may override its type's category."""
    return overrides.get(category) or type_map.get(event_type, DataCategory.COMMUNITY)
