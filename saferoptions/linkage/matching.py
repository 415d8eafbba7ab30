"""Real-time matching of an identity arriving in a feed against the linked identities.

The index of linked identities is built once per process for the current model version and
rebuilt after `LINKAGE_INDEX_REFRESH_SECONDS`; identities stored since it was built are
scored too, through a small second index, so a child recorded a minute ago is still found.
A system function (no user, no access policy): callers decide what to do with the answer.
"""

import time

from django.conf import settings
from django.db.models import Count, Max

from saferoptions.people.models import Identity

from .model import Thresholds, weights_of
from .models import LinkageModel
from .realtime import Candidate, RealtimeMatcher
from .records import MIN_DETAILS, prepare

_FIELDS = ("id", "person_id", "given_name", "family_name", "date_of_birth", "sex", "address",
           "postcode", "phone", "nhs_number")
_index: dict = {}


def _raw(values: dict) -> dict:
    return {
        "identity_id": values["id"], "person_id": values["person_id"],
        "first_name": values["given_name"], "last_name": values["family_name"],
        "dob": values["date_of_birth"], "sex": values["sex"], "postcode": values["postcode"],
        "address": values["address"], "phone": values["phone"],
        "nhs_number": values["nhs_number"],
    }


def _matcher(model: LinkageModel, identities) -> RealtimeMatcher:
    rows = ({**prepare(i["identity_id"], i), "person_id": i["person_id"]} for i in identities)
    return RealtimeMatcher(weights_of(model), rows, thresholds=Thresholds(**model.thresholds),
                           min_details=getattr(settings, "LINKAGE_MIN_DETAILS", MIN_DETAILS))


def _linked(after_id: int = 0):
    query = Identity.objects.filter(person__isnull=False, id__gt=after_id).order_by("id")
    return [_raw(v) for v in query.values(*_FIELDS).iterator(chunk_size=5000)]


def current_model() -> LinkageModel | None:
    """The linkage model in force (the newest version), or None before any is trained."""
    return LinkageModel.objects.first()


def current_index() -> tuple[RealtimeMatcher, int] | None:
    """The index of linked identities for the current model, and the last identity id in it."""
    model = LinkageModel.objects.first()
    if model is None:
        return None
    refresh = getattr(settings, "LINKAGE_INDEX_REFRESH_SECONDS", 300)
    built = _index.get("built")
    if built is None or _index["model"] != model.pk or time.monotonic() - built > refresh:
        identities = _linked()
        _index.update(model=model.pk, built=time.monotonic(), db_model=model,
                      matcher=_matcher(model, identities),
                      last_id=identities[-1]["identity_id"] if identities else 0)
    return _index["matcher"], _index["last_id"]


def _recent_matcher(last_id: int) -> RealtimeMatcher | None:
    """Identities linked since the index was built, as a small index.

    Rebuilt only when their count or newest id changes (one aggregate query per call), so a
    live feed does not rebuild it for every record it matches.
    """
    linked = Identity.objects.filter(person__isnull=False, id__gt=last_id)
    state = tuple(linked.aggregate(n=Count("id"), newest=Max("id")).values())
    if state[0] == 0:
        return None
    cached = _index.get("recent")
    if cached is None or cached[0] != (last_id, state):
        _index["recent"] = ((last_id, state), _matcher(_index["db_model"], _linked(last_id)))
    return _index["recent"][1]


def match_identity(identity: Identity, *, limit: int = 5) -> list[Candidate]:
    """The persons this identity may be, best first, each with a decision ('link' or 'review')."""
    record = _raw({f: getattr(identity, f) for f in _FIELDS})
    return match_record(record, exclude=str(identity.pk), limit=limit)


def match_record(record: dict, *, exclude: str | None = None, limit: int = 5) -> list[Candidate]:
    """The persons a raw record (`records.RAW_FIELDS`) may be, best first, as `match_identity`.

    For details that are not a stored agency record, such as a person described in
    intelligence: nothing is stored, and the caller decides what to do with the answer.
    """
    found = current_index()
    if found is None:
        return []
    matcher, last_id = found
    candidates = matcher.match(record, exclude=exclude, limit=limit)
    recent = _recent_matcher(last_id)
    if recent is not None:
        candidates += recent.match(record, exclude=exclude, limit=limit)
    best: dict = {}
    for candidate in sorted(_as_stored_now(candidates), key=lambda c: -c.match_weight):
        best.setdefault(candidate.person_id, candidate)
    return list(best.values())[:limit]


def _as_stored_now(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates with their identity's person as stored now, not as when the index was built.

    The index lives for minutes: since then a record may have been disposed of (it must never
    be offered again) or moved to another person by a merge or split (offer that person).
    """
    person_of = dict(Identity.objects.filter(
        pk__in=[int(c.identity_id) for c in candidates]).values_list("id", "person_id"))
    current = []
    for candidate in candidates:
        pk = int(candidate.identity_id)
        if pk in person_of:
            candidate.person_id = person_of[pk]
            current.append(candidate)
    return current
