"""Writing a linkage plan: persons from clusters, identities' person, the two queues.

Called only from `services.link_all_identities`, inside its transaction. Every step writes only
what differs from the database, so a second run on unchanged data changes nothing.
"""

from collections import Counter, defaultdict

from saferoptions.core import clock
from saferoptions.people.ages import kind_for
from saferoptions.people.localities import refresh_localities
from saferoptions.people.models import Identity, Person, Sex
from saferoptions.people.services import create_people

from . import model as linkage_model
from .models import IdentityMatch, ReviewPair, ReviewStatus, UnmatchedIdentity, UnmatchedKind


def apply(plan, *, today) -> dict:
    """Write the plan; return counts of what changed."""
    counts = {"identities": len(plan.identities), "unmatched": len(plan.unlinkable)}
    counts["unmatched_changed"] = _unmatched(plan)
    members = defaultdict(list)
    for pk, root in plan.cluster_of.items():
        members[root].append(pk)
    person_of, created = _persons_for(plan, members)
    counts["persons"], counts["persons_created"] = len(members), created
    counts["persons_updated"] = _describe_persons(plan, members, person_of, today)
    counts["identities_relinked"], moved = _relink(plan, members, person_of)
    # People who gained or lost agency records may have a more recent address now.
    counts["localities_changed"] = refresh_localities(people=moved, purpose="batch linkage")
    counts["matches_recorded"] = _identity_matches(plan, members, person_of)
    counts["review_pending"], counts["review_changed"] = _review_queue(plan)
    return counts


def _unmatched(plan) -> int:
    existing = {u.identity_id: u for u in UnmatchedIdentity.objects.all()}
    stale = [pk for pk in existing if pk not in plan.unlinkable]
    changed = UnmatchedIdentity.objects.filter(identity_id__in=stale).delete()[0]
    new, updated = [], []
    for pk, reason in plan.unlinkable.items():
        if pk not in existing:
            new.append(UnmatchedIdentity(identity_id=pk, reason=reason, created_at=clock.now()))
        elif existing[pk].reason != reason or existing[pk].kind != UnmatchedKind.TOO_LITTLE:
            existing[pk].reason, existing[pk].kind = reason, UnmatchedKind.TOO_LITTLE
            updated.append(existing[pk])
    UnmatchedIdentity.objects.bulk_create(new, batch_size=1000)
    UnmatchedIdentity.objects.bulk_update(updated, ["reason", "kind"], batch_size=1000)
    changed += len(new) + len(updated)
    # An identity with too little to match is not left attached to a person by an old run,
    # unless a person decided who it is (the unmatched queue): that decision stands.
    decided = {pk for pk, u in existing.items() if u.decision}
    undecided = [pk for pk in plan.unlinkable if pk not in decided]
    changed += Identity.objects.filter(pk__in=undecided, person__isnull=False).update(person=None)
    return changed


def _persons_for(plan, members) -> tuple[dict[int, int], int]:
    """Each cluster keeps the person most of its identities already have; else a new person."""
    usable = set(Person.objects.filter(merged_into__isnull=True).values_list("id", flat=True))
    claimed, person_of, new_roots = set(), {}, []
    for root in sorted(members, key=lambda r: (-len(members[r]), r)):
        current = Counter(plan.identities[pk]["person_id"] for pk in members[root])
        choice = next((p for p, _ in current.most_common() if p in usable and p not in claimed),
                      None)
        if choice is None:
            new_roots.append(root)
        else:
            claimed.add(choice)
            person_of[root] = choice
    created = create_people(
        actor=None, purpose="batch linkage",
        identities_of=[[plan.identities[pk] for pk in members[root]] for root in new_roots])
    for root, person in zip(new_roots, created, strict=True):
        person_of[root] = person.pk
    return person_of, len(created)


def most_common(values) -> object:
    """The most frequent known value; ties go to the first seen."""
    counted = Counter(v for v in values if v not in (None, "", Sex.UNKNOWN))
    return counted.most_common(1)[0][0] if counted else None


def _describe_persons(plan, members, person_of, today) -> int:
    """Names, date of birth and sex the partnership knows a person by: the commonest values."""
    people = Person.objects.in_bulk(list(person_of.values()))
    changed = []
    for root, ids in members.items():
        # In identity order, so a tie goes to the oldest record on every database (a
        # cluster's members come in whatever order the database returned the rows).
        person, rows = people[person_of[root]], [plan.identities[pk] for pk in sorted(ids)]
        wanted = {
            "given_name": most_common(r["given_name"] for r in rows) or "",
            "family_name": most_common(r["family_name"] for r in rows) or "",
            "date_of_birth": most_common(r["date_of_birth"] for r in rows),
            "sex": most_common(r["sex"] for r in rows) or Sex.UNKNOWN,
        }
        wanted["kind"] = kind_for(wanted["date_of_birth"], today, current=person.kind)
        if any(getattr(person, f) != v for f, v in wanted.items()):
            for f, v in wanted.items():
                setattr(person, f, v)
            changed.append(person)
    Person.objects.bulk_update(changed, ["given_name", "family_name", "date_of_birth", "sex",
                                         "kind"], batch_size=1000)
    return len(changed)


def _relink(plan, members, person_of) -> tuple[int, set[int]]:
    """Point identities at their cluster's person; returns how many, and the people touched."""
    changed, touched = [], set()
    for root, ids in members.items():
        for pk in ids:
            was = plan.identities[pk]["person_id"]
            if was != person_of[root]:
                changed.append(Identity(pk=pk, person_id=person_of[root]))
                touched.update(p for p in (was, person_of[root]) if p is not None)
    Identity.objects.bulk_update(changed, ["person"], batch_size=1000)
    return len(changed), touched


def _identity_matches(plan, members, person_of) -> int:
    existing = {m.identity_id: m for m in IdentityMatch.objects.all()}
    new, changed = [], []
    for root, ids in members.items():
        for pk in ids:
            wanted = (person_of[root], plan.model.pk, plan.best_link.get(pk))
            match = existing.get(pk)
            if match is None:
                new.append(IdentityMatch(identity_id=pk, person_id=wanted[0],
                                         model_id=wanted[1], match_probability=wanted[2]))
            elif (match.person_id, match.model_id, match.match_probability) != wanted:
                match.person_id, match.model_id, match.match_probability = wanted
                changed.append(match)
    IdentityMatch.objects.bulk_create(new, batch_size=1000)
    IdentityMatch.objects.bulk_update(changed, ["person", "model", "match_probability"],
                                      batch_size=1000)
    return len(new) + len(changed)


def _review_queue(plan) -> tuple[int, int]:
    """Unsure pairs not already in one person wait for review; decided pairs stay as they are."""
    weights = linkage_model.weights_of(plan.model)
    existing = {(r.identity_a_id, r.identity_b_id): r for r in ReviewPair.objects.all()}
    wanted, new, changed = set(), [], []
    for a, b, pair in plan.review:
        if plan.cluster_of.get(a) == plan.cluster_of.get(b):
            continue
        wanted.add((a, b))
        values = {"model_id": plan.model.pk, "match_weight": pair.match_weight,
                  "match_probability": pair.match_probability,
                  "contributions": linkage_model.contributions(weights, pair.gammas)}
        current = existing.get((a, b))
        if current is None:
            new.append(ReviewPair(identity_a_id=a, identity_b_id=b, created_at=clock.now(),
                                  **values))
        elif current.status == ReviewStatus.PENDING and any(
            getattr(current, f) != v for f, v in values.items()
        ):
            for f, v in values.items():
                setattr(current, f, v)
            changed.append(current)
    ReviewPair.objects.bulk_create(new, batch_size=1000)
    ReviewPair.objects.bulk_update(changed, ["model", "match_weight", "match_probability",
                                             "contributions"], batch_size=1000)
    stale = [r.pk for key, r in existing.items()
             if key not in wanted and r.status == ReviewStatus.PENDING]
    ReviewPair.objects.filter(pk__in=stale).delete()
    return len(wanted), len(new) + len(changed) + len(stale)
