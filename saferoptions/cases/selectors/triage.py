"""The Hub's triage queue and the one-screen picture of what partners know about a child."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from saferoptions.access import policy
from saferoptions.access.categories import Purpose
from saferoptions.audit.services import record
from saferoptions.contexts.models import Group, GroupMembership, Place
from saferoptions.core import clock
from saferoptions.core.models import Agency, Locality
from saferoptions.core.queues import Filter, QueueQuery, page_of, read_query
from saferoptions.events.models import Event, Involvement
from saferoptions.people.models import Identity, Person

from .. import timescales
from ..models import Concern, ConcernKind, ConcernSource, Revision, TriageOutcome
from ..models.triage import normal_reference
from ..titles import concern_title, concern_weight
from . import withheld
from .child import ChildCase, _summary


def may_triage(user) -> bool:
    return policy.has_duty(user, "triage_concerns")


def openable_concerns(user, ids) -> set[int]:
    """Which of these concerns `user` may open on the triage screen: the same rule as
    `concern_for_triage`, so a page links only what would not meet the 404."""
    if not may_triage(user) or not ids:
        return set()
    return set(Concern.objects.filter(_queue_q(user), pk__in=ids).values_list("pk", flat=True))


def _queue_q(user) -> Q:
    """Concerns in the user's locality queue about children the policy lets them triage."""
    people = policy.restrict(user, "list", Person.objects.all(), purpose=Purpose.TRIAGE)
    q = Q(person__in=people.values("pk")) | Q(person__isnull=True)
    if user.locality_id is not None:
        q &= Q(locality_id=user.locality_id)
    return q


WAITING_SORTS = (("due", "Decision due, soonest first"),
                 ("weight", "Weight of concern, heaviest first"),
                 ("raised", "Raised, newest first"))
DECIDED_SORTS = (("decided", "Decided, newest first"), ("raised", "Raised, newest first"))
WITHDRAWN_SORTS = (("withdrawn", "Withdrawn, newest first"), ("raised", "Raised, newest first"))
SHOWN = ("person", "referrer_agency", "locality")  # what each line of the queue shows
ORDER = {"due": ("due_at", "pk"), "raised": ("-raised_at", "-pk"),
         "decided": ("-decided_at", "-pk"), "withdrawn": ("-withdrawn_at", "-pk")}
# The queue's views: waiting (the default), recently decided, and withdrawn (kept on file).
SHOWS = {"decided": DECIDED_SORTS, "withdrawn": WITHDRAWN_SORTS}


def waiting(rows):
    """Concerns still waiting for the Hub: not decided and not withdrawn."""
    return rows.filter(outcome="", withdrawn_at__isnull=True)


def queue_filters(user) -> list[Filter]:
    """The triage queue's filters; a Hub practitioner with a locality has only their own."""
    specs = [
        Filter("kind", "What it is about", tuple(ConcernKind.choices), many=True),
        Filter("source", "How it was raised", tuple(ConcernSource.choices), many=True),
        Filter("agency", "From agency", tuple((str(pk), name) for pk, name in
                                              Agency.objects.values_list("pk", "name")),
               any_label="Any agency"),
        Filter("overdue", "Due", (("yes", "Overdue only"),), any_label="Any time"),
    ]
    if user.locality_id is None:
        specs.insert(0, Filter("locality", "Locality", tuple(
            (str(pk), name) for pk, name in Locality.objects.values_list("pk", "name")),
            any_label="Every locality"))
    return specs


def read_triage_query(user, params) -> QueueQuery:
    """The queue asked for; `ref` finds a concern by the reference its referrer quotes."""
    query = read_query(params, sorts=SHOWS.get(params.get("show"), WAITING_SORTS),
                       filters=queue_filters(user), keep=("show",))
    typed = (params.get("ref") or "").strip()
    if typed:
        reference = normal_reference(typed)
        if reference:
            query.keep["ref"] = (reference,)
        else:
            query.problems.append(("ref", "Referrer's reference: enter it as the referrer was "
                                          "told it, like C-ABCD-EFGH (8 letters and numbers "
                                          "after the C); the queue is shown instead."))
    return query


def searched_reference(query: QueueQuery) -> str:
    """The reference the Hub is looking for, if any (already checked and put in order)."""
    return (query.keep.get("ref") or ("",))[0]


@dataclass
class TriageQueue:
    paged: object  # core.queues.Paged of QueueRow
    query: QueueQuery
    decided: bool
    overdue: int = 0
    withdrawn: bool = False
    reference: str = ""  # the referrer's reference searched for, in every state


@dataclass
class QueueRow:
    concern: Concern
    title: str
    weight: int
    state: object  # timescales.ClockState of the decision


def _filtered(user, query: QueueQuery, rows):
    if query.values("kind"):
        rows = rows.filter(kind__in=query.values("kind"))
    if query.values("source"):
        rows = rows.filter(source__in=query.values("source"))
    if query.value("locality"):
        rows = rows.filter(locality_id=int(query.value("locality")))
    if query.value("overdue"):
        rows = rows.filter(due_at__lt=clock.now())
    if query.value("agency"):
        rows = rows.filter(_from_agency(user, int(query.value("agency"))))
    if searched_reference(query):
        rows = rows.filter(reference=searched_reference(query))
    return rows


def _from_agency(user, agency_id: int) -> Q:
    """The agency that referred it, or whose event raised it if the viewer may see that event
    (an event the viewer may not see never shows, even as a filter's match)."""
    seen = policy.restrict(user, "list", Event.objects.filter(
        reporting_agency_id=agency_id), purpose=Purpose.TRIAGE)
    return Q(referrer_agency_id=agency_id) | Q(event__in=seen.values("pk"))


def _by_weight(rows) -> list[int]:
    """Concern ids, heaviest first (then soonest due): the sum is read in Python."""
    found = rows.values_list("pk", "kind", "contributions", "due_at")
    ranked = sorted(found, key=lambda r: (-concern_weight(r[1], r[2]), r[3], r[0]))
    return [pk for pk, *_ in ranked]


def triage_queue(*, user, query: QueueQuery) -> TriageQueue:
    """One page of the locality's concerns (waiting, recently decided or withdrawn), as asked;
    a search by the referrer's reference looks in all three."""
    searched = searched_reference(query)
    # A referrer quoting their reference may ask after a concern decided or withdrawn.
    decided = query.keep.get("show") == ("decided",) and not searched
    withdrawn = query.keep.get("show") == ("withdrawn",) and not searched
    with transaction.atomic():
        rows = Concern.objects.filter(_queue_q(user))
        if decided:
            rows = rows.exclude(outcome="")
        elif withdrawn:
            rows = rows.filter(withdrawn_at__isnull=False)
        elif not searched:
            rows = waiting(rows)
        rows = _filtered(user, query, rows)
        overdue = (0 if decided or withdrawn or searched
                   else rows.filter(due_at__lt=clock.now()).count())
        if query.sort == "weight":
            paged = page_of(query, _by_weight(rows), what="concerns")
            found = Concern.objects.select_related(*SHOWN).in_bulk(paged.found.object_list)
            concerns = [found[pk] for pk in paged.found.object_list]
        else:
            paged = page_of(query, rows.select_related(*SHOWN).order_by(*ORDER[query.sort]),
                            what="concerns")
            concerns = list(paged.found.object_list)
        paged.found.object_list = [_row(c) for c in concerns]
        detail = {"page": paged.found.number, "total": paged.total}
        if searched:
            detail["reference"] = searched
        record(actor=user, action="list", object_type="concern",
               object_ids=[c.pk for c in concerns], purpose=Purpose.TRIAGE, detail=detail)
    return TriageQueue(paged, query, decided, overdue, withdrawn, searched)


def _row(concern: Concern) -> QueueRow:
    now = clock.now()
    return QueueRow(concern, concern_title(concern),
                    concern_weight(concern.kind, concern.contributions),
                    timescales.state(concern.raised_at, concern.due_at, concern.decided_at, now))


def new_since(*, user, since, query: QueueQuery) -> int:
    """How many concerns joined this view of the queue after `since` (for "3 new: show")."""
    with transaction.atomic():
        rows = _filtered(user, query, waiting(Concern.objects.filter(_queue_q(user))))
        ids = list(rows.filter(raised_at__gt=since).values_list("pk", flat=True)[:1000])
        record(actor=user, action="list", object_type="concern", object_ids=ids,
               purpose=Purpose.TRIAGE, detail={"new_since": since.isoformat()})
    return len(ids)


HUMAN_SOURCES = (ConcernSource.PARTNER_REFERRAL, ConcernSource.PRACTITIONER)


def may_withdraw_as_referrer(user, concern: Concern) -> bool:
    """The person who raised it, or a practitioner of the agency that referred it by hand.

    A concern a rule raised (a feed rule, small concerns adding up) is the Hub's to withdraw:
    nobody at the agency whose feed tipped the rule chose to raise it.
    """
    if concern.raised_by_id is not None and concern.raised_by_id == user.pk:
        return True
    return (concern.source in HUMAN_SOURCES and user.agency_id is not None
            and concern.referrer_agency_id == user.agency_id
            and policy.has_duty(user, "work_with_children"))


@dataclass
class Withdrawal:
    """A concern someone may withdraw, and whether they do it as the Hub or as its referrer."""

    concern: Concern
    by_hub: bool


def concern_to_withdraw(*, user, pk: int) -> Withdrawal | None:
    """The concern by its number if the Hub `user` may withdraw it from its queue (None: the
    common 404 for absent or not allowed). The number is the Hub's: a referrer withdraws by
    the reference they were told (`my_concern_to_withdraw`), so the number means nothing to
    them and probing it tells them nothing."""
    with transaction.atomic():
        concern = (Concern.objects.filter(_queue_q(user), pk=pk).first()
                   if may_triage(user) else None)
        return _withdrawal(user, Withdrawal(concern, True) if concern else None, str(pk))


def my_concern_to_withdraw(*, user, reference: str) -> Withdrawal | None:
    """The concern by the reference its referrer was told, if `user` may withdraw it as its
    referrer (None: the common 404). They see only what they reported, never the child's
    record."""
    reference = normal_reference(reference)
    with transaction.atomic():
        concern = (Concern.objects.filter(reference=reference)
                   .select_related("referrer_agency").first() if reference else None)
        allowed = concern is not None and may_withdraw_as_referrer(user, concern)
        return _withdrawal(user, Withdrawal(concern, False) if allowed else None,
                           reference or "")


def _withdrawal(user, found: Withdrawal | None, asked: str) -> Withdrawal | None:
    """Audit the look: a refusal with what was asked for, a view with the concern's id."""
    if found is None:
        record(actor=user, action="deny", object_type="concern", outcome="denied",
               purpose=Purpose.TRIAGE, detail={"reference": asked[:40], "to": "withdraw"})
        return None
    record(actor=user, action="view", object_type="concern", object_ids=[found.concern.pk],
           purpose=Purpose.TRIAGE if found.by_hub else Purpose.DIRECT_WORK,
           detail={"to": "withdraw"})
    return found


def raised_by_me(user) -> list[Concern]:
    """The open concerns this user raised (or their agency referred by hand): theirs to
    withdraw if raised in error. Only what they reported shows, never the child's record."""
    q = Q(raised_by=user)
    if user.agency_id is not None and policy.has_duty(user, "work_with_children"):
        q |= Q(referrer_agency_id=user.agency_id, source__in=HUMAN_SOURCES)
    with transaction.atomic():
        rows = list(waiting(Concern.objects.filter(q)).order_by("-raised_at")[:50])
        record(actor=user, action="list", object_type="concern",
               object_ids=[c.pk for c in rows], purpose=Purpose.DIRECT_WORK,
               detail={"raised_by_me": True})
    return rows


@dataclass
class TriagePicture:
    """One concern and, when the child is known, what partners know, on one screen."""

    concern: Concern
    summary: object = None
    identities: list = field(default_factory=list)
    events: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    raised_by: list = field(default_factory=list)  # the events behind it the viewer may see
    raised_by_withheld: list = field(default_factory=list)  # "2 police records ...: ask ..."
    events_withheld: list = field(default_factory=list)  # the same, for the recent events
    title: str = ""
    group_choices: list = field(default_factory=list)
    place_choices: list = field(default_factory=list)
    history: list = field(default_factory=list)  # each correction of the decision, in words


def concern_for_triage(*, user, pk: int) -> TriagePicture | None:
    """The concern and the partners' picture (None: the same 404 for absent or not allowed)."""
    with transaction.atomic():
        concern = None
        if may_triage(user):
            concern = Concern.objects.filter(_queue_q(user), pk=pk).select_related(
                "person", "referrer_agency", "event").first()
        if concern is None:
            record(actor=user, action="deny", object_type="concern", outcome="denied",
                   purpose=Purpose.TRIAGE, detail={"reference": str(pk)})
            return None
        picture = _picture(user, concern)
        record(actor=user, action="view", object_type="concern", object_ids=[concern.pk],
               purpose=Purpose.TRIAGE, detail={
                   "person": concern.person_id, "events": [e.pk for e in picture.events],
                   "raised_by": [e.pk for e in picture.raised_by],
                   "withheld": len(picture.raised_by_withheld)
                   + len(picture.events_withheld)})
    return picture


def _picture(user, concern: Concern) -> TriagePicture:
    picture = TriagePicture(concern=concern, title=concern_title(concern))
    picture.group_choices = list(policy.restrict(user, "list", Group.objects.all())[:200])
    picture.place_choices = list(policy.restrict(user, "list", Place.objects.all())[:200])
    picture.history = decision_history(user, concern)
    if concern.person is None:
        return picture
    decision = policy.decision_for(user, concern.person, purpose=Purpose.TRIAGE)
    if decision is None:
        return picture
    picture.summary = _summary(ChildCase(concern.person, decision))
    picture.identities = list(policy.record_rows(decision, Identity.objects.all())
                              .select_related("agency"))
    picture.events = list(policy.record_rows(decision, Event.objects.all())
                          .select_related("reporting_agency", "place")
                          .order_by("-occurred_at")[:50])
    picture.groups = list(policy.record_rows(decision, GroupMembership.objects.all())
                          .select_related("group"))
    _evidence(picture, decision)
    return picture


@dataclass
class Correction:
    """One correction of the Hub's decision: who, when, why, and each change in words."""

    by: object
    at: object
    reason: str
    changes: list  # (what, was, now) in words


CHANGED_WORDS = {"outcome": "Decision", "outcome_reasons": "Reasons", "group_id": "Group",
                 "place_id": "Place"}


def decision_history(user, concern: Concern) -> list[Correction]:
    """The corrections of the concern's decision, oldest first. A group or place is named only
    if the viewer may list it (otherwise "one you may not see")."""
    revisions = list(Revision.objects.filter(object_type="concern", object_id=concern.pk)
                     .select_related("saved_by").order_by("version"))
    ids = {"group_id": set(), "place_id": set()}
    for r in revisions:
        for key in ids:
            ids[key] |= {v for v in r.changed.get(key, ()) if v}
    names = {
        "group_id": dict(policy.restrict(user, "list", Group.objects.filter(
            pk__in=ids["group_id"])).values_list("pk", "name")) if ids["group_id"] else {},
        "place_id": dict(policy.restrict(user, "list", Place.objects.filter(
            pk__in=ids["place_id"])).values_list("pk", "name")) if ids["place_id"] else {},
    }
    outcomes = dict(TriageOutcome.choices)

    def words(key, value) -> str:
        if key == "outcome":
            return outcomes.get(value, value or "None")
        if key in names:
            return "None" if not value else names[key].get(value, "One you may not see")
        return value or "None"

    return [Correction(r.saved_by, r.saved_at, r.reason, [
        (CHANGED_WORDS.get(key, key), words(key, old), words(key, new))
        for key, (old, new) in sorted(r.changed.items(), key=lambda kv: list(
            CHANGED_WORDS).index(kv[0]) if kv[0] in CHANGED_WORDS else 99)])
        for r in revisions]


def events_behind(concern: Concern) -> set[int]:
    """The events that raised the concern: the one that tipped the rule, or each event (and
    each concern's event) that added up to small concerns."""
    ids = {concern.event_id} if concern.event_id else set()
    parts = concern.contributions or []
    ids |= {p["id"] for p in parts if p.get("type") == "event"}
    others = [p["id"] for p in parts if p.get("type") == "concern"]
    if others:
        ids |= set(Concern.objects.filter(pk__in=others, event__isnull=False)
                   .values_list("event_id", flat=True))
    return ids


def _evidence(picture: TriagePicture, decision) -> None:
    """The events behind the concern as the policy shows them, and honest counts of the rest
    (this viewer may open the child, so a gap is theirs to know about)."""
    person, events = picture.concern.person, Event.objects
    behind = events_behind(picture.concern)
    picture.raised_by = list(policy.record_rows(decision, events.filter(pk__in=behind))
                             .select_related("reporting_agency", "place")
                             .order_by("-occurred_at"))
    picture.raised_by_withheld = withheld.notices(
        person, behind - {e.pk for e in picture.raised_by})
    every = set(Involvement.objects.filter(person=person).values_list("event_id", flat=True))
    seen = set(policy.record_rows(decision, events.filter(pk__in=every))
               .values_list("pk", flat=True))
    picture.events_withheld = withheld.notices(person, every - seen)
