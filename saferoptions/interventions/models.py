"""The catalogue of programmes, who each is for, its places, and referrals of children to them."""

import uuid

from django.conf import settings
from django.db import models

from saferoptions.cases.models.withdrawal import Withdrawable
from saferoptions.core import clock

from .vocabulary import (
    Consent,
    EndReason,
    Level,
    Measure,
    Need,
    OutreachStatus,
    PlacementEnd,
    ReferralStatus,
    Respondent,
    RiskLevel,
    RouteIn,
    Training,
    WorksWith,
    every_measure,
)

SEX_WORDS = {"F": "girls and young women", "M": "boys and young men"}


class Programme(models.Model):
    """One programme in the catalogue, with who it is for stored as data (see eligibility.py)."""

    name = models.CharField(max_length=120, unique=True)
    level = models.CharField(max_length=16, choices=Level.choices)
    offers = models.TextField(help_text="What the programme offers, in plain words.")
    works_with = models.CharField(max_length=8, choices=WorksWith.choices,
                                  default=WorksWith.CHILD)
    takes_referrals = models.BooleanField(default=True)
    min_months = models.PositiveSmallIntegerField(null=True, blank=True)
    max_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # Who it is for: an empty list (or no age) means the programme does not limit on it.
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    sexes = models.JSONField(default=list, blank=True)
    risk_levels = models.JSONField(default=list, blank=True)
    needs = models.JSONField(default=list, blank=True, help_text="Any one of these needs.")
    routes_in = models.JSONField(default=list, blank=True)
    includes_siblings = models.BooleanField(
        default=False, help_text="Siblings of children at the risk levels above may be referred.")
    parent_consent_always = models.BooleanField(
        default=False, help_text="A parent's consent is needed whatever the child's age.")
    outcome_measures = models.JSONField(
        default=every_measure, blank=True,
        help_text="What is counted in the 90 days before the start and after the end.")
    is_active = models.BooleanField(default=True)
    # Group and place work is delivered by trained people: brokering it suggests those on the
    # workforce register with this training current, and outreach sessions are staffed by them.
    trained_in = models.CharField(max_length=32, choices=Training.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def measure_labels(self) -> list[str]:
        labels = dict(Measure.choices)
        return [labels[m] for m in self.outcome_measures if m in labels]

    @property
    def who_for(self) -> list[str]:
        """The rules in plain words, for the catalogue pages."""
        words = []
        if self.sexes:
            words.append("For " + " and ".join(SEX_WORDS.get(s, s) for s in self.sexes))
        if self.risk_levels:
            levels = " or ".join(dict(RiskLevel.choices)[r].lower() for r in self.risk_levels)
            words.append(f"Recorded risk: {levels}"
                         + (", and their siblings" if self.includes_siblings else ""))
        if self.needs:
            words.append("Needs (any one): " + ", ".join(
                dict(Need.choices)[n].lower() for n in self.needs))
        if self.routes_in:
            words.append("Routes in: " + ", ".join(
                dict(RouteIn.choices)[r].lower() for r in self.routes_in))
        return words


class ProgrammeProvider(models.Model):
    """An agency's team that delivers a programme; referrals are sent to it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="providers")
    team = models.ForeignKey("core.Team", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "team"],
                                               name="one_provider_row_per_team")]
        ordering = ["team__name"]

    def __str__(self) -> str:
        return f"{self.team} for {self.programme}"


class ProgrammeArea(models.Model):
    """Where a programme is offered (no locality: the whole city) and its places each month."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="areas")
    locality = models.ForeignKey("core.Locality", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    monthly_places = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "locality"], name="one_area_per_locality"),
            models.UniqueConstraint(fields=["programme"], condition=models.Q(locality=None),
                                    name="one_city_wide_area"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} in {self.locality or 'the whole city'}"


class CapacityMonth(models.Model):
    """Places in one area for one calendar month: the row locked when a place is taken."""

    area = models.ForeignKey(ProgrammeArea, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(help_text="The first day of the month.")
    places = models.PositiveIntegerField()
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "month"], name="one_row_per_month"),
                       models.CheckConstraint(condition=models.Q(taken__lte=models.F("places")),
                                              name="taken_within_places")]

    def __str__(self) -> str:
        return f"{self.area} {self.month:%B %Y}"

    @property
    def free(self) -> int:
        return self.places - self.taken


class RiskJudgement(models.Model):
    """The practitioner's recorded risk level and needs for a child (the latest one counts)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="risk_judgements")
    level = models.CharField(max_length=8, choices=RiskLevel.choices)
    needs = models.JSONField(default=list, blank=True)
    plan = models.ForeignKey("cases.Plan", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    assessment = models.ForeignKey("cases.Assessment", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [models.Index(fields=["person", "-recorded_at"])]

    def __str__(self) -> str:
        return f"risk judgement {self.pk}"


class Referral(models.Model):
    """A child referred to a programme's provider: consent, place or wait, and what happened."""

    # The reference the provider quotes when it reports through the partner API or a file:
    # random, so a provider cannot guess another provider's referrals from its own.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="intervention_referrals")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="referrals")
    team = models.ForeignKey("core.Team", on_delete=models.PROTECT, related_name="+",
                             help_text="The provider's team the referral is sent to.")
    area = models.ForeignKey(ProgrammeArea, on_delete=models.PROTECT, related_name="referrals")
    route_in = models.CharField(max_length=24, choices=RouteIn.choices, default=RouteIn.DIRECT)
    status = models.CharField(max_length=10, choices=ReferralStatus.choices)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    referred_at = models.DateTimeField(default=clock.now)
    reason = models.TextField(help_text="Why this programme, for this child, now.")
    # Consent: the young person's, and a parent's when under 16 or the programme asks.
    young_person_consent = models.CharField(max_length=10, choices=Consent.choices)
    parent_consent = models.CharField(max_length=10, choices=Consent.choices, blank=True)
    parent_consent_needed = models.BooleanField(default=False)
    without_consent_reason = models.TextField(blank=True)
    ineligible_reason = models.TextField(blank=True)
    failed_rules = models.JSONField(default=list, blank=True)
    # The place: the month it counts against, while it holds one.
    place_month = models.DateField(null=True, blank=True)
    holds_place = models.BooleanField(default=False)
    place_given_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decline_reason = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["person", "team", "status"]),
            models.Index(fields=["area", "status", "referred_at"]),
            models.Index(fields=["team", "status"]),
            # The waiting lists alone (a twentieth of a year's referrals): find support counts
            # every area's list; PostgreSQL otherwise reads every referral to find them.
            models.Index(fields=["area", "referred_at"], condition=models.Q(status="waiting"),
                         name="referral_waiting_list"),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}"

    @property
    def without_consent(self) -> bool:
        return bool(self.without_consent_reason)


class Session(models.Model):
    """One session the provider held (or offered) with the young person."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    attended = models.BooleanField()
    note = models.CharField(max_length=500, blank=True)
    # None when the provider's system reported it (partner API or file; the audit row says so).
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)
    # The provider's own reference for a reported session: the same reference again corrects it.
    source_reference = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["referral", "source_reference"], condition=~models.Q(source_reference=""),
            name="session_once_per_reference")]

    def __str__(self) -> str:
        return f"session {self.pk}"


class Rating(models.Model):
    """How helpful the work was (1-5) and in whose words: the worker's, the young person's, a
    parent's. The young person and parent give theirs through a one-time link, no account."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="ratings")
    respondent = models.CharField(max_length=12, choices=Respondent.choices)
    rating = models.PositiveSmallIntegerField()
    words = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5),
                                              name="rating_one_to_five")]

    def __str__(self) -> str:
        return f"rating {self.pk}"


class FeedbackLink(models.Model):
    """A one-time link for the young person or a parent: only a hash of its secret is kept."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE,
                                 related_name="feedback_links")
    respondent = models.CharField(max_length=12, choices=Respondent.choices)
    secret_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"feedback link {self.pk}"


class CaseFormulation(models.Model):
    """One version of the clinical psychologist's multi-agency case formulation for a child.

    A correction is a new version (the old ones are kept); the highest version is current.
    It is a case record of the writer's agency (`access.categories.CASE_RECORD_CATEGORIES`),
    read only through `policy.record_rows`, and only for direct work (docs/interventions.md).
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="case_formulations")
    version = models.PositiveIntegerField()
    predisposing = models.TextField(help_text="What made the child vulnerable.")
    precipitating = models.TextField(help_text="What set the present harm off.")
    perpetuating = models.TextField(help_text="What keeps it going.")
    protective = models.TextField(help_text="What protects the child and can be built on.")
    hypotheses = models.TextField()
    recommendations = models.TextField()
    contributors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+",
                                          help_text="Members of the team who contributed.")
    other_contributors = models.TextField(
        blank=True, help_text="Others who contributed, e.g. the young person, a parent.")
    correction_reason = models.TextField(blank=True,
                                         help_text="Why a new version, after the first.")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    written_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["person", "version"],
                                               name="one_formulation_per_version")]

    def __str__(self) -> str:
        return f"case formulation {self.pk} v{self.version}"


class RegisteredPractitioner(models.Model):
    """A practitioner on the workforce register: who they are, their agency and locality."""

    name = models.CharField(max_length=120)
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    locality = models.ForeignKey("core.Locality", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+",
                                 help_text="Where they work; none: across the city.")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class TrainingRecord(models.Model):
    """One training a registered practitioner completed, with when it expires (none: never)."""

    practitioner = models.ForeignKey(RegisteredPractitioner, on_delete=models.CASCADE,
                                     related_name="trainings")
    training = models.CharField(max_length=32, choices=Training.choices)
    trained_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["training", "-trained_on"]
        indexes = [models.Index(fields=["training", "expires_on"])]

    def __str__(self) -> str:
        return f"training {self.pk}"

    def current_on(self, day) -> bool:
        return self.trained_on <= day and (self.expires_on is None or day <= self.expires_on)


class OutreachSession(models.Model):
    """A detached youth work or late-night outreach session at a place and time, and after it
    what was seen (free text, no names) and how many young people were met."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey("contexts.Place", on_delete=models.PROTECT, related_name="+")
    locality = models.ForeignKey("core.Locality", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=OutreachStatus.choices,
                              default=OutreachStatus.SCHEDULED)
    staff = models.ManyToManyField(RegisteredPractitioner, related_name="outreach_sessions",
                                   blank=True)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    scheduled_at = models.DateTimeField(default=clock.now)
    seen = models.TextField(blank=True)
    young_people_met = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["locality", "-starts_at"])]

    def __str__(self) -> str:
        return f"outreach session {self.pk}"


class ContextPlacement(models.Model):
    """A catalogue programme brokered for a group or a place (a context case), not a child.

    It is recorded on the context case's plan as a `contexts.ContextIntervention` (so the case
    page shows it with its owner, due date and status) and takes a place from the programme's
    area like a child's referral, or waits on the same list, in order.
    """

    case = models.ForeignKey("contexts.ContextCase", on_delete=models.PROTECT,
                             related_name="catalogue_placements")
    intervention = models.OneToOneField("contexts.ContextIntervention", on_delete=models.PROTECT,
                                        related_name="catalogue_placement")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT,
                                  related_name="context_placements")
    team = models.ForeignKey("core.Team", on_delete=models.PROTECT, related_name="+",
                             help_text="The provider's team that delivers it.")
    area = models.ForeignKey(ProgrammeArea, on_delete=models.PROTECT,
                             related_name="context_placements")
    status = models.CharField(max_length=10, choices=ReferralStatus.choices)
    reason = models.TextField(help_text="Why this programme, for this group or place, now.")
    practitioners = models.ManyToManyField(RegisteredPractitioner, blank=True, related_name="+",
                                           help_text="Trained people asked to deliver it.")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    referred_at = models.DateTimeField(default=clock.now)
    place_month = models.DateField(null=True, blank=True)
    holds_place = models.BooleanField(default=False)
    place_given_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=10, choices=PlacementEnd.choices, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_at", "-pk"]
        indexes = [models.Index(fields=["area", "status", "referred_at"])]

    def __str__(self) -> str:
        return f"context placement {self.pk}"


class ParticipationActivity(Withdrawable, models.Model):
    """One meeting or session of a participation strand (peer influencers, "It takes a
    village" meetings, practice reviews, research with young people): when, where, what
    happened, how many took part and the young people's own words. Not a referral: nobody is
    placed and no place is taken (docs/interventions.md). Corrected with a reason (the old
    values kept as `Revision` rows) or withdrawn with a reason (kept, out of the counts)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT,
                                  related_name="participation_activities")
    held_on = models.DateField()
    locality = models.ForeignKey("core.Locality", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+",
                                 help_text="Where it was held; none: across the city.")
    what_happened = models.TextField()
    young_people = models.PositiveIntegerField()
    parents_carers = models.PositiveIntegerField()
    own_words = models.TextField(blank=True, help_text="The young people's own words.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["programme", "-held_on"])]

    def __str__(self) -> str:
        return f"participation activity {self.pk}"


class ParticipationChild(models.Model):
    """A child linked to a participation activity by a recorder the policy lets see them.

    A row of its own (not a many-to-many table) so that a merge of two records of one child
    moves it like every other row naming a person (`linkage.merges.person_fields`)."""

    activity = models.ForeignKey(ParticipationActivity, on_delete=models.CASCADE,
                                 related_name="children")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="participation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "person"],
                                               name="one_link_per_child_and_activity")]

    def __str__(self) -> str:
        return f"participation child {self.pk}"
