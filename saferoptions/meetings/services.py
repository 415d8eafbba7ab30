"""Every change to a locality meeting: one function per change, acting user as keyword, audited.

Each runs in one transaction with its audit row. A closed meeting is the record: every change
to it is refused, except that an action may still be corrected or withdrawn with a reason (kept
on the record and shown), since a mistake found after the meeting must not be left standing.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.cases.models import MeetingAttendance
from saferoptions.contexts.models import Group, Place
from saferoptions.core import clock
from saferoptions.core.models import Locality, User
from saferoptions.events.models import Event
from saferoptions.tasks.models import (
    Notification,
    NotificationKind,
    Task,
    TaskRule,
    TaskStatus,
)

from . import agenda, order, permissions
from .attendance import sync_attendance
from .errors import NotAllowed, Refused
from .invitations import invite_childrens_practitioners
from .models import (
    AgendaItem,
    Attendee,
    InvitedBecause,
    ItemKind,
    LocalityMeeting,
    MeetingAction,
    MeetingActionCorrection,
    MeetingStatus,
    NotCarriedOver,
    WithdrawnFrom,
)
from .standing_data import ACTION_RULE

PURPOSE = "locality_meeting"
MAX_NOTES = 8000
MAX_DECISION = 4000
MAX_ACTION = MeetingAction._meta.get_field("description").max_length
# Audit codes for putting an action right (words in audit_actions.py).
CORRECT_ACTION = "correct_meeting_action"
WITHDRAW_ACTION = "withdraw_meeting_action"
WITHDRAW_INVITATION = "withdraw_meeting_invitation"



def _audit(actor, action: str, meeting_id: int, **detail) -> None:
    record(actor=actor, action=action, object_type="locality_meeting",
           object_ids=[meeting_id], purpose=PURPOSE, detail=detail)


def _local_time(text: str) -> dt.time:
    hours, minutes = (int(part) for part in text.split(":"))
    return dt.time(hours, minutes)


# --- creating meetings and agendas (the nightly job and the morning refresh) ----------------

def next_meeting_date(today: dt.date) -> dt.date:
    """The next meeting day on or after `today` (the meeting weekday is a setting)."""
    return today + dt.timedelta(days=(settings.MEETINGS_WEEKDAY - today.weekday()) % 7)


def ensure_meeting(*, locality: Locality, held_on: dt.date) -> LocalityMeeting:
    """The locality's meeting on that day, created (planned) if it is not there yet."""
    with transaction.atomic():
        meeting, created = LocalityMeeting.objects.get_or_create(
            locality=locality, held_on=held_on,
            defaults={"starts_at": _local_time(settings.MEETINGS_START),
                      "created_at": clock.now()})
        if created:
            _audit(None, "create", meeting.pk, held_on=held_on.isoformat())
    return meeting


def build_upcoming_agendas() -> list[LocalityMeeting]:
    """Create each locality's next meeting if missing; build every planned upcoming agenda."""
    today = clock.today()
    for locality in Locality.objects.all():
        ensure_meeting(locality=locality, held_on=next_meeting_date(today))
    upcoming = list(LocalityMeeting.objects.filter(held_on__gte=today,
                                                   status=MeetingStatus.PLANNED))
    for meeting in upcoming:
        agenda.build_agenda(meeting)
    return upcoming


def refresh_todays_agendas() -> list[LocalityMeeting]:
    """Just before the meeting: bring today's planned agendas up to date."""
    today = list(LocalityMeeting.objects.filter(held_on=clock.today(),
                                                status=MeetingStatus.PLANNED))
    for meeting in today:
        agenda.build_agenda(meeting)
    return today


# --- running a meeting ----------------------------------------------------------------------

def _locked(meeting: LocalityMeeting, actor) -> LocalityMeeting:
    """The meeting row, locked for this change; refused if closed or the actor is not chair."""
    meeting = LocalityMeeting.objects.select_for_update().get(pk=meeting.pk)
    if not permissions.may_run(actor, meeting):
        raise NotAllowed
    if meeting.is_closed:
        raise Refused("meeting", "This meeting is closed: its record cannot change.")
    return meeting


def _running(meeting: LocalityMeeting) -> None:
    if meeting.status != MeetingStatus.IN_PROGRESS:
        raise Refused("meeting", "Start the meeting before recording what was discussed.")


def refresh_agenda(*, actor, meeting: LocalityMeeting) -> agenda.BuildResult:
    """The chair's "Refresh agenda" button."""
    if not permissions.may_run(actor, meeting):
        raise NotAllowed
    return agenda.build_agenda(meeting, actor=actor)


def start_meeting(*, actor, meeting: LocalityMeeting) -> LocalityMeeting:
    """The chair opens the meeting: they chair it, and may open the children on the agenda."""
    with transaction.atomic():
        meeting = _locked(meeting, actor)
        if meeting.status == MeetingStatus.PLANNED:
            meeting.status, meeting.chair = MeetingStatus.IN_PROGRESS, actor
            meeting.save(update_fields=["status", "chair"])
        made = sync_attendance(meeting)
        _audit(actor, "update", meeting.pk, status=meeting.status, access_rows=made)
    return meeting


def invite(*, actor, meeting: LocalityMeeting, user: User) -> Attendee:
    """The chair invites a practitioner, who can then see this meeting (and only this one)."""
    with transaction.atomic():
        meeting = _locked(meeting, actor)
        if not (user.is_active and user.role in policy.roles_with("attend_meetings")):
            raise Refused("user", "Choose a practitioner whose role attends locality meetings.")
        attendee, created = Attendee.objects.get_or_create(
            meeting=meeting, user=user,
            defaults={"agency_id": user.agency_id, "invited_by": actor,
                      "invited_at": clock.now()})
        again = not created and attendee.is_withdrawn
        if not created and (again or attendee.invited_because != InvitedBecause.CHAIR):
            # Invited for their child, now asked by the chair too: it stays if the child goes.
            # Invited again after a withdrawal: from now, by this chair.
            attendee.invited_because, attendee.invited_by = InvitedBecause.CHAIR, actor
            if again:
                attendee.invited_at = clock.now()
            attendee.withdrawn_at, attendee.withdrawn_by, attendee.withdrawn_from = None, None, ""
            attendee.save(update_fields=["invited_because", "invited_by", "invited_at",
                                         "withdrawn_at", "withdrawn_by", "withdrawn_from"])
        if again:
            sync_attendance(meeting)  # recorded present before the withdrawal: present again
        _audit(actor, "update", meeting.pk, invited=user.pk, **({"again": True} if again else {}))
    return attendee


def withdraw_invitation(*, actor, attendee: Attendee, every_week: bool = False) -> Attendee:
    """The chair withdraws an invitation, for this meeting only or (for someone who comes every
    week) from every week. The row stays on the record, withdrawn: the invitee no longer opens
    the meeting, and the agenda's children, opened to them by being recorded present, close to
    them now. Refused once the meeting is closed: who was invited and who came is its record."""
    with transaction.atomic():
        meeting = _locked(attendee.meeting, actor)
        attendee = (Attendee.objects.select_for_update().select_related("user")
                    .get(pk=attendee.pk, meeting=meeting))
        name = attendee.user.get_full_name() or attendee.user.username
        if attendee.is_withdrawn:
            raise Refused("withdrawn_from", f"{name}'s invitation is already withdrawn.")
        if every_week and not attendee.comes_every_week:
            raise Refused("withdrawn_from",
                          f"{name} is invited because they work with a child on the agenda, "
                          "not every week: withdraw the invitation to this meeting only.")
        now = clock.now()
        scope = WithdrawnFrom.EVERY_WEEK if every_week else WithdrawnFrom.MEETING
        attendee.withdrawn_at, attendee.withdrawn_by, attendee.withdrawn_from = now, actor, scope
        attendee.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_from"])
        later = _withdraw_later(meeting, attendee, actor) if every_week else []
        access = MeetingAttendance.objects.filter(user_id=attendee.user_id,
                                                  meeting_on=meeting.held_on,
                                                  locality_id=meeting.locality_id)
        had = access.count()
        sync_attendance(meeting)
        _audit(actor, WITHDRAW_INVITATION, meeting.pk, attendee=attendee.pk,
               user=attendee.user_id, withdrawn_from=scope, had_attended=attendee.attended,
               later_meetings=later, access_rows_ended=had - access.count())
    return attendee


def _withdraw_later(meeting: LocalityMeeting, attendee: Attendee, actor) -> list[int]:
    """Stopping someone coming every week also withdraws the regular invitations already
    made to the locality's later meetings (ids, for the audit row)."""
    later = Attendee.objects.filter(
        user_id=attendee.user_id, meeting__locality_id=meeting.locality_id,
        meeting__held_on__gt=meeting.held_on, meeting__status=MeetingStatus.PLANNED,
        invited_because=InvitedBecause.REGULAR, withdrawn_at__isnull=True)
    ids = sorted(later.values_list("meeting_id", flat=True))
    later.update(withdrawn_at=attendee.withdrawn_at, withdrawn_by=actor,
                 withdrawn_from=WithdrawnFrom.EVERY_WEEK)
    return ids


def record_attendance(*, actor, meeting: LocalityMeeting, present: set[int]) -> int:
    """Who came. Each attendee present may open the agenda's children for the policy's window."""
    with transaction.atomic():
        meeting = _locked(meeting, actor)
        _running(meeting)
        # a withdrawn invitation is not in the roll call: whether they came stays as it was
        for attendee in meeting.attendees.filter(withdrawn_at__isnull=True):
            came = attendee.pk in present
            if attendee.attended != came:
                attendee.attended = came
                attendee.save(update_fields=["attended"])
        made = sync_attendance(meeting)
        _audit(actor, "update", meeting.pk, attended=sorted(present), access_rows=made)
    return made


def add_item(*, actor, meeting: LocalityMeeting, person=None, group=None,
             place=None) -> AgendaItem:
    """The chair adds a child, group or place they may see (the views find it via the policy)."""
    subject = _subject(person, group, place)
    if person is not None:
        _not_by_break_glass(actor, person)
    with transaction.atomic():
        meeting = _locked(meeting, actor)
        key = next(f"{name.split('_')[0]}:{value}" for name, value in subject.items())
        if meeting.items.filter(key=key).exists():
            raise Refused("subject", "That is already on the agenda.")
        top = meeting.items.order_by("-position").values_list("position", flat=True).first()
        item = AgendaItem.objects.create(
            meeting=meeting, key=key, kind=ItemKind.ADDED_BY_CHAIR, position=(top or 0) + 1,
            why=agenda.CHAIR_REASON, sources={"added_by_chair": True}, added_by=actor,
            created_at=clock.now(), **subject)
        invited = invite_childrens_practitioners(meeting, actor=actor)
        made = sync_attendance(meeting)
        _audit(actor, "update", meeting.pk, item_added=item.pk, subject=key, access_rows=made,
               **invited.audit_detail())
    return item


def _not_by_break_glass(actor, person) -> None:
    """A break-glass grant is for reading. A child on the agenda gives everyone at the meeting,
    the chair too, the record for weeks (ACCESS_MEETING_DAYS_AFTER): added under a 24-hour
    grant, it would outlast the grant (docs/access-policy.md, "Break-glass")."""
    decision = policy.decision_for(actor, person)
    if decision is not None and decision.purposes <= {policy.Purpose.BREAK_GLASS}:
        raise Refused("subject", "You can see this child only through a break-glass grant, "
                                 "which is for reading: it cannot put them on a meeting's "
                                 "agenda. Ask someone who works with them to add them.")


def _subject(person, group, place) -> dict:
    given = {k: v.pk for k, v in (("person_id", person), ("group_id", group),
                                  ("place_id", place)) if v is not None}
    if len(given) != 1:
        raise Refused("subject", "Choose one child, peer group or place to add.")
    return given


def _item_in_reach(actor, item: AgendaItem) -> None:
    """A chair records discussion only of what they may see themselves."""
    if item.person_id and policy.decision_for(actor, item.person) is None:
        raise NotAllowed
    for model, pk in (("group", item.group_id), ("place", item.place_id)):
        if pk and not _context_visible(actor, model, pk):
            raise NotAllowed


def _context_visible(user, kind: str, pk: int) -> bool:
    model = Group if kind == "group" else Place
    return policy.restrict(user, "view", model.objects.filter(pk=pk)).exists()


def record_discussion(*, actor, item: AgendaItem, notes: str, decision: str,
                      discussed: bool = True, action: dict | None = None) -> AgendaItem:
    """What was said and what was decided; a decision is needed to record a discussion. An
    action typed in the same form (`action`: add_action's words, team and date) is added in
    the same transaction, so nothing typed on the item's page is lost."""
    notes, decision = (notes or "").strip(), (decision or "").strip()
    if not decision:
        raise Refused("decision", "Enter what the meeting decided.")
    with transaction.atomic():
        item = _write_discussion(actor, item, notes, decision, discussed=discussed)
        if action:
            add_action(actor=actor, item=item, **action)
    return item


def _write_discussion(actor, item: AgendaItem, notes: str, decision: str, *,
                      discussed: bool | None, with_action: bool = False) -> AgendaItem:
    """Save the notes and decision (and `discussed`, unless None), with the audit row."""
    meeting = _locked(item.meeting, actor)
    _running(meeting)
    _item_in_reach(actor, item)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    added = not sees_every_reason(actor, item)
    if added:
        # What others wrote about a reason this chair may not see is neither shown to
        # them nor overwritten by them: theirs is added to it.
        notes, decision = _added(item.notes, notes), _added(item.decision, decision)
    _check_lengths(notes, decision, added)
    fields = ["notes", "decision"]
    item.notes, item.decision = notes, decision
    if discussed is not None:
        item.discussed = discussed
        fields.append("discussed")
    item.save(update_fields=fields)
    _audit(actor, "update", meeting.pk, item=item.pk, discussed=item.discussed, added=added,
           **({"kept_with": "action"} if with_action else {}))
    return item


def _keep_typed(actor, item: AgendaItem, notes: str, decision: str,
                discussed: bool | None) -> AgendaItem:
    """Notes (and a decision) typed above the action form, kept when "Add the action" is
    pressed first, as the form showed them: no decision is needed yet, 'discussed' is set only
    with a decision typed, and an empty box keeps what is recorded rather than clearing it."""
    notes, decision = (notes or "").strip(), (decision or "").strip()
    if not notes and not decision:
        return item
    discussed = discussed if decision else None
    if sees_every_reason(actor, item):
        notes, decision = notes or item.notes, decision or item.decision
        if (notes, decision) == (item.notes, item.decision) and discussed in (None,
                                                                             item.discussed):
            return item  # nothing new typed: no change, no audit row
    return _write_discussion(actor, item, notes, decision, discussed=discussed,
                             with_action=True)


def sees_every_reason(user, item: AgendaItem) -> bool:
    """Whether every partner record behind the item's reasons is one the user may see.

    The item's notes and decision are written about every reason, so a reader who may not see
    one of them is shown neither (selectors.shown_reasons says the same for the page)."""
    if not item.person_id:
        return True
    facts = order.in_order([item])[1]
    ids = {r.event_id for r in facts.reasons(item) if r.event_id}
    if not ids:
        return True
    decision = policy.decision_for(user, item.person)
    seen = policy.record_rows(decision, Event.objects.filter(pk__in=ids)) if decision else None
    return seen is not None and seen.count() == len(ids)


def _added(earlier: str, new: str) -> str:
    return f"{earlier}\n\n{new}" if earlier and new else earlier or new


def _check_lengths(notes: str, decision: str, added: bool) -> None:
    earlier = " (with what is already recorded)" if added else ""
    if len(decision) > MAX_DECISION:
        raise Refused("decision", f"Enter the decision in {MAX_DECISION} characters or "
                                  f"fewer{earlier}.")
    if len(notes) > MAX_NOTES:
        raise Refused("notes", f"Enter the notes in {MAX_NOTES} characters or fewer{earlier}.")


def add_action(*, actor, item: AgendaItem, description: str, team, due_on,
               notes: str = "", decision: str = "", discussed: bool | None = None
               ) -> MeetingAction:
    """An action for a team, by a date: it becomes a task in that team's inbox. Notes and a
    decision typed in the same form are kept with it (`_keep_typed`), in one transaction."""
    description = (description or "").strip()
    _check_action(description, team, due_on)
    with transaction.atomic():
        meeting = _locked(item.meeting, actor)
        _running(meeting)
        _item_in_reach(actor, item)
        item = _keep_typed(actor, item, notes, decision, discussed)
        now = clock.now()
        action = MeetingAction.objects.create(item=item, description=description, team=team,
                                              due_on=due_on, created_by=actor, created_at=now)
        action.task = _make_task(action, now)
        action.save(update_fields=["task"])
        _audit(actor, "create", meeting.pk, item=item.pk, meeting_action=action.pk,
               task=action.task.pk, team=team.pk)
    return action


def _action_locked(actor, action: MeetingAction) -> MeetingAction:
    """The action, locked for a correction or a withdrawal by the meeting's chair.

    Open or closed meeting alike: the minutes are the record, and a mistaken action stays on
    it with what was put right and why, rather than staying wrong."""
    meeting = LocalityMeeting.objects.select_for_update().get(pk=action.item.meeting_id)
    if not permissions.may_run(actor, meeting):
        raise NotAllowed
    _item_in_reach(actor, action.item)
    action = MeetingAction.objects.select_for_update().get(pk=action.pk)
    if action.withdrawn_at:
        raise Refused("reason", "This action was withdrawn: it cannot change any more.")
    return action


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Refused("reason", f"Enter why the action is {what}.")
    if len(reason) > MAX_ACTION:
        raise Refused("reason", f"Enter why in {MAX_ACTION} characters or fewer.")
    return reason


def withdraw_action(*, actor, action: MeetingAction, reason: str) -> MeetingAction:
    """A mistaken action is withdrawn with a reason (kept and shown), and its open task with it."""
    reason = _reason(reason, "withdrawn")
    with transaction.atomic():
        action = _action_locked(actor, action)
        action.withdrawn_at, action.withdrawn_by, action.withdrawn_reason = (
            clock.now(), actor, reason)
        action.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
        _cancel_task(action.task_id)
        _audit(actor, WITHDRAW_ACTION, action.item.meeting_id, item=action.item_id,
               meeting_action=action.pk, withdrawn=True, task=action.task_id)
    return action


def correct_action(*, actor, action: MeetingAction, description: str, team, due_on,
                   reason: str) -> MeetingActionCorrection:
    """Put an action right (its words, owning team or due date) with a reason.

    The earlier wording stays on the record as a correction row, shown on the action; the
    team's open task follows (its words, team and due time), and a new owning team is told."""
    description = (description or "").strip()
    reason = _reason(reason, "corrected")
    with transaction.atomic():
        action = _action_locked(actor, action)
        if due_on is not None and due_on == action.due_on:
            _check_action(description, team, clock.today())  # an unchanged date may be past
        else:
            _check_action(description, team, due_on)
        before = (action.description, action.team_id, action.due_on)
        if before == (description, team.pk, due_on):
            raise Refused("description",
                          "Change the action, its owning team or its due date to correct it.")
        now = clock.now()
        correction = MeetingActionCorrection.objects.create(
            action=action, old_description=action.description, new_description=description,
            old_team_id=action.team_id, new_team=team, old_due_on=action.due_on,
            new_due_on=due_on, reason=reason, corrected_by=actor, corrected_at=now)
        action.description, action.team, action.due_on = description, team, due_on
        action.save(update_fields=["description", "team", "due_on"])
        _follow_task(action, moved=before[1] != team.pk, now=now)
        _audit(actor, CORRECT_ACTION, action.item.meeting_id, item=action.item_id,
               meeting_action=action.pk, correction=correction.pk, task=action.task_id,
               changed=[name for name, old, new in (
                   ("description", before[0], description), ("team", before[1], team.pk),
                   ("due_on", before[2], due_on)) if old != new])
    return correction


def _follow_task(action: MeetingAction, *, moved: bool, now: dt.datetime) -> None:
    """The open task reads what the action now says; work already done or cancelled stays."""
    task = Task.objects.select_for_update().filter(pk=action.task_id,
                                                   status=TaskStatus.OPEN).first()
    if task is None:
        return
    task.description, task.team, task.due_at = (
        action.description, action.team, max(_due_at(action.due_on), now))
    fields = ["description", "team", "due_at"]
    if moved:
        # Someone in the old team may have taken it; the new team decides who does it now.
        task.assigned_to = None
        fields.append("assigned_to")
    task.save(update_fields=fields)
    if moved:
        _notify_team(task, action.team_id, now)


def _cancel_task(task_id) -> None:
    # Work already done stays done; an open task the meeting no longer wants is cancelled.
    if task_id:
        Task.objects.filter(pk=task_id, status=TaskStatus.OPEN).update(
            status=TaskStatus.CANCELLED)


def _check_action(description: str, team, due_on) -> None:
    if not description:
        raise Refused("description", "Describe the action.")
    if len(description) > MAX_ACTION:
        raise Refused("description", f"Describe the action in {MAX_ACTION} characters or fewer.")
    if team is None:
        raise Refused("team", "Choose the team that owns the action.")
    if due_on is None:
        raise Refused("due_on", "Enter the date the action is due.")
    if due_on < clock.today():
        raise Refused("due_on", "The due date must be today or in the future.")


def action_rule() -> TaskRule:
    rule, _ = TaskRule.objects.get_or_create(
        slug=ACTION_RULE["slug"], version=1,
        defaults={k: v for k, v in ACTION_RULE.items() if k != "slug"})
    return rule


def _make_task(action: MeetingAction, now: dt.datetime) -> Task:
    """The task for the owning team, as `tasks.services` makes them, due on the agreed day."""
    rule = action_rule()
    due = _due_at(action.due_on)
    task = Task.objects.create(
        rule=rule, rule_version=rule.version, dedupe_key=f"meeting-action:{action.pk}",
        task_type=rule.task_type, team=action.team, person_id=action.item.person_id,
        place_id=action.item.place_id, created_at=now, due_at=max(due, now),
        description=action.description)  # the team reads what was agreed, in its words
    _notify_team(task, action.team_id, now)
    return task


def _due_at(due_on: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(
        due_on, _local_time(settings.MEETINGS_ACTION_DUE_TIME)))


def _notify_team(task: Task, team_id: int, now: dt.datetime) -> None:
    members = User.objects.filter(team_id=team_id, is_active=True)
    Notification.objects.bulk_create(
        [Notification(user_id=pk, task=task, kind=NotificationKind.NEW, created_at=now)
         for pk in members.values_list("pk", flat=True)], ignore_conflicts=True)


def close_meeting(*, actor, meeting: LocalityMeeting) -> LocalityMeeting:
    """Closing locks the meeting: it is now the record, and the minutes can be read."""
    with transaction.atomic():
        meeting = _locked(meeting, actor)
        _running(meeting)
        meeting.status, meeting.closed_at = MeetingStatus.CLOSED, clock.now()
        meeting.save(update_fields=["status", "closed_at"])
        keep_reasons(meeting)
        keep_not_carried(meeting)
        _audit(actor, "update", meeting.pk, status=meeting.status)
    return meeting


def keep_reasons(meeting: LocalityMeeting) -> None:
    """Write each item's number and reasons as they stand at closing: read later, a deadline
    met since would vanish and one due after the meeting would read as missed."""
    items = list(meeting.items.all())
    ordered, facts = order.in_order(items)
    if isinstance(facts, order.StoredFacts):
        return
    for number, item in enumerate(ordered, start=1):
        item.closed_number = number
        item.closed_reasons = [order.as_stored(r) for r in facts.reasons(item)]
    AgendaItem.objects.bulk_update(ordered, ["closed_number", "closed_reasons"])


def keep_not_carried(meeting: LocalityMeeting) -> None:
    """Write the last meeting's undiscussed items this agenda did not carry, with why, as they
    stand at closing: worked out when read, a closed meeting's list followed later days."""
    NotCarriedOver.objects.bulk_create([
        NotCarriedOver(meeting=meeting, number=item.closed_number, because=because,
                       from_held_on=item.meeting.held_on, position=position)
        for position, (item, because) in enumerate(agenda.not_carried_over(meeting), start=1)])
