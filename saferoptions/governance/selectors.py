"""Reads for governance: records due for review, and everything held about one person.

Every read of a person's data for a subject access request goes through the access policy
with the SUBJECT_ACCESS purpose (`subject_access_records`), so a DPO export shows what the
policy allows and nothing the policy would hide.
"""

import dataclasses
import datetime as dt

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.events.models import Event, Involvement
from saferoptions.people.models import Identity, Person, Relationship
from saferoptions.people.names import by_family_name

from . import sar_reads, subject_access
from .models import LegalHold, RetentionRule
from .retention import review_date


@dataclasses.dataclass(frozen=True)
class DueForReview:
    """One person's record reaching its review date."""

    person_id: int
    category: str
    last_contact: dt.date
    review_date: dt.date
    on_hold: bool


def held_person_ids() -> set[int]:
    """People under an active legal hold."""
    return set(
        LegalHold.objects.filter(released_at__isnull=True).values_list("person_id", flat=True)
    )


def _latest(queryset, field: str) -> Subquery:
    return Subquery(queryset.filter(person=OuterRef("pk")).order_by(f"-{field}").values(field)[:1])


def last_contacts(people) -> "QuerySet":  # noqa: F821
    """People with the dates the last contact is read from (latest event, latest record)."""
    return people.annotate(
        last_event=_latest(Involvement.objects.all(), "event__occurred_at"),
        last_recorded=_latest(Identity.objects.all(), "recorded_at"),
    )


def last_contact_of(row) -> dt.date:
    """The latest of the person's events, their agencies' records and their own creation."""
    moments = [m for m in (row.last_event, row.last_recorded, row.created_at) if m]
    return max(moments).date()


def records_due_for_review(*, on: dt.date | None = None, horizon_days: int | None = None):
    """People whose record reaches its review date by `on` + horizon, soonest first."""
    on = on or clock.today()
    horizon = settings.RETENTION_REVIEW_HORIZON_DAYS if horizon_days is None else horizon_days
    until = on + dt.timedelta(days=horizon)
    rules = {rule.category: rule for rule in RetentionRule.objects.all()}
    held = held_person_ids()
    due = []
    people = last_contacts(Person.objects.filter(merged_into__isnull=True))
    for row in people.only("id", "kind", "date_of_birth", "created_at").iterator(chunk_size=2000):
        rule = rules.get(row.kind)
        if rule is None:
            continue
        contact = last_contact_of(row)
        when = review_date(rule, last_contact=contact, date_of_birth=row.date_of_birth)
        if when <= until:
            due.append(DueForReview(row.pk, row.kind, contact, when, row.pk in held))
    return sorted(due, key=lambda item: (item.review_date, item.person_id))


@dataclasses.dataclass(frozen=True)
class RecordShown:
    """Who a record due for review is, as the DPO sees them to decide on its disposal."""

    person: Person
    agencies: list[str]  # the agencies whose records of them are held, by name


def review_details(user, person_ids) -> dict[int, RecordShown]:
    """The people on the review list as the policy lets the DPO see them for oversight (the
    AUDIT purpose: the DPO's governance reads), with the agencies holding their records. The
    caller audits the read. A person the policy does not give is missing from the answer."""
    purpose = policy.Purpose.AUDIT
    people = policy.restrict(user, "list", Person.objects.filter(pk__in=person_ids),
                             purpose=purpose)
    identities = policy.restrict(user, "list", Identity.objects.filter(person__in=people),
                                 purpose=purpose).select_related("agency")
    agencies: dict[int, set[str]] = {}
    for identity in identities:
        agencies.setdefault(identity.person_id, set()).add(identity.agency.name)
    return {p.pk: RecordShown(p, sorted(agencies.get(p.pk, ()))) for p in people}


@dataclasses.dataclass(frozen=True)
class DisposalPreview:
    """What a disposal of one record would take away, shown before the DPO confirms it."""

    person: Person
    merged: list[int]  # records merged into theirs, which go with them
    records: list[tuple[str, int]]  # (agency, how many of its records of them)
    events: int  # events they are in: kept for the others in them, their names removed
    due: DueForReview | None  # None: no retention rule covers the record's category
    rule: str


def disposal_preview(user, person_id: int) -> DisposalPreview:
    """One record as the DPO confirms its disposal, read through the policy for oversight
    (AUDIT) and audited; a person the policy does not give, or merged into another, is the
    same 404 as nobody."""
    purpose = policy.Purpose.AUDIT
    with transaction.atomic():
        person = policy.get_or_404(
            user, "view", Person.objects.filter(merged_into__isnull=True), purpose=purpose,
            pk=person_id)
        people = same_human(person)
        identities = list(policy.restrict(
            user, "view", Identity.objects.filter(person__in=people), purpose=purpose,
        ).select_related("agency"))
        events = policy.restrict(
            user, "view", Event.objects.filter(involvements__person__in=people), purpose=purpose,
        ).distinct().count()
        record(actor=user, action="view", object_type="person",
               object_ids=[p.pk for p in people], purpose=purpose,
               detail={"page": "disposal", "identities": [i.pk for i in identities]})
    rule = RetentionRule.objects.filter(category=person.kind).first()
    counts: dict[str, int] = {}
    for identity in identities:
        counts[identity.agency.name] = counts.get(identity.agency.name, 0) + 1
    held = bool(held_person_ids() & {p.pk for p in people})
    return DisposalPreview(
        person=person, merged=[p.pk for p in people[1:]], records=sorted(counts.items()),
        events=events, due=_due(person, rule, held=held), rule=rule.summary() if rule else "")


def _due(person: Person, rule, *, held: bool) -> DueForReview | None:
    if rule is None:
        return None
    row = last_contacts(Person.objects.filter(pk=person.pk)).get()
    contact = last_contact_of(row)
    when = review_date(rule, last_contact=contact, date_of_birth=person.date_of_birth)
    return DueForReview(person.pk, person.kind, contact, when, held)


def same_human(person: Person) -> list[Person]:
    """The person and every record merged into them (the same real human)."""
    found, frontier = [person], [person]
    while frontier:
        frontier = list(Person.objects.filter(merged_into__in=frontier))
        found.extend(frontier)
    return found


SEARCH_PAGE_SIZE = 50


def subject_access_search(user, query: str, page=1):
    """A page of the people whose names hold every word of `query`, found for a subject
    access request: read through the policy with the SUBJECT_ACCESS purpose (the DPO's duty
    in the role table), never the practitioners' direct work, and audited as that purpose."""
    purpose = policy.Purpose.SUBJECT_ACCESS
    people = policy.restrict(
        user, "search", Person.objects.filter(merged_into__isnull=True), purpose=purpose
    )
    for word in query.split():
        people = people.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    with transaction.atomic():
        found = Paginator(
            people.order_by(*by_family_name()), SEARCH_PAGE_SIZE
        ).get_page(page)
        found.object_list = list(found.object_list)
        record(actor=user, action="search", object_type="person",
               object_ids=[p.pk for p in found.object_list], purpose=purpose,
               detail={"page": found.number, "total": found.paginator.count})
    return found


def subject_access_file(user, person_id: int, *, action: str = "export",
                        detail: dict | None = None) -> tuple[dict, dict]:
    """(records, export) for one person, audited in the same transaction: `action` is
    "export" for a download, "view" for the DPO's review page. Ids only in the audit row."""
    with transaction.atomic():
        records = subject_access_records(user, person_id)
        body = subject_access.export(records)
        casework = {key: [row.pk for row in found.rows]
                    for key, found in records["casework"].items() if found.rows}
        record(actor=user, action=action, object_type="person",
               object_ids=[p.pk for p in records["people"]],
               purpose=policy.Purpose.SUBJECT_ACCESS,
               detail={**(detail or {}),
                       "identities": [i.pk for i in records["identities"]],
                       "events": [e.pk for e in records["events"]],
                       "casework": casework,
                       "access_log_entries": len(records["access_log"]),
                       # Other people's records read only to remove their names from the file.
                       "redacted_identities": [i.pk for i in records["third_party_identities"]]})
    return records, body


def subject_access_records(user, person_id: int) -> dict:
    """Everything held about one person, read through the access policy for subject access."""
    purpose = policy.Purpose.SUBJECT_ACCESS
    person = policy.get_or_404(user, "export", Person.objects.all(), purpose=purpose, pk=person_id)
    people = same_human(person)
    identities = policy.restrict(
        user, "export", Identity.objects.filter(person__in=people), purpose=purpose
    ).select_related("agency", "school")
    events = (
        policy.restrict(
            user,
            "export",
            Event.objects.filter(involvements__person__in=people),
            purpose=purpose,
        )
        .distinct()
        .select_related("reporting_agency")
        .prefetch_related("involvements__person", "involvements__identity")
    )
    # Ties are recorded from either side, between identity records (the person fields are
    # filled only once both are linked); both sides' records are about the subject.
    relationships = Relationship.objects.filter(
        Q(person__in=people) | Q(other__in=people)
        | Q(identity__person__in=people) | Q(other_identity__person__in=people)
    ).select_related("source", "person", "other", "identity", "other_identity")
    records = {
        "person": person,
        "people": people,
        "identities": list(identities),
        "events": list(events.order_by("occurred_at")),
        "relationships": list(relationships),
        "casework": sar_reads.casework(user, people),
        "access_log": sar_reads.access_log(people),
    }
    records["intelligence_reports"] = sar_reads.intelligence_reports(
        user, records["casework"]["intelligence"].rows)
    records.update(third_parties(records))
    return records


def third_parties(records: dict) -> dict:
    """Everyone else the export touches, with every name any agency holds for them (aliases).

    Read only so their names can be removed from the export, never to show them; not narrowed
    by the policy, because a name the policy hid from this read would stay in the free text.
    """
    own = {p.pk for p in records["people"]}
    people_ids, unlinked = set(), []
    for holder in _other_sides(records):
        if isinstance(holder, Person):
            people_ids.add(holder.pk)
        elif holder.person_id is not None:
            people_ids.add(holder.person_id)
        else:
            unlinked.append(holder)  # an agency's record not yet matched to anyone
    people_ids = _merge_family(people_ids) - own
    return {
        "third_party_people": list(Person.objects.filter(pk__in=people_ids)),
        "third_party_identities": unlinked + list(
            Identity.objects.filter(person__in=people_ids).exclude(person__in=own)
        ),
    }


def _other_sides(records: dict):
    own = {p.pk for p in records["people"]}
    for event in records["events"]:
        for involvement in event.involvements.all():
            if involvement.person_id not in own:
                yield from (h for h in (involvement.person, involvement.identity) if h)
    for tie in records["relationships"]:
        for holder in (tie.person, tie.other, tie.identity, tie.other_identity):
            if holder is not None and getattr(holder, "person_id", holder.pk) not in own:
                yield holder


def _merge_family(person_ids: set[int]) -> set[int]:
    """The people and every record merged into them or that they were merged into."""
    found, frontier = set(person_ids), set(person_ids)
    while frontier:
        linked = Person.objects.filter(Q(pk__in=frontier) | Q(merged_into__in=frontier))
        pairs = linked.values_list("pk", "merged_into_id")
        frontier = {i for pair in pairs for i in pair if i is not None} - found
        found |= frontier
    return found
