"""People: one `Person` per real human, and each agency's own `Identity` record of them."""

import uuid

from django.db import models

from saferoptions.core import clock
from saferoptions.core.models import Agency, Locality


class PersonKind(models.TextChoices):
    CHILD = "child", "Child (under 18)"
    YOUNG_ADULT = "young_adult", "Young adult (18-24)"
    ADULT_OF_CONCERN = "adult_of_concern", "Adult of concern"


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not known"


class Ethnicity(models.TextChoices):
    """Ethnic group as agencies record it: the 19 groups of the ONS 2021 census (England and
    Wales), and "not recorded" where the agency holds none (the child was not asked, or did not
    say). The part of the value before its first underscore names the broad group."""

    NOT_RECORDED = "not_recorded", "Not recorded"
    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian: Other Asian"
    BLACK_AFRICAN = "black_african", "Black: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black: Caribbean"
    BLACK_OTHER = "black_other", "Black: Other Black"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed: White and Black African"
    MIXED_WHITE_BLACK_CARIBBEAN = ("mixed_white_black_caribbean",
                                   "Mixed: White and Black Caribbean")
    MIXED_OTHER = "mixed_other", "Mixed: Other Mixed or Multiple"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: Other White"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: Any other"


# The census's five broad groups, which the dashboards count by (the 19 would be mostly
# suppressed), and "not recorded".
BROAD_ETHNIC_GROUPS = {
    "asian": "Asian, Asian British or Asian Welsh",
    "black": "Black, Black British, Black Welsh, Caribbean or African",
    "mixed": "Mixed or Multiple ethnic groups",
    "white": "White",
    "other": "Other ethnic group",
    "not": "Not recorded",
}


def broad_group(ethnicity: str) -> str:
    """The broad group key of an `Ethnicity` value ("not" for not recorded or empty)."""
    head = (ethnicity or "not").split("_", 1)[0]
    return head if head in BROAD_ETHNIC_GROUPS else "not"


class Person(models.Model):
    """One real human, however many agencies hold a record of them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=PersonKind.choices, default=PersonKind.CHILD)
    # The names and date of birth the partnership knows the person by, taken from identities.
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    # The locality whose Hub and weekly meeting look after the person; the access policy reads it.
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set by the Hub for a person no address places (see `localities.place_person`); an
    # address recorded later places them again.
    locality_by_hand = models.BooleanField(default=False)
    locality_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    # Merges are reversible: the absorbed person stays, pointing at the survivor.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )

    class Meta:
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self) -> str:
        return f"Person {self.pk}"

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip() or "(name not known)"


class Identity(models.Model):
    """What one agency's system says about a person: its own id and its own version of the facts."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="identities"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="identities")
    source_id = models.CharField(max_length=64, help_text="The agency's own record id.")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    # As this agency recorded it; the person's is the most recently recorded of their
    # identities' (`people.ethnicity`), never a guess.
    ethnicity = models.CharField(max_length=32, choices=Ethnicity.choices,
                                 default=Ethnicity.NOT_RECORDED)
    ethnicity_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    address = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    school = models.ForeignKey(
        "contexts.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now, editable=False)
    # When the agency last told us a different address (empty: as first recorded); the most
    # recent address across a person's identities decides their locality.
    address_recorded_at = models.DateTimeField("address last changed", null=True, blank=True,
                                               editable=False)

    class Meta:
        verbose_name_plural = "identities"
        indexes = [models.Index(fields=["person", "ethnicity_recorded_at"],
                                name="identity_ethnicity_latest")]
        constraints = [
            models.UniqueConstraint(fields=["agency", "source_id"], name="identity_unique_source")
        ]

    def __str__(self) -> str:
        return f"{self.agency.slug}:{self.source_id}"


class RelationshipKind(models.TextChoices):
    FAMILY = "family", "Family"
    ASSOCIATE = "associate", "Associate"
    PEER = "peer", "Peer"


class Relationship(models.Model):
    """A known tie between two people, as one agency recorded it between its own records.

    Agencies record ties between their own identity records; the person fields are filled
    when both identities are linked to people, so a tie survives merges and re-linking.
    """

    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="+")
    other_identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="relationships"
    )
    other = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=RelationshipKind.choices)
    detail = models.CharField(max_length=60, blank=True, help_text="e.g. sibling, parent, cousin")
    source = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(identity=models.F("other_identity")),
                name="relationship_not_self",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} tie recorded by {self.source_id}"
