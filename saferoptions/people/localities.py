"""Which locality's teams serve a person: from the postcode their agencies last recorded.

The Hub triages by locality, so a person with no locality is seen only by city-wide roles.
"""

from django.db import transaction

from saferoptions.audit.services import record
from saferoptions.core.models import PostcodeDistrict

from .models import Identity, Person


def outward_code(postcode: str) -> str:
    """The district part of a UK postcode ("bs5 6xy" -> "BS5"); empty if there is none."""
    compact = "".join(postcode.split()).upper()
    return compact[:-3] if len(compact) >= 5 else ""


def assign_localities(*, people=None) -> int:
    """Set each person's locality from their most recently recorded postcode; returns changes."""
    districts = dict(PostcodeDistrict.objects.values_list("outward_code", "locality_id"))
    latest: dict[int, str] = {}
    identities = Identity.objects.filter(person__isnull=False).exclude(postcode="")
    if people is not None:
        identities = identities.filter(person__in=people)
    for person_id, postcode in identities.order_by("recorded_at", "pk").values_list(
        "person_id", "postcode"
    ):
        latest[person_id] = postcode
    wanted = {pid: districts.get(outward_code(pc)) for pid, pc in latest.items()}
    return _save(wanted)


def _save(wanted: dict[int, int | None]) -> int:
    current = dict(Person.objects.values_list("pk", "locality_id"))
    changed = [Person(pk=pk, locality_id=loc) for pk, loc in wanted.items() if current[pk] != loc]
    if not changed:
        return 0
    with transaction.atomic():
        Person.objects.bulk_update(changed, ["locality"], batch_size=2000)
        record(actor=None, action="update", object_type="person",
               object_ids=[p.pk for p in changed], purpose="locality from postcode",
               detail={"field": "locality"})
    return len(changed)
