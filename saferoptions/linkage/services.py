"""Linking every agency identity into persons: the one write path of batch linkage.

Training and scoring run before the transaction (they only read); the writes (persons,
identities' person, involvements, the review and unmatched queues, the model version, the run
and its audit row) happen in one transaction.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery

from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.events.models import Involvement
from saferoptions.people.models import Identity, Relationship

from . import model as linkage_model
from . import persons, records
from .models import LinkageModel, LinkageRun, ReviewPair, ReviewStatus

IDENTITY_FIELDS = ("id", "given_name", "family_name", "date_of_birth", "sex", "address",
                   "postcode", "phone", "nhs_number", "person_id",
                   "recorded_at", "address_recorded_at")  # dates: the latest address places


def thresholds() -> linkage_model.Thresholds:
    """The partnership's thresholds (settings), or the defaults."""
    default = linkage_model.Thresholds()
    return linkage_model.Thresholds(
        auto_link=getattr(settings, "LINKAGE_AUTO_LINK_PROBABILITY", default.auto_link),
        review=getattr(settings, "LINKAGE_REVIEW_PROBABILITY", default.review),
    )


def _raw(identity: dict) -> dict:
    return {
        "first_name": identity["given_name"], "last_name": identity["family_name"],
        "dob": identity["date_of_birth"], "sex": identity["sex"],
        "postcode": identity["postcode"], "address": identity["address"],
        "phone": identity["phone"], "nhs_number": identity["nhs_number"],
    }


@dataclass
class _Plan:
    """What linkage decided, before anything is written."""

    model: LinkageModel
    identities: dict[int, dict]
    unlinkable: dict[int, str]
    cluster_of: dict[int, int]
    best_link: dict[int, float]
    review: list = field(default_factory=list)


def link_all_identities(*, actor=None, engine: str = "duckdb", retrain: bool = False) -> LinkageRun:
    """Link every identity into persons with the current model (trained first if there is none)."""
    started = clock.now()
    plan = _plan(engine=engine, retrain=retrain)
    with transaction.atomic():
        if plan.model.pk is None:
            plan.model.save()
        counts = persons.apply(plan, today=clock.today())
        counts["involvements_updated"] = _follow_involvements()
        counts["relationships_updated"] = _follow_relationships()
        run = LinkageRun.objects.create(model=plan.model, started_at=started,
                                        finished_at=clock.now(), actor=actor, counts=counts)
        record(actor=actor, action="update", object_type="linkage_run", object_ids=[run.pk],
               detail={"model_version": plan.model.version, **counts})
    return run


def _plan(*, engine: str, retrain: bool) -> _Plan:
    identities = {row["id"]: row for row in Identity.objects.values(*IDENTITY_FIELDS)}
    today = clock.today()
    min_details = getattr(settings, "LINKAGE_MIN_DETAILS", records.MIN_DETAILS)
    rows, unlinkable, sparse = [], {}, set()
    for pk, identity in identities.items():
        row = records.prepare(str(pk), _raw(identity), today=today)
        reason = records.why_unlinkable(row, min_details=min_details)
        if reason:
            unlinkable[pk] = reason
        else:
            rows.append(row)
            if records.review_only(row, min_details=min_details):
                sparse.add(pk)
    current = LinkageModel.objects.first()
    linker = linkage_model.linker_for(
        rows, model=None if (retrain or current is None) else current.splink_model, engine=engine,
        memory_limit=getattr(settings, "LINKAGE_MEMORY_LIMIT", None),
    )
    if retrain or current is None:
        current = _trained(linker, rows, engine, previous=current)
    return _decide(current, linker, rows, identities, unlinkable, sparse)


def _trained(linker, rows, engine, *, previous) -> LinkageModel:
    splink_model = linkage_model.train(linker, records=len(rows))
    return LinkageModel(
        version=(previous.version + 1) if previous else 1, created_at=clock.now(), engine=engine,
        splink_model=splink_model, level_weights=_json_weights(splink_model),
        thresholds=thresholds().as_dict(), trained_on=len(rows),
    )


def _json_weights(splink_model: dict) -> dict:
    weights = linkage_model.level_weights(splink_model)
    # JSON keys are text: gamma values are stored as strings.
    return {
        "prior_match_weight": weights["prior_match_weight"],
        "comparisons": {name: {str(g): level for g, level in levels.items()}
                        for name, levels in weights["comparisons"].items()},
    }


def _decide(current, linker, rows, identities, unlinkable, sparse) -> _Plan:
    limits = linkage_model.Thresholds(**current.thresholds)
    decided = _reviewed_decisions()
    links, review = [], []
    for pair in linkage_model.score(linker, min_probability=limits.review):
        a, b = sorted((int(pair.left), int(pair.right)))
        verdict = decided.get((a, b)) or limits.decide(
            pair.match_probability, pair.gammas, review_only=a in sparse or b in sparse)
        if verdict == "link":
            links.append((a, b, pair))
        elif verdict == "review":
            review.append((a, b, pair))
    linkable = [int(r["unique_id"]) for r in rows]
    known = set(linkable)
    # Pairs a reviewer called a match come first, even when the model was unsure of them.
    ordered = [(a, b, None) for (a, b), verdict in decided.items()
               if verdict == "link" and a in known and b in known]
    ordered += sorted(links, key=lambda t: (-t[2].match_probability, t[0], t[1]))
    facts = {int(r["unique_id"]): (r["nhs_number"], r["dob"]) for r in rows}
    apart = [pair for pair, verdict in decided.items() if verdict == "none"]
    cluster_of, held_back = linkage_model.clusters(
        linkable, [(a, b) for a, b, _ in ordered], facts=facts, apart=apart)
    scored = {(a, b): pair for a, b, pair in ordered}
    review += [(a, b, scored[(a, b)]) for a, b in held_back if scored[(a, b)] is not None]
    review = linkage_model.one_review_per_persons(
        review, cluster_of, ends=lambda t: (t[0], t[1]), scored=lambda t: t[2])
    best: dict[int, float] = {}
    for a, b, pair in links:
        if cluster_of[a] == cluster_of[b]:
            for pk in (a, b):
                best[pk] = max(best.get(pk, 0.0), pair.match_probability)
    return _Plan(current, identities, unlinkable, cluster_of, best, review)


def _reviewed_decisions() -> dict[tuple[int, int], str]:
    """A reviewer's decision overrides the model: match links, not-a-match never links."""
    verdicts = {ReviewStatus.MATCH: "link", ReviewStatus.NOT_MATCH: "none"}
    return {
        (a, b): verdicts[status]
        for a, b, status in ReviewPair.objects.filter(status__in=verdicts).values_list(
            "identity_a_id", "identity_b_id", "status")
    }


def _follow_involvements() -> int:
    """Each involvement recorded against an identity points at that identity's person.

    One UPDATE in the database: read into Python and written back in batches of 1,000 (a
    CASE per batch) it was the slowest step of linking the 100,000-child city's 1,079,729
    involvements."""
    person = _person_of("identity_id")
    return Involvement.objects.filter(identity__isnull=False).annotate(wanted=person).filter(
        _differs("person_id", "wanted")).update(person_id=person)


def _follow_relationships() -> int:
    """Each tie an agency recorded between two of its records joins the two people: without
    this a sibling's events and a child's ties stay unseen after batch linkage."""
    person, other = _person_of("identity_id"), _person_of("other_identity_id")
    return Relationship.objects.annotate(wanted=person, wanted_other=other).filter(
        _differs("person_id", "wanted") | _differs("other_id", "wanted_other")).update(
        person_id=person, other_id=other)


def _person_of(identity_field: str) -> Subquery:
    return Subquery(Identity.objects.filter(pk=OuterRef(identity_field)).values("person_id")[:1])


def _differs(field: str, wanted: str) -> Q:
    """`field` is not `wanted`, a null on either side included (SQL's = is unknown there)."""
    return (Q(**{f"{field}__isnull": True}, **{f"{wanted}__isnull": False})
            | Q(**{f"{field}__isnull": False}, **{f"{wanted}__isnull": True})
            | (Q(**{f"{field}__isnull": False}, **{f"{wanted}__isnull": False})
               & ~Q(**{field: F(wanted)})))
