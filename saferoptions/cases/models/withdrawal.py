"""What every recorded item about a child carries so it can be withdrawn, never deleted."""

from django.conf import settings
from django.db import models


class Withdrawable(models.Model):
    """A mistaken record stays on file, marked withdrawn with who, when and why.

    Corrections are kept as `Revision` rows (what changed, by whom, and the reason), so the
    record shows its history; withdrawal keeps the row and takes it out of counts and clocks.
    """

    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
