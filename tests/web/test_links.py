"""No page offers a link that the same user would meet as a 404 or a server error.

A link to a page the user may not open wastes a busy practitioner's time and hints that
something is there; the crawl follows every in-app link from each role's home page.
"""

import re
from collections import deque

import pytest

from saferoptions.core.models import Agency, Locality, Role, Team
from tests.cases.factories import TeamMemberFactory
from tests.contexts.factories import PlaceFactory
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import IdentityFactory, PersonFactory

pytestmark = pytest.mark.django_db

SKIP = ("/static/", "/admin/", "/accounts/sign-out", "/api/")
PAGES_PER_ROLE = 60


@pytest.fixture
def world():
    north = Locality.objects.get(slug="north")
    child = PersonFactory(locality=north)
    police = Agency.objects.get(slug="police")
    IdentityFactory(person=child, agency=police)
    event = EventFactory(reporting_agency=police, place=PlaceFactory())
    InvolvementFactory(event=event, person=child)
    return child


def _user(role):
    placements = {
        Role.SOCIAL_WORKER: ("social-care", "social-care-north"),
        Role.TEAM_MANAGER: ("social-care", "social-care-south"),
        Role.STRATEGIC_LEAD: ("community-safety", "strategy"),
        Role.LOCALITY_CHAIR: ("social-care", "social-care-north"),
        Role.HEALTH_PRACTITIONER: ("hospital-ed", "hospital-ed"),
        Role.LICENSING_OFFICER: ("licensing", "licensing"),
    }
    agency, team = placements[role]
    return UserFactory(role=role, agency=Agency.objects.get(slug=agency),
                       team=Team.objects.get(slug=team),
                       locality=Locality.objects.get(slug="north"))


def _crawl(client) -> list[tuple[int, str]]:
    seen, queue, broken = set(), deque(["/"]), []
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.popleft()
        if path in seen or path.startswith(SKIP) or "export" in path:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (404, 500):
            broken.append((response.status_code, path))
        elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
            links = re.findall(r'href="(/[^"#]*)"', response.content.decode())
            queue.extend(link.replace("&amp;", "&") for link in links)
    return broken


@pytest.mark.parametrize("role", [
    Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.STRATEGIC_LEAD, Role.LOCALITY_CHAIR,
    Role.HEALTH_PRACTITIONER, Role.LICENSING_OFFICER,
])
def test_every_link_a_role_is_offered_opens(client, world, role):
    user = _user(role)
    TeamMemberFactory(person=world, user=user)  # so the child's own pages are in reach
    client.force_login(user)
    assert _crawl(client) == []
