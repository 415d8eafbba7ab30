"""Contexts where harm happens: places, schools and peer groups."""

import datetime as dt

import h3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from saferoptions.core import clock
from saferoptions.core.models import Locality, Ward


class PlaceType(models.TextChoices):
    PARK = "park", "Park or open space"
    TRANSPORT_HUB = "transport_hub", "Transport hub"
    SHOP = "shop", "Shop"
    TAKEAWAY = "takeaway", "Takeaway"
    LICENSED_PREMISES = "licensed_premises", "Licensed premises"
    ESTATE = "estate", "Housing estate"
    SCHOOL = "school", "School"
    STREET = "street", "Street or underpass"
    YOUTH_CLUB = "youth_club", "Youth club or community centre"
    OTHER = "other", "Other"


class PlaceStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Known place"
    PROPOSED = "proposed", "Described by a referrer, awaiting the Hub's confirmation"


class ConfirmedPlaces(models.Manager):
    """Only the places the Hub knows. A described place has no point on the map yet, so every
    list, map and matcher leaves it out; a case's own place is still read (Django follows a
    foreign key through the base manager, which filters nothing)."""

    def get_queryset(self):
        return super().get_queryset().filter(status=PlaceStatus.CONFIRMED)


class Place(models.Model):
    """A named location where things happen, placed on the H3 grid for hot-spot work.

    A place described by a referrer ("not listed") is kept as a proposed place, with what they
    said about it and no coordinates, until the Hub confirms it on the locations page.
    """

    name = models.CharField(max_length=160)
    place_type = models.CharField(max_length=24, choices=PlaceType.choices)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="places", null=True,
                             blank=True)
    h3_cell = models.CharField(max_length=16, db_index=True, editable=False, blank=True)
    status = models.CharField(max_length=10, choices=PlaceStatus.choices,
                              default=PlaceStatus.CONFIRMED, db_index=True)
    street_or_landmark = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    proposed_at = models.DateTimeField(null=True, blank=True)

    with_proposed = models.Manager()
    objects = ConfirmedPlaces()

    class Meta:
        ordering = ["name"]
        default_manager_name = "objects"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        located = self.latitude is not None and self.longitude is not None
        self.h3_cell = (h3.latlng_to_cell(self.latitude, self.longitude, settings.H3_RESOLUTION)
                        if located else "")
        super().save(*args, **kwargs)

    def clean(self):
        """Admin edits get the same refusal as the services: a place must be in the city."""
        box = settings.CONTEXTS_CITY_BOX
        errors = {}
        if self.latitude is not None and not box["min_lat"] <= self.latitude <= box["max_lat"]:
            errors["latitude"] = f"must be between {box['min_lat']} and {box['max_lat']}"
        if self.longitude is not None and not box["min_lng"] <= self.longitude <= box["max_lng"]:
            errors["longitude"] = f"must be between {box['min_lng']} and {box['max_lng']}"
        if errors:
            raise ValidationError(errors)

    @property
    def is_proposed(self) -> bool:
        return self.status == PlaceStatus.PROPOSED


class PlaceAlias(models.Model):
    """Another name people use for a place ("Maccies", "the bus station underpass")."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "name"], name="alias_once")]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school, which is a context in its own right and a place on the map."""

    name = models.CharField(max_length=160, unique=True)
    urn = models.CharField(max_length=8, unique=True, help_text="Unique reference number.")
    phase = models.CharField(max_length=20, default="secondary")
    place = models.OneToOneField(Place, on_delete=models.PROTECT, related_name="school")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A peer group, worked with as a context in its own right."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="groups"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """A person's place in a peer group, with where that knowledge came from and when."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="groups")
    source = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="group_member_once")
        ]

    def __str__(self) -> str:
        return f"group membership {self.pk}"


# --- context cases --------------------------------------------------------------------------

class ContextKind(models.TextChoices):
    PLACE = "place", "Place"
    GROUP = "group", "Peer group"
    SCHOOL = "school", "School"


class CaseStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ASSESSING = "assessing", "Being assessed"
    PLAN = "plan", "Plan in place"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    HARM_REDUCED = "harm_reduced", "Harm reduced: the context is safer"
    PLAN_COMPLETE = "plan_complete", "Plan completed"
    NO_FURTHER_CONCERN = "no_further_concern", "No further concern after assessment"
    TRANSFERRED = "transferred", "Transferred to another partnership or team"
    OTHER = "other", "Other"


class ContextCase(models.Model):
    """A case on a place, a peer group or a school: worked with as a context in its own right."""

    kind = models.CharField(max_length=8, choices=ContextKind.choices)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="cases")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="cases")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="cases")
    status = models.CharField(max_length=10, choices=CaseStatus.choices,
                              default=CaseStatus.REFERRED)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    referral_reason = models.TextField()
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(blank=True)
    seen_on = models.DateField(null=True, blank=True,
                               help_text="When the referrer saw what worried them.")
    # Every change adds one; a form carries the version it was read at, so two people editing
    # at once cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)
    # A referral made by mistake is withdrawn, never deleted: the case closes and stays on the
    # record with who withdrew it and why.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                name="context_case_one_subject",
                condition=(
                    models.Q(kind="place", place__isnull=False, group__isnull=True,
                             school__isnull=True)
                    | models.Q(kind="group", group__isnull=False, place__isnull=True,
                               school__isnull=True)
                    | models.Q(kind="school", school__isnull=False, place__isnull=True,
                               group__isnull=True)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Context case {self.pk}"

    @property
    def subject(self):
        return self.place or self.group or self.school

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CorrectedRecord(models.TextChoices):
    REFERRAL = "referral", "Referral"
    ASSESSMENT = "assessment", "Assessment"
    INTERVENTION = "intervention", "Intervention"
    REVIEW = "review", "Review"


class ContextCorrection(models.Model):
    """One correction of something recorded on a context case: what it said before and after,
    who put it right, when and why. The record itself carries the corrected words; this row
    keeps the earlier ones, so a correction is never a silent rewrite."""

    case = models.ForeignKey("ContextCase", on_delete=models.CASCADE, related_name="corrections")
    record = models.CharField(max_length=16, choices=CorrectedRecord.choices)
    record_id = models.PositiveBigIntegerField()
    # [{"what": label, "old": text, "new": text, "date": bool}], dates as ISO text.
    changes = models.JSONField(default=list)
    reason = models.TextField()
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    corrected_at = models.DateTimeField()

    class Meta:
        ordering = ["corrected_at", "pk"]

    def __str__(self) -> str:
        return f"context correction {self.pk}"

    @property
    def shown(self) -> list[dict]:
        """The changes with dates as dates, for the page's own date filter."""
        return [{**change, **({"old": _as_date(change["old"]), "new": _as_date(change["new"])}
                              if change.get("date") else {})} for change in self.changes]


def _as_date(text):
    return dt.date.fromisoformat(text) if text else None


class ContextAssessment(models.Model):
    """The assessment of a context against the toolkit's prompts for its kind."""

    case = models.ForeignKey(ContextCase, on_delete=models.CASCADE, related_name="assessments")
    answers = models.JSONField(default=dict, help_text="Prompt key -> what was found.")
    summary = models.TextField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        return f"context assessment {self.pk}"


class InterventionKind(models.TextChoices):
    """What a plan row is. Programmes (the first two) come from the catalogue now, brokered
    through find support; they stay valid here for the rows brokering writes and for older
    rows, but the plan's own form no longer offers them (`PROGRAMME_KINDS`)."""

    DETACHED_YOUTH_WORK = "detached_youth_work", "Detached youth work"
    LATE_NIGHT_OUTREACH = "late_night_outreach", "Late-night outreach"
    LICENSING_ACTION = "licensing_action", "Licensing action"
    ENVIRONMENTAL_CHANGE = "environmental_change", "Environmental change (lighting, design)"
    SCHOOL_SESSIONS = "school_sessions", "School sessions"
    DISRUPTION = "disruption", "Disruption of adults who exploit"
    OTHER = "other", "Other"


PROGRAMME_KINDS = frozenset({InterventionKind.DETACHED_YOUTH_WORK,
                             InterventionKind.LATE_NIGHT_OUTREACH})


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ContextIntervention(models.Model):
    """One action in a context plan: what, who owns it, by when, and how it stands."""

    case = models.ForeignKey(ContextCase, on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(max_length=24, choices=InterventionKind.choices)
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="context_interventions")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=InterventionStatus.choices,
                              default=InterventionStatus.PLANNED)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"context intervention {self.pk}"


class ContextReview(models.Model):
    """A review of a context case: progress, and when it is next looked at."""

    case = models.ForeignKey(ContextCase, on_delete=models.CASCADE, related_name="reviews")
    summary = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"context review {self.pk}"


class SuggestionStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed as a group"
    DISCARDED = "discarded", "Discarded"


class SuggestedGroup(models.Model):
    """A community found in the records by Leiden: never a group until an analyst confirms it."""

    run_at = models.DateTimeField(db_index=True)
    number = models.PositiveIntegerField()
    members = models.JSONField(help_text="Person ids (never shown to a viewer who may not see).")
    density = models.FloatField()
    internal_share = models.FloatField()
    connectors = models.JSONField(default=list, help_text="Person ids holding the group "
                                                          "together, most central first.")
    method = models.JSONField()
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices,
                              default=SuggestionStatus.SUGGESTED)
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")

    class Meta:
        ordering = ["-run_at", "number"]

    def __str__(self) -> str:
        return f"suggested group {self.pk}"
