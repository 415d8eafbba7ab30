"""Events partners see, with POLE-style involvements of people and objects."""

from django.db import models

from saferoptions.core.models import Agency


class EventType(models.TextChoices):
    POLICE_INCIDENT = "police_incident", "Police incident"
    STOP_SEARCH = "stop_search", "Stop and search"
    MISSING_EPISODE = "missing_episode", "Missing episode"
    ED_ASSAULT = "ed_assault", "Emergency department assault attendance"
    SCHOOL_INCIDENT = "school_incident", "School incident"
    HOUSING_REPORT = "housing_report", "Housing report"
    LICENSING_REPORT = "licensing_report", "Licensing report"
    COMMUNITY_CONCERN = "community_concern", "Community concern"


class EventCategory(models.TextChoices):
    VIOLENCE = "violence", "Violence"
    WEAPON = "weapon", "Weapon"
    KNIFE = "knife", "Knife or sharp object"
    DRUGS = "drugs", "Drugs"
    EXPLOITATION = "exploitation", "Exploitation concern"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation concern"
    MISSING = "missing", "Missing"
    EXCLUSION = "exclusion", "Exclusion"
    ATTENDANCE = "attendance", "Serious attendance concern"
    ANTISOCIAL = "antisocial", "Anti-social behaviour"
    PREMISES = "premises", "Premises concern"
    OTHER = "other", "Other"


def kind_words(event_type: str, category: str) -> str:
    """'Police incident (Violence)': the type, then the category, except where the category only
    repeats the type (a missing episode's category is Missing), which read 'Missing episode
    (Missing)' on every record."""
    if category.lower() in event_type.lower():
        return event_type
    return f"{event_type} ({category})"


class Event(models.Model):
    """Something a partner saw: what, when, where and who reported it."""

    event_type = models.CharField(max_length=24, choices=EventType.choices)
    category = models.CharField(max_length=24, choices=EventCategory.choices)
    occurred_at = models.DateTimeField()
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="For a missing episode, when the child returned."
    )
    reported_at = models.DateTimeField()
    reporting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="events")
    source_reference = models.CharField(max_length=64, help_text="The agency's own reference.")
    place = models.ForeignKey(
        "contexts.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    location_description = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    # Kept by EventObject as its objects are written: the knife rule (a knife category or a
    # knife among the objects) is then two indexed conditions, where reading the objects
    # meant visiting every event of the period (225,000 for 12 weeks at 100,000 children)
    # to keep the 12,600 knife incidents.
    knife_among_objects = models.BooleanField(
        default=False, editable=False,
        help_text="A knife or bladed article is among the event's objects.")

    class Meta:
        indexes = [
            models.Index(fields=["occurred_at"], condition=models.Q(knife_among_objects=True),
                         name="events_knife_object_idx"),
            models.Index(fields=["event_type", "occurred_at"]),
            models.Index(fields=["occurred_at"]),
            # The dashboards' events of some categories in a period (exploitation): without
            # it every event of the period was visited (225,000 for 12 weeks at 100,000
            # children) to keep 6,000.
            models.Index(fields=["category", "occurred_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_agency", "source_reference"], name="event_unique_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} {self.source_reference}"

    @property
    def kind(self) -> str:
        """What happened in partners' words: the type and, where it adds something, the category."""
        return kind_words(self.get_event_type_display(), self.get_category_display())


class InvolvementRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    SUSPECT = "suspect", "Suspect"
    WITNESS = "witness", "Witness"
    MISSING_PERSON = "missing_person", "Missing person"
    SUBJECT = "subject", "Subject"
    PATIENT = "patient", "Patient"
    PUPIL = "pupil", "Pupil"
    ASSOCIATE = "associate", "Associate"
    REPORTER = "reporter", "Reporter"


class Involvement(models.Model):
    """A person's part in an event, as the reporting agency recorded them (their identity)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="involvements")
    identity = models.ForeignKey(
        "people.Identity", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
        help_text="Set once the identity is matched to a person.",
    )
    role = models.CharField(max_length=16, choices=InvolvementRole.choices)

    def __str__(self) -> str:
        return f"{self.get_role_display()} in event {self.event_id}"


class ObjectKind(models.TextChoices):
    WEAPON = "weapon", "Weapon"
    KNIFE = "knife", "Knife or bladed article"
    VEHICLE = "vehicle", "Vehicle"
    PHONE = "phone", "Phone"
    DRUGS = "drugs", "Drugs"
    MONEY = "money", "Money"
    OTHER = "other", "Other"


# Kinds of object that make an event a knife incident, whatever its category.
KNIFE_KINDS = (ObjectKind.KNIFE,)


def mark_knives(event_ids) -> None:
    """Flag the events that now hold a knife (Event.knife_among_objects)."""
    ids = list(event_ids)
    if ids:
        Event.objects.filter(pk__in=ids, knife_among_objects=False).update(
            knife_among_objects=True)


class EventObjectQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        mark_knives({o.event_id for o in created if o.kind in KNIFE_KINDS})
        return created


class EventObject(models.Model):
    """An object in an event (POLE's O): a weapon, vehicle, phone, drugs..."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="pole_objects")
    kind = models.CharField(max_length=12, choices=ObjectKind.choices)
    description = models.CharField(max_length=200, blank=True)

    objects = EventObjectQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in event {self.event_id}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.kind in KNIFE_KINDS:
            mark_knives([self.event_id])
