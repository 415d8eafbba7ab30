"""axe-core over the meeting pages that take parameters (the web crawl checks `/meetings/`)."""

import datetime as dt

from saferoptions.core import clock
from saferoptions.core.models import Role
from saferoptions.meetings import services
from tests.accounts.factories import DeviceFactory
from tests.core.factories import AgencyFactory, LocalityFactory, TeamFactory, UserFactory
from tests.people.factories import IdentityFactory, PersonFactory
from tests.web.test_accessibility import Checker, browser  # noqa: F401 (fixture)
from tests.web.test_accessibility import pytestmark as browser_marks

pytestmark = browser_marks


def _meeting():
    """A running meeting with one child the attendee may see and one they may not."""
    locality, agency, police = LocalityFactory(), AgencyFactory(), AgencyFactory()
    team = TeamFactory(agency=agency)
    chair = UserFactory(role=Role.HUB_PRACTITIONER, agency=agency, team=team,
                        locality=locality)
    attendee = UserFactory(role=Role.POLICE_OFFICER, agency=police)
    seen, hidden = (PersonFactory(locality=locality) for _ in range(2))
    IdentityFactory(person=seen, agency=police)
    IdentityFactory(person=hidden, agency=agency)
    meeting = services.ensure_meeting(locality=locality, held_on=clock.today())
    first = services.add_item(actor=chair, meeting=meeting, person=seen)
    services.add_item(actor=chair, meeting=meeting, person=hidden)
    services.invite(actor=chair, meeting=meeting, user=attendee)
    services.start_meeting(actor=chair, meeting=meeting)
    services.record_discussion(actor=chair, item=first, notes="Shared what we know",
                               decision="Refer for mentoring")
    services.add_action(actor=chair, item=first, description="Offer mentoring", team=team,
                        due_on=clock.today() + dt.timedelta(days=7))
    return meeting, first, chair, attendee


def test_meeting_pages_have_no_serious_accessibility_problems(live_server, browser,  # noqa: F811
                                                               settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    meeting, item, chair, attendee = _meeting()
    checker = Checker(browser, live_server.url)
    base = f"/meetings/{meeting.pk}"
    pages = {
        chair: [f"{base}/", f"{base}/items/{item.pk}/", f"{base}/add/?q=Given",
                f"{base}/minutes/"],
        attendee: [f"{base}/", f"{base}/minutes/", "/meetings/"],
    }
    for user, paths in pages.items():
        checker.sign_in(user, DeviceFactory(user=user))
        for path in paths:
            checker.visit(path)
            assert "Page not found" not in browser.page_source, path
            checker.check(f"{path} ({user.role})")
    assert not checker.problems, "\n".join(checker.problems)
    assert checker.checked >= 7
