"""Journey 3: a licensing officer's concern about a late-night takeaway.

The licensing officer, who has no access to children's records, shares what she saw at the
takeaway, naming the children she heard of; a neighbour tells the partnership about the same
place on the public page, without an account. The Hub analyst grades the officer's report 3x5x2,
writes the version to share, and links it to the place and to the children the linkage matcher
offers (one very likely, one to check first; a third, outside the analyst's locality, is never
shown). The officer hears back: the status and the Hub's message, nothing about the children.
The Hub opens a place review of the takeaway (a place case); the Eastfield locality chair
refreshes the meeting's agenda, which carries the place, its intelligence weighed by its grade
(B: 2), and no child's name. The social worker of one of the children reads the version to
share on the child's page: never the officer's words or who raised it. The officer sees the
takeaway's page but no intelligence, and never the place review.
"""

import datetime as dt

from django_otp.plugins.otp_totp.models import TOTPDevice

from saferoptions.contexts.models import ContextCase
from saferoptions.core import clock
from saferoptions.core.models import AgencyKind, Role, Ward
from saferoptions.intelligence.models import IntelligenceLink, IntelligenceReport
from saferoptions.linkage import matching
from saferoptions.meetings import services as meetings
from tests.access.factories import AgreementFactory
from tests.cases.factories import TeamMemberFactory
from tests.contexts.factories import PlaceFactory
from tests.core.factories import AgencyFactory, LocalityFactory, TeamFactory, UserFactory
from tests.intelligence.matcher import linkage_model
from tests.people.factories import IdentityFactory, PersonFactory

from .conftest import JOURNEY_MARKS

pytestmark = JOURNEY_MARKS

ACCOUNT = ("Two older men were handing out free chicken boxes and new phones to children "
           "after 11pm. The staff know them and let them wait inside.")
SUMMARY = "Adults seen giving free food and phones to children at a late-night takeaway."
MESSAGE = "Thank you. Partners who work with the young people have been told."
CHILDREN = {  # known to the police through missing-episode records
    "jade": ("Jade", "Wilson", dt.date(2012, 2, 14), "BS5 6XY"),
    "amira": ("Amira", "Hassan", dt.date(2011, 9, 2), "BS5 6QT"),
    "kyle": ("Kyle", "Dunn", dt.date(2011, 4, 20), "BS7 8PL"),  # another locality
}


def _partnership():
    """The people in the story, the takeaway, and three children the police already know."""
    east, north = LocalityFactory(name="Eastfield"), LocalityFactory(name="Northgate")
    ward = Ward.objects.create(name="Journey Three Ward", code="J3W01", locality=east,
                               latitude=51.46, longitude=-2.56)
    takeaway = PlaceFactory(name="Golden Fry", place_type="takeaway", ward=ward)
    council = AgencyFactory(name="Test children's services", kind=AgencyKind.SOCIAL_CARE)
    licensing = AgencyFactory(name="Test licensing service", kind=AgencyKind.LICENSING)
    police = AgencyFactory(name="Test police", kind=AgencyKind.POLICE)
    people = {
        "officer": UserFactory(role=Role.LICENSING_OFFICER, agency=licensing, first_name="Lena",
                               last_name="Marsh", team=TeamFactory(agency=licensing)),
        "analyst": UserFactory(role=Role.HUB_PRACTITIONER, agency=council, locality=east,
                               first_name="Sam", last_name="Reid",
                               team=TeamFactory(agency=council, name="Test Hub")),
        "social_worker": UserFactory(role=Role.SOCIAL_WORKER, agency=council,
                                     first_name="Priya", last_name="Shah",
                                     team=TeamFactory(agency=council)),
        "chair": UserFactory(role=Role.LOCALITY_CHAIR, agency=council, locality=east,
                             first_name="Cara", last_name="Hall",
                             team=TeamFactory(agency=council)),
    }
    # The police share who the children are with the council, as the partnership's agreements
    # do (access/partnership.py): the Hub is offered a child only by a name it may see.
    AgreementFactory(provider=police, recipient=council, categories=["identity"],
                     purposes=["direct_work", "triage"])
    children = {}
    for key, (given, family, born, postcode) in CHILDREN.items():
        child = PersonFactory(given_name=given, family_name=family, date_of_birth=born,
                              locality=north if key == "kyle" else east)
        IdentityFactory(person=child, agency=police, source_id=f"MISSING-{key}",
                        given_name=given, family_name=family, date_of_birth=born,
                        postcode=postcode, address="", nhs_number="")
        children[key] = child
    TeamMemberFactory(person=children["jade"], user=people["social_worker"],
                      started_on=dt.date(2026, 1, 5))
    linkage_model()  # the matcher in force (trained weights, set by hand)
    return people, children, takeaway


def _the_officer_shares_what_she_saw(officer, takeaway):
    officer.go("/intelligence/submit/")
    assert "Your name is seen only by the analysts who grade it" in officer.text()
    officer.fill({
        "account": ACCOUNT, "place": takeaway.pk,  # the search-as-you-type picker
        "when_seen": "Friday and Saturday nights since March",
        "entity-0-kind": "person", "entity-0-name": "Jade Wilson",
        "entity-0-description": "girl, about 14, gave her details when she said she was lost",
        "entity-0-date_of_birth": "14/2/2012", "entity-0-postcode": "BS5 6XY",
        "entity-1-kind": "person", "entity-1-name": "Amira Hasan",
        "entity-1-date_of_birth": "2/9/2011", "entity-1-description": "her friend",
        "entity-2-kind": "person", "entity-2-name": "Kyle Dunn",
        "entity-2-date_of_birth": "20/4/2011", "entity-2-postcode": "BS7 8PL",
    })
    officer.press_button("Send to the Hub")
    assert officer.path == "/intelligence/mine/"
    report = IntelligenceReport.objects.get(submitted_by=officer.user)
    shared = officer.text()
    assert report.reference in shared and "Received" in shared
    return report


def _a_neighbour_tells_the_partnership(person):
    """No account: the public page, no contact details, a reference to add more."""
    person.driver.delete_all_cookies()
    person.go("/intelligence/tell-us/")
    person.fill({"account": "Men give kids free chips and phones at Golden Fry, most nights.",
                 "where": "Golden Fry takeaway", "when_seen": "After 10pm"})
    person.press_button("Send")
    thanks = person.text()
    assert "Thank you for telling us" in thanks
    assert IntelligenceReport.objects.filter(channel="community").get().reference in thanks


def _the_analyst_grades_and_writes_the_version_to_share(analyst, report):
    analyst.go("/intelligence/queue/")
    queue = analyst.text()
    assert report.reference in queue
    assert IntelligenceReport.objects.get(channel="community").reference in queue
    analyst.follow(report.reference)
    assert analyst.path == f"/intelligence/reports/{report.pk}/"
    original = analyst.text()
    assert "Lena Marsh" in original and "Test licensing service" in original  # who raised it
    assert "new phones" in original
    analyst.fill({"source_evaluation": "1", "intelligence_assessment": "B",
                  "handling_code": "P",
                  "source_risk": "Low: she was there on a licensing visit."})
    analyst.press_button("Save the grading")
    assert "Grading saved." in analyst.text()
    assert "1BP" in analyst.text()
    analyst.fill({"summary": SUMMARY, "keep_place": "on", "keep_when": "on"})
    analyst.press_button("Save the version to share")
    assert "The version to share is saved." in analyst.text()


def _offers(analyst) -> str:
    return analyst.text("main")


def _the_analyst_links_the_children_and_the_place(analyst, children, takeaway):
    page = _offers(analyst)
    assert "Children this may be about" in page
    assert "Very likely the same child Jade Wilson" in page
    assert "Possibly the same child: check before linking Amira Hassan" in page
    assert "Last name: spelt nearly the same" in page  # Hasan / Hassan
    assert "Kyle" not in page.replace("Kyle Dunn", "", 1)  # only the officer's entry names him
    assert str(children["kyle"].public_id) not in analyst.driver.page_source
    analyst.press_button("Link to Jade Wilson")
    assert "Linked." in analyst.text()
    # Amira: a possible match. The analyst checks (same first name and date of birth; the
    # surname spelt differently) and links her too.
    analyst.press_button("Link to Amira Hassan")
    linked = analyst.text()
    assert "Person: Jade Wilson" in linked and "Person: Amira Hassan" in linked
    assert "No child you may see (beyond any linked above) matches" in linked
    analyst.fill({"place": takeaway.pk}, within="form[action$='/link/']")
    analyst.press_button("Link", within="form[action$='/link/']")
    assert "Place: Golden Fry" in analyst.text()
    analyst.fill({"status": "acted_on", "message": MESSAGE})
    analyst.press_button("Save the status")
    assert "Status saved" in analyst.text()


def _the_hub_opens_a_place_review(analyst, report):
    """From the report's links: a place case, whose reason is the grade, never the account."""
    analyst.press_button("Open a place review")
    case = ContextCase.objects.get(place__name="Golden Fry")
    assert analyst.path == f"/contexts/cases/{case.pk}/"
    review = analyst.text()
    assert "Intelligence graded 1BP was linked to this place by the Hub" in review
    assert SUMMARY in review  # its intelligence section, as the policy allows
    for never in ("new phones", "Lena", "Test licensing service"):
        assert never not in review, never
    analyst.go(f"/intelligence/reports/{report.pk}/")
    assert "place review open since" in analyst.text()
    return case


def _the_chair_refreshes_the_agenda(chair, meeting, takeaway):
    """The agenda carries the place with its reasons; its intelligence is weighed, not told."""
    chair.go(f"/meetings/{meeting.pk}/")
    chair.press_button("Refresh agenda")
    agenda = chair.text()
    assert "Golden Fry" in agenda and "Open place case since" in agenda
    chair.follow("Golden Fry")
    item = chair.text()
    assert "Graded intelligence about the place: 1 item weighing 2 by grade" in item
    for never in (SUMMARY, "new phones", "Lena", "Jade", "Amira", "Kyle"):
        assert never not in agenda + item, never
    chair.go(f"/contexts/places/{takeaway.pk}/")  # the place's own page: as the policy allows
    place = chair.text()
    assert SUMMARY in place and "new phones" not in place and "Lena" not in place


def _signs_in_again(person_at, user):
    """Later, through the real sign-in again (with one authenticator: sign_in gives a new one)."""
    TOTPDevice.objects.filter(user=user).delete()
    return person_at(user)


def test_a_licensing_officers_concern_reaches_the_childrens_workers_safely(person_at):
    people, children, takeaway = _partnership()
    officer = person_at(people["officer"])
    report = _the_officer_shares_what_she_saw(officer, takeaway)
    _a_neighbour_tells_the_partnership(officer)

    analyst = person_at(people["analyst"])
    _the_analyst_grades_and_writes_the_version_to_share(analyst, report)
    _the_analyst_links_the_children_and_the_place(analyst, children, takeaway)
    subjects = IntelligenceLink.objects.filter(report=report)
    assert {lk.person for lk in subjects if lk.person} == {children["jade"], children["amira"]}
    assert [lk.place for lk in subjects if lk.place] == [takeaway]
    case = _the_hub_opens_a_place_review(analyst, report)

    # The Eastfield meeting: the agenda, built again by the chair, carries the takeaway.
    meeting = meetings.ensure_meeting(locality=takeaway.ward.locality, held_on=clock.today())
    chair = person_at(people["chair"])
    _the_chair_refreshes_the_agenda(chair, meeting, takeaway)
    assert meeting.items.get(place=takeaway).sources["context_cases"] == [case.pk]

    # The officer hears back: the status and the message, never the children or the grade.
    officer = _signs_in_again(person_at, people["officer"])
    officer.go("/intelligence/mine/")
    heard = officer.text()
    assert "Acted on" in heard and MESSAGE in heard
    for never in ("Amira Hassan", "Jade Wilson", "1BP", SUMMARY):
        assert never not in heard
    officer.go(f"/intelligence/reports/{report.pk}/")  # the original is the Hub's alone
    assert ACCOUNT[:40] not in officer.text()
    officer.go(f"/contexts/places/{takeaway.pk}/")  # she sees places, never intelligence
    assert "No intelligence you may see." in officer.text() and SUMMARY not in officer.text()
    officer.go(f"/contexts/cases/{case.pk}/")  # nor the place review
    assert "Golden Fry" not in officer.text() and SUMMARY not in officer.text()

    # Jade's social worker reads what was shared about her: never the original or its source.
    worker = person_at(people["social_worker"])
    worker.go(f"/intelligence/people/{children['jade'].public_id}/")
    assert SUMMARY in worker.text()
    worker.follow("Graded 1BP")
    shared = worker.text()
    assert SUMMARY in shared and "Golden Fry" in shared
    for never in ("Lena", "Marsh", "Test licensing service", "new phones", "chicken boxes",
                  "BS5 6XY", "Amira", "Kyle", "Licensing officer"):
        assert never not in shared, never
    worker.go("/intelligence/shared/")
    assert SUMMARY in worker.text() and "Lena" not in worker.text()
    worker.go(f"/cases/children/{children['jade'].public_id}/")  # the child's own page
    page = worker.text()
    assert "Intelligence" in page and SUMMARY in page
    for never in ("Lena", "new phones", "Test licensing service"):
        assert never not in page, never
    worker.go(f"/cases/children/{children['amira'].public_id}/")  # not her child
    assert "Amira" not in worker.text() and SUMMARY not in worker.text()
    matching._index.clear()
