"""Contexts where harm happens: places, schools and peer groups."""

import h3
from django.conf import settings
from django.db import models

from saferoptions.core.models import Locality, Ward


class PlaceType(models.TextChoices):
    PARK = "park", "Park or open space"
    TRANSPORT_HUB = "transport_hub", "Transport hub"
    SHOP = "shop", "Shop"
    TAKEAWAY = "takeaway", "Takeaway"
    LICENSED_PREMISES = "licensed_premises", "Licensed premises"
    ESTATE = "estate", "Housing estate"
    SCHOOL = "school", "School"
    STREET = "street", "Street or underpass"
    YOUTH_CLUB = "youth_club", "Youth club or community centre"
    OTHER = "other", "Other"


class Place(models.Model):
    """A named location where things happen, placed on the H3 grid for hot-spot work."""

    name = models.CharField(max_length=160)
    place_type = models.CharField(max_length=24, choices=PlaceType.choices)
    latitude = models.FloatField()
    longitude = models.FloatField()
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="places")
    h3_cell = models.CharField(max_length=16, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.h3_cell = h3.latlng_to_cell(self.latitude, self.longitude, settings.H3_RESOLUTION)
        super().save(*args, **kwargs)


class School(models.Model):
    """A school, which is a context in its own right and a place on the map."""

    name = models.CharField(max_length=160, unique=True)
    urn = models.CharField(max_length=8, unique=True, help_text="Unique reference number.")
    phase = models.CharField(max_length=20, default="secondary")
    place = models.OneToOneField(Place, on_delete=models.PROTECT, related_name="school")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A peer group, worked with as a context in its own right."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="groups"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """A person's place in a peer group, with where that knowledge came from and when."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="groups")
    source = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="group_member_once")
        ]
