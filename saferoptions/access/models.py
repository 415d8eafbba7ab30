"""Information sharing agreements between agencies, and break-glass grants with their review."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from .categories import DataCategory, Purpose


class LawfulBasis(models.TextChoices):
    PUBLIC_TASK = "public_task", "UK GDPR 6(1)(e) public task"
    LEGAL_OBLIGATION = "legal_obligation", "UK GDPR 6(1)(c) legal obligation"
    SAFEGUARDING = "safeguarding", "DPA 2018 Sch. 1 para 18: safeguarding children"
    CONSENT = "consent", "Consent (voluntary services only)"


class AgreementState(models.TextChoices):
    PROPOSED = "proposed", "Waiting for the data protection officer"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class InformationSharingAgreement(models.Model):
    """What one agency shares with another: which categories, for which purposes, on what basis.

    Only approved agreements in force today count, so ending one takes effect on the next
    request. A system administrator proposes one; the data protection officer approves it.
    """

    name = models.CharField(max_length=160)
    provider = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="agreements_providing",
        help_text="The agency whose records are shared.",
    )
    recipient = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="agreements_receiving",
        help_text="The agency whose staff may see them.",
    )
    categories = models.JSONField(default=list, help_text="Data categories shared.")
    purposes = models.JSONField(default=list, help_text="Purposes the data may be used for.")
    lawful_basis = models.CharField(max_length=24, choices=LawfulBasis.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(
        null=True, blank=True, help_text="The first day the agreement no longer applies."
    )

    state = models.CharField(max_length=10, choices=AgreementState.choices,
                             default=AgreementState.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    proposed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["recipient", "starts_on"])]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if set(self.categories or []) - set(DataCategory.values):
            errors["categories"] = "Unknown data category."
        if set(self.purposes or []) - set(Purpose.values):
            errors["purposes"] = "Unknown purpose."
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The end date must not be before the start date."
        if errors:
            raise ValidationError(errors)

    @property
    def category_labels(self) -> list[str]:
        """The categories in the partners' words; a code no longer known shows as itself."""
        words = dict(DataCategory.choices)
        return [words.get(c, c) for c in self.categories or []]

    @property
    def purpose_labels(self) -> list[str]:
        words = dict(Purpose.choices)
        return [words.get(p, p) for p in self.purposes or []]


class ReviewFinding(models.TextChoices):
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified"


class BreakGlassGrant(models.Model):
    """Emergency access to one person's record, given a reason, for a limited time.

    Each grant is an alert: a reviewer and the child's lead professional acknowledge it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The reviewer's judgement, and in their words why (required when not justified): a tick
    # alone told nobody afterwards whether the access had been looked at or questioned.
    review_finding = models.CharField(max_length=16, choices=ReviewFinding.choices, blank=True)
    review_note = models.TextField(blank=True)
    lead_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    lead_acknowledged_at = models.DateTimeField(null=True, blank=True)
    # How many grants the same person had been given within BREAK_GLASS_REPEAT_HOURS, this one
    # included, when it was given; kept so a later change of the limit does not rewrite history.
    recent_uses = models.PositiveIntegerField(default=1)
    # More than BREAK_GLASS_REPEAT_LIMIT: flagged in the review and alerted when given.
    repeated_use = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["user", "expires_at"]),
            models.Index(fields=["reviewed_at"]),
        ]

    def __str__(self) -> str:
        return f"break-glass grant {self.pk}"
