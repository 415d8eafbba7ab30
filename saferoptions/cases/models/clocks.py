"""Statutory and local clocks, and the meetings and referrals that start and stop them."""

from django.conf import settings
from django.db import models

from saferoptions.core import clock

from .. import timescales
from .withdrawal import Withdrawable


class ClockKind(models.TextChoices):
    TRIAGE_DECISION = "triage_decision", "Hub decision on a concern"
    ASSESSMENT = "assessment", "Single assessment"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    INITIAL_CONFERENCE = "initial_conference", "Initial child protection conference"
    CORE_GROUP = "core_group", "Core group"
    REVIEW_CONFERENCE = "review_conference", "Review child protection conference"
    RETURN_HOME_INTERVIEW = "return_home_interview", "Return home interview"
    NRM_REASONABLE_GROUNDS = "nrm_reasonable_grounds", "NRM reasonable grounds decision"
    NRM_CONCLUSIVE_GROUNDS = "nrm_conclusive_grounds", "NRM conclusive grounds decision"


class StatutoryClock(models.Model):
    """One deadline about a child: when it started, when it is due, and when it was met."""

    kind = models.CharField(max_length=24, choices=ClockKind.choices)
    # Unique: the same trigger (concern, event, meeting...) never starts a clock twice.
    key = models.CharField(max_length=80, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="clocks")
    locality = models.ForeignKey("core.Locality", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="clocks")
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    met_at = models.DateTimeField(null=True, blank=True)
    late_reason = models.TextField(blank=True)
    # A clock met by mistake (an interview recorded on the wrong child) is reopened, not
    # deleted: who reopened it and why stays with the clock.
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["met_at", "due_at"]),
                   models.Index(fields=["owner", "met_at"])]

    def __str__(self) -> str:
        return f"Clock {self.pk} ({self.kind})"

    @property
    def state(self) -> timescales.ClockState:
        return timescales.state(self.started_at, self.due_at, self.met_at, clock.now())


class MeetingKind(models.TextChoices):
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    INITIAL_CONFERENCE = "initial_conference", "Initial child protection conference"
    CORE_GROUP = "core_group", "Core group"
    REVIEW_CONFERENCE = "review_conference", "Review child protection conference"
    LOCALITY_MEETING = "locality_meeting", "Locality multi-agency meeting"


class CaseMeeting(Withdrawable):
    """A meeting about a child, with what was discussed (it appears in the chronology)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="case_meetings")
    kind = models.CharField(max_length=24, choices=MeetingKind.choices)
    held_on = models.DateField()
    discussion = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"CaseMeeting {self.pk}"


class NrmOutcome(models.TextChoices):
    PENDING = "", "Waiting"
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class NrmReferral(Withdrawable):
    """A National Referral Mechanism referral (a child needs no consent) and its decisions."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="nrm_referrals")
    referred_on = models.DateField()
    reasonable_grounds_on = models.DateField(null=True, blank=True)
    reasonable_grounds = models.CharField(max_length=8, choices=NrmOutcome.choices, blank=True)
    conclusive_grounds_on = models.DateField(null=True, blank=True)
    conclusive_grounds = models.CharField(max_length=8, choices=NrmOutcome.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    def __str__(self) -> str:
        return f"NrmReferral {self.pk}"
