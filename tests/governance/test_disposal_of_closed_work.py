"""Retention disposal takes the child's closed work with them and waits while any is open.

Zebedee's record at its review date: an ED rapid-response referral that made a task (done), a
concern the Hub decided, and a closed case (an approved assessment, a closed plan with its
action and review, a locality meeting, an NRM referral decided, every clock met). All of it
goes with him; the generic scan of every column of every model then finds nothing of his.
Work that is also about someone else (a task about an incident Amelia was in too, a concern
decided onto a group's case) is kept without him. Anything still open refuses the disposal.
"""

import datetime as dt
import json

import pytest
from django.apps import apps

from saferoptions.audit.models import AuditEntry
from saferoptions.cases import services as cases
from saferoptions.cases.models import (
    Assessment,
    AssessmentDraft,
    CaseMeeting,
    CaseNotification,
    Concern,
    NrmReferral,
    Plan,
    PlanAction,
    PlanReview,
    Revision,
    StatutoryClock,
)
from saferoptions.cases.services import clock_corrections, plan_corrections
from saferoptions.core import clock
from saferoptions.core.models import Locality, Role, Team
from saferoptions.events.models import Event, Involvement
from saferoptions.governance import casework, services
from saferoptions.governance.models import DisposalTombstone
from saferoptions.people.models import Person
from saferoptions.tasks import outcomes
from saferoptions.tasks.models import Notification, Task, TaskRule, TaskStatus
from tests.cases.factories import AssessmentFactory, ConcernFactory, PlanFactory, TeamMemberFactory
from tests.contexts.factories import GroupFactory, MembershipFactory
from tests.core.factories import AgencyFactory, UserFactory
from tests.events.factories import EventFactory
from tests.events.factories import InvolvementFactory as Involved
from tests.feeds.factories import NHS_VALID, young_person
from tests.people.factories import IdentityFactory, PersonFactory
from tests.tasks.factories import send

from .test_disposal_leaves_no_trace import CANARIES, ED_ID, POLICE_ID, canaries_left, snapshot

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # a Monday
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def monday():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def dpo():
    return UserFactory(dpo=True)


@pytest.fixture
def staff():
    people = {role: UserFactory(role=role, password="!")
              for role in (Role.HUB_PRACTITIONER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER)}
    # In the team that takes ED rapid-response tasks, so each new task notifies someone.
    UserFactory(team=Team.objects.get(slug="barnardos-base-routes"), password="!")
    return people


@pytest.fixture
def zeb():
    child = PersonFactory(given_name="Zebedee", family_name="Quartermaine", kind="child")
    IdentityFactory(person=child, agency=AgencyFactory(name="Test Constabulary"),
                    source_id=POLICE_ID, nhs_number=NHS_VALID)
    return child


def ed_referral(child) -> Task:
    """An ED knife attendance through the real feed: the rapid-response task names him."""
    hours_ago = [(NOW - dt.timedelta(hours=h)).isoformat() for h in (2, 1)]
    send("ed_assault", occurred_at=hours_ago[0], arrival_at=hours_ago[1],
         referral=young_person(source_id=ED_ID, nhs_number=NHS_VALID, given_name="Zebby",
                               family_name="Quartermaine-Vashti"))
    return Task.objects.get(person=child, task_type="hospital_rapid_response")


def done(task: Task) -> Task:
    """Done needs an outcome (tasks.outcomes): a member of the task's team records one."""
    member = UserFactory(team=task.team, agency=task.team.agency)
    outcomes.record_outcome(actor=member, task=task, outcome="not_reached",
                            happened_at=clock.now(),
                            answers={"what_was_done": "Zebedee Quartermaine's phone was off"})
    return task


def decided_concern(child, staff) -> Concern:
    concern = cases.raise_concern(
        person=child, source="practitioner", raised_by=staff[Role.SOCIAL_WORKER],
        reason="Zebedee Quartermaine seen getting into cars outside school")
    return cases.decide_concern(actor=staff[Role.HUB_PRACTITIONER], concern=concern,
                                outcome="early_help", reasons="Zebedee's mum asked for help")


def closed_case(child, staff) -> None:
    """Assessment approved, plan closed after its review, a meeting, an NRM referral decided."""
    worker, manager = staff[Role.SOCIAL_WORKER], staff[Role.TEAM_MANAGER]
    # Only someone with a case role starts the assessment (cases.services.assessments).
    TeamMemberFactory(person=child, user=worker, started_on=TODAY)
    assessment = cases.start_assessment(actor=worker, person=child, referral_on=TODAY)
    cases.autosave_section(actor=manager, assessment=assessment, section="peers",
                           text="Zebby's older friends")
    sections = {"child_words": "Zebedee said he is scared of them",
                "analysis": "Quartermaine family protective", "recommendation": "Early help"}
    assessment = cases.save_assessment(actor=worker, assessment=assessment, version=1,
                                       values=sections)
    cases.submit_assessment(actor=worker, assessment=assessment)
    cases.decide_assessment(actor=manager, assessment=assessment, approve=True)
    plan = cases.create_plan(actor=worker, person=child, kind="child_in_need",
                             outcomes="Zebedee feels safe on the way to school",
                             review_on=TODAY + dt.timedelta(days=28),
                             groups=[GroupFactory(name="The Gloucester Road lot")])
    cases.add_plan_action(actor=worker, plan=plan, description="Walk Zebedee to school",
                          owner=worker, due_on=TODAY)
    cases.record_plan_review(actor=worker, plan=plan, held_on=TODAY, next_review_on=None,
                             summary="Zebedee is safer; plan can close")
    cases.update_plan(actor=worker, plan=plan, version=1, values={"status": "closed"})
    cases.record_meeting(actor=worker, person=child, kind="locality_meeting", held_on=TODAY,
                         discussion="Zebedee Quartermaine: no further concerns")
    referral = cases.record_nrm_referral(actor=worker, person=child, referred_on=TODAY)
    cases.record_nrm_decision(actor=worker, referral=referral, stage="reasonable",
                              decided_on=TODAY, outcome="negative")


@pytest.fixture
def closed_work(zeb, staff):
    task = ed_referral(zeb)
    done(task)
    decided_concern(zeb, staff)
    closed_case(zeb, staff)
    return task


# The child's own closed work and what hangs from it, by tombstone key.
OWN_WORK = {
    "tasks": Task, "task_notifications": Notification, "concerns": Concern,
    "case_notifications": CaseNotification, "assessments": Assessment,
    "assessment_drafts": AssessmentDraft, "plans": Plan, "plan_actions": PlanAction,
    "plan_reviews": PlanReview, "statutory_clocks": StatutoryClock,
    "case_meetings": CaseMeeting, "nrm_referrals": NrmReferral,
}


def test_his_closed_work_goes_with_him_and_nothing_names_him_after(dpo, zeb, closed_work):
    assert {"feeds.InboxMessage", "cases.Concern", "cases.Assessment", "cases.Plan",
            "cases.Revision", "cases.PlanReview", "cases.CaseMeeting"} <= set(canaries_left())
    before = {kind: model.objects.count() for kind, model in OWN_WORK.items()}
    assert all(before.values()), before  # every kind is really there to be removed
    tombstone = services.dispose_person(actor=dpo, person_id=zeb.pk)
    assert not Person.objects.filter(pk=zeb.pk).exists()
    assert {kind: model.objects.count() for kind, model in OWN_WORK.items()} == dict.fromkeys(
        OWN_WORK, 0)
    assert not Revision.objects.exists() and not Plan.groups.through.objects.exists()
    assert canaries_left() == {}
    removed = tombstone.removed
    assert {kind: removed[kind] for kind in OWN_WORK} == before
    assert (removed["assessment_revisions"], removed["plan_revisions"]) == (1, 1)
    assert (removed["plan_groups"], removed["tasks_detached"]) == (1, 0)


def test_corrections_and_withdrawals_go_with_the_work_they_corrected(dpo, zeb, closed_work,
                                                                    staff):
    """A corrected meeting, plan action and review, and a withdrawn NRM referral: the earlier
    words kept in their histories go with them (issue 13)."""
    worker = staff[Role.SOCIAL_WORKER]
    meeting, referral = CaseMeeting.objects.get(), NrmReferral.objects.get()
    clock_corrections.correct_meeting(actor=worker, meeting=meeting, kind=meeting.kind,
                                      held_on=meeting.held_on, discussion="Zebedee is fine",
                                      reason="Zebedee's name misspelt")
    action, review = PlanAction.objects.get(), PlanReview.objects.get()
    plan_corrections.correct_plan_action(actor=worker, action=action, owner=worker,
                                         description="Walk Zebby to school", due_on=TODAY,
                                         reason="Wrong words")
    plan_corrections.correct_plan_review(actor=worker, review=review, held_on=TODAY,
                                         summary="Zebedee Quartermaine safer",
                                         next_review_on=None, reason="Wrong words")
    clock_corrections.correct_nrm_referral(
        actor=worker, referral=referral, referred_on=TODAY - dt.timedelta(days=1),
        reasonable_grounds="negative", reasonable_grounds_on=TODAY, reason="Typed a day late")
    clock_corrections.withdraw_nrm_referral(actor=worker, referral=referral,
                                            reason="Zebedee's was a duplicate")
    assert casework.still_in_use([zeb.pk]) == {}
    assert Revision.objects.filter(object_type__in=[
        "case_meeting", "plan_action", "plan_review", "nrm_referral"]).count() == 4
    removed = services.dispose_person(actor=dpo, person_id=zeb.pk).removed
    assert not Revision.objects.exists()
    assert (removed["case_meeting_revisions"], removed["plan_action_revisions"],
            removed["plan_review_revisions"], removed["nrm_referral_revisions"]) == (1, 1, 1, 1)


def test_the_audit_row_lists_the_removed_work_by_id_only(dpo, zeb, closed_work):
    clocks = sorted(StatutoryClock.objects.values_list("pk", flat=True))
    services.dispose_person(actor=dpo, person_id=zeb.pk)
    entry = AuditEntry.objects.get(action="dispose")
    assert entry.outcome == "ok"
    assert entry.detail["tasks"] == [closed_work.pk]
    assert entry.detail["statutory_clocks"] == clocks
    assert not any(c.casefold() in json.dumps(entry.detail).casefold() for c in CANARIES)


def test_one_open_task_refuses_naming_it_audited_and_nothing_changes(dpo, zeb):
    task = ed_referral(zeb)
    before = snapshot()
    with pytest.raises(services.StillInUse) as refusal:
        services.dispose_person(actor=dpo, person_id=zeb.pk)
    assert str(refusal.value) == (f"person {zeb.pk}: still in use: 1 open task; "
                                  "close them first")
    assert snapshot() == before and not DisposalTombstone.objects.exists()
    entry = AuditEntry.objects.get(action="dispose")
    assert entry.outcome == "denied" and entry.object_ids == [str(zeb.pk)]
    assert entry.detail == {"reason": "still_in_use", "open": {"tasks": [task.pk]}}


def test_every_kind_still_open_is_named_with_its_count(dpo, zeb, staff):
    rule, team = TaskRule.objects.get(slug="ed-knife-rapid-response"), Team.objects.first()
    for key in ("a", "b"):
        Task.objects.create(rule=rule, rule_version=1, dedupe_key=key, team=team, person=zeb,
                            task_type=rule.task_type, created_at=NOW, due_at=NOW)
    PlanFactory(person=zeb)
    ConcernFactory(person=zeb, outcome="no_further_action")  # decided: not in the way
    cases.record_nrm_referral(actor=staff[Role.SOCIAL_WORKER], person=zeb, referred_on=TODAY)
    with pytest.raises(services.StillInUse, match=(
            r"still in use: 2 open tasks, 1 open plan, 1 running clock, "
            r"1 NRM referral waiting for a decision; close them first$")):
        services.dispose_person(actor=dpo, person_id=zeb.pk)


def test_open_work_on_a_record_merged_into_his_refuses_too(dpo, zeb):
    absorbed = PersonFactory(merged_into=zeb)
    AssessmentFactory(person=absorbed)
    with pytest.raises(services.StillInUse, match="1 open assessment;"):
        services.dispose_person(actor=dpo, person_id=zeb.pk)
    assert Person.objects.filter(pk__in=[zeb.pk, absorbed.pk]).count() == 2


def test_closing_the_work_lets_the_disposal_through(dpo, zeb, staff):
    task = ed_referral(zeb)
    with pytest.raises(services.StillInUse):
        services.dispose_person(actor=dpo, person_id=zeb.pk)
    done(task)
    assert services.dispose_person(actor=dpo, person_id=zeb.pk).removed["tasks"] == 1
    assert list(AuditEntry.objects.filter(action="dispose").values_list("outcome", flat=True)) \
        == ["denied", "ok"]


@pytest.fixture
def shared(zeb, staff):
    """An incident with Amelia too, its task naming only him (he was matched first), and a
    concern decided onto his group's case."""
    amelia = PersonFactory(given_name="Amelia", family_name="Okonkwo", kind="child")
    incident = EventFactory(summary="Zebedee and Amelia chased by two men")
    Involved(event=incident, person=zeb)
    Involved(event=incident, person=amelia, identity=IdentityFactory(person=amelia,
                                                                     nhs_number=""))
    rule, team = TaskRule.objects.get(slug="school-weapon-or-drugs"), Team.objects.first()
    task = Task.objects.create(rule=rule, rule_version=1, dedupe_key=f"e{incident.pk}",
                               team=team, person=zeb, event=incident, task_type=rule.task_type,
                               created_at=NOW, due_at=NOW, status=TaskStatus.DONE)
    Notification.objects.create(user=staff[Role.HUB_PRACTITIONER], task=task, kind="new",
                                created_at=NOW)
    group = GroupFactory(name="Castle Park crew")
    MembershipFactory(group=group, person=zeb)
    concern = ConcernFactory(person=zeb, group=group, outcome="contextual_pathway",
                             reason="Zebedee Quartermaine and the crew at the park",
                             outcome_reasons="Zebedee is one of several", subject_given_name="Zeb",
                             subject_family_name="Quartermaine",
                             subject_date_of_birth=dt.date(2011, 3, 4))
    return {"amelia": amelia, "incident": incident, "task": task, "concern": concern}


def test_a_task_about_an_incident_amelia_was_in_too_stays_hers(dpo, zeb, shared):
    tombstone = services.dispose_person(actor=dpo, person_id=zeb.pk)
    task = Task.objects.get(pk=shared["task"].pk)
    assert task.person_id is None and task.event_id == shared["incident"].pk
    assert task.notifications.count() == 1
    incident = Event.objects.get(pk=shared["incident"].pk)
    assert list(Involvement.objects.filter(event=incident).values_list("person", flat=True)) \
        == [shared["amelia"].pk]
    assert incident.summary == "[removed] and Amelia chased by two men"
    assert (tombstone.removed["tasks"], tombstone.removed["tasks_detached"]) == (0, 1)
    entry = AuditEntry.objects.get(action="dispose")
    assert entry.detail["tasks_detached"] == [task.pk]


def test_a_concern_decided_onto_a_groups_case_stays_with_the_group(dpo, zeb, shared):
    tombstone = services.dispose_person(actor=dpo, person_id=zeb.pk)
    concern = Concern.objects.get(pk=shared["concern"].pk)
    assert concern.person_id is None and concern.group_id is not None
    assert concern.reason == "[removed] [removed] and the crew at the park"
    assert concern.outcome_reasons == "[removed] is one of several"
    assert (concern.subject_family_name, concern.subject_date_of_birth) == ("[removed]", None)
    assert tombstone.removed["concerns_detached"] == 1
    assert canaries_left() == {}


def test_another_childs_assessment_on_his_concern_refuses_and_undoes_it_all(dpo, zeb, staff):
    task = ed_referral(zeb)
    done(task)
    concern = ConcernFactory(person=zeb, outcome="no_further_action")
    AssessmentFactory(concern=concern, status="approved")  # someone else's, on his concern
    before = snapshot()
    with pytest.raises(services.GovernanceRefused, match=r"still refer to them \(assessments"):
        services.dispose_person(actor=dpo, person_id=zeb.pk)
    assert snapshot() == before  # his task was deleted first, and is back
    entry = AuditEntry.objects.get(action="dispose")
    assert entry.detail == {"reason": "still_referred_to", "models": ["cases.Assessment"]}


def test_a_key_to_the_child_disposal_does_not_know_refuses_with_its_name(dpo, zeb, staff,
                                                                          monkeypatch):
    task = ed_referral(zeb)
    done(task)
    # As if tasks were a model added later that nobody had classified.
    monkeypatch.setattr(casework, "KINDS", tuple(k for k in casework.KINDS if k.model is not Task))
    before = snapshot()
    with pytest.raises(services.GovernanceRefused,
                       match=r"refer to theirs \(1 task \(tasks\.Task\.person\)\); classify"):
        services.dispose_person(actor=dpo, person_id=zeb.pk)
    assert snapshot() == before
    entry = AuditEntry.objects.get(action="dispose")
    assert entry.detail == {"reason": "unclassified_records",
                            "unclassified": {"tasks.Task.person": 1}}


def test_every_key_to_a_persons_records_is_classified_or_its_rows_go_with_them():
    # A key left out would make disposal refuse for every child with a row on it.
    assert [relation.label for relation in casework.unclassified()
            if not casework.cascade_paths(relation.model)] == []


meetings = pytest.mark.skipif(not apps.is_installed("saferoptions.meetings"),
                              reason="the locality meetings app is not installed")


def closed_task(child, key: str) -> Task:
    rule, team = TaskRule.objects.get(slug="ed-knife-rapid-response"), Team.objects.first()
    return Task.objects.create(rule=rule, rule_version=1, dedupe_key=key, team=team,
                               person=child, task_type=rule.task_type, created_at=NOW,
                               due_at=NOW, status=TaskStatus.DONE)


def agenda_item(task: Task, **fields):
    meeting = apps.get_model("meetings", "LocalityMeeting").objects.create(
        locality=Locality.objects.get(slug="north"), held_on=TODAY, starts_at=dt.time(10),
        created_at=NOW)
    return apps.get_model("meetings", "AgendaItem").objects.create(
        meeting=meeting, kind="overdue_action", key=f"task:{task.pk}", task=task,
        why=f"Task {task.pk} was overdue", position=1, created_at=NOW, **fields)


@meetings
def test_his_tasks_in_a_locality_meetings_record_go_with_his_items(dpo, zeb, staff):
    """The meeting's items about him and their actions are deleted with him (the meetings app
    cascades them from the person), so their keys to his tasks do not stop the disposal."""
    item = agenda_item(closed_task(zeb, "a"), person=zeb, notes="Zebedee was not seen")
    apps.get_model("meetings", "MeetingAction").objects.create(
        item=item, description="Visit Zebedee Quartermaine", team=Team.objects.first(),
        due_on=TODAY, task=closed_task(zeb, "b"), created_by=staff[Role.HUB_PRACTITIONER],
        created_at=NOW)
    apps.get_model("meetings", "AgendaItem").objects.create(  # no task: goes with him
        meeting=item.meeting, kind="child", key=f"person:{zeb.pk}", person=zeb,
        why="Newly flagged", position=2, created_at=NOW)
    tombstone = services.dispose_person(actor=dpo, person_id=zeb.pk)
    assert not apps.get_model("meetings", "AgendaItem").objects.exists()
    assert (tombstone.removed["agenda_items"], tombstone.removed["meeting_actions"]) == (2, 1)
    assert tombstone.removed["tasks"] == 2 and canaries_left() == {}


@meetings
def test_his_task_on_an_item_about_something_else_refuses_with_its_name(dpo, zeb):
    agenda_item(closed_task(zeb, "a"), group=GroupFactory())
    before = snapshot()
    with pytest.raises(services.GovernanceRefused, match=(
            r"refer to theirs \(1 agenda item \(meetings\.AgendaItem\.task\)\); classify them")):
        services.dispose_person(actor=dpo, person_id=zeb.pk)
    assert snapshot() == before


def test_the_walk_reaches_every_key_to_a_person_and_the_work_hanging_from_it():
    labels = {relation.label for relation in casework.relations()}
    assert {"tasks.Task.person", "tasks.Notification.task", "cases.Concern.person",
            "cases.CaseNotification.concern", "cases.AssessmentDraft.assessment",
            "cases.PlanReview.plan", "cases.PlanAction.plan", "people.Identity.person",
            "linkage.ReviewPair.identity_a"} <= labels


def test_work_kept_for_others_can_be_detached():
    for kind in casework.KINDS:
        if kind.shared is not None:
            assert kind.model._meta.get_field(kind.field).null, kind.name
