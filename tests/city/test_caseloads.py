"""Demo practitioners get children to work with, once, and only demo accounts do."""

import pytest

from saferoptions.access import policy
from saferoptions.accounts import demo
from saferoptions.cases.models import TeamAroundChildMember
from saferoptions.city.caseloads import assign_demo_caseloads
from saferoptions.core.models import Locality, Role, User
from saferoptions.people.models import Person, PersonKind
from tests.events.factories import InvolvementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts(settings, tmp_path):
    settings.ACCOUNTS_DEMO_FILE = tmp_path / "demo_accounts.json"
    settings.DEMO_CASELOAD_SIZE = 2
    # Hashing 17 strong passwords is the slow part and not what is tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return {a.username: a for a in demo.create_all()}


def _children(locality_slug, n):
    locality = Locality.objects.get(slug=locality_slug)
    return [Person.objects.create(kind=PersonKind.CHILD, locality=locality) for _ in range(n)]


def test_each_demo_practitioner_sees_the_children_they_are_given(demo_accounts):
    north = _children("north", 3)
    _children("south", 3)
    made = assign_demo_caseloads()
    assert made["demo-social-worker"] == 2
    social_worker = User.objects.get(username="demo-social-worker")  # placed in North
    visible = policy.restrict(social_worker, "view", Person.objects.all())
    assert set(visible) <= set(north) and visible.count() == 2
    lead = TeamAroundChildMember.objects.filter(user__role=Role.LEAD_WORKER).first()
    assert lead.role == "lead_professional"


def test_running_again_adds_nobody(demo_accounts):
    _children("north", 3)
    assign_demo_caseloads()
    before = TeamAroundChildMember.objects.count()
    assert assign_demo_caseloads() == {}
    assert TeamAroundChildMember.objects.count() == before


def test_accounts_that_are_not_demo_accounts_get_no_caseload(demo_accounts):
    User.objects.create(username="real-social-worker", role=Role.SOCIAL_WORKER)
    _children("north", 3)
    assign_demo_caseloads()
    assert not TeamAroundChildMember.objects.filter(user__username="real-social-worker").exists()


@pytest.mark.parametrize(("role", "own_type"), [(Role.HOUSING_OFFICER, "housing_report"),
                                                (Role.HEALTH_PRACTITIONER, "ed_assault")])
def test_housing_and_the_ed_work_with_the_children_their_own_records_are_about(
        demo_accounts, role, own_type):
    """Seen on the tour: the demo housing officer had no child to work with, and the ED's
    children were the city's busiest, none of them seen at the ED."""
    busy, own = _children("north", 2), _children("south", 2)
    for person in busy:
        InvolvementFactory.create_batch(3, person=person)
    for person in own:
        InvolvementFactory(person=person, event__event_type=own_type)
    assign_demo_caseloads()
    user = User.objects.get(username=demo.username_for(role))
    visible = policy.restrict(user, "view", Person.objects.all())
    assert set(visible) == set(own)
