"""Governance changes: legal holds and disposal. Each is one audited transaction."""

from django.apps import apps
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError

from saferoptions.access.models import BreakGlassGrant
from saferoptions.audit.services import record
from saferoptions.cases.models import MeetingAttendance, TeamAroundChildMember
from saferoptions.contexts.models import GroupMembership
from saferoptions.core import clock
from saferoptions.events.models import Involvement
from saferoptions.linkage.models import IdentityMatch, PersonMerge, ReviewPair, UnmatchedIdentity
from saferoptions.people.models import Identity, Person, Relationship

from . import casework, scrub
from .models import DisposalTombstone, LegalHold, RetentionRule
from .retention import review_date
from .selectors import held_person_ids, last_contact_of, last_contacts, same_human


class GovernanceRefused(Exception):
    """A governance action was refused; the message says why, in the DPO's words.

    `reason` (a code) and `detail` (ids only) go into the audit row of a refused disposal.
    """

    def __init__(self, message: str, *, reason: str = "", detail: dict | None = None):
        super().__init__(message)
        self.reason, self.detail = reason, detail or {}


class LegalHoldInPlace(GovernanceRefused):
    """Disposal refused: a legal hold stands on the person."""


class StillInUse(GovernanceRefused):
    """Disposal refused: work about the person is still open (a task, a concern, a plan...)."""


def place_legal_hold(*, actor, person_id: int, reason: str) -> LegalHold:
    """Put a hold on everything about one person."""
    reason = (reason or "").strip()
    if not reason:
        raise GovernanceRefused("reason: give the reason for the hold (e.g. an inquiry reference)")
    with transaction.atomic():
        # Locking the person serialises this with a disposal checking for holds.
        if Person.objects.select_for_update().filter(pk=person_id).first() is None:
            raise GovernanceRefused(f"person: there is no person {person_id}")
        hold = LegalHold.objects.create(
            person_id=person_id, reason=reason[:200], placed_by=actor, placed_at=clock.now()
        )
        record(
            actor=actor,
            action="legal_hold",
            object_type="person",
            object_ids=[person_id],
            purpose="governance",
            detail={"legal_hold": hold.pk},
        )
    return hold


def release_legal_hold(*, actor, hold_id: int) -> LegalHold:
    """End a hold; the record can be disposed of again once it is due."""
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(pk=hold_id).first()
        if hold is None or not hold.is_active:
            raise GovernanceRefused(f"hold: there is no active legal hold {hold_id}")
        hold.released_by, hold.released_at = actor, clock.now()
        hold.save(update_fields=["released_by", "released_at"])
        record(
            actor=actor,
            action="release_hold",
            object_type="person",
            object_ids=[hold.person_id],
            purpose="governance",
            detail={"legal_hold": hold.pk},
        )
    return hold


def dispose_person(*, actor, person_id: int) -> DisposalTombstone:
    """Remove a person, their closed work and everything that is theirs alone; scrub them
    from what is shared.

    Their identities, involvements, relationships, linkage rows, merge log and memberships are
    deleted, and so are their closed tasks, concerns, assessments, plans, clocks, meetings and
    NRM referrals (`casework`); work also about others is kept with the child detached.
    Events, feed messages, other children's concerns and groups they appear in are kept for
    others with the child's names removed (see `scrub`). A tombstone and an audit row say how
    many of each, by id only. A refusal (a legal hold, open work, a record disposal does not
    know) changes nothing and is audited as a denied disposal.
    """
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if person is None:
            raise GovernanceRefused(f"person: there is no person {person_id}")
        if person.merged_into_id:
            raise GovernanceRefused(
                f"person {person_id} was merged into person {person.merged_into_id}: "
                "dispose of that record, which holds theirs"
            )
        people = same_human(person)
        list(Person.objects.select_for_update().filter(pk__in=[p.pk for p in people]))
        refusal = _refusal(person_id, [p.pk for p in people])
        if refusal is None:
            try:
                with transaction.atomic():  # a refusal found while removing undoes it all
                    return _dispose(actor, person, people)
            except GovernanceRefused as found:
                refusal = found
        # The refusal is audited and committed; the exception is raised once it is.
        record(
            actor=actor,
            action="dispose",
            object_type="person",
            object_ids=[person_id],
            purpose="governance",
            outcome="denied",
            detail={"reason": refusal.reason, **refusal.detail},
        )
    raise refusal


def _refusal(person_id: int, ids: list[int]) -> GovernanceRefused | None:
    """Why this disposal cannot go ahead now, checked before anything changes."""
    held = _held(person_id, ids)
    if held:
        return LegalHoldInPlace(held[1], reason=held[0])
    in_use = casework.still_in_use(ids)
    if in_use:
        return StillInUse(
            f"person {person_id}: still in use: {casework.in_use_words(in_use)}; "
            "close them first",
            reason="still_in_use", detail={"open": in_use},
        )
    unknown = casework.unclassified_rows(ids)
    if unknown:
        return GovernanceRefused(
            f"person {person_id}: records disposal does not know whether to delete or keep "
            f"refer to theirs ({casework.unclassified_words(unknown)}); classify them in "
            "governance/casework.py first",
            reason="unclassified_records", detail={"unclassified": unknown},
        )
    return None


def _held(person_id: int, ids: list[int]) -> tuple[str, str] | None:
    """Why a legal hold stops this disposal: one on the person, or on someone whose events
    disposal would rewrite (a held record must stay exactly as it was)."""
    if LegalHold.objects.filter(person_id__in=ids, released_at=None).exists():
        return "legal_hold", f"person {person_id} is under a legal hold"
    theirs = Q(person__in=ids) | Q(identity__person__in=ids)
    events = Involvement.objects.filter(theirs).values("event_id")
    others = set(
        Involvement.objects.filter(event__in=events, person__isnull=False)
        .exclude(person__in=ids)
        .values_list("person_id", flat=True)
    )
    held = sorted(others & _held_humans())
    if not held:
        return None
    return "legal_hold_on_shared_event", (
        f"person {person_id}: an event they were in is also in the record of person {held[0]}, "
        "which is under a legal hold, and disposal would change it"
    )


def _held_humans() -> set[int]:
    """Everyone under a hold, and the people their held records were merged into."""
    found, frontier = set(), held_person_ids()
    while frontier:
        found |= frontier
        merged = Person.objects.filter(pk__in=frontier, merged_into__isnull=False)
        frontier = set(merged.values_list("merged_into_id", flat=True)) - found
    return found


def _dispose(actor, person: Person, people: list[Person]) -> DisposalTombstone:
    rule = RetentionRule.objects.filter(category=person.kind).first()
    due = _review_date(rule, person)
    ids, person_id = [p.pk for p in people], person.pk
    identities = list(Identity.objects.filter(person__in=ids).values_list("pk", flat=True))
    traces = scrub.gather(ids, identities)  # read before the rows it reads from go
    try:
        work = casework.remove(ids, traces)
        removed = {kind: len(rows) for kind, rows in work.items()}
        for kind, count in _remove(people, ids, identities).items():
            removed[kind] = removed.get(kind, 0) + count  # e.g. agenda items: some go first
    except (ProtectedError, RestrictedError) as exc:
        objects = getattr(exc, "protected_objects", None) or exc.restricted_objects
        metas = {obj._meta for obj in objects}
        names = sorted(f"{meta.verbose_name_plural} ({meta.label})" for meta in metas)
        raise GovernanceRefused(
            f"person {person_id}: other records still refer to them ({', '.join(names)}); "
            "dispose of or detach those first",
            reason="still_referred_to", detail={"models": sorted(m.label for m in metas)},
        ) from exc
    tombstone = DisposalTombstone.objects.create(
        record_type="person",
        record_id=person_id,
        category=person.kind,
        rule=rule,
        rule_summary=rule.summary() if rule else "no rule for this category",
        review_date=due,
        disposed_at=clock.now(),
        disposed_by=actor,
        removed=removed,
    )
    scrubbed = scrub.scrub(traces, tombstone=tombstone.pk)
    tombstone.removed = {**removed, **{kind: len(rows) for kind, rows in scrubbed.items()}}
    tombstone.save(update_fields=["removed"])
    record(
        actor=actor,
        action="dispose",
        object_type="person",
        object_ids=ids,
        purpose="governance",
        detail={"tombstone": tombstone.pk, "identities": identities, **work, **scrubbed},
    )
    return tombstone


# Rows that are only about the person, deleted (and counted) with them, in partners' words.
WITH_THE_PERSON = [
    ("group_memberships", GroupMembership),
    ("team_around_child", TeamAroundChildMember),
    ("meeting_attendances", MeetingAttendance),
    ("break_glass_grants", BreakGlassGrant),
]


def _remove(people, ids, identities) -> dict:
    """Delete the rows and count them by kind."""
    either = Q(identity_a__in=identities) | Q(identity_b__in=identities)
    removed = {
        "relationships": _delete(Relationship.objects.filter(_ties(ids, identities))),
        "involvements": _delete(
            Involvement.objects.filter(Q(person__in=ids) | Q(identity__in=identities))
        ),
        # Linkage's queues and reasons name the identities; the merge log names the people.
        "review_pairs": _delete(ReviewPair.objects.filter(either)),
        "unmatched_identities": _delete(UnmatchedIdentity.objects.filter(identity__in=identities)),
        "identity_matches": _delete(
            IdentityMatch.objects.filter(Q(identity__in=identities) | Q(person__in=ids))
        ),
        "person_merges": _delete(
            PersonMerge.objects.filter(Q(from_person__in=ids) | Q(to_person__in=ids))
        ),
        **{kind: _delete(model.objects.filter(person__in=ids)) for kind, model in WITH_THE_PERSON},
        "identities": _delete(Identity.objects.filter(pk__in=identities)),
    }
    # Absorbed records point at their survivor: the last found go first.
    for absorbed in reversed(people):
        for label, count in absorbed.delete()[1].items():
            if count and label != Person._meta.label:  # a later model cascading from a person
                kind = casework.kind_name(apps.get_model(label))
                removed[kind] = removed.get(kind, 0) + count
    removed["people"] = len(people)
    return removed


def _ties(person_ids, identity_ids) -> Q:
    q = Q(person__in=person_ids) | Q(other__in=person_ids)
    names = {f.name for f in Relationship._meta.get_fields()}
    if {"identity", "other_identity"} <= names:
        q |= Q(identity__in=identity_ids) | Q(other_identity__in=identity_ids)
    return q


def _delete(queryset) -> int:
    return queryset.delete()[0]


def _review_date(rule, person: Person):
    if rule is None:
        return None
    row = last_contacts(Person.objects.filter(pk=person.pk)).get()
    return review_date(rule, last_contact=last_contact_of(row), date_of_birth=person.date_of_birth)
