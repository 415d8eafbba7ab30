"""Every read of intelligence: through the access policy, with its audit row, in one transaction."""

import datetime as dt

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.cases import accumulation
from saferoptions.contexts.models import CaseStatus, ContextCase, Group, Place
from saferoptions.core.queues import page_of
from saferoptions.events.models import Event, Involvement
from saferoptions.people import selectors as people_selectors
from saferoptions.people.models import Person

from .models import Grading, IntelligenceLink, IntelligenceReport, SanitisedIntelligence, Status

OBJECT_TYPE = "intelligence_report"
SHARED_TYPE = "sanitised_intelligence"


def _page(queryset, number):
    return Paginator(queryset, settings.INTELLIGENCE_PAGE_SIZE).get_page(number)


def _audit(user, action, object_type, ids, outcome="ok", purpose="", **detail) -> None:
    record(actor=user, action=action, object_type=object_type, object_ids=list(ids),
           outcome=outcome, purpose=purpose, detail=detail)


# --- the originals: the analysts who grade -----------------------------------------------------

@transaction.atomic
def queue(user, *, page=None, show: str = "open"):
    """The Hub's queue: reports still to finish, oldest first (or all of them)."""
    rows = policy.restrict(user, "list", IntelligenceReport.objects.all())
    if show == "open":
        rows = rows.exclude(status=Status.ACTED_ON)
    found = _page(rows.select_related("place").order_by("received_at", "pk"), page)
    _audit(user, "intelligence_list", OBJECT_TYPE, [r.pk for r in found])
    return found


@transaction.atomic
def original(user, pk) -> IntelligenceReport | None:
    """One original, with who raised it (analysts only); None: absent or not allowed."""
    rows = policy.restrict(user, "view", IntelligenceReport.objects.select_related(
        "submitted_by", "submitter_agency", "place", "grading_agency"))
    report = rows.filter(pk=pk).first()
    _audit(user, "intelligence_view" if report else "deny", OBJECT_TYPE, [pk],
           outcome="ok" if report else "denied")
    return report


def history(report) -> list[Grading]:
    """Every grading version, newest first (read with the original, already audited)."""
    return list(report.gradings.select_related("graded_by").prefetch_related("shared_with")
                .order_by("-version"))


def links_shown(user, report) -> list[dict]:
    """The report's links, with each person and event only as far as the analyst may see them,
    and each place with its open place review (a place case the analyst may open), if any.
    Links unlinked in error are among them (`link.unlinked_at`), kept on file."""
    links = list(report.links.select_related("person", "place", "group", "unlinked_by"))
    people = [lk.person_id for lk in links if lk.person_id]
    seen = people_selectors.shown_people(user=user, people=policy.restrict(
        user, "view", Person.objects.filter(pk__in=people)))  # names only where granted
    events = {e.pk: e for e in policy.restrict(user, "view", Event.objects.filter(
        pk__in=[lk.event_id for lk in links if lk.event_id])).select_related("reporting_agency")}
    reviews = {case.place_id: case for case in policy.restrict(
        user, "view", ContextCase.objects.filter(
            place__in=[lk.place_id for lk in links if lk.place_id]))
        .exclude(status=CaseStatus.CLOSED).order_by("opened_at")}
    return [{**_link_row(lk, seen, reviews, events), "link": lk} for lk in links]


def _link_row(link, seen, reviews, events) -> dict:
    if link.person_id:
        person = seen.get(link.person_id) or policy.mask()
        return {"kind": "Person", "person": person}
    if link.place_id:
        return {"kind": "Place", "label": link.place.name, "place": link.place,
                "review": reviews.get(link.place_id)}
    if link.event_id:
        event = events.get(link.event_id)
        return {"kind": "Event", "label": event_label(event) if event
                else "An event you may not see"}
    return {"kind": "Group", "label": link.group.name}


def event_label(event) -> str:
    """An event as partners name it: what, when, and whose reference."""
    at = timezone.localtime(event.occurred_at)
    return (f"{event.get_event_type_display()} on {at.day} {at:%b %Y}, "
            f"{event.reporting_agency.name} reference {event.source_reference}")


def events_to_offer(user, report, *, limit: int = 10) -> list:
    """Events the report may corroborate, for the analyst to link: at the places it is linked
    to, or involving the children it is linked to, that the analyst may see and that are not
    linked yet; the most recent first. Audited when any are shown."""
    links = report.links.live()
    near = (Q(place_id__in=links.filter(place__isnull=False).values("place_id"))
            | Q(pk__in=Involvement.objects.filter(
                person_id__in=links.filter(person__isnull=False).values("person_id"))
                .values("event_id")))
    found = list(policy.restrict(user, "view", Event.objects.filter(near))
                 .exclude(pk__in=links.filter(event__isnull=False).values("event_id"))
                 .select_related("reporting_agency").order_by("-occurred_at", "-pk")[:limit])
    if found:
        _audit(user, "intelligence_event_offers", "event", [e.pk for e in found],
               report=report.pk)
    return found


def events_by_reference(user, reference: str) -> list:
    """Events the analyst may see whose reporting agency's reference is `reference`."""
    reference = (reference or "").strip()
    if not reference:
        return []
    return list(policy.restrict(user, "view", Event.objects.filter(
        source_reference__iexact=reference))[:2])


# --- what the person who raised it sees --------------------------------------------------------

@transaction.atomic
def my_submissions(user, *, page=None):
    """The user's own submissions: reference, when, status and the Hub's message. Nothing of
    the grading, the sanitised version or who it was linked to."""
    rows = (IntelligenceReport.objects.filter(submitted_by=user)
            .only("pk", "reference", "received_at", "status", "status_changed_at",
                  "message_to_referrer", "channel"))
    found = _page(rows.order_by("-received_at", "-pk"), page)
    _audit(user, "intelligence_own_list", OBJECT_TYPE, [r.pk for r in found])
    return found


# --- sanitised versions: shared by handling code -----------------------------------------------

def _shared(user):
    return policy.restrict(user, "list", SanitisedIntelligence.objects.select_related(
        "original", "place"))


@transaction.atomic
def shared_items(user, *, page=None):
    """The sanitised versions the user may read, newest first."""
    found = _page(_shared(user).order_by("-written_at", "-pk"), page)
    _audit(user, "intelligence_shared_list", SHARED_TYPE, [s.pk for s in found])
    return found


@transaction.atomic
def shared_item(user, pk) -> dict | None:
    """One sanitised version, its entities, and the people linked that the user may see."""
    item = _shared(user).filter(pk=pk).first()
    _audit(user, "intelligence_shared_view" if item else "deny", SHARED_TYPE, [pk],
           outcome="ok" if item else "denied")
    if item is None:
        return None
    people = IntelligenceLink.objects.live().filter(report=item.original_id,
                                                    person__isnull=False)
    visible = people_selectors.in_name_order(user=user, people=policy.restrict(
        user, "view", Person.objects.filter(pk__in=people.values("person_id"))))
    events = _linked(user, item, Event, "event")
    if events:
        _audit(user, "intelligence_events_shown", "event", [e.pk for e in events],
               sanitised=item.pk)
    return {"item": item, "entities": list(item.entities.all()), "people": list(visible),
            "places": _linked(user, item, Place, "place"),
            "groups": _linked(user, item, Group, "group"), "events": events}


def _linked(user, item, model, field):
    ids = IntelligenceLink.objects.live().filter(report=item.original_id,
                                                 **{f"{field}__isnull": False})
    rows = policy.restrict(user, "view", model.objects.filter(pk__in=ids.values(f"{field}_id")))
    if model is Event:
        rows = rows.select_related("reporting_agency").order_by("-occurred_at", "-pk")
    return list(rows)


@transaction.atomic
def about_events(user, events) -> dict[int, list]:
    """For a page's events (already read through the policy): event id -> the sanitised
    intelligence linked to it that the user may read. Only where the user may see both the
    event (checked again here) and the item (its handling code); audited when any is shown."""
    ids = [e.pk for e in events]
    if not ids:
        return {}
    # Most events have no intelligence: look for links first, and check the policy again only
    # on the events that have some (the check is a child page's costliest query to build).
    links = list(IntelligenceLink.objects.live().filter(event_id__in=ids).values_list(
        "event_id", "report_id"))
    if not links:
        return {}
    linked = Event.objects.filter(pk__in={event_id for event_id, _ in links})
    visible = set(policy.restrict(user, "view", linked).values_list("pk", flat=True))
    by_report: dict[int, list[int]] = {}
    for event_id, report_id in links:
        if event_id in visible:
            by_report.setdefault(report_id, []).append(event_id)
    if not by_report:
        return {}
    found: dict[int, list] = {}
    for item in _shared(user).filter(original__in=list(by_report)).order_by("-written_at"):
        for event_id in by_report[item.original_id]:
            found.setdefault(event_id, []).append(item)
    if found:
        _audit(user, "intelligence_about_events", SHARED_TYPE,
               sorted({s.pk for items in found.values() for s in items}),
               events=sorted(found))
    return found


@transaction.atomic
def about_person(user, public_id, *, embedded=False, query=None) -> tuple[object, list] | None:
    """Sanitised intelligence linked to a child, for someone who may open the child's record,
    and the child as they may see them (`people.selectors.shown_people`).

    `embedded`: a section of a page that has already decided and audited its own read, so a
    refusal or an empty section adds no row of its own (one row per page when nothing is shown);
    intelligence shown is always audited. `query`: the page of a paged list (core.queues); the
    items are then that page (a `Paged`), and only those shown are audited."""
    person = Person.objects.filter(public_id=public_id).first()
    decision = policy.decision_for(user, person) if person else None
    if decision is None:
        if not embedded:
            _audit(user, "deny", "person", [public_id], outcome="denied")
        return None
    linked = IntelligenceLink.objects.live().filter(person=person).values("report_id")
    items, shown = _listed(_shared(user).filter(original__in=linked), query)
    if items or not embedded:
        _audit(user, "intelligence_about_person", SHARED_TYPE, [s.pk for s in items],
               purpose=decision.purpose, person=person.pk)
    return people_selectors.shown_people(user=user, people=[person])[person.pk], shown


@transaction.atomic
def about_place(user, pk, *, embedded=False, query=None) -> tuple[Place, list, list] | None:
    """Sanitised intelligence linked to a place, for someone who may see the place
    (`embedded` and `query` as for `about_person`), and the children those items are linked
    to.

    A child may be tied to a place by intelligence alone (no event there names them): a
    place review must still list them. Only through items the user may read (the handling
    code) and only children the user may see (the policy); anyone else is left out without a
    count, since even a number would say what a withheld item is about."""
    place = policy.restrict(user, "view", Place.objects.all()).filter(pk=pk).first()
    if place is None:
        if not embedded:
            _audit(user, "deny", "place", [pk], outcome="denied")
        return None
    linked = IntelligenceLink.objects.live().filter(place=place).values("report_id")
    rows = _shared(user).filter(original__in=linked)
    items, shown = _listed(rows, query)
    # Every child the place's items name, not only the page's: a place review lists them all.
    children = _children_of(user, list(rows) if query else items)
    if items or not embedded:
        _audit(user, "intelligence_about_place", SHARED_TYPE, [s.pk for s in items], place=pk,
               people=[p.pk for p in children])
    return place, shown, children


def _listed(rows, query):
    """The items, newest first: all of them, or the page `query` asks for. (The items on
    show, what the caller returns: the list, or the `Paged`.)"""
    rows = rows.order_by("-written_at", "-pk")
    if query is None:
        items = list(rows)
        return items, items
    paged = page_of(query, rows, what="items of intelligence")
    return paged.rows, paged


def _children_of(user, items) -> list[Person]:
    """Children the items (already read through the handling code) are linked to, that the
    user may see, by name."""
    if not items:
        return []
    people = IntelligenceLink.objects.live().filter(
        report__in=[s.original_id for s in items], person__isnull=False).values("person_id")
    return list(people_selectors.in_name_order(user=user, people=policy.restrict(
        user, "view", Person.objects.filter(pk__in=people))))


# --- the data protection officer ---------------------------------------------------------------

@transaction.atomic
def handling_changes(user, *, page=None):
    """Every grading that let an item go further, with its reason (the DPO's list)."""
    if not policy.has_duty(user, "review_handling_changes"):
        return None
    rows = (Grading.objects.filter(is_loosening=True)
            .select_related("report", "graded_by").order_by("-graded_at", "-pk"))
    found = _page(rows, page)
    _audit(user, "intelligence_handling_changes", "intelligence_grading", [g.pk for g in found])
    return found


# --- accumulating concern ---------------------------------------------------------------------

def accumulation_items(person, since: dt.date) -> list[accumulation.Item]:
    """Graded intelligence linked to the child, as items weighed by their assessment."""
    links = (IntelligenceLink.objects.live()
             .filter(person=person, report__received_at__date__gt=since)
             .exclude(report__intelligence_assessment="")
             .values_list("report_id", "report__intelligence_assessment", "report__received_at"))
    return [accumulation.Item(f"intelligence_{grade.lower()}", at.date(), "intelligence", pk)
            for pk, grade, at in links]


# --- the locality meeting's agenda (meetings reads these: ids, dates and weights only) --------

def grade_weight(assessment: str) -> int:
    """What graded intelligence weighs, by its assessment: the accumulating concern's weights
    (settings.CASES_ACCUMULATION), so one setting weighs it for children and places alike; an
    item suspected false (E) or not graded weighs nothing."""
    if not assessment:
        return 0
    weights = settings.CASES_ACCUMULATION["weights"]
    return int(weights.get(f"intelligence_{assessment.lower()}", 0))


def place_links_since(locality_id: int, since: dt.datetime) -> dict[int, list[int]]:
    """Places in the locality that graded intelligence weighing something was linked to since
    `since`: place id -> link ids."""
    rows = (IntelligenceLink.objects.live().filter(place__ward__locality_id=locality_id,
                                                   linked_at__gte=since)
            .values_list("pk", "place_id", "report__intelligence_assessment").order_by("pk"))
    found: dict[int, list[int]] = {}
    for pk, place_id, assessment in rows:
        if grade_weight(assessment) > 0:
            found.setdefault(place_id, []).append(pk)
    return found


def link_weights(link_ids) -> dict[int, tuple[int, dt.datetime]]:
    """Link id -> (its report's weight by its grade now, when it was linked), read afresh: a
    report graded again weighs by its new grade; an unlinked one is left out (weighs nothing)."""
    rows = IntelligenceLink.objects.live().filter(pk__in=list(link_ids)).values_list(
        "pk", "report__intelligence_assessment", "linked_at")
    return {pk: (grade_weight(assessment), at) for pk, assessment, at in rows}
