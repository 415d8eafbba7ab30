"""An event's duty to each child is that child's own task: children missing together each get
a return home interview, named and on their own clock; nobody else in the event is named."""

import datetime as dt

import pytest
from django.test import Client

from saferoptions.access import policy
from saferoptions.cases.hooks import event_arrived
from saferoptions.cases.models import StatutoryClock
from saferoptions.city.settling import Settler
from saferoptions.contexts.models import Place
from saferoptions.core import clock
from saferoptions.core.models import Agency, Team, Ward
from saferoptions.events.models import Involvement
from saferoptions.feeds import services
from saferoptions.people.models import Person
from saferoptions.tasks.models import Task, TaskRule
from saferoptions.tasks.services import apply_rules, name_child_on_tasks
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.feeds.factories import ago
from tests.people.factories import IdentityFactory

from .factories import send

pytestmark = pytest.mark.django_db


def _ago(**delta):
    return clock.now() - dt.timedelta(**delta)


def _person(given, family, born):
    return Person.objects.create(given_name=given, family_name=family,
                                 date_of_birth=dt.date(*born))


def _episode(*people, place=None):
    """A missing episode that ended two hours ago, with (person, role) pairs."""
    event = EventFactory(event_type="missing_episode", category="missing",
                         reporting_agency=Agency.objects.get(slug="police"), place=place,
                         occurred_at=_ago(hours=30), ended_at=_ago(hours=2),
                         reported_at=_ago(hours=30))
    for person, role in people:
        InvolvementFactory(event=event, person=person, role=role)
    return event


def _rhi(event):
    return Task.objects.filter(event=event, task_type="return_home_interview").order_by("pk")


@pytest.fixture
def three():
    """Two children who went missing together and the older man they were found with."""
    return (_person("Ava", "Jones", (2011, 1, 2)), _person("Mia", "Khan", (2010, 6, 7)),
            _person("Dean", "Cole", (1990, 1, 1)))


@pytest.fixture
def south():
    return Place.objects.create(name="Southville library", place_type="other", latitude=51.444,
                                longitude=-2.605, ward=Ward.objects.filter(
                                    locality__slug="south").first())


def test_children_missing_together_each_get_their_own_interview_on_their_own_clock(three):
    ava, mia, dean = three
    event = _episode((ava, "missing_person"), (mia, "missing_person"), (dean, "associate"))
    made = apply_rules(event, {}, [])
    event_arrived(event)
    assert [t.person for t in made] == [ava, mia]
    for task in made:
        own = StatutoryClock.objects.get(kind="return_home_interview", person=task.person)
        assert task.due_at == own.due_at == event.ended_at + dt.timedelta(hours=72)
    assert not Task.objects.filter(person=dean).exists()


def test_the_event_again_makes_no_second_task_for_any_child(three):
    ava, mia, _ = three
    event = _episode((ava, "missing_person"), (mia, "missing_person"))
    apply_rules(event, {}, [])
    assert apply_rules(event, {}, []) == [] and name_child_on_tasks(event) == 0
    assert _rhi(event).count() == 2


def test_a_child_matched_later_is_named_on_their_own_task_not_given_a_second(three):
    ava, mia, _ = three
    event = _episode((ava, "missing_person"))
    record = IdentityFactory(person=None, given_name="Mia")
    late = Involvement.objects.create(event=event, identity=record, role="missing_person")
    apply_rules(event, {}, [])
    assert [t.person for t in _rhi(event)] == [ava, None]
    late.person = mia
    late.save(update_fields=["person"])
    assert name_child_on_tasks(event) == 1
    apply_rules(event, {}, [])  # what the matcher's hook runs next (feeds.act_on_matched)
    assert [t.person for t in _rhi(event)] == [ava, mia]


def test_a_task_made_for_the_whole_episode_becomes_the_first_childs(three):
    """One made before the rule split per child: the first child takes it, the next gets
    their own, and running it again changes nothing."""
    ava, mia, _ = three
    event = _episode((ava, "missing_person"), (mia, "missing_person"))
    rule = TaskRule.objects.get(slug="return-home-interview", version=1)
    old = Task.objects.create(rule=rule, rule_version=1, dedupe_key=f"e{event.pk}",
                              task_type=rule.task_type, team=Team.objects.get(slug="hub"),
                              event=event, created_at=clock.now(), due_at=clock.now())
    apply_rules(event, {}, [])
    apply_rules(event, {}, [])
    assert [(t.pk == old.pk, t.person) for t in _rhi(event)] == [(True, ava), (False, mia)]


def test_two_messages_about_one_episode_make_one_task_per_child_once():
    first = send("missing_episode", source_reference="MIS-9", occurred_at=ago(hours=30),
                 returned_at=ago(hours=1), person={"source_id": "P-1", "given_name": "Ava",
                                                    "family_name": "Jones"})
    for source_id, name in (("P-2", "Mia"), ("P-1", "Ava"), ("P-2", "Mia")):  # and redelivered
        send("missing_episode", source_reference="MIS-9", occurred_at=ago(hours=30),
             returned_at=ago(hours=1), person={"source_id": source_id, "given_name": name,
                                                "family_name": "Khan"})
    services.InboxMessage.objects.filter(pk=first.pk).update(status="received")
    services.process_message(first.pk)
    tasks = _rhi(first.event)
    assert tasks.count() == 2
    assert sorted(t.dedupe_key.split(":")[1][0] for t in tasks) == ["i", "i"]


def test_a_rapid_response_is_each_patients_and_never_the_suspects():
    young, older, suspect = (_person("Zed", "Quill", (2010, 1, 1)),
                             _person("Tom", "Hale", (1990, 1, 1)),
                             _person("Lee", "Dunn", (2009, 1, 1)))
    event = EventFactory(event_type="ed_assault", category="knife",
                         reporting_agency=Agency.objects.get(slug="hospital-ed"),
                         occurred_at=_ago(hours=3), reported_at=_ago(hours=2))
    for person, role in ((young, "patient"), (older, "patient"), (suspect, "suspect")):
        InvolvementFactory(event=event, person=person, role=role)
    made = apply_rules(event, {}, [])  # the youngest's age must not make the adult's task
    assert [(t.task_type, t.person) for t in made] == [("hospital_rapid_response", young)]
    assert name_child_on_tasks(event) == 0


def test_an_anonymous_ed_record_keeps_one_unnamed_task_even_with_a_suspect_named():
    suspect = _person("Lee", "Dunn", (2009, 1, 1))
    event = EventFactory(event_type="ed_assault", category="knife",
                         reporting_agency=Agency.objects.get(slug="hospital-ed"),
                         occurred_at=_ago(hours=3), reported_at=_ago(hours=2))
    InvolvementFactory(event=event, person=suspect, role="suspect")
    made = apply_rules(event, {"age": 16}, [])
    assert [t.person for t in made] == [None]
    name_child_on_tasks(event)
    assert Task.objects.get(pk=made[0].pk).person is None


def test_a_place_review_stays_one_for_the_place():
    ward = Ward.objects.first()
    Place.objects.create(name="The Underpass", place_type="street", latitude=51.45,
                         longitude=-2.59, ward=ward)
    sent = send("community_concern", place={"name": "the underpass"})
    for n in range(2):
        InvolvementFactory(event=sent.event, person=_person(f"Kid{n}", "Roe", (2011, 1, 1)),
                           role="subject")
    apply_rules(sent.event, {}, [])
    assert Task.objects.filter(task_type="place_review").count() == 1


def test_each_childs_team_reads_only_the_children_it_interviews(three, south):
    ava, mia, dean = three
    event = _episode((ava, "missing_person"), (mia, "missing_person"), (dean, "associate"),
                     place=south)
    ava_task, mia_task = apply_rules(event, {}, [])
    team = Team.objects.get(slug="early-help-south")
    assert ava_task.team == mia_task.team == team
    worker = UserFactory(role="early_help_worker", team=team, agency=team.agency)
    client = Client()
    client.force_login(worker)
    assert "Ava Jones" in client.get(f"/tasks/{ava_task.pk}/").content.decode()
    assert "Mia Khan" in client.get(f"/tasks/{mia_task.pk}/").content.decode()
    listed = client.get("/tasks/").content.decode()
    assert "Ava Jones" in listed and "Mia Khan" in listed and "Not named" not in listed
    assert policy.decision_for(worker, dean) is None  # the associate is nobody's task
    other = Team.objects.get(slug="early-help-north")
    outsider = Client()
    outsider.force_login(UserFactory(role="early_help_worker", team=other, agency=other.agency))
    assert outsider.get(f"/tasks/{ava_task.pk}/").status_code == 404
    assert outsider.get("/tasks/99999999/").status_code == 404
    assert outsider.get("/tasks/nine/").status_code == 404


def test_the_demo_s_team_interviewing_one_child_meets_only_that_child_s_clock(three):
    ava, mia, _ = three
    event = _episode((ava, "missing_person"), (mia, "missing_person"))
    made = apply_rules(event, {}, [])
    event_arrived(event)
    settler = Settler(now=clock.now(), days=30, seed=1)
    settler._complete(made[0], clock.now())
    met = dict(StatutoryClock.objects.filter(kind="return_home_interview")
               .values_list("person__given_name", "met_at"))
    assert met["Ava"] is not None
    assert met["Mia"] is None  # Mia has not been interviewed: her clock still runs
    assert Task.objects.get(pk=made[1].pk).status == "open"
