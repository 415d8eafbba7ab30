"""Reads for the meeting pages: each item as the access policy lets this viewer see it, audited.

Two questions, answered separately:
- On the meeting page, may this *user* open the child (`policy.decision_for`)? Being at the
  meeting (attendance recorded) is what normally admits them. Otherwise the item is a stub
  with no name and no date of birth, the same whether the child exists or not.
- In the minutes, may the user's *agency* see the child: the user is admitted and can see at
  least one agency's record of the child (their own agency's, or one shared with their agency
  by an information sharing agreement). The minutes are what each agency keeps, so they follow
  what the agencies share, not who happened to be in the room.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.cases.models import TeamAroundChildMember
from saferoptions.cases.selectors.triage import openable_concerns
from saferoptions.contexts.models import Group, Place
from saferoptions.core import clock
from saferoptions.core.models import Team
from saferoptions.core.queues import page_of, read_query
from saferoptions.events.models import Event
from saferoptions.people.models import Identity, Person
from saferoptions.people.names import by_family_name
from saferoptions.people.selectors import shown_people, with_identity_shown

from . import agenda, order, permissions
from .models import AgendaItem, Attendee, ItemKind, LocalityMeeting, MeetingStatus

PURPOSE = "locality_meeting"
PAGE = 50
SEARCH_LIMIT = 20
# Why an item about a group or a place is a stub: the policy decides, whoever is in the room.
NOT_SHOWN = {
    "group": "Not shown: your agency does not have access to this peer group.",
    "place": "Not shown: your agency does not have access to this place.",
}
WITHHELD = {
    "person": "An item about a child your agency does not have access to",
    "group": "An item about a peer group your agency does not have access to",
    "place": "An item about a place your agency does not have access to",
}


@dataclass
class ItemView:
    """One agenda item as one viewer may see it; `visible` False is a stub and nothing more."""

    item: AgendaItem
    visible: bool
    title: str
    link: str = ""
    actions: list = field(default_factory=list)
    decision: object = None  # the policy's decision, for a child the viewer may see
    summary: str = ""  # one plain line (order.summary), shown only when visible
    step: str = ""  # which step of the agenda's order it is in
    number: int = 0  # its place in the agenda's order: the same in the list, page and minutes
    reasons: list = field(default_factory=list)  # (order.Reason, link to the concern or "")
    # A stub says why it is one and what would open it, never a link to a dead end.
    hidden_because: str = ""
    place_link: str = ""  # the place's own page, for a place item the viewer may see
    # Find support for the item's child: the policy's decision above is the one find support
    # itself asks for, so the link is there exactly when the page would open.
    support_link: str = ""
    # False when a reason is behind a record the reader may not see: the notes, decision and
    # actions, written about every reason, are then not shown to them either.
    complete: bool = True
    first_if_time: bool = False  # the first item past what the meeting can get through
    placed: str = ""  # why it is where it is within its step (order.placed), when complete

    @property
    def kind_label(self) -> str:
        return self.item.get_kind_display()

    @property
    def notes_words(self) -> str:
        return recorded_words(self, self.item.notes)

    @property
    def decision_words(self) -> str:
        return recorded_words(self, self.item.decision)

    @property
    def more_reasons(self) -> list:
        """The reasons after the first, for the agenda to show under the one-line summary."""
        return [reason for reason, _ in self.reasons[1:]]


NOTHING_RECORDED = "Nothing recorded yet"
RECORDED_NOT_SHOWN = ("Recorded, but not shown to you: a reason this item is on the agenda "
                      "is in a record you may not see")


def recorded_words(view: ItemView, text: str) -> str:
    """What to say of the item's notes or decision where its text is not shown ("" where it
    is). Nothing recorded reads the same to every reader, so it tells no one about a record
    they may not see; "not shown" is said only where text exists and a reason behind the item
    is hidden from this reader (`shown_reasons`), never on a stub."""
    if not text:
        return "Nothing recorded" if view.item.meeting.is_closed else NOTHING_RECORDED
    return "" if view.complete else RECORDED_NOT_SHOWN


@dataclass
class MeetingPage:
    meeting: LocalityMeeting
    items: list
    attendees: list
    may_run: bool
    paged: object = None  # core.queues.Paged of the items
    query: object = None
    # The last meeting's undiscussed items not carried here: (number there or None, why, day).
    not_carried: list = field(default_factory=list)

    @property
    def target(self) -> int:
        """How many items the meeting can get through (MEETINGS_AGENDA_TARGET)."""
        return settings.MEETINGS_AGENDA_TARGET

    @property
    def is_open_for_changes(self) -> bool:
        return self.may_run and not self.meeting.is_closed

    @property
    def context_places(self) -> int:
        """Of the target, how many are kept for peer groups and places (order.py)."""
        return settings.MEETINGS_CONTEXT_PLACES

    @property
    def steps(self) -> tuple:
        """The agenda's order, in words, for the page to show."""
        return order.STEPS

    @property
    def is_running(self) -> bool:
        return self.meeting.status == MeetingStatus.IN_PROGRESS

    @property
    def invited(self) -> list:
        """The attendees still invited (a withdrawn invitation is listed, not in the roll call)."""
        return [a for a in self.attendees if not a.is_withdrawn]


def meeting_list(user, *, page=1) -> dict:
    """The meetings the user may open, upcoming and past, 50 to a page (dates and places only).

    A chair sees every meeting of the localities they chair (all of them if city-wide, as the
    Hub is) and the meetings they are invited to.
    """
    meetings = permissions.visible_meetings(user).select_related("locality", "chair")
    today = clock.today()
    with transaction.atomic():
        upcoming = list(meetings.filter(held_on__gte=today).order_by("held_on",
                                                                     "locality__name")[:PAGE])
        past = Paginator(meetings.filter(held_on__lt=today).order_by("-held_on",
                                                                     "locality__name"),
                         PAGE).get_page(page)
        record(actor=user, action="list", object_type="locality_meeting", purpose=PURPOSE,
               object_ids=[m.pk for m in [*upcoming, *past]])
    return {"upcoming": upcoming, "past": past, "may_chair": permissions.is_chair_role(user),
            "withdrawn": withdrawn_invitations(user)[:PAGE]}


def withdrawn_invitations(user):
    """The user's invitations to coming meetings that a chair withdrew, and that they do not
    open otherwise (dates, places and who withdrew them: nothing about a child)."""
    return (Attendee.objects.filter(user=user, withdrawn_at__isnull=False,
                                    meeting__held_on__gte=clock.today())
            .exclude(meeting__in=permissions.visible_meetings(user))
            .select_related("meeting__locality", "withdrawn_by")
            .order_by("meeting__held_on", "meeting__locality__name"))


def meeting_for(user, pk: int) -> LocalityMeeting | None:
    """The meeting if the user may open it; a forbidden one and a missing one are both None."""
    return permissions.visible_meetings(user).select_related("locality", "chair").filter(
        pk=pk).first()


def _agencies(person_id: int) -> str:
    count = Identity.objects.filter(person_id=person_id).values("agency_id").distinct().count()
    return "1 agency" if count == 1 else f"{count} agencies"


def _context_visible(user, model, pk: int) -> bool:
    return policy.restrict(user, "view", model.objects.filter(pk=pk)).exists()


def _person_view(user, item: AgendaItem) -> ItemView:
    decision = policy.decision_for(user, item.person)
    if decision is None:
        known = f"a child known to {_agencies(item.person_id)}"
        title = (f"An overdue action about {known}" if item.kind == ItemKind.OVERDUE_ACTION
                 else known[0].upper() + known[1:])
        return ItemView(item, False, title)
    title = shown_people(user=user, people=[item.person])[item.person_id].display_name
    if item.task_id:
        title = f"{item.task.get_task_type_display()} for {item.task.team}: {title}"
    link = reverse("people:detail", args=[item.person.public_id])
    return ItemView(item, True, title, link, decision=decision,
                    support_link=reverse("interventions:find-support",
                                         args=[item.person.public_id]))


def item_view(user, item: AgendaItem) -> ItemView:
    """How this viewer may see one item."""
    if item.person_id:
        view = _person_view(user, item)
    elif item.group_id:
        shown = _context_visible(user, Group, item.group_id)
        view = ItemView(item, shown, f"Peer group: {item.group.name}" if shown
                        else "A peer group you do not have access to")
    elif item.place_id:
        shown = _context_visible(user, Place, item.place_id)
        # titled by the place's name, not by the task that brought it (a team's place review)
        view = ItemView(item, shown, f"Place: {item.place.name}" if shown
                        else "A place you do not have access to")
        if shown:
            view.place_link = reverse("contexts:place", args=[item.place_id])
    else:  # an overdue task about a place or nobody: no personal data
        view = ItemView(item, True, f"{item.task.get_task_type_display()} for {item.task.team}")
    if view.visible:
        view.actions = list(item.actions.select_related("team", "task").prefetch_related(
            "corrections__old_team", "corrections__new_team", "corrections__corrected_by"))
    return view


def child_stub_note(user, meeting: LocalityMeeting) -> str:
    """Why this viewer sees the meeting's children as stubs, and what would open them.

    Access is not widened here (attendance.py keeps the rule): an invited practitioner is
    told that being recorded present is what opens the children, instead of a bare refusal.
    """
    attendee = meeting.attendees.filter(user_id=user.pk, withdrawn_at__isnull=True).first()
    if attendee is not None and not attendee.attended:
        if meeting.is_closed:
            return ("You were not recorded as present at this meeting, so you cannot open its "
                    "children here. Your agency's minutes show what your agency may see.")
        return ("You can open the children on this agenda once the chair records you as "
                "present at the meeting.")
    if (meeting.status == MeetingStatus.PLANNED and permissions.may_run(user, meeting)
            and user.locality_id != meeting.locality_id):
        return "You can open the children on this agenda once you start the meeting."
    return "Not shown: you do not have access to this child's record."


def _stub_notes(user, meeting: LocalityMeeting) -> dict:
    return {"person": child_stub_note(user, meeting), **NOT_SHOWN}


def _items(meeting: LocalityMeeting):
    return meeting.items.select_related("person", "group", "place", "task__team")


def _audit_view(user, meeting, object_type, views, **detail) -> None:
    shown = sorted({v.item.person_id for v in views if v.visible and v.item.person_id})
    record(actor=user, action="view", object_type=object_type, object_ids=[meeting.pk],
           purpose=PURPOSE, detail={"people": shown,
                                    "withheld": sum(1 for v in views if not v.visible),
                                    **detail})


def meeting_page(*, user, meeting: LocalityMeeting, params=None) -> MeetingPage:
    """The agenda in its documented order (order.py), 50 items to a page, each item as this
    viewer may see it."""
    query = read_query(params or QueryDict(), sorts=(("order", "In the agenda's order"),))
    with transaction.atomic():
        views, paged = _ordered(user, list(_items(meeting)), query, _stub_notes(user, meeting))
        attendees = list(meeting.attendees.select_related("user", "agency", "withdrawn_by"))
        _audit_view(user, meeting, "locality_meeting", views)
    return MeetingPage(meeting, views, attendees, permissions.may_run(user, meeting),
                       paged=paged, query=query, not_carried=_not_carried(meeting))


def _not_carried(meeting: LocalityMeeting) -> list[tuple[int | None, str, object]]:
    """Numbers and words only: the earlier item's subject is not named, so no access is asked.
    A closed meeting shows the list as it stood when it closed (services.keep_not_carried);
    an open one's is worked out now."""
    if meeting.is_closed:
        return [(row.number, row.because, row.from_held_on)
                for row in meeting.not_carried_over.all()]
    return [(item.closed_number, because, item.meeting.held_on)
            for item, because in agenda.not_carried_over(meeting)]


def _ordered(user, items: list, query, notes: dict) -> tuple[list[ItemView], object]:
    ordered, facts = order.in_order(items)
    paged = page_of(query, ordered, what="agenda items")
    views = [_numbered(user, item, facts, number, notes=notes, all_reasons=True)
             for number, item in
             enumerate(paged.found.object_list, start=paged.found.start_index())]
    for view in views:
        # the line below which the rest waits for time, in the same order
        view.first_if_time = view.number == settings.MEETINGS_AGENDA_TARGET + 1
    return views, paged


def _numbered(user, item: AgendaItem, facts, number: int, *, reasons: bool = False,
              notes: dict | None = None, all_reasons: bool = False) -> ItemView:
    view = item_view(user, item)
    view.number = number
    if not view.visible and notes:
        view.hidden_because = notes[_subject(item)]
    # a stub says no more than it did before: its kind, never which rule or deadline
    found = shown_reasons(view, facts.reasons(item)) if view.visible else []
    view.step = (order.STEPS[order.step(item, facts)] if view.visible and view.complete
                 else order.STEPS[found[0].step] if found else view.kind_label)
    view.summary = order.summary(item, facts, found) if view.visible else ""
    view.placed = order.placed(item, facts) if view.visible and view.complete else ""
    if not view.complete:
        view.actions = []
    if view.visible and reasons:
        # link a concern only where its triage page would open, not meet the 404
        openable = openable_concerns(user, [r.concern_id for r in found if r.concern_id])
        view.reasons = [(r, reverse("cases:concern", args=[r.concern_id])
                         if r.concern_id in openable else "") for r in found]
    elif view.visible and all_reasons:
        # the agenda's list shows the other reasons under the summary (no concern links there)
        view.reasons = [(r, "") for r in found]
    return view


def shown_reasons(view: ItemView, reasons: list) -> list:
    """The reasons this reader may see: one from a partner's event only if the policy shows
    them that event (a rule's concern, a task made from it), as the child's page lists the
    child's concerns. Marks the view incomplete when any is left out."""
    ids = {r.event_id for r in reasons if r.event_id}
    if not ids or view.decision is None:
        return reasons
    seen = set(policy.record_rows(view.decision, Event.objects.filter(pk__in=ids))
               .values_list("pk", flat=True))
    shown = [r for r in reasons if r.event_id is None or r.event_id in seen]
    view.complete = len(shown) == len(reasons)
    return shown


def _subject(item: AgendaItem) -> str:
    return "group" if item.group_id else "place" if item.place_id else "person"


def item_page(*, user, meeting: LocalityMeeting, pk: int) -> ItemView | None:
    """One item of a meeting the user may open (None: not on this meeting), numbered as on
    the agenda, with every reason it is there."""
    with transaction.atomic():
        ordered, facts = order.in_order(list(_items(meeting)))
        number = next((n for n, item in enumerate(ordered, start=1) if item.pk == pk), None)
        if number is None:
            return None
        view = _numbered(user, ordered[number - 1], facts, number, reasons=True,
                         notes=_stub_notes(user, meeting))
        _audit_view(user, meeting, "agenda_item", [view], item=pk)
    return view


# --- minutes --------------------------------------------------------------------------------

def _agency_sees(user, view: ItemView) -> bool:
    """The minutes show a child only if the user's agency may see some record of them."""
    if not view.visible or not view.item.person_id:
        return view.visible
    return policy.record_rows(view.decision, Identity.objects.all()).exists()


def minutes(*, user, meeting: LocalityMeeting) -> dict:
    """The minutes as the viewer's agency may see them: other items are one line, no content.

    Items keep their agenda numbers. What was discussed comes first, each in full; what was
    not is one table (it carries over to the next meeting).
    """
    with transaction.atomic():
        ordered, facts = order.in_order(list(_items(meeting)))
        views = []
        for number, item in enumerate(ordered, start=1):
            # every reason, not the one-line summary: the minutes are the record partners keep
            view = _numbered(user, item, facts, number, all_reasons=True)
            if not _agency_sees(user, view):
                view = ItemView(item, False, WITHHELD[_subject(item)], number=number)
            views.append(view)
        attendees = list(meeting.attendees.select_related("user", "agency"))
        _audit_view(user, meeting, "meeting_minutes", views, agency=user.agency_id)
    return {"meeting": meeting, "items": views, "attendees": attendees,
            "discussed": [v for v in views if _in_full(v)],
            "not_discussed": [v for v in views if not _in_full(v)],
            "agency": user.agency}


def _in_full(view: ItemView) -> bool:
    """Discussed, or something was recorded on it (a decision or an action): written in full."""
    return view.item.has_discussion or bool(view.actions)


def team_choices(item: AgendaItem, locality_id: int) -> list:
    """The owning-team list, grouped: the teams of the child's team around the child, then the
    locality's teams, then every other team, each group by name."""
    today = clock.today()
    own = set()
    if item.person_id:
        own = set(TeamAroundChildMember.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today), person_id=item.person_id,
            started_on__lte=today, user__team__isnull=False).values_list("user__team_id",
                                                                         flat=True))
    teams = list(Team.objects.select_related("agency").order_by("name", "pk"))
    groups = (("Teams around the child", [t for t in teams if t.pk in own]),
              ("Teams in this locality", [t for t in teams if t.pk not in own
                                          and t.locality_id == locality_id]),
              ("Other teams", [t for t in teams if t.pk not in own
                               and t.locality_id != locality_id]))
    return [(label, [(t.pk, f"{t.name} ({t.agency})") for t in found])
            for label, found in groups if found]


# --- what the chair may add -----------------------------------------------------------------

def find_to_add(*, user, meeting: LocalityMeeting, query: str) -> dict:
    """Children (through the policy), peer groups and places in the locality matching a name."""
    words = query.split()
    if not words:
        return {"children": [], "groups": [], "places": []}
    with transaction.atomic():
        people = Person.objects.filter(merged_into__isnull=True,
                                       locality_id=meeting.locality_id)
        people = with_identity_shown(user=user, people=policy.restrict(user, "search", people))
        for word in words:  # only names the user may see: a hit would confirm a hidden name
            people = people.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word),
                                   identity_shown=True)
        children = list(people.order_by(*by_family_name())[:SEARCH_LIMIT])
        groups = _named(policy.restrict(user, "view", Group.objects.filter(
            locality_id=meeting.locality_id)), words)
        places = _named(policy.restrict(user, "view", Place.objects.filter(
            ward__locality_id=meeting.locality_id)), words)
        record(actor=user, action="search", object_type="person",
               object_ids=[p.pk for p in children], purpose=PURPOSE,
               detail={"meeting": meeting.pk, "groups": len(groups), "places": len(places)})
    return {"children": children, "groups": groups, "places": places}


def _named(queryset, words) -> list:
    for word in words:
        queryset = queryset.filter(name__icontains=word)
    return list(queryset.order_by("name", "pk")[:SEARCH_LIMIT])


def child_to_add(*, user, reference) -> Person | None:
    """The child the chair picked, if the policy lets them see it (else None, like absent)."""
    return policy.restrict(user, "view", Person.objects.filter(public_id=reference)).first()


def context_to_add(*, user, kind: str, pk) -> Group | Place | None:
    model = Group if kind == "group" else Place
    return policy.restrict(user, "view", model.objects.filter(pk=pk)).first()
