"""No page shows a list of more than 50 rows without paging (issue 13).

Pages are found from the URL resolver, as the route inventory finds them, so a page another
area adds is checked without editing this test. Every list the app shows is given more than 50
rows, each page is opened as every role that may reach it, and any HTML table, GOV.UK summary
list, task list, summary card list or GOV.UK list of more than 50 rows on a page with no
GOV.UK pagination fails the test. A route with an argument the city cannot fill fails too,
unless NOT_WALKED says why it is no page (a download, a printed record, a POST-only form). The
city is built once for the module and the pages opened once per role, which is most of the
time this takes.
"""

import datetime as dt
import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client, override_settings

from saferoptions.access.models import InformationSharingAgreement
from saferoptions.access.partnership import ensure_partnership_agreements
from saferoptions.accounts import demo
from saferoptions.accounts.models import AccountChange
from saferoptions.cases.models import PlanAction, PlanReview
from saferoptions.contexts.models import (
    ContextAssessment,
    ContextIntervention,
    ContextReview,
    SuggestedGroup,
)
from saferoptions.core import clock
from saferoptions.core.models import Agency, Locality, Role, Team
from saferoptions.dashboards.pages import APPS as DASHBOARD_APPS
from saferoptions.feeds.models import Batch, InboxMessage
from saferoptions.intelligence import services as intelligence
from saferoptions.intelligence.forms import EntityFormSet
from saferoptions.interventions.models import (
    ContextPlacement,
    OutreachSession,
    Programme,
    Referral,
    RegisteredPractitioner,
    Session,
    TrainingRecord,
)
from saferoptions.linkage.models import LinkageModel, PersonMerge, ReviewPair, UnmatchedIdentity
from saferoptions.meetings.models import AgendaItem, Attendee, MeetingAction
from saferoptions.people.models import Person
from tests.access.test_route_inventory import routes
from tests.cases.factories import (
    AssessmentFactory,
    ClockFactory,
    ConcernFactory,
    PlanFactory,
    TeamMemberFactory,
)
from tests.contexts.factories import (
    ContextCaseFactory,
    GroupFactory,
    MembershipFactory,
    PlaceFactory,
)
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.feeds.factories import partner as feeds_partner
from tests.interventions.factories import ParticipationActivityFactory
from tests.meetings.factories import AgendaItemFactory, AttendeeFactory, MeetingFactory
from tests.people.factories import IdentityFactory, PersonFactory
from tests.tasks.factories import make_task

LIMIT = 50
MANY = LIMIT + 6
# A report of intelligence names at most this many people, places and things (its form's most).
ENTITIES_MOST = EntityFormSet.max_num
# Not pages of this service's own making, or pages without a signed-in reader.
SKIPPED_PREFIXES = ("api/", "admin/")
SKIPPED_RULES = {"public", "monitoring"}
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
# GET routes the walk does not open, each with why: pages printed whole as a record (paging
# would cut the record), downloads, redirects, and forms that take a POST only (they answer a
# GET with 405 and show nothing). Every route the world cannot fill must be here.
POST_ONLY = "takes a POST only: it answers a GET with 405 and shows no page"
NOT_WALKED = {
    "meetings/<int:pk>/minutes/": "the minutes are the meeting's record, printed and signed whole",
    "feeds/templates/<str:feed_type>.csv": "a download: a feed's empty CSV template",
    "dashboard/<slug:app>/<slug:key>.csv": "a download: one figure's numbers",
    "dashboard/<slug:app>/<slug:key>.xlsx": "a download: one figure's numbers",
    "dashboard/<slug:app>/<slug:key>/people/": "a figure's cell's children, named by the cell "
                                               "in its query; paged (tests/dashboards)",
    "feeds/unmatched/<int:pk>/": "an old link kept working: it redirects to linkage's queue",
    "cases/children/<uuid:public_id>/team/<int:member>/end/": POST_ONLY,
    "cases/nrm/<int:pk>/decision/": POST_ONLY,
    "cases/assessments/<int:pk>/autosave/<slug:section>/": POST_ONLY,
    "cases/assessments/<int:pk>/submit/": POST_ONLY,
    "cases/assessments/<int:pk>/decision/": POST_ONLY,
    "cases/plans/<int:pk>/actions/": POST_ONLY,
    "cases/plans/<int:pk>/reviews/": POST_ONLY,
    "cases/actions/<int:pk>/status/": POST_ONLY,
    "access/break-glass/<int:pk>/review/": "one grant's review form, open only until it is "
                                           "reviewed; the list pages (tests/access)",
    "feeds/incidents/recorded/<str:token>/": "one recorded incident's outcome, for its recorder "
                                             "only, by a signed reference; no list",
    "access/break-glass/<int:pk>/acknowledge/": POST_ONLY,
    "governance/people/<int:person_id>/hold/": POST_ONLY,
    "governance/holds/<int:hold_id>/release/": POST_ONLY,
    "meetings/<int:pk>/items/<int:item>/actions/<int:action>/withdraw/": POST_ONLY,
    "interventions/programmes/<int:pk>/places/<int:area_id>/": POST_ONLY,
    "interventions/programmes/<int:pk>/providers/": POST_ONLY,
    "interventions/programmes/<int:pk>/areas/": POST_ONLY,
    "interventions/referrals/<int:pk>/feedback-link/": POST_ONLY,
    "interventions/referrals/<int:pk>/<slug:action>/": POST_ONLY,
    "interventions/workforce/<int:pk>/training/": POST_ONLY,
    "interventions/outreach/<int:pk>/<slug:action>/": POST_ONLY,
    "intelligence/reports/<int:pk>/grade/": POST_ONLY,
    "intelligence/reports/<int:pk>/sanitise/": POST_ONLY,
    "intelligence/reports/<int:pk>/link/": POST_ONLY,
    "intelligence/reports/<int:pk>/place-review/": POST_ONLY,
    "intelligence/reports/<int:pk>/status/": POST_ONLY,
}
# Pages that still list more than 50 rows without paging, each with why. The test fails once
# one of them pages: take it out of here then.
NOT_PAGED_YET: dict[str, str] = {}
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
    more_records(w, children, places[0], groups[0], north)
    return w


def more_records(w: World, children, place, group, north) -> None:
    """The records behind the pages that take more than a child or one list's record: a plan,
    an assessment, a context case, a batch, a merge, intelligence, a programme's referrals,
    the workforce register and a meeting's actions, each with more rows than a page."""
    users, child, now, today = w.users, children[0], clock.now(), clock.today()
    hub, worker = users[Role.HUB_PRACTITIONER], users[Role.SOCIAL_WORKER]
    police = Agency.objects.get(slug="police")
    # A child's plan and assessment, a plan with an action and a review for every week.
    plan = PlanFactory(person=child, worker=worker, created_at=now)
    plan_actions = PlanAction.objects.bulk_create(
        PlanAction(plan=plan, description=f"Paging action {i}", owner=worker,
                   due_on=today + dt.timedelta(days=i)) for i in range(MANY))
    PlanReview.objects.bulk_create(
        PlanReview(plan=plan, held_on=today - dt.timedelta(days=7 * i),
                   summary=f"Paging review {i}", recorded_by=worker) for i in range(MANY))
    assessment = AssessmentFactory(person=child, worker=worker, started_at=now)
    # A context case on the group every child is in, with its plan, reviews and assessments.
    case = ContextCaseFactory(kind="group", group=group, place=None, status="plan",
                              referred_by=hub, opened_at=now)
    ContextIntervention.objects.bulk_create(
        ContextIntervention(case=case, kind="other", description=f"Paging step {i}", owner=hub,
                            due_on=today + dt.timedelta(days=i), created_at=now)
        for i in range(MANY))
    ContextReview.objects.bulk_create(
        ContextReview(case=case, summary=f"Paging review {i}", reviewed_by=hub,
                      reviewed_at=now - dt.timedelta(days=i)) for i in range(MANY))
    ContextAssessment.objects.bulk_create(
        ContextAssessment(case=case, summary=f"Paging assessment {i}", assessed_by=hub,
                          assessed_at=now - dt.timedelta(days=i)) for i in range(MANY))
    ids = [c.pk for c in children]
    suggested = SuggestedGroup.objects.create(run_at=now, number=1, members=ids, density=0.5,
                                              internal_share=0.9, connectors=ids, method={})
    # A city's run suggests a hundred groups and more (the tour saw 115 on one page).
    SuggestedGroup.objects.bulk_create(
        SuggestedGroup(run_at=now, number=n, members=ids[:3], density=0.5, internal_share=0.9,
                       connectors=[], method={}) for n in range(2, MANY + 2))
    # A file of police incidents whose every row is quarantined; a partner system.
    batch = Batch.objects.create(feed_type="police_incident", agency=police, source="file",
                                 filename="paging.csv", received_at=now, received=MANY,
                                 uploaded_by=users[Role.POLICE_OFFICER])
    for number, message in enumerate(InboxMessage.objects.order_by("pk"), start=1):
        InboxMessage.objects.filter(pk=message.pk).update(batch=batch, row_number=number)
    system, _ = feeds_partner(agency="police", feeds=("police_incident",), name="Paging RMS")
    # A placement change waiting for a second person; a merge into the first child.
    change = AccountChange.objects.create(
        user=users[Role.LEAD_WORKER], kind="placement", role=Role.SOCIAL_WORKER,
        agency=worker.agency, team=worker.team, locality=north, reasons=["wider reach"],
        note="Moving to the locality team", proposed_by=users[Role.SYSTEM_ADMINISTRATOR],
        proposed_at=now)
    merged = PersonFactory(locality=north)
    merge = PersonMerge.objects.create(
        kind="merge", from_person=merged, to_person=child, reason="The same child",
        moved={"events.involvement": {"person": list(
            child.involvements.values_list("pk", flat=True))}},
        actor=users[Role.DATA_PROTECTION_OFFICER], created_at=now)
    # Intelligence about the first child and the first place, graded, shared and linked.
    for i in range(MANY):
        entities = [{"kind": "person", "name": f"Adult {n}", "identifier": "",
                     "description": "about 30"} for n in range(ENTITIES_MOST if i == 0 else 1)]
        report = intelligence.submit(actor=users[Role.LICENSING_OFFICER], place=place,
                                     account=f"Older men give children phones, night {i}.",
                                     when_seen="Friday nights", entities=entities)
        intelligence.grade(actor=hub, report=report, source_evaluation="2",
                           intelligence_assessment="B", handling_code="P",
                           source_risk="Low: many people saw it.")
        shared = intelligence.write_sanitised(actor=hub, report=report, keep_place=True,
                                              summary=f"Gifts to children, night {i}.",
                                              keep_when=False, kept={})
        intelligence.link(actor=hub, report=report, person=child)
        intelligence.link(actor=hub, report=report, place=place)
        if i == 0:
            first_report, first_shared = report, shared
    # A programme every child is referred to, the first child's sessions, its register.
    mentoring = Programme.objects.get(name="Community mentoring")
    area = mentoring.areas.filter(locality=north).first() or mentoring.areas.first()
    provider = mentoring.providers.first()
    for i, each in enumerate(children):
        referral = Referral.objects.create(
            person=each, programme=mentoring, team=provider.team, area=area,
            status="started" if i == 0 else "waiting", referred_by=worker,
            reason="Mentoring to stay away from the group", young_person_consent="given")
        if i == 0:
            first_referral = referral
    Session.objects.bulk_create(
        Session(referral=first_referral, held_on=today - dt.timedelta(days=i),
                attended=bool(i % 2), recorded_by=worker) for i in range(MANY))
    barnardos = Agency.objects.get(slug="barnardos")
    register = RegisteredPractitioner.objects.bulk_create(
        RegisteredPractitioner(name=f"Paging youth worker {i}", agency=barnardos,
                               locality=north) for i in range(MANY))
    TrainingRecord.objects.bulk_create(
        TrainingRecord(practitioner=register[0], training="detached_youth_work",
                       trained_on=today - dt.timedelta(days=30 + i), recorded_by=hub)
        for i in range(MANY))
    outreach_programme = Programme.objects.get(name="Late-night outreach")
    for i in range(MANY):
        session = OutreachSession.objects.create(
            programme=outreach_programme, place=place, locality=north,
            starts_at=now + dt.timedelta(days=i), ends_at=now + dt.timedelta(days=i, hours=3),
            scheduled_by=hub)
        if i == 0:
            session.staff.set(register)
            outreach = session
    with_groups = Programme.objects.filter(works_with="group", is_active=True).first()
    # A programme brokered for the group's case (its end form), and a participation activity.
    on_plan = ContextIntervention.objects.create(
        case=case, kind="other", description="Paging programme for the group", owner=hub,
        due_on=today, created_at=now)
    placement = ContextPlacement.objects.create(
        case=case, intervention=on_plan, programme=with_groups,
        team=with_groups.providers.first().team, area=with_groups.areas.first(),
        status="waiting", reason="Fights between the groups on Friday nights", referred_by=hub)
    activity = ParticipationActivityFactory(recorded_by=hub, held_on=today)
    # A meeting's first item with an action for every child's week.
    item = AgendaItem.objects.get(meeting_id=w.pk["meetings/"], position=1)
    actions = MeetingAction.objects.bulk_create(
        MeetingAction(item=item, description=f"Paging action {i}", team=worker.team,
                      due_on=today + dt.timedelta(days=i), created_by=hub, created_at=now)
        for i in range(MANY))
    # Someone invited to it, whose invitation the chair may withdraw (its confirmation page).
    guest, _ = Attendee.objects.get_or_create(meeting_id=w.pk["meetings/"], user=worker,
                                              defaults={"invited_at": now})
    w.pk.update({
        "cases/plans/": plan.pk, "cases/assessments/": assessment.pk,
        "contexts/cases/": case.pk, "contexts/groups/suggested/": suggested.pk,
        "feeds/batches/": batch.pk, "feeds/partners/": system.pk,
        "accounts/manage/changes/": change.pk, "linkage/changes/": merge.pk,
        "intelligence/reports/": first_report.pk, "intelligence/shared/": first_shared.pk,
        "intelligence/places/": place.pk, "governance/people/": child.pk,
        "interventions/programmes/": mentoring.pk, "interventions/referrals/": first_referral.pk,
        "interventions/children/<uuid:public_id>/refer/": mentoring.pk,
        "interventions/context-cases/": case.pk,
        "interventions/context-cases/<int:pk>/support/": with_groups.pk,
        "interventions/context-cases/<int:pk>/placements/": placement.pk,
        "interventions/participation/": activity.pk,
        "cases/records/": "action", "cases/records/<slug:kind>/": plan_actions[0].pk,
        "people/unplaced/": Person.objects.filter(locality=None).first().public_id,
        "interventions/workforce/": register[0].pk, "interventions/outreach/": outreach.pk,
        "meetings/<int:pk>/items/": item.pk, "meetings/<int:pk>/attendees/": guest.pk,
        "meetings/<int:pk>/items/<int:item>/actions/": actions[0].pk,
        "dashboard/": list(DASHBOARD_APPS)})


# --- the walk ------------------------------------------------------------------------------


def pages(world: World):
    """(route, address, roles) for every GET page the resolver knows whose arguments the
    world can fill; routes it cannot fill are returned apart, so the test can name them."""
    found, unfilled = [], []
    for route, namespace, callback in routes():
        rule = getattr(callback, "access_rule", None)
        if (route.startswith(SKIPPED_PREFIXES) or namespace == "admin" or rule in SKIPPED_RULES
                or route in NOT_WALKED):
            continue
        addresses = fill(route, world)
        if not addresses:
            unfilled.append(route)
            continue
        roles = callback.access_roles if rule == "roles" else READERS
        found += [(route, address, roles) for address in addresses]
    return found, unfilled


def fill(route: str, world: World) -> list[str]:
    """The route with each argument taken from the world: a child for a person's page, the
    record made for the route's prefix for a number (or each of several, for a slug such as a
    dashboard's app). None found: the route cannot be filled."""
    addresses = [""]
    at = 0
    for match in PARAM.finditer(route):
        converter, _ = match.groups()
        prefix = route[:match.start()]
        value = world.pk.get(prefix)
        if value is None and converter == "uuid":
            value = world.child.public_id
        if value is None:
            return []
        values = value if isinstance(value, list) else [value]
        addresses = [f"{a}{route[at:match.start()]}{v}" for a in addresses for v in values]
        at = match.end()
    return ["/" + a + route[at:] for a in addresses]


def walk(world: World, found):
    """Open every page as every role that may reach it: (problems, pages with paging, how
    many roles each page answered with a page)."""
    client = Client()
    problems, paged, seen, answers = [], set(), defaultdict(int), defaultdict(set)
    for role in {role for _, _, roles in found for role in roles}:
        client.force_login(world.users[role])
        for route, address, roles in found:
            if role not in roles:
                continue
            response = client.get(address)
            kind = response.get("Content-Type", "")
            answers[route].add(response.status_code)
            if response.status_code != 200 or not kind.startswith("text/html"):
                continue
            html = response.content.decode(errors="replace")
            seen[route] += 1
            if "govuk-pagination" in html:
                paged.add(route)
            for what in too_long(html):
                problems.append((route, f"{address} as {role}: {what} and no paging"))
    return problems, paged, seen, answers


@pytest.fixture(scope="module")
def walked(django_db_setup, django_db_blocker, tmp_path_factory):
    """The city is built once and every page opened once per role, for all the tests below;
    everything is rolled back after."""
    population = tmp_path_factory.mktemp("population") / "child_population.json"
    with (django_db_blocker.unblock(),
          override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                            DASHBOARDS_CHILD_POPULATION_FILE=population),
          transaction.atomic()):
        world = build_world()
        found, unfilled = pages(world)
        problems, paged, seen, answers = walk(world, found)
        transaction.set_rollback(True)
    return {"found": found, "unfilled": unfilled, "problems": problems, "paged": paged,
            "seen": seen, "answers": answers}


@pytest.mark.django_db  # the city is built by `walked`, in the test database
def test_no_page_lists_more_than_50_rows_without_paging(walked):
    problems = [what for route, what in walked["problems"] if route not in NOT_PAGED_YET]
    assert problems == [], "\n".join(problems)
    paged_now = set(NOT_PAGED_YET) - {route for route, _ in walked["problems"]}
    assert not paged_now, f"paged now, so take them out of NOT_PAGED_YET: {paged_now}"


@pytest.mark.django_db  # the city is built by `walked`, in the test database
def test_the_city_is_big_enough_that_these_pages_had_to_page(walked):
    assert {"cases/triage/", "tasks/", "people/", "contexts/hotspots/", "contexts/locations/",
            "contexts/places/<int:pk>/", "contexts/groups/<int:pk>/", "access/agreements/",
            "people/<uuid:public_id>/", "cases/children/<uuid:public_id>/chronology/",
            "feeds/quarantine/", "meetings/<int:pk>/", "linkage/review/",
            "contexts/groups/suggested/"} <= walked["paged"]
    assert len(walked["seen"]) > 100  # pages opened with a 200 as someone


@pytest.mark.django_db  # the city is built by `walked`, in the test database
def test_every_route_left_out_says_why(walked):
    # A page another area adds with an argument the world cannot fill fails here: give the
    # world a record for it (more_records), or say in NOT_WALKED why it is no page.
    assert walked["unfilled"] == []
    known = {route for route, _, _ in routes()}
    assert set(NOT_WALKED) <= known, "NOT_WALKED names a route that is gone"


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
