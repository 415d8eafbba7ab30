"""The partnership itself: localities, wards, agencies, teams and the people who work in them."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Locality(models.Model):
    """One of the city's localities, each with its own weekly multi-agency meeting."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """An electoral ward; places and addresses fall in one, and it falls in one locality."""

    name = models.CharField(max_length=80, unique=True)
    code = models.CharField(max_length=12, unique=True)
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="wards")
    latitude = models.FloatField(help_text="Approximate centre of the ward.")
    longitude = models.FloatField(help_text="Approximate centre of the ward.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PostcodeDistrict(models.Model):
    """A postcode district (outward code, e.g. BS5) and the locality whose teams serve it.

    A district can straddle two localities; the partnership decides which serves it here.
    """

    outward_code = models.CharField(max_length=4, unique=True)
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["outward_code"]

    def __str__(self) -> str:
        return self.outward_code


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    SOCIAL_CARE = "social_care", "Children's social care"
    EARLY_HELP = "early_help", "Early help"
    EDUCATION = "education", "Schools and education inclusion"
    HOSPITAL_ED = "hospital_ed", "Hospital emergency department"
    HEALTH = "health", "Other health"
    HOUSING = "housing", "Housing"
    LICENSING = "licensing", "Licensing"
    COMMUNITY_SAFETY = "community_safety", "Community safety"
    YOUTH_SERVICES = "youth_services", "Youth services"
    BUSINESS = "business", "Businesses (shops, takeaways, taxis, hotels)"
    BARNARDOS = "barnardos", "Barnardo's"
    VOLUNTARY = "voluntary", "Other voluntary sector"
    COMMUNITY = "community", "Community members"


class Agency(models.Model):
    """A partner organisation that holds records, sends events or does work."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=24, choices=AgencyKind.choices)
    is_statutory = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team inside an agency, optionally serving one locality (null: city-wide)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )

    class Meta:
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """What a person does in the partnership; the access policy reads it."""

    HUB_PRACTITIONER = "hub_practitioner", "Safer Options Hub practitioner"
    SOCIAL_WORKER = "social_worker", "Social worker"
    EARLY_HELP_WORKER = "early_help_worker", "Early help worker"
    LEAD_WORKER = "lead_worker", "Lead worker"
    CLINICAL_PSYCHOLOGIST = "clinical_psychologist", "Clinical psychologist"
    POLICE_OFFICER = "police_officer", "Police officer"
    EDUCATION_INCLUSION_MANAGER = "education_inclusion_manager", "Education Inclusion Manager"
    HEALTH_PRACTITIONER = "health_practitioner", "Hospital or health practitioner"
    HOUSING_OFFICER = "housing_officer", "Housing officer"
    LICENSING_OFFICER = "licensing_officer", "Licensing officer"
    COMMUNITY_MEMBER = "community_member", "Community member"
    LOCALITY_CHAIR = "locality_chair", "Locality meeting chair"
    TEAM_MANAGER = "team_manager", "Team manager"
    STRATEGIC_LEAD = "strategic_lead", "Strategic lead"
    ANALYST = "analyst", "Analyst"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data protection officer"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
    CATALOGUE_MANAGER = "catalogue_manager", "Interventions catalogue manager"


class User(AbstractUser):
    """A person who signs in: their role, agency, team and locality drive what they may see."""

    role = models.CharField(max_length=40, choices=Role.choices, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RateCount(models.Model):
    """How many requests one caller made in one fixed window of a rate limit (core/rates.py).

    One small row per caller and window, bumped by a single upsert, so every web process counts
    the same requests and two at once cannot both slip under the limit."""

    caller = models.CharField(max_length=200)
    period = models.BigIntegerField(help_text="the window's number: seconds since 1970 // length")
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(help_text="seconds since 1970 after which it is dropped")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["caller", "period"],
                                               name="one_count_per_caller_and_window")]
        indexes = [models.Index(fields=["expires_at"], name="rate_count_expiry")]

    def __str__(self):
        return f"{self.caller} in window {self.period}: {self.hits}"
