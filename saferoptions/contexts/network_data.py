"""The person network from the records, for suggested groups and peer maps.

For suggesting groups it is built over every linked record (co-involvement in small events,
and associate or peer ties agencies recorded), because a group is a pattern across agencies;
what an analyst is *shown* of it goes through the access policy (masked stubs, suppressed
counts). A peer map draws ties for one viewer, so it is built only from the events and
relationships that viewer may see: a tie (and its source) never comes from a record they may
not read. Family ties are left out: a family is not a peer group.
"""

import datetime as dt

import polars as pl
from django.conf import settings

from saferoptions.access import policy
from saferoptions.analytics.networks import EdgeWeights, PersonNetwork, RecencyDecay, build_network
from saferoptions.core import clock
from saferoptions.events.models import Event, Involvement
from saferoptions.people.models import Relationship, RelationshipKind

PEER_KINDS = [RelationshipKind.ASSOCIATE, RelationshipKind.PEER]


def _decay() -> RecencyDecay | None:
    half_life = settings.CONTEXTS_RECENCY_HALF_LIFE_DAYS
    return RecencyDecay(clock.now(), float(half_life)) if half_life else None


def _involvements(decay, user) -> pl.DataFrame:
    rows = Involvement.objects.filter(person__isnull=False, person__merged_into__isnull=True)
    if user is not None:
        seen = policy.restrict(user, "view", Event.objects.all())
        rows = rows.filter(event__in=seen.values("pk"))
    rows = rows.values_list("event_id", "person_id", "event__occurred_at")
    frame = pl.DataFrame(list(rows), schema={"event_id": pl.Int64, "person_id": pl.Int64,
                                             "occurred_at": pl.Datetime("us", "UTC")},
                         orient="row")
    return frame if decay else frame.drop("occurred_at")


def _associations(decay, user) -> pl.DataFrame:
    rows = Relationship.objects.filter(kind__in=PEER_KINDS, person__isnull=False,
                                       other__isnull=False)
    if user is not None:
        rows = policy.restrict(user, "view", rows)
    now = clock.now()

    def when(start):
        # A tie with no start date counts as recorded now (in full): its age is not known.
        return dt.datetime.combine(start, dt.time(), dt.UTC) if start else now

    data = [(a, b, when(s)) for a, b, s in rows.values_list("person_id", "other_id",
                                                             "start_date")]
    frame = pl.DataFrame(data, schema={"person_id": pl.Int64, "other_id": pl.Int64,
                                       "recorded_at": pl.Datetime("us", "UTC")}, orient="row")
    return frame if decay else frame.drop("recorded_at")


def load_network(*, seen_by=None) -> PersonNetwork:
    """The network with the partnership's configured weights, largest event and decay.

    With `seen_by`, only from the events and relationships that user may see (peer maps).
    """
    decay = _decay()
    return build_network(
        involvements=_involvements(decay, seen_by),
        associations=_associations(decay, seen_by),
        weights=EdgeWeights(**settings.CONTEXTS_TIE_WEIGHTS), decay=decay,
        max_event_size=settings.CONTEXTS_MAX_EVENT_SIZE)


def people_near(network: PersonNetwork, centre: list[int], depth: int) -> list[int]:
    """Every person within `depth` ties of the centre (the ids a peer map may show)."""
    vertices = [v for p in centre if (v := network.index_of(p)) is not None]
    near = set(centre)
    for hood in network.graph.neighborhood(vertices, order=depth):
        near.update(int(network.person_ids[v]) for v in hood)
    return sorted(near)
