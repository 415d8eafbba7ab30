"""The Hub's front door: concerns waiting for a decision, and the referrer told the outcome."""

import re
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from .withdrawal import Withdrawable


class ConcernSource(models.TextChoices):
    FEED_RULE = "feed_rule", "A rule on a partner's feed"
    PARTNER_REFERRAL = "partner_referral", "A partner's referral form"
    PRACTITIONER = "practitioner", "A practitioner"
    ACCUMULATION = "accumulation", "Small concerns adding up"


class ConcernKind(models.TextChoices):
    """What the concern is about; the accumulating-concern weights are keyed by these."""

    MISSING = "missing", "Missing from home or care"
    MISSED_SCHOOL_WEEK = "missed_school_week", "Missed a week of school"
    EXCLUSION = "exclusion", "Exclusion from school"
    STOP_SEARCH = "stop_search", "Stopped and searched"
    OLDER_ASSOCIATE = "older_associate", "New older associate"
    VIOLENCE = "violence", "Violence or injury"
    WEAPON = "weapon", "Weapon or knife"
    EXPLOITATION = "exploitation", "Signs of exploitation"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Signs of sexual exploitation"
    ONLINE = "online", "Online harm"
    ACCUMULATED = "accumulated", "Several small concerns together"
    OTHER = "other", "Something else"


class TriageOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    INFORMATION_AND_ADVICE = "information_and_advice", "Information and advice"
    EARLY_HELP = "early_help", "Early help"
    SOCIAL_CARE_REFERRAL = "social_care_referral", "Referral to children's social care"
    CONTEXTUAL_PATHWAY = "contextual_pathway", "Contextual pathway (group or place case)"
    INTERVENTION_REFERRAL = "intervention_referral", "Referral to an intervention"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"


# Letters and digits that cannot be misread for one another (no 0/O, 1/I, 2/Z, 5/S).
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXY346789"


def new_concern_reference() -> str:
    """A reference the referrer is told: random, so it says nothing of how many concerns the
    city has had or has since (the row's id would), and not guessable (28^8 possibilities)."""
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"C-{code[:4]}-{code[4:]}"
        if not Concern.objects.filter(reference=reference).exists():
            return reference


def normal_reference(typed: str) -> str | None:
    """A referrer's reference as stored (C-ABCD-EFGH), however it was typed or read out:
    any case, spaces or dashes anywhere, with or without the C; None if it cannot be one."""
    code = re.sub(r"[\s\-]", "", typed or "").upper()
    code = code[1:] if len(code) == 9 and code.startswith("C") else code
    if len(code) != 8 or any(ch not in REFERENCE_ALPHABET for ch in code):
        return None
    return f"C-{code[:4]}-{code[4:]}"


class Concern(Withdrawable):
    """One concern about a child, waiting in its locality's triage queue for a Hub decision."""

    reference = models.CharField(max_length=16, unique=True, default=new_concern_reference,
                                 editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    # The queue it waits in: the child's locality, or the one the referrer named.
    locality = models.ForeignKey(
        "core.Locality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=20, choices=ConcernSource.choices)
    kind = models.CharField(max_length=24, choices=ConcernKind.choices, default=ConcernKind.OTHER)
    reason = models.TextField()
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="concerns_raised",
    )
    referrer_agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A partner may refer a child the partnership does not know yet: the Hub matches later.
    subject_given_name = models.CharField(max_length=100, blank=True)
    subject_family_name = models.CharField(max_length=100, blank=True)
    subject_date_of_birth = models.DateField(null=True, blank=True)
    raised_at = models.DateTimeField()
    due_at = models.DateTimeField()
    outcome = models.CharField(max_length=24, choices=TriageOutcome.choices, blank=True)
    outcome_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    group = models.ForeignKey(
        "contexts.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.ForeignKey(
        "contexts.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Ids of the items that added up to an accumulated concern (see `accumulation.py`).
    contributions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["locality", "outcome", "due_at"])]
        constraints = [
            # A redelivered event never raises the same concern twice.
            models.UniqueConstraint(
                fields=["source", "event"], condition=Q(event__isnull=False),
                name="concern_once_per_source_event",
            ),
        ]

    def __str__(self) -> str:
        return f"Concern {self.pk}"

    @property
    def is_open(self) -> bool:
        """Waiting for the Hub: not decided and not withdrawn."""
        return not self.outcome and not self.is_withdrawn


class CaseNotification(models.Model):
    """An in-app notice (emailed once, no names) telling someone what happened to their work."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_notifications"
    )
    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Case notification {self.pk}"
