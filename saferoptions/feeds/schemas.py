"""The schema of each feed type, as DRF serializers (published as OpenAPI by drf-spectacular).

Every feed shares an envelope (idempotency key, the agency's own reference, when it happened,
free text and a place) and adds its own fields. `to_draft` turns a valid message into the one
shape the processing job maps to an `Event`.
"""

import dataclasses
import datetime as dt
import re

from django.conf import settings
from rest_framework import serializers

from saferoptions.contexts.models import PlaceType
from saferoptions.core import clock
from saferoptions.core.identifiers import is_valid_nhs_number
from saferoptions.events.models import EventCategory, EventType, InvolvementRole, ObjectKind
from saferoptions.people.models import Ethnicity, Sex

from .provider_reports import REPORT_SCHEMAS, ProviderReportSchema


def _not_in_future(value):
    limit = clock.now() + dt.timedelta(minutes=settings.FEEDS_FUTURE_TOLERANCE_MINUTES)
    if isinstance(value, dt.datetime) and value > limit:
        raise serializers.ValidationError("is in the future")
    if type(value) is dt.date and value > clock.today():
        raise serializers.ValidationError("is in the future")
    return value


def _text(max_length=None, **kwargs):
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    return serializers.CharField(max_length=max_length or settings.FEEDS_MAX_TEXT, **kwargs)


class PlaceSchema(serializers.Serializer):
    """Where it happened: matched to a known place by name, or placed by its coordinates."""

    name = serializers.CharField(max_length=160)
    place_type = serializers.ChoiceField(PlaceType.choices, default=PlaceType.OTHER)
    latitude = serializers.FloatField(required=False, min_value=49.0, max_value=61.0)
    longitude = serializers.FloatField(required=False, min_value=-9.0, max_value=2.0)


class IdentitySchema(serializers.Serializer):
    """A person as the sending agency records them (its own id and its own facts)."""

    source_id = serializers.CharField(max_length=64)
    role = serializers.ChoiceField(InvolvementRole.choices, required=False)
    given_name = _text(100)
    family_name = _text(100)
    date_of_birth = serializers.DateField(required=False, validators=[_not_in_future])
    sex = serializers.ChoiceField(Sex.choices, default=Sex.UNKNOWN)
    # Optional: sent where the partner records it (an ONS 2021 group, or "not_recorded").
    ethnicity = serializers.ChoiceField(Ethnicity.choices, required=False)
    # Written as 943 476 5919 or 943-476-5919 too: the spaces and hyphens are not the number.
    nhs_number = _text(20)
    postcode = _text(10)
    school_urn = _text(8)

    def validate_nhs_number(self, value):
        value = re.sub(r"[\s-]", "", value)
        if value and (len(value) != 10 or not value.isdigit()):
            raise serializers.ValidationError("is not an NHS number: it must be 10 digits")
        if value and not is_valid_nhs_number(value):
            raise serializers.ValidationError("is not a valid NHS number (check digit)")
        return value


class ObjectSchema(serializers.Serializer):
    """An object in the event: a weapon, a knife, drugs, a phone..."""

    kind = serializers.ChoiceField(ObjectKind.choices)
    description = _text(200)


class MessageSchema(serializers.Serializer):
    """The envelope every feed shares."""

    idempotency_key = serializers.CharField(max_length=100)
    source_reference = serializers.CharField(max_length=64)
    occurred_at = serializers.DateTimeField(validators=[_not_in_future])
    reported_at = serializers.DateTimeField(required=False, validators=[_not_in_future])
    summary = _text()
    location_description = _text(200)
    place = PlaceSchema(required=False)

    event_type: str = ""
    person_field = ""  # the field that holds people, for the flat CSV layout
    default_role = InvolvementRole.SUBJECT

    def event_category(self, data) -> str:
        return data.get("category", EventCategory.OTHER)

    def involved(self, data) -> list[dict]:
        value = data.get(self.person_field) if self.person_field else None
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    def event_objects(self, data) -> list[dict]:
        return list(data.get("objects", []))

    def facts(self, data) -> dict:
        return {}

    def to_draft(self, data) -> "EventDraft":
        """The validated message in the one shape the processing job understands."""
        people = [{"role": self.default_role, **p} for p in self.involved(data)]
        return EventDraft(
            event_type=self.event_type,
            category=self.event_category(data),
            occurred_at=data["occurred_at"],
            ended_at=data.get("returned_at"),
            reported_at=data.get("reported_at") or data["occurred_at"],
            source_reference=data["source_reference"],
            summary=data.get("summary", ""),
            location_description=data.get("location_description", ""),
            place=data.get("place"),
            people=people,
            objects=self.event_objects(data),
            facts=self.facts(data),
        )


@dataclasses.dataclass
class EventDraft:
    """A message reduced to an event: what, when, where, who, which objects, and rule facts."""

    event_type: str
    category: str
    occurred_at: dt.datetime
    ended_at: dt.datetime | None
    reported_at: dt.datetime
    source_reference: str
    summary: str
    location_description: str
    place: dict | None
    people: list[dict]
    objects: list[dict]
    facts: dict


class PoliceIncidentSchema(MessageSchema):
    """A police incident in POLE form: people with roles, objects, a location."""

    event_type = EventType.POLICE_INCIDENT
    person_field = "people"
    category = serializers.ChoiceField(EventCategory.choices)
    people = IdentitySchema(many=True, required=False, max_length=50)
    objects = ObjectSchema(many=True, required=False, max_length=50)

    def event_category(self, data):
        return data["category"]


class StopSearchSchema(MessageSchema):
    """A stop and search: the person searched, the grounds and anything found."""

    GROUNDS = {"weapon": EventCategory.WEAPON, "knife": EventCategory.KNIFE,
               "drugs": EventCategory.DRUGS, "other": EventCategory.OTHER}
    event_type = EventType.STOP_SEARCH
    person_field = "person"
    person = IdentitySchema()
    grounds = serializers.ChoiceField(list(GROUNDS))
    objects = ObjectSchema(many=True, required=False, max_length=50)

    def event_category(self, data):
        return self.GROUNDS[data["grounds"]]


class MissingEpisodeSchema(MessageSchema):
    """A missing episode: sent when it starts (occurred_at) and again on return (returned_at)."""

    event_type = EventType.MISSING_EPISODE
    person_field = "person"
    default_role = InvolvementRole.MISSING_PERSON
    person = IdentitySchema()
    returned_at = serializers.DateTimeField(required=False, validators=[_not_in_future])

    def event_category(self, data):
        return EventCategory.MISSING

    def validate(self, attrs):
        if attrs.get("returned_at") and attrs["returned_at"] < attrs["occurred_at"]:
            raise serializers.ValidationError({"returned_at": "is before occurred_at"})
        return attrs

    def facts(self, data):
        return {"returned": bool(data.get("returned_at"))}


class EdAssaultSchema(MessageSchema):
    """An ED assault attendance (ISTV minimum data set): anonymised unless it is a referral."""

    METHODS = ["knife_sharp", "blunt_object", "body_part", "firearm", "other", "unknown"]
    LOCATIONS = ["home", "street", "licensed_premises", "school", "park", "transport", "other",
                 "unknown"]
    event_type = EventType.ED_ASSAULT
    person_field = "referral"
    default_role = InvolvementRole.PATIENT
    arrival_at = serializers.DateTimeField(validators=[_not_in_future])
    assault_method = serializers.ChoiceField(METHODS)
    location_type = serializers.ChoiceField(LOCATIONS)
    patient_age = serializers.IntegerField(required=False, min_value=0, max_value=120)
    rapid_response_referral = serializers.BooleanField(default=False)
    referral = IdentitySchema(required=False)

    def validate(self, attrs):
        if attrs.get("referral") and not attrs.get("rapid_response_referral"):
            raise serializers.ValidationError(
                {"referral": "identifiable fields are only accepted on a rapid-response referral"}
            )
        if attrs.get("rapid_response_referral") and not attrs.get("referral"):
            raise serializers.ValidationError({"referral": "is required on a referral"})
        return attrs

    def event_category(self, data):
        knife = data["assault_method"] == "knife_sharp"
        return EventCategory.KNIFE if knife else EventCategory.VIOLENCE

    def event_objects(self, data):
        return [{"kind": ObjectKind.KNIFE}] if data["assault_method"] == "knife_sharp" else []

    def to_draft(self, data):
        draft = super().to_draft(data)
        draft.reported_at = data["arrival_at"]
        return draft

    def facts(self, data):
        return {"age": data.get("patient_age"), "referral": data["rapid_response_referral"]}


class SchoolIncidentSchema(MessageSchema):
    """A school incident: weapon, drugs, exclusion or a serious attendance concern."""

    KINDS = {"weapon": EventCategory.WEAPON, "knife": EventCategory.KNIFE,
             "drugs": EventCategory.DRUGS, "exclusion": EventCategory.EXCLUSION,
             "attendance": EventCategory.ATTENDANCE}
    event_type = EventType.SCHOOL_INCIDENT
    person_field = "pupil"
    default_role = InvolvementRole.PUPIL
    pupil = IdentitySchema()
    school_urn = serializers.CharField(max_length=8)
    incident_kind = serializers.ChoiceField(list(KINDS))

    def event_category(self, data):
        return self.KINDS[data["incident_kind"]]

    def involved(self, data):
        return [{"school_urn": data["school_urn"], **data["pupil"]}]

    def event_objects(self, data):
        kind = data["incident_kind"]
        return [{"kind": kind}] if kind in ("weapon", "knife", "drugs") else []


class ReportSchema(MessageSchema):
    """A housing or licensing report, or a community concern: a category, a place, people."""

    person_field = "people"
    category = serializers.ChoiceField(EventCategory.choices)
    people = IdentitySchema(many=True, required=False, max_length=50)

    def event_category(self, data):
        return data["category"]


class HousingReportSchema(ReportSchema):
    """A housing officer's report: a tenancy, an address used by others, a cuckooing worry."""

    event_type = EventType.HOUSING_REPORT


class LicensingReportSchema(ReportSchema):
    """A licensing officer's report about premises: a late-night venue, a shop, a hotel."""

    event_type = EventType.LICENSING_REPORT


class CommunityConcernSchema(ReportSchema):
    """A concern from the community or a voluntary group, about a place or young people."""

    event_type = EventType.COMMUNITY_CONCERN


SCHEMAS: dict[str, type[MessageSchema] | type[ProviderReportSchema]] = {
    s.event_type: s
    for s in (PoliceIncidentSchema, StopSearchSchema, MissingEpisodeSchema, EdAssaultSchema,
              SchoolIncidentSchema, HousingReportSchema, LicensingReportSchema,
              CommunityConcernSchema)
} | REPORT_SCHEMAS  # programme providers' sessions and outcomes (provider_reports.py)


def _reason(error) -> str:
    """The reason, never echoing the value sent (it may be personal data)."""
    if getattr(error, "code", None) == "invalid_choice":
        return "is not one of the allowed values"
    return str(error)


def has_lone_surrogate(value) -> bool:
    """JSON may escape half a UTF-16 pair (\\ud800): text no database can store."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(has_lone_surrogate(k) or has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_lone_surrogate(v) for v in value)
    return False


def flatten_errors(detail, prefix="") -> list[dict]:
    """DRF's nested error dict as a flat list of {field, reason}."""
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = prefix if key == "non_field_errors" else f"{prefix}.{key}" if prefix else key
            out += flatten_errors(value, name)
        return out
    if isinstance(detail, list) and detail and not isinstance(detail[0], str):
        return [e for i, item in enumerate(detail) for e in flatten_errors(item, f"{prefix}[{i}]")]
    if isinstance(detail, list):
        return [{"field": prefix or "message", "reason": _reason(r)} for r in detail]
    return [{"field": prefix or "message", "reason": str(detail)}]
