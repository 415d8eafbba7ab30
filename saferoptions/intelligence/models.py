"""Intelligence: what partners and the public tell the partnership, graded 3x5x2 by the Hub.

The original (`IntelligenceReport`, its POLE entities and additions) is kept as it was told and
is read only by the analysts who grade it (the access policy's intelligence rule). What is
shared onward is the `SanitisedIntelligence` the analyst writes: it holds only the fields the
analyst chose to keep, and never who raised it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from saferoptions.core import clock


class Channel(models.TextChoices):
    PARTNER = "partner", "A partner organisation"
    COMMUNITY = "community", "A member of the public (community page)"
    COMMUNITY_MEETING = "community_meeting", "Notes from a community meeting"


class Status(models.TextChoices):
    """What the person who raised it is told (the referrer hears back)."""

    RECEIVED = "received", "Received"
    BEING_LOOKED_AT = "being_looked_at", "Being looked at"
    ACTED_ON = "acted_on", "Acted on"


class SourceEvaluation(models.TextChoices):
    """3x5x2: how far the source can be relied on."""

    RELIABLE = "1", "1 – Reliable"
    UNTESTED = "2", "2 – Untested"
    NOT_RELIABLE = "3", "3 – Not reliable"


class IntelligenceAssessment(models.TextChoices):
    """3x5x2: how the information itself is judged."""

    A = "A", "A – Known to be true without reservation"
    B = "B", "B – Known personally to the source, not to the officer"
    C = "C", "C – Not known personally to the source, corroborated"
    D = "D", "D – Cannot be judged"
    E = "E", "E – Suspected to be false or malicious"


class HandlingCode(models.TextChoices):
    """3x5x2: P may be shared under the partnership's agreements; C only as its conditions say."""

    P = "P", "P – Lawful sharing permitted"
    C = "C", "C – Lawful sharing permitted with conditions"


class EntityKind(models.TextChoices):
    PERSON = "person", "Person"
    OBJECT = "object", "Object (vehicle, phone, other)"
    LOCATION = "location", "Location"
    EVENT = "event", "Event"


class ObjectKind(models.TextChoices):
    VEHICLE = "vehicle", "Vehicle"
    PHONE = "phone", "Phone"
    OTHER = "other", "Other"


class IntelligenceReport(models.Model):
    """The original: what someone told the partnership, as told, with its current grading."""

    reference = models.CharField(max_length=16, unique=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    submitter_agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+")
    reporter_contact = models.CharField(max_length=300, blank=True,
                                        help_text="Given only if the reporter chose to.")
    account = models.TextField(help_text="What was seen or heard, in the reporter's words.")
    place = models.ForeignKey("contexts.Place", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    place_not_listed = models.CharField(max_length=300, blank=True)
    when_seen = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(default=clock.now, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    message_to_referrer = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The current grading (the history is `Grading`); blank until graded. Kept here so the
    # access policy can decide in SQL.
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices,
                                         blank=True)
    intelligence_assessment = models.CharField(max_length=1,
                                               choices=IntelligenceAssessment.choices, blank=True)
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices, blank=True)
    grading_agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+")
    shared_with = models.ManyToManyField("core.Agency", blank=True, related_name="+",
                                         help_text="Handling code C: the agencies it may go to.")

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def grade(self) -> str:
        if not self.handling_code:
            return ""
        return f"{self.source_evaluation}{self.intelligence_assessment}{self.handling_code}"


class PoleEntity(models.Model):
    """One person, object, location or event the report names, in structured fields."""

    report = models.ForeignKey(IntelligenceReport, on_delete=models.CASCADE,
                               related_name="entities")
    kind = models.CharField(max_length=10, choices=EntityKind.choices)
    object_kind = models.CharField(max_length=10, choices=ObjectKind.choices, blank=True)
    name = models.CharField(max_length=200, blank=True, help_text="Name or nickname, if known.")
    identifier = models.CharField(max_length=100, blank=True,
                                  help_text="Registration, phone number or other identifier.")
    description = models.CharField(max_length=1000, blank=True)
    # A person's details beside the name, for the linkage matcher to find who it may be. Never
    # copied to the version to share.
    date_of_birth = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in report {self.report_id}"



class Addition(models.Model):
    """More information added later under the report's reference."""

    report = models.ForeignKey(IntelligenceReport, on_delete=models.CASCADE,
                               related_name="additions")
    text = models.TextField()
    added_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"Addition {self.pk} to report {self.report_id}"



class Grading(models.Model):
    """One version of an analyst's 3x5x2 grading; the latest is copied onto the report."""

    report = models.ForeignKey(IntelligenceReport, on_delete=models.PROTECT,
                               related_name="gradings")
    version = models.PositiveIntegerField()
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices)
    intelligence_assessment = models.CharField(max_length=1,
                                               choices=IntelligenceAssessment.choices)
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices)
    handling_conditions = models.TextField(blank=True)
    shared_with = models.ManyToManyField("core.Agency", blank=True, related_name="+")
    source_risk = models.TextField(help_text="Risk to the source if they were identified.")
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    graded_at = models.DateTimeField(default=clock.now, editable=False)
    # Set when this version lets the item go further than the one before (C to P, or more
    # agencies); the data protection officer sees every one.
    is_loosening = models.BooleanField(default=False)
    loosening_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "version"]
        constraints = [models.UniqueConstraint(fields=["report", "version"],
                                               name="intelligence_one_grading_per_version")]

    def __str__(self) -> str:
        return f"Grading {self.version} of report {self.report_id}"



class SanitisedIntelligence(models.Model):
    """The version written for wider sharing: only the fields the analyst kept, no source."""

    original = models.OneToOneField(IntelligenceReport, on_delete=models.PROTECT,
                                    related_name="sanitised")
    summary = models.TextField()
    place = models.ForeignKey("contexts.Place", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    when_seen = models.CharField(max_length=200, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    written_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"Sanitised version of report {self.original_id}"



class SanitisedEntity(models.Model):
    """A POLE entity as shared: a copy of only the fields the analyst kept."""

    sanitised = models.ForeignKey(SanitisedIntelligence, on_delete=models.CASCADE,
                                  related_name="entities")
    kind = models.CharField(max_length=10, choices=EntityKind.choices)
    object_kind = models.CharField(max_length=10, choices=ObjectKind.choices, blank=True)
    name = models.CharField(max_length=200, blank=True)
    identifier = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in sanitised {self.sanitised_id}"



def _exactly_one(*fields: str) -> Q:
    """Exactly one of `fields` is set."""
    one = [Q(**{f"{f}__isnull": f != chosen for f in fields}) for chosen in fields]
    found = one[0]
    for q in one[1:]:
        found |= q
    return found


class LinkQuerySet(models.QuerySet):
    def live(self):
        """Links in force: one unlinked (made in error) stays on file but ties nothing."""
        return self.filter(unlinked_at__isnull=True)


class IntelligenceLink(models.Model):
    """A graded report tied to one person, place, group or partner event it is about (an event
    it corroborates, e.g. a police incident). A link made in error is unlinked with a reason,
    never deleted: it stays on the report for the analysts, and ties nothing any more."""

    report = models.ForeignKey(IntelligenceReport, on_delete=models.CASCADE,
                               related_name="links")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    place = models.ForeignKey("contexts.Place", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+")
    group = models.ForeignKey("contexts.Group", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    linked_at = models.DateTimeField(default=clock.now, editable=False)
    unlinked_at = models.DateTimeField(null=True, blank=True)
    unlinked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    unlink_reason = models.TextField(blank=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="intelligence_link_exactly_one_subject",
                condition=_exactly_one("person", "place", "group", "event")),
        ]

    def __str__(self) -> str:
        return f"Link {self.pk} of report {self.report_id}"



from .encoded_models import (  # noqa: E402, F401 - its own module
    EncodedCheck,
    EncodedMatch,
    EncodedWorry,
)
