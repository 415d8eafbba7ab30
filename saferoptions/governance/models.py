"""Information governance: how long records are kept, what stops their disposal, what is left."""

from django.conf import settings
from django.db import models


class RecordCategory(models.TextChoices):
    CHILD = "child", "Child's record"
    YOUNG_ADULT = "young_adult", "Young adult's record"
    ADULT_OF_CONCERN = "adult_of_concern", "Adult of concern's record"


class ReviewTrigger(models.TextChoices):
    LAST_CONTACT = "last_contact", "A number of years after the last contact"
    AGE_OR_LAST_CONTACT = "age_or_last_contact", "The later of an age and years after last contact"


class RetentionRule(models.Model):
    """How long one category of record is kept before it is reviewed for disposal."""

    category = models.CharField(max_length=30, choices=RecordCategory.choices, unique=True)
    review_trigger = models.CharField(max_length=30, choices=ReviewTrigger.choices)
    years_after_last_contact = models.PositiveSmallIntegerField()
    until_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Keep at least until this birthday (age-based trigger)."
    )
    basis = models.TextField(help_text="The guidance or law the period is based on.")

    class Meta:
        ordering = ["category"]

    def __str__(self) -> str:
        return self.get_category_display()

    def summary(self) -> str:
        text = f"{self.years_after_last_contact} years after last contact"
        if self.review_trigger == ReviewTrigger.AGE_OR_LAST_CONTACT and self.until_age:
            text += f", and not before age {self.until_age}"
        return text


class LegalHold(models.Model):
    """A hold on everything about one person: while it stands, nothing about them is disposed.

    The person is kept as a plain id so the hold's history outlives the record it protected.
    """

    person_id = models.BigIntegerField(db_index=True)
    reason = models.CharField(max_length=200, help_text="e.g. a litigation or inquiry reference.")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"Legal hold {self.pk} on person {self.person_id}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class DisposalTombstone(models.Model):
    """What was disposed of, when, under which rule and by whom: never any personal value."""

    record_type = models.CharField(max_length=30)
    record_id = models.BigIntegerField()
    category = models.CharField(max_length=30, choices=RecordCategory.choices)
    rule = models.ForeignKey(RetentionRule, on_delete=models.SET_NULL, null=True, blank=True)
    rule_summary = models.CharField(max_length=200, help_text="The rule as it stood then.")
    review_date = models.DateField(null=True, blank=True)
    disposed_at = models.DateTimeField()
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    removed = models.JSONField(default=dict, help_text="How many rows of each kind were removed.")

    class Meta:
        ordering = ["-disposed_at"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"Disposed {self.record_type} {self.record_id}"


class VerificationStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the worker"
    RUNNING = "running", "Running"
    INTACT = "intact", "Intact"
    BROKEN = "broken", "Broken"
    FAILED = "failed", "Could not finish"


class AuditVerificationRun(models.Model):
    """One check of the audit trail's hash chain that the DPO asked for from the site.

    `in_progress` is True while the run is queued or running and None once it ends: being
    unique, it lets only one run wait or run at a time, even when two clicks race.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=VerificationStatus.choices, default=VerificationStatus.QUEUED
    )
    in_progress = models.BooleanField(null=True, default=True, unique=True)
    entries = models.PositiveBigIntegerField(null=True, blank=True, help_text="Rows checked.")
    last_sequence = models.BigIntegerField(null=True, blank=True)
    broken_sequence = models.BigIntegerField(null=True, blank=True)
    broken_kind = models.CharField(max_length=20, blank=True)
    message = models.CharField(max_length=300, blank=True, help_text="Where and how it broke.")

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Audit verification {self.pk} ({self.status})"
