"""No page shows a list of more than 50 rows without paging (issue 13).

Pages are found from the URL resolver, as the route inventory finds them, so a page another
area adds is checked without editing this test. Every list the app shows is given more than 50
rows, each page is opened as every role that may reach it, and any HTML table, GOV.UK summary
list, task list, summary card list or GOV.UK list of more than 50 rows on a page with no
GOV.UK pagination fails the test.
"""

import datetime as dt
import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.test import Client

from saferoptions.access.models import InformationSharingAgreement
from saferoptions.access.partnership import ensure_partnership_agreements
from saferoptions.accounts import demo
from saferoptions.core import clock
from saferoptions.core.models import Agency, Locality, Role, Team
from saferoptions.feeds.models import InboxMessage
from saferoptions.linkage.models import LinkageModel, ReviewPair, UnmatchedIdentity
from tests.access.test_route_inventory import routes
from tests.cases.factories import ClockFactory, ConcernFactory, TeamMemberFactory
from tests.contexts.factories import GroupFactory, MembershipFactory, PlaceFactory
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.meetings.factories import AgendaItemFactory, AttendeeFactory, MeetingFactory
from tests.people.factories import IdentityFactory, PersonFactory
from tests.tasks.factories import make_task

LIMIT = 50
MANY = LIMIT + 6
# Not pages of this service's own making, or pages without a signed-in reader.
SKIPPED_PREFIXES = ("api/", "admin/")
SKIPPED_RULES = {"public", "monitoring"}
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
# Pages printed whole as a record: paging would cut the record. Each says why.
PRINTED = {
    "meetings/<int:pk>/minutes/": "the minutes are the meeting's record, printed and signed whole",
}
# Who opens a page any signed-in user may ask for: the Hub (triage, a locality), a social
# worker and a team manager (a team's work), the locality chair (meetings), police and
# hospital (their agency's own records), the data protection officer (every record), the
# analyst and the system administrator. The other practitioners are on the same children's
# teams as these and see what they see; visiting them too would double the test's time.
READERS = (Role.HUB_PRACTITIONER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.LOCALITY_CHAIR,
           Role.POLICE_OFFICER, Role.HEALTH_PRACTITIONER, Role.DATA_PROTECTION_OFFICER,
           Role.ANALYST, Role.SYSTEM_ADMINISTRATOR)
# Roles that never work with a child, so are on no child's team.
NO_CHILDREN = {Role.LICENSING_OFFICER, Role.COMMUNITY_MEMBER, Role.STRATEGIC_LEAD, Role.ANALYST,
               Role.SYSTEM_ADMINISTRATOR, Role.CATALOGUE_MANAGER, Role.DATA_PROTECTION_OFFICER}


class ListCounter(HTMLParser):
    """Counts the rows of each list on a page; the map's shapes and form options are not rows."""

    LISTS = {"table", "dl", "ul", "ol"}

    def __init__(self):
        super().__init__()
        self.stack: list[dict] = []  # open lists, innermost last
        self.lists: list[dict] = []
        self.cards = 0
        self.paged = False
        self.in_svg = 0
        self.in_head = 0  # inside a table's <thead>: its row is the header, not a row

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if "govuk-pagination" in classes or "moj-pagination" in classes:
            self.paged = True
        if tag == "svg":
            self.in_svg += 1
        if self.in_svg:
            return
        if "govuk-summary-card" in classes:
            self.cards += 1
        if tag == "thead":
            self.in_head += 1
        if tag in self.LISTS:
            kind = self._kind(tag, classes)
            entry = {"kind": kind, "rows": 0, "depth": 0}
            self.stack.append(entry)
            if kind:
                self.lists.append(entry)
            return
        if not self.stack:
            return
        here = self.stack[-1]
        kind = here["kind"]
        here["rows"] += ((kind == "table" and tag == "tr" and not self.in_head)
                         or (kind == "summary list" and "govuk-summary-list__row" in classes)
                         or (kind in ("task list", "list") and tag == "li"))

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_svg = max(0, self.in_svg - 1)
            return
        if self.in_svg:
            return
        if tag == "thead":
            self.in_head = max(0, self.in_head - 1)
        if tag in self.LISTS and self.stack:
            self.stack.pop()

    @staticmethod
    def _kind(tag, classes):
        if tag == "table":
            return "table"
        if tag == "dl" and "govuk-summary-list" in classes:
            return "summary list"
        if "govuk-task-list" in classes:
            return "task list"
        if tag in ("ul", "ol") and "govuk-list" in classes:
            return "list"
        return ""


def too_long(html: str) -> list[str]:
    """The lists of more than LIMIT rows on a page that has no pagination."""
    counter = ListCounter()
    counter.feed(html)
    if counter.paged:
        return []
    found = [f"{entry['kind']} of {entry['rows']} rows" for entry in counter.lists
             if entry["rows"] > LIMIT]
    if counter.cards > LIMIT:
        found.append(f"{counter.cards} summary cards")
    return found


# --- a city in which every list the app shows is longer than a page ------------------------


class World:
    """The users (one per role, placed as the demo places them) and the records made."""

    def __init__(self):
        self.users: dict = {}
        self.pk: dict = {}  # route prefix -> the pk of a record shown there
        self.child = None


def build_world() -> World:
    w = World()
    north = Locality.objects.get(slug="north")
    for role, (agency, team, locality) in demo.PLACEMENTS.items():
        w.users[role] = UserFactory(
            username=f"paging-{role}", role=role, agency=Agency.objects.get(slug=agency),
            team=Team.objects.get(slug=team) if team else None,
            locality=Locality.objects.get(slug=locality) if locality else None,
            is_staff=role == Role.SYSTEM_ADMINISTRATOR)
    ensure_partnership_agreements(starts_on=dt.date(2020, 1, 1),
                                  proposed_by=w.users[Role.SYSTEM_ADMINISTRATOR],
                                  decided_by=w.users[Role.DATA_PROTECTION_OFFICER])
    police, hospital = Agency.objects.get(slug="police"), Agency.objects.get(slug="hospital-ed")
    practitioners = [u for u in w.users.values() if u.role not in NO_CHILDREN]
    places = [PlaceFactory(name=f"Paging place {i}", latitude=51.40 + 0.0025 * i,
                           longitude=-2.70 + 0.003 * i) for i in range(MANY)]
    groups = [GroupFactory(name=f"Paging group {i}") for i in range(MANY)]
    children = []
    meeting = MeetingFactory(locality=north, held_on=clock.today())
    AttendeeFactory(meeting=meeting, user=w.users[Role.LOCALITY_CHAIR])
    model = LinkageModel.objects.create(
        version=1, created_at=clock.now(), splink_model={}, trained_on=10,
        level_weights={"prior_match_weight": -9.5, "comparisons": {}},
        thresholds={"auto_link": 0.99, "review": 0.5})
    for i in range(MANY):
        child = PersonFactory(locality=north)
        children.append(child)
        IdentityFactory(person=child, agency=police)
        IdentityFactory(person=child, agency=hospital)
        for user in practitioners:
            TeamMemberFactory(person=child, user=user)
        MembershipFactory(person=child, group=groups[0], source=police)
        if i:
            MembershipFactory(person=child, group=groups[i], source=police)
        # Every child at the first place (its page lists them all); an assault each at their
        # own place (a hexagon each on the hot-spot map); the first child in every event.
        when = clock.now() - dt.timedelta(days=i % 20, hours=i % 24)
        for kind, agency, place in (("police_incident", police, places[0]),
                                    ("ed_assault", hospital, places[i])):
            event = EventFactory(event_type=kind, reporting_agency=agency, place=place,
                                 occurred_at=when)
            InvolvementFactory(person=child, event=event)
            if i:
                InvolvementFactory(person=children[0], event=event)
        EventFactory(event_type="ed_assault", reporting_agency=hospital, place=None,
                     location_description=f"Outside unit {i} on the paging estate")
        concern = ConcernFactory(person=child, raised_at=clock.now() - dt.timedelta(days=3),
                                 due_at=clock.now() - dt.timedelta(days=1))
        clock_row = ClockFactory(person=child, locality=north,
                                 started_at=clock.now() - dt.timedelta(days=9),
                                 due_at=clock.now() - dt.timedelta(days=6))
        for team in ("hub", "social-care-north"):
            task = make_task(team, person=child, key=f"paging:{team}:{i}", due_in_hours=-2)
        item = AgendaItemFactory(meeting=meeting, person=child, position=i + 1)
        InboxMessage.objects.create(
            agency=police, feed_type="police_incident", idempotency_key=f"paging-{i}",
            body_hash=f"{i:064d}", raw=b'{"given_name": "Paging"}', status="quarantined",
            received_at=clock.now(), errors=[{"row": None, "field": "occurred_at",
                                              "reason": "is required"}])
        police_id, hospital_id = child.identities.order_by("pk")[:2]
        UnmatchedIdentity.objects.create(identity=hospital_id, reason="Too little to match on",
                                         created_at=clock.now())
        pair = ReviewPair.objects.create(
            identity_a=police_id, identity_b=hospital_id, model=model, match_weight=2.0,
            match_probability=0.8, contributions={}, created_at=clock.now())
        UserFactory(username=f"paging-account-{i}", role=Role.LEAD_WORKER,
                    agency=Agency.objects.get(slug="barnardos"))
        PersonFactory(locality=None)  # a child no locality has yet, for the Hub to place
    w.child = children[0]
    w.pk.update({"contexts/places/": places[0].pk, "contexts/groups/": groups[0].pk,
                 "cases/concerns/": concern.pk, "tasks/": task.pk, "meetings/": meeting.pk,
                 "feeds/quarantine/": InboxMessage.objects.last().pk,
                 "linkage/review/": pair.pk, "linkage/unmatched/": UnmatchedIdentity.objects
                 .last().pk, "accounts/manage/": w.users[Role.LEAD_WORKER].pk,
                 "access/agreements/": InformationSharingAgreement.objects.last().pk,
                 "meetings/<int:pk>/items/": item.pk, "cases/clocks/": clock_row.pk})
    return w


# --- the walk ------------------------------------------------------------------------------


def pages(world: World):
    """(route, address, roles) for every GET page the resolver knows whose arguments the
    world can fill; routes it cannot fill are returned apart, so the test can name them."""
    found, unfilled = [], []
    for route, namespace, callback in routes():
        rule = getattr(callback, "access_rule", None)
        if (route.startswith(SKIPPED_PREFIXES) or namespace == "admin" or rule in SKIPPED_RULES
                or route in PRINTED):
            continue
        address = fill(route, world)
        if address is None:
            unfilled.append(route)
            continue
        roles = callback.access_roles if rule == "roles" else READERS
        found.append((route, address, roles))
    return found, unfilled


def fill(route: str, world: World) -> str | None:
    """The route with each argument taken from the world: a child for a person's page, the
    record made for the route's prefix for a number."""
    parts, at = [], 0
    for match in PARAM.finditer(route):
        converter, name = match.groups()
        prefix = route[:match.start()]
        value = world.pk.get(prefix)
        if value is None and converter == "uuid":
            value = world.child.public_id
        if value is None:
            return None
        parts += [route[at:match.start()], str(value)]
        at = match.end()
    return "/" + "".join(parts) + route[at:]


def walk(world: World):
    """Open every page as every role that may reach it: (problems, pages with paging)."""
    client = Client()
    problems, paged, seen = [], set(), defaultdict(int)
    for route, address, roles in pages(world)[0]:
        for role in roles:
            client.force_login(world.users[role])
            response = client.get(address)
            kind = response.get("Content-Type", "")
            if response.status_code != 200 or not kind.startswith("text/html"):
                continue
            html = response.content.decode(errors="replace")
            seen[route] += 1
            if "govuk-pagination" in html:
                paged.add(route)
            for what in too_long(html):
                problems.append(f"{address} as {role}: {what} and no paging")
    return problems, paged, seen


@pytest.mark.django_db
def test_no_page_lists_more_than_50_rows_without_paging():
    world = build_world()
    problems, paged, seen = walk(world)
    assert problems == [], "\n".join(problems)
    # The world is big enough to matter: these pages had to page, and did.
    assert {"cases/triage/", "tasks/", "people/", "contexts/hotspots/", "contexts/locations/",
            "contexts/places/<int:pk>/", "contexts/groups/<int:pk>/", "access/agreements/",
            "people/<uuid:public_id>/", "cases/children/<uuid:public_id>/chronology/",
            "feeds/quarantine/", "meetings/<int:pk>/", "linkage/review/"} <= paged
    assert len(seen) > 60  # pages opened with a 200 as someone


def test_the_counter_finds_a_long_table_and_lets_a_paged_one_pass():
    rows = "".join("<tr><td>x</td></tr>" for _ in range(LIMIT + 1))
    table = f"<table><thead><tr><th>h</th></tr></thead><tbody>{rows}</tbody></table>"
    assert too_long(table) == [f"table of {LIMIT + 1} rows"]
    assert too_long(table + '<nav class="govuk-pagination"></nav>') == []
    items = "".join(f'<div class="govuk-summary-list__row">{i}</div>' for i in range(LIMIT))
    assert too_long(f'<dl class="govuk-summary-list">{items}</dl>') == []  # 50 is a page
    cards = '<div class="govuk-summary-card"></div>' * (LIMIT + 1)
    assert too_long(cards) == [f"{LIMIT + 1} summary cards"]
    drawn = "<svg>" + "<ul class='govuk-list'>" + "<li>p</li>" * 60 + "</ul></svg>"
    assert too_long(drawn) == []  # a map's shapes are not rows
