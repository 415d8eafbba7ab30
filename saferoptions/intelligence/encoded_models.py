"""Reports encoded without revealing identities: what is kept, and the Hub's alert on a match.

Imported by `models.py`; see docs/intelligence.md, "Matching without revealing identities".
"""

from django.conf import settings
from django.db import models

from saferoptions.core import clock


class EncodedWorry(models.Model):
    """A partner's encoded report kept for `INTELLIGENCE_PPRL_KEEP_DAYS` (none by default):
    only the keyed Bloom filter and which fields it covers, never a name, date or postcode."""

    encoding = models.BinaryField(max_length=128)
    fields = models.CharField(max_length=40, help_text="The fields encoded, e.g. given family dob")
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=clock.now, editable=False, db_index=True)

    class Meta:
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"Encoded worry {self.pk}"


class EncodedCheck(models.Model):
    """An encoding waiting for the worker's check: the job is queued with this row's id only,
    so a job that fails (kept by django-q2 with its arguments) holds no encoding. The worker
    deletes the row with its check; one whose job never succeeds is deleted after
    `INTELLIGENCE_PPRL_CHECK_HOURS`."""

    encoding = models.BinaryField(max_length=128)
    fields = models.CharField(max_length=40)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                    related_name="+")
    received_at = models.DateTimeField(default=clock.now, editable=False, db_index=True)

    class Meta:
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"Encoded check {self.pk}"


class EncodedMatch(models.Model):
    """The Hub's alert: an encoded report matched a person on record. The partner is not told;
    the person is shown only to the Hub, through the access policy."""

    report = models.OneToOneField("intelligence.IntelligenceReport", on_delete=models.CASCADE,
                                  related_name="encoded_match")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text="Dice coefficient of the two encodings, 0 to 1.")
    fields = models.CharField(max_length=40)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    matched_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-matched_at", "-pk"]

    def __str__(self) -> str:
        return f"Encoded match {self.pk}"
