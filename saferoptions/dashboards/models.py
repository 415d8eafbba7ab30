"""Which learned model, if any, is switched on: only with a complete card and a named approver."""

from django.conf import settings
from django.db import models


class ModelSwitch(models.Model):
    """A learned individual model switched on (`analytics.model_card.switch_on` accepted it).

    The card it was switched on with is kept as it was, so what was approved can be read
    later even after the cards are worked again.
    """

    model_name = models.CharField(max_length=60)
    approver = models.CharField(max_length=120)
    switched_on_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       related_name="+")
    switched_on_at = models.DateTimeField()
    card = models.JSONField()

    class Meta:
        ordering = ["-switched_on_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.model_name} (approved by {self.approver})"
