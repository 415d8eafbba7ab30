"""Which synthetic city is loaded, so a second run neither duplicates it nor loses track of it."""

from django.db import models


class SyntheticCity(models.Model):
    """The synthetic city in the database: its seed and size, and the id ranges it wrote.

    The id ranges let `generate-city --replace` remove exactly the rows the city wrote.
    """

    seed = models.BigIntegerField()
    children = models.PositiveIntegerField()
    months = models.PositiveSmallIntegerField()
    start = models.DateField(help_text="First day of the period the events cover.")
    generated_at = models.DateTimeField()
    row_ranges = models.JSONField(default=dict, help_text='{"app.model": [first id, last id]}')
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name_plural = "synthetic cities"

    def __str__(self) -> str:
        return f"Synthetic city (seed {self.seed}, {self.children:,} children)"
