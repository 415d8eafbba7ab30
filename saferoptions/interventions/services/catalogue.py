"""The catalogue manager's changes: programmes, who they are for, providers and areas."""

from ..models import Programme, ProgrammeArea, ProgrammeProvider
from .common import Refused, audit

FIELDS = ("name", "level", "offers", "works_with", "takes_referrals", "min_months",
          "max_months", "min_age", "max_age", "sexes", "risk_levels", "needs", "routes_in",
          "includes_siblings", "parent_consent_always", "is_active", "outcome_measures",
          "trained_in")


def _check(values: dict) -> None:
    for low, high, field in (("min_age", "max_age", "max_age"),
                             ("min_months", "max_months", "max_months")):
        if values.get(low) is not None and values.get(high) is not None \
                and values[low] > values[high]:
            raise Refused(field, "The upper limit must not be below the lower one")


def save_programme(*, actor, values: dict, programme: Programme | None = None,
                   version: int | None = None) -> Programme:
    """Create a programme, or change one (refused if someone saved since `version`)."""
    _check(values)
    if Programme.objects.filter(name=values["name"]).exclude(
            pk=programme.pk if programme else None).exists():
        raise Refused("name", "A programme with this name is already in the catalogue")
    if programme is None:
        programme = Programme.objects.create(**{k: values[k] for k in FIELDS if k in values})
        audit(actor, "create", "programme", [programme.pk])
        return programme
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if version is not None and programme.version != version:
        raise Refused("name", "Someone else changed this programme since you opened it: "
                              "reload the page to see their changes")
    changed = sorted(k for k in FIELDS if k in values and getattr(programme, k) != values[k])
    for name in changed:
        setattr(programme, name, values[name])
    programme.version += 1
    programme.save()
    audit(actor, "change", "programme", [programme.pk], fields=changed)
    return programme


def add_provider(*, actor, programme: Programme, team) -> ProgrammeProvider:
    if programme.providers.filter(team=team).exists():
        raise Refused("team", "This team already provides the programme")
    row = ProgrammeProvider.objects.create(programme=programme, team=team)
    audit(actor, "add_provider", "programme", [programme.pk], team=team.pk)
    return row


def remove_provider(*, actor, provider: ProgrammeProvider) -> None:
    programme_id, team_id = provider.programme_id, provider.team_id
    provider.delete()
    audit(actor, "remove_provider", "programme", [programme_id], team=team_id)


def add_area(*, actor, programme: Programme, locality, monthly_places: int) -> ProgrammeArea:
    if programme.areas.filter(locality=locality).exists():
        raise Refused("locality", "The programme already has places there")
    row = ProgrammeArea.objects.create(programme=programme, locality=locality,
                                       monthly_places=monthly_places)
    audit(actor, "add_area", "programme", [programme.pk], area=row.pk)
    return row
