"""Journey 4: a social worker's single assessment of a girl who keeps going missing.

Her latest missing episode arrived through the police feed 60 hours after her return, so the
72-hour return home interview clock is amber ("Due soon") on the social worker's "My work".
The social worker opens the girl's page, starts the single assessment, records the girl's own
words; a second start is refused with the way back to the open one.
"""

import datetime as dt

from selenium.webdriver.common.by import By

from saferoptions.cases.models import Assessment, StatutoryClock
from saferoptions.core import clock
from saferoptions.core.models import Team
from saferoptions.linkage.resolution import resolve_identity
from saferoptions.people.models import Identity
from tests.access.factories import AgreementFactory
from tests.core.factories import UserFactory
from tests.feeds.factories import ago, young_person
from tests.people.factories import PersonFactory
from tests.tasks.factories import on_team_around, send

from .conftest import JOURNEY_MARKS

pytestmark = JOURNEY_MARKS

GIRL = {"given_name": "Maya", "family_name": "Fields", "date_of_birth": "2011-09-30"}
HER_WORDS = "I go to the flat because my friends are there and nobody shouts"


def _missing_and_back(girl, *, hours_since_return, source_id):
    send("missing_episode", occurred_at=ago(hours=hours_since_return + 20),
         returned_at=ago(hours=hours_since_return),
         person=young_person(source_id=source_id, sex="F", **GIRL))
    identity = Identity.objects.get(source_id=source_id)
    if identity.person_id is None:
        resolve_identity(actor=None, identity=identity, person=girl)


def _referral_date(worker, day: dt.date):
    worker.fill({"referral_on_day": day.day, "referral_on_month": day.month,
                 "referral_on_year": day.year})


def test_the_social_worker_starts_the_one_assessment_from_my_work(person_at):
    team = Team.objects.filter(agency__kind="social_care").first()
    user = UserFactory(role="social_worker", team=team)
    girl = PersonFactory(given_name=GIRL["given_name"], family_name=GIRL["family_name"],
                         date_of_birth=dt.date(2011, 9, 30))
    # A colleague's child, in the same team: on their "My work", never on hers.
    stranger = PersonFactory(given_name="Zinnia", family_name="Quarrington")
    on_team_around(UserFactory(role="social_worker", team=team), stranger)
    on_team_around(user, girl)
    _missing_and_back(girl, hours_since_return=60, source_id="MIS1")
    # The police share who she is with social care, as the partnership's agreements do
    # (access/partnership.py): without it My work reads "(name not known)".
    AgreementFactory(provider=Identity.objects.get(source_id="MIS1").agency,
                     recipient=user.agency, categories=["identity"], purposes=["direct_work"])
    clock_ = StatutoryClock.objects.get(kind="return_home_interview", person=girl,
                                        met_at__isnull=True)
    assert clock_.due_at - clock.now() < dt.timedelta(hours=13)

    worker = person_at(user)
    worker.go("/")
    worker.follow("My work", within="body")
    assert worker.path.startswith("/cases/my-work/")
    row = next(r for r in worker.driver.find_elements(By.CSS_SELECTOR, "main tr")
               if "Maya Fields" in r.text)
    assert "Due soon" in row.text and "Return home interview" in row.text
    assert "Quarrington" not in worker.text()  # a child she does not work with
    worker.follow("Maya Fields")
    assert worker.path == f"/cases/children/{girl.public_id}/"

    _referral_date(worker, clock.today() - dt.timedelta(days=3))
    worker.press_button("Start the single assessment")
    assessment = Assessment.objects.get(person=girl)
    assert worker.path == f"/cases/assessments/{assessment.pk}/"
    worker.fill({"child_words": HER_WORDS})
    worker.press_button("Save the assessment")
    assessment.refresh_from_db()
    assert assessment.child_words == HER_WORDS and assessment.worker == user

    # A second start (a stale tab, a colleague) is refused and points to the open one.
    worker.go(f"/cases/children/{girl.public_id}/assessment/")
    _referral_date(worker, clock.today())
    worker.press_button("Start the assessment")
    assert "Continue the open assessment" in worker.text()
    assert Assessment.objects.filter(person=girl).count() == 1
    worker.follow("Continue the open assessment")
    assert worker.path == f"/cases/assessments/{assessment.pk}/"
    assert HER_WORDS in worker.driver.find_element(By.NAME, "child_words").get_attribute("value")
