"""Every page a role reaches takes a malformed query string without a server error.

A list's `page`, `sort`, `q` and its filter form's fields are typed into the address bar,
bookmarked, shared and guessed: a negative or huge page, a page that is no number, a sort
naming a Python attribute, a NUL, half a UTF-16 pair or 5,000 characters. Each page answers
(200, or 400 naming the part), never a 500, and a value shown back is text, never markup. The
attack tried this on every page of ten demo roles on a demo clone; this keeps it for the
roles below on the pages they reach from home.
"""

import re
from collections import deque
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from saferoptions.core.models import Agency, Role, Team
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import UserFactory

from .test_links import SKIP, _user, world  # noqa: F401 (world is a fixture)

pytestmark = pytest.mark.django_db

PAGES = 30
NAMES = ("page", "sort", "q")
VALUES = ("-1", "abc", "99999999999999999999999", "__class__", "\x00\ud800",
          '"><b id=attack>' + "x" * 5000)


def _reach(client) -> dict[str, set]:
    """Path pattern -> (one path, the query names its links and GET forms use)."""
    seen, queue, found = set(), deque(["/"]), {}
    while queue and len(seen) < PAGES:
        path = queue.popleft()
        if path in seen or path.startswith(SKIP) or "export" in path:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        split = urlsplit(path)
        pattern = re.sub(r"/[0-9a-f-]{36}/|/\d+/", "/N/", split.path)
        names = found.setdefault(pattern, (split.path, set()))[1]
        names.update(name for name, _ in parse_qsl(split.query))
        for form in re.findall(r"<form(.*?)</form>", html, re.S):
            if 'method="post"' not in form[:300].lower():
                names.update(re.findall(r'name="([^"]+)"', form))
        queue.extend(link.replace("&amp;", "&") for link in re.findall(r'href="(/[^"#]*)"', html))
    return found


def _attack(client) -> list:
    broken = []
    for path, names in _reach(client).values():
        for name in sorted((names | set(NAMES)) - {"csrfmiddlewaretoken"}):
            for value in VALUES:
                query = urlencode({name: value}, errors="surrogatepass")
                response = client.get(f"{path}?{query}")
                if response.status_code >= 500 or b"<b id=attack>" in response.content:
                    broken.append((response.status_code, path, name, value[:12]))
    return broken


@pytest.mark.parametrize("role", [Role.STRATEGIC_LEAD, Role.LOCALITY_CHAIR])
def test_malformed_queries_never_break_a_page_a_role_reaches(client, world, role):  # noqa: F811
    user = _user(role)
    TeamMemberFactory(person=world, user=user)
    client.force_login(user)
    assert _attack(client) == []


def test_malformed_queries_never_break_the_hubs_queues(client, world):  # noqa: F811
    hub = UserFactory(hub=True, team=Team.objects.get(slug="hub"),
                      agency=Agency.objects.get(slug="social-care"))
    client.force_login(hub)
    assert _attack(client) == []
