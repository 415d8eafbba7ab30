"""Journey 4, brokering: mentoring for the girl who keeps going missing, when East Central is full.

The social worker opens Find support from the girl's page. Community mentoring is greyed until
she records the risk level and need from her assessment; then it is offered, saying this
month's East Central places are all taken, how many are waiting and the wait. Her referral
joins the waiting list behind the child already on it, and the referral page says where she
stands. The mentoring provider does not see the girl while she waits (no place, no work yet).
"""

import datetime as dt

from django.db import transaction
from selenium.webdriver.common.by import By

from saferoptions.core import clock
from saferoptions.core.models import Locality, Team
from saferoptions.interventions import services
from saferoptions.interventions.models import CapacityMonth, Programme, Referral, RiskJudgement
from saferoptions.interventions.selectors import position
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory
from tests.tasks.factories import on_team_around

from .conftest import JOURNEY_MARKS

pytestmark = JOURNEY_MARKS

PROGRAMME = "Community mentoring"
WHY = "Four missing episodes in ten weeks; found twice at a flat with older boys."


def _east_central_full(programme, referrer, mentors):
    """Every East Central place this month taken, and one more child already waiting."""
    area = programme.areas.get(locality__slug="east-central")
    east = area.locality
    for n in range(area.monthly_places + 1):
        child = PersonFactory(given_name=f"Child{n}", family_name="Waiting", locality=east,
                              date_of_birth=dt.date(2011, 1, 1))
        with transaction.atomic():
            services.record_risk_judgement(actor=referrer, person=child, level="high",
                                           needs=["criminal_exploitation"])
            services.refer(actor=referrer, person=child, programme=programme,
                           team_id=mentors.pk, route_in="direct", reason="Going missing",
                           young_person_consent="given", parent_consent="given")
    return area


def _card(person, programme: str):
    return person.driver.find_element(By.XPATH, (
        "//main//div[contains(@class, 'govuk-summary-card')]"
        f"[.//h3[contains(normalize-space(.), {programme!r})]]"))


def test_the_social_worker_brokers_mentoring_onto_the_waiting_list(person_at):
    social_care = Team.objects.get(slug="social-care-east-central")
    user = UserFactory(role="social_worker", team=social_care, first_name="Ruth",
                       last_name="Ansah")
    mentors = Team.objects.get(slug="mentor-easton-community-mentors")
    mentor_user = UserFactory(role="lead_worker", team=mentors)
    programme = Programme.objects.get(name=PROGRAMME)
    area = _east_central_full(programme, user, mentors)
    girl = PersonFactory(given_name="Maya", family_name="Fields", sex="F",
                         date_of_birth=dt.date(2011, 9, 30),
                         locality=Locality.objects.get(slug="east-central"))
    on_team_around(user, girl)

    worker = person_at(user)
    worker.go(f"/cases/children/{girl.public_id}/")
    worker.follow("Find support")
    card = _card(worker, PROGRAMME).text
    assert "Not eligible" in card and "For medium or high risk; no risk level recorded" in card

    # The judgement from her assessment, recorded here: a judgement, never a score.
    worker.fill({"level": "high", "needs": ["criminal_exploitation"]})
    worker.press_button("Record")
    assert "Risk level and needs recorded." in worker.text()
    assert "Risk level recorded as high by Ruth Ansah" in worker.text()
    judgement = RiskJudgement.objects.get(person=girl)
    assert (judgement.level, judgement.needs, judgement.recorded_by) == \
        ("high", ["criminal_exploitation"], user)
    eligible, _other = worker.text().split("Other programmes")
    assert PROGRAMME in eligible
    card = _card(worker, PROGRAMME).text
    assert "For medium or high risk; recorded as high" in card
    assert "Full 1 waiting; a place in about 1 month" in card and "East Central" in card

    worker._click(_card(worker, PROGRAMME).find_element(By.PARTIAL_LINK_TEXT, "Refer"))
    assert "If no place is free the referral joins the waiting list" in worker.text()
    worker.fill({"team": mentors.pk, "reason": WHY, "young_person_consent": "given",
                 "parent_consent": "given"})
    worker.press_button("Send the referral")

    referral = Referral.objects.get(person=girl)
    assert worker.path == f"/interventions/referrals/{referral.pk}/"
    assert "On the waiting list: number 2 on the waiting list for East Central" \
        in worker.text("main dl")
    assert (referral.status, referral.holds_place, referral.area, referral.team) == \
        ("waiting", False, area, mentors)
    assert position(referral) == 2
    month = CapacityMonth.objects.get(area=area, month=clock.today().replace(day=1))
    assert month.taken == month.places == area.monthly_places
    # Find support now counts her among those waiting.
    worker.go(f"/interventions/children/{girl.public_id}/support/")
    assert "Full 2 waiting; a place in about 1 month" in _card(worker, PROGRAMME).text

    # The provider has no place for her yet, so no work with her: not on their list.
    mentor = person_at(mentor_user)
    mentor.follow("Referrals to your team")
    listed = mentor.text()
    assert "Child0 Waiting" in listed and "Maya" not in listed and "Fields" not in listed
    mentor.go(f"/interventions/referrals/{referral.pk}/")
    assert "Page not found" in mentor.text() and "Maya" not in mentor.text()


def test_a_place_given_back_goes_to_the_first_child_waiting(person_at):
    """East Central is full; Maya waits first, Noah behind her. A boy with a place moves away
    before his mentoring starts: his social worker ends the referral, the place goes back, and
    Maya (not Noah) takes it. Her social worker reads it on her referral; the mentors find her
    on their list, accept and start; the boy who moved is no longer theirs to see."""
    social_care = Team.objects.get(slug="social-care-east-central")
    ruth = UserFactory(role="social_worker", team=social_care, first_name="Ruth",
                       last_name="Ansah")
    dan = UserFactory(role="social_worker", team=social_care, first_name="Dan",
                      last_name="Cole")
    mentors = Team.objects.get(slug="mentor-easton-community-mentors")
    mentor_user = UserFactory(role="lead_worker", team=mentors, first_name="Jo",
                              last_name="Mentor")
    programme = Programme.objects.get(name=PROGRAMME)
    area = programme.areas.get(locality__slug="east-central")
    east = area.locality
    placed = []
    for n in range(area.monthly_places):  # every place this month, Dan's children
        child = PersonFactory(given_name=f"Placed{n}", family_name="Boy", sex="M",
                              locality=east, date_of_birth=dt.date(2011, 1, 1))
        on_team_around(dan, child)
        placed.append(_judged_referral(dan, child, programme, mentors))
    assert all(r.holds_place for r in placed)
    maya = PersonFactory(given_name="Maya", family_name="Fields", sex="F", locality=east,
                         date_of_birth=dt.date(2011, 9, 30))
    on_team_around(ruth, maya)
    with transaction.atomic():  # the judgement from her assessment
        services.record_risk_judgement(actor=ruth, person=maya, level="high",
                                       needs=["criminal_exploitation"])

    # --- Ruth: mentoring is full, so Maya waits, first in line ------------------------------
    worker = person_at(ruth)
    worker.go(f"/cases/children/{maya.public_id}/")
    worker.follow("Find support")
    card = _card(worker, PROGRAMME).text
    assert "Full 0 waiting" in card and "East Central" in card
    worker._click(_card(worker, PROGRAMME).find_element(By.PARTIAL_LINK_TEXT, "Refer"))
    worker.fill({"team": mentors.pk, "reason": WHY, "young_person_consent": "given",
                 "parent_consent": "given"})
    worker.press_button("Send the referral")
    hers = Referral.objects.get(person=maya)
    assert worker.path == f"/interventions/referrals/{hers.pk}/"
    assert "On the waiting list: number 1 on the waiting list for East Central" \
        in worker.text("main dl")
    # Noah is referred after her: behind her in the line.
    noah = PersonFactory(given_name="Noah", family_name="Grant", sex="M", locality=east,
                         date_of_birth=dt.date(2011, 5, 5))
    on_team_around(dan, noah)
    his = _judged_referral(dan, noah, programme, mentors)
    assert (his.status, position(his)) == ("waiting", 2)

    # --- Dan: the first boy's family has moved away before the mentoring started ------------
    moved = placed[0]
    social_worker = person_at(dan)
    social_worker.go(f"/interventions/referrals/{moved.pk}/")
    assert "Sent to the provider" in social_worker.text("main dl")
    social_worker.fill({"end_reason": "moved",
                        "outcome": "The family moved to Leeds on Friday; no mentoring began."})
    social_worker.press_button("End the referral")
    assert social_worker.path == f"/interventions/referrals/{moved.pk}/"
    state = social_worker.text("main dl")
    assert "Ended (moved away)" in state and "(given back)" in state

    # --- Ruth: Maya has the place; the referral is with the mentors now ---------------------
    worker = person_at(ruth)
    worker.go(f"/interventions/referrals/{hers.pk}/")
    state = worker.text("main dl")
    assert "Sent to the provider" in state and "waiting list" not in state
    assert f"Place {clock.today():%B %Y}" in state
    worker.go(f"/interventions/children/{maya.public_id}/support/")
    rows = _table_text(worker, "Referrals")
    assert PROGRAMME in rows and "Sent to the provider" in rows
    # Noah moved up, and the month is full again with one waiting.
    assert "Full 1 waiting" in _card(worker, PROGRAMME).text
    his.refresh_from_db()
    assert (his.status, position(his)) == ("waiting", 1)
    month = CapacityMonth.objects.get(area=area, month=clock.today().replace(day=1))
    assert month.taken == month.places == area.monthly_places

    # --- the mentors: Maya is on their list; the boy who moved is not -----------------------
    mentor = person_at(mentor_user)
    mentor.follow("Referrals to your team")
    listed = mentor.text()
    assert "Maya Fields" in listed and "Placed0 Boy" not in listed and "Noah" not in listed
    mentor.follow("Maya Fields")
    assert mentor.path == f"/interventions/referrals/{hers.pk}/"
    assert WHY in mentor.text()
    mentor.press_button("Accept the referral")
    assert "Accepted" in mentor.text("main dl")
    today = clock.today()
    mentor.fill({"started_on_day": today.day, "started_on_month": today.month,
                 "started_on_year": today.year})
    mentor.press_button("Record the start")
    assert "Started" in mentor.text("main dl")
    hers.refresh_from_db()
    assert (hers.status, hers.holds_place, hers.decided_by, hers.started_on) == \
        ("started", True, mentor_user, today)
    mentor.go(f"/interventions/referrals/{moved.pk}/")
    assert "Page not found" in mentor.text() and "Placed0" not in mentor.text()


def _judged_referral(referrer, child, programme, mentors):
    with transaction.atomic():
        services.record_risk_judgement(actor=referrer, person=child, level="high",
                                       needs=["criminal_exploitation"])
        return services.refer(actor=referrer, person=child, programme=programme,
                              team_id=mentors.pk, route_in="direct", reason="Going missing",
                              young_person_consent="given", parent_consent="given")


def _table_text(person, caption: str) -> str:
    return person.driver.find_element(
        By.XPATH, f"//main//table[caption[normalize-space(.)={caption!r}]]").text
