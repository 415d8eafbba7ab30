"""Caseloads: "My work" lists the children I work with; a team manager sees and allocates.

The world (conftest): Amara in the north, with the social worker and the Barnardo's lead
worker in her team around the child; the manager manages the social worker's team.
"""

import datetime as dt
import re

import pytest
from django.test import Client

from saferoptions.audit.models import AuditEntry
from saferoptions.cases.models import TeamAroundChildMember
from saferoptions.core import clock
from saferoptions.core.models import AgencyKind, Role
from saferoptions.tasks.models import Task, TaskRule
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import AgencyFactory, TeamFactory, UserFactory
from tests.people.factories import PersonFactory

from .conftest import NOW
from .factories import ClockFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def team_task(team, person, *, due_at, key="t"):
    return Task.objects.create(
        rule=TaskRule.objects.get(slug="return-home-interview", version=1), rule_version=1,
        dedupe_key=f"{key}:{person.pk if person else 0}", task_type="return_home_interview",
        team=team, person=person, created_at=NOW - dt.timedelta(hours=60), due_at=due_at)


def _rows(page: str) -> list[str]:
    """The children's names in the order the caseload table lists them."""
    return re.findall(r'href="/cases/children/[0-9a-f-]+/">([^<]+)</a>', page)


# --- My work --------------------------------------------------------------------------------

def test_my_work_lists_the_children_i_work_with_with_clocks_and_tasks(world):
    worker = world.users["social_worker"]
    ClockFactory(person=world.child, started_at=NOW - dt.timedelta(hours=60),
                 due_at=NOW + dt.timedelta(hours=12))  # 83% of 72 h gone: due soon
    task = team_task(worker.team, world.child, due_at=NOW - dt.timedelta(hours=1))
    team_task(TeamFactory(), world.child, due_at=NOW, key="other-team")  # not my team's
    page = client_for(worker).get("/cases/my-work/").content.decode()
    assert "Children I work with" in page and "Amara Okafor" in page
    assert "Due soon" in page and "Return home interview" in page
    # The clock leads to where it is met (the interview is recorded on the child's page): it
    # was plain text, and the next step was a guess (seen on the tour).
    clocks = f'href="/cases/children/{world.child.public_id}/#clocks"'
    assert f"{clocks}>Return home interview, due" in page
    assert f'href="/tasks/{task.pk}/"' in page and "Overdue" in page
    assert len(re.findall(r'href="/tasks/\d+/"', page)) == 1
    assert "Quillfeather" not in page  # a child I do not work with
    entry = AuditEntry.objects.filter(actor=worker, object_type="my_children").get()
    assert entry.object_ids == [str(world.child.pk)]


def test_my_work_tells_two_children_of_the_same_name_apart_by_their_date_of_birth(world):
    """Seen on the tour: the ED's caseload listed 'Abigail', 'Ezra', 'Liam' (an ED record often
    has a forename only) with nothing else to tell a child from another of the same name."""
    worker = world.users["social_worker"]
    page = client_for(worker).get("/cases/my-work/").content.decode().split("My clocks")[0]
    assert "Amara Okafor" in page and "Born 4 Mar 2011" in page


def test_my_work_lists_only_my_own_clocks_and_my_teams_tasks_never_another_teams(world):
    """The ED practitioner on Amara's team works with her, but her social worker's conference
    clock, the Hub's triage decision, the return home interview nobody owns and the early
    help team's task are other people's work: not on the practitioner's "My work"."""
    hospital = AgencyFactory(kind=AgencyKind.HOSPITAL_ED)
    ed = UserFactory(username="ed", role=Role.HEALTH_PRACTITIONER, agency=hospital,
                     team=TeamFactory(agency=hospital))
    TeamMemberFactory(person=world.child, user=ed, role="health")
    worker = world.users["social_worker"]
    ClockFactory(person=world.child, due_at=NOW + dt.timedelta(hours=30))  # nobody owns it
    ClockFactory(person=world.child, kind="initial_conference", owner=worker,
                 due_at=NOW + dt.timedelta(days=9))
    ClockFactory(person=world.child, kind="triage_decision", due_at=NOW + dt.timedelta(days=1))
    team_task(TeamFactory(), world.child, due_at=NOW + dt.timedelta(hours=5), key="early-help")
    mine = ClockFactory(person=world.child, kind="nrm_reasonable_grounds", owner=ed,
                        due_at=NOW + dt.timedelta(days=4))
    own_task = team_task(ed.team, world.child, due_at=NOW + dt.timedelta(days=2), key="ed")

    page = client_for(ed).get("/cases/my-work/").content.decode()
    children = page.split("My clocks")[0]
    assert _rows(children) == ["Amara Okafor"]
    assert "NRM reasonable grounds decision" in children
    owned = page.split("My clocks", 1)[1]
    assert (f'href="/cases/children/{world.child.public_id}/#clocks">'
            "NRM reasonable grounds decision</a>") in owned
    assert re.findall(r'href="/tasks/(\d+)/"', children) == [str(own_task.pk)]
    for other in ("Return home interview, due", "Initial child protection conference",
                  "Hub decision on a concern"):
        assert other not in page
    assert client_for(ed).get("/").status_code == 200
    # Her social worker (children's social care) answers for the clock nobody owns and her
    # own conference clock; not for the Hub's triage decision or the ED practitioner's NRM.
    theirs = client_for(worker).get("/cases/my-work/").content.decode().split("My clocks")[0]
    assert "Return home interview, due" in theirs
    assert "Initial child protection conference" in theirs
    assert "Hub decision on a concern" not in theirs and "NRM" not in theirs
    assert mine.owner == ed


def test_my_clocks_agree_with_the_childrens_rows_an_amber_interview_nobody_owns_is_open(world):
    """Seen on the tour: the social worker's "Children I work with" showed an amber return home
    interview clock (nobody owns it; her part in the child's team answers for it) while the
    list of her clocks below said "No open clocks". Both now read one set of clocks."""
    worker = world.users["social_worker"]
    ClockFactory(person=world.child, started_at=NOW - dt.timedelta(hours=60),
                 due_at=NOW + dt.timedelta(hours=12))  # nobody owns it; due soon
    page = client_for(worker).get("/cases/my-work/").content.decode()
    children, clocks = page.split("My clocks", 1)
    assert "Due soon" in children and "Return home interview" in children
    assert "No open clocks" not in page
    assert "Due soon" in clocks and "Return home interview" in clocks
    assert f'href="/cases/children/{world.child.public_id}/#clocks">Return home interview' in clocks


def test_my_work_sorts_by_soonest_due_and_leaves_out_ended_memberships(world):
    worker = world.users["social_worker"]
    later = PersonFactory(given_name="Bea", family_name="Later", locality=world.north)
    sooner = PersonFactory(given_name="Cy", family_name="Sooner", locality=world.north)
    ended = PersonFactory(given_name="Dee", family_name="Ended", locality=world.north)
    for child in (later, sooner):
        TeamMemberFactory(person=child, user=worker)
    TeamMemberFactory(person=ended, user=worker, ended_on=dt.date(2026, 3, 1))
    ClockFactory(person=later, due_at=NOW + dt.timedelta(days=5))
    ClockFactory(person=sooner, due_at=NOW + dt.timedelta(hours=3))
    page = client_for(worker).get("/cases/my-work/").content.decode()
    children = page.split("My clocks")[0]
    assert _rows(children) == ["Cy Sooner", "Bea Later", "Amara Okafor"]
    assert "Dee Ended" not in page


def test_my_work_opens_on_29_february_with_a_child_that_has_nothing_due(world):
    # A child with no clock sorts last; that "never" once came from now().replace(year=9999).
    worker = world.users["social_worker"]
    with clock.frozen(dt.datetime(2028, 2, 29, 9, 0, tzinfo=dt.UTC)):
        page = client_for(worker).get("/cases/my-work/")
    assert page.status_code == 200 and "Amara Okafor" in page.content.decode()


def test_my_work_pages_fifty_children_at_a_time(world):
    worker = world.users["social_worker"]
    for n in range(55):
        TeamMemberFactory(person=PersonFactory(family_name=f"Child{n:02d}", locality=world.north),
                          user=worker)
    client = client_for(worker)
    first = client.get("/cases/my-work/").content.decode().split("My clocks")[0]
    assert len(_rows(first)) == 50 and "56 children" in first and "page=2" in first
    second = client.get("/cases/my-work/?page=2").content.decode().split("My clocks")[0]
    assert len(_rows(second)) == 6
    # A page that is not a number is said, and the first page shown (as on the other queues).
    bad = client.get("/cases/my-work/?page=zzz")
    assert bad.status_code == 400 and len(_rows(bad.content.decode().split("My clocks")[0])) == 50
    assert "is not a page number" in bad.content.decode()


def test_my_children_sort_by_name_lateness_or_joining_and_keep_the_filter(world):
    """Seen on the tour: the police officer's and the clinical psychologist's caseload (this
    list) could be read in one order only. It now sorts and filters like the other queues,
    and each sort keeps the filter (the sort is in the filter form; every link carries both)."""
    worker = world.users["social_worker"]
    zed = PersonFactory(given_name="Zed", family_name="Adams", locality=world.north)
    bea = PersonFactory(given_name="Bea", family_name="Young", locality=world.north)
    TeamMemberFactory(person=zed, user=worker, started_on=clock.today())
    TeamMemberFactory(person=bea, user=worker, started_on=clock.today() - dt.timedelta(days=3))
    ClockFactory(person=zed, started_at=NOW - dt.timedelta(hours=60),
                 due_at=NOW + dt.timedelta(hours=6))  # due soon
    ClockFactory(person=bea, started_at=NOW - dt.timedelta(hours=80),
                 due_at=NOW - dt.timedelta(hours=8))  # overdue
    client = client_for(worker)

    def names(address):
        page = client.get(address)
        assert page.status_code == 200
        return _rows(page.content.decode().split("My clocks")[0])

    assert names("/cases/my-work/") == ["Bea Young", "Zed Adams", "Amara Okafor"]
    assert names("/cases/my-work/?sort=name") == ["Amara Okafor", "Bea Young", "Zed Adams"]
    assert names("/cases/my-work/?sort=late")[0] == "Bea Young"
    assert names("/cases/my-work/?sort=joined")[0] == "Zed Adams"
    assert names("/cases/my-work/?work=amber&work=overdue&sort=name") == ["Bea Young",
                                                                         "Zed Adams"]
    assert names("/cases/my-work/?work=none") == ["Amara Okafor"]
    page = client.get("/cases/my-work/?work=amber&sort=name").content.decode()
    assert 'value="name" selected' in page and 'value="amber" checked' in page
    assert "sorted by child&#x27;s name, a to z" in page.lower()
    refused = client.get("/cases/my-work/?sort=secret&work=everything")
    assert refused.status_code == 400
    assert "cannot be sorted by" in refused.content.decode()


# --- the team manager -----------------------------------------------------------------------

def test_the_manager_sees_the_caseload_per_worker_and_the_unallocated_work(world):
    manager, worker = world.users["manager"], world.users["social_worker"]
    ClockFactory(person=world.child, due_at=NOW - dt.timedelta(hours=2))
    stray = PersonFactory(given_name="Nobody", family_name="Allocated", locality=world.north)
    team_task(worker.team, stray, due_at=NOW + dt.timedelta(days=1), key="stray")
    # A place review is work about a place, not with its child: it gives the team no
    # relationship with them (tasks/access_rules.py), unlike the return home interview.
    unseen = PersonFactory(given_name="Never", family_name="Admitted", locality=world.north)
    review = TaskRule.objects.get(slug="community-concern-place-review", version=1)
    Task.objects.create(rule=review, rule_version=1, dedupe_key="unseen",
                        task_type=review.task_type, team=worker.team, person=unseen,
                        created_at=NOW - dt.timedelta(hours=1), due_at=NOW + dt.timedelta(days=2))
    client = client_for(manager)
    page = client.get("/cases/team/").content.decode()
    assert "Unallocated tasks" in page
    assert re.search(r"social_worker.*?numeric\">1</td>.*?numeric\">1</td>", page, re.S)
    assert "Amara Okafor" in page.split('id="overdue"')[1]  # her clock is overdue
    unallocated = page.split('id="unallocated"')[1]
    assert "Return home interview" in unallocated
    # The team's own task is its work with the child (docs/access-policy.md).
    assert "Nobody Allocated" in unallocated
    assert "Never Admitted" not in unallocated  # the policy does not admit the manager
    assert "A child (reference" in unallocated
    detail = client.get(f"/cases/team/?worker={worker.pk}").content.decode()
    assert f"/cases/team/children/{world.child.public_id}/allocate/" in detail
    assert AuditEntry.objects.filter(actor=manager, object_type="team_caseload").exists()


def test_the_manager_allocates_a_child_to_a_worker_of_the_team_audited(world):
    manager, worker = world.users["manager"], world.users["social_worker"]
    colleague = UserFactory(username="colleague", role=Role.SOCIAL_WORKER,
                            agency=worker.agency, team=worker.team)
    url = f"/cases/team/children/{world.child.public_id}/allocate/"
    client = client_for(manager)
    form = client.get(url).content.decode()
    assert "colleague" in form and "outsider" not in form  # workers of the team only
    response = client.post(url, {"user": colleague.pk, "role": "allocated_worker",
                                 "reason": "Second worker for the return interview"})
    assert response.status_code == 302
    member = TeamAroundChildMember.objects.get(person=world.child, user=colleague)
    assert member.added_by == manager and member.authority == "team_manager"
    created = AuditEntry.objects.filter(actor=manager, action="create", object_type="team_member")
    assert [e.object_ids for e in created] == [[str(member.pk)]]
    # From now on it is on the colleague's "My work".
    assert "Amara Okafor" in client_for(colleague).get("/cases/my-work/").content.decode()


def test_an_allocation_outside_the_team_or_without_a_reason_is_refused(world):
    manager = world.users["manager"]
    url = f"/cases/team/children/{world.child.public_id}/allocate/"
    client = client_for(manager)
    response = client.post(url, {"user": world.users["outsider"].pk, "role": "member",
                                 "reason": "Not in my team at all"})
    assert response.status_code == 400
    assert "Choose a worker of your team from the list." in response.content.decode()
    response = client.post(url, {"user": world.users["social_worker"].pk, "role": "member",
                                 "reason": "short"})
    assert response.status_code == 400 and "at least 10 characters" in response.content.decode()
    response = client.post(url, {"user": "nonsense", "role": "nonsense", "reason": ""})
    assert response.status_code == 400
    assert not TeamAroundChildMember.objects.filter(added_by=manager).exists()


def test_a_manager_of_another_team_gets_404(world):
    other_team = TeamFactory(agency=world.agencies["social_care"])
    other = UserFactory(username="othermanager", role=Role.TEAM_MANAGER,
                        agency=world.agencies["social_care"], team=other_team)
    url = f"/cases/team/children/{world.child.public_id}/allocate/"
    client = client_for(other)
    assert client.get(url).status_code == 404
    response = client.post(url, {"user": world.users["social_worker"].pk,
                                 "role": "member", "reason": "Taking this child over"})
    assert response.status_code == 404
    missing = client.get("/cases/team/children/00000000-0000-0000-0000-000000000000/allocate/")
    assert missing.status_code == 404
    assert not TeamAroundChildMember.objects.filter(added_by=other).exists()
    page = client.get("/cases/team/").content.decode()
    assert "Amara Okafor" not in page


def test_the_team_pages_are_a_404_for_workers(world):
    client = client_for(world.users["social_worker"])
    assert client.get("/cases/team/").status_code == 404
    url = f"/cases/team/children/{world.child.public_id}/allocate/"
    assert client.get(url).status_code == 404
