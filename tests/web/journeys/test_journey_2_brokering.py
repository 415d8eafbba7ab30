"""Journey 2, brokering: after the knife in her bag, a place on a programme for the pupil.

The Education Inclusion Manager opens Find support from the pupil's page, sees which
programmes the pupil is eligible for (and why, and why not) with the places free and the wait,
and refers her to the NHS's anti-knife programme through the school. The consent gate refuses
a referral with no consent recorded, and one without consent and without a reason, each time
naming the field. The provider's worker signs in, finds the pupil among the referrals to their
team, accepts, starts, records two sessions, their rating and the outcome; the manager then
reads the outcome. Another provider never reads her name: the referral is "not found", exactly
as one that does not exist.
"""

import datetime as dt
import re

from selenium.webdriver.common.by import By

from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.core.models import Team
from saferoptions.interventions.models import CapacityMonth, Programme, Rating, Referral
from saferoptions.linkage.resolution import resolve_identity
from saferoptions.people.models import Identity
from tests.access.factories import AgreementFactory
from tests.core.factories import UserFactory
from tests.feeds.factories import young_person
from tests.people.factories import PersonFactory
from tests.tasks.factories import on_team_around, send

from .conftest import JOURNEY_MARKS

pytestmark = JOURNEY_MARKS

PUPIL = {"given_name": "Leah", "family_name": "Okoro", "date_of_birth": "2012-02-09"}
PROGRAMME = "Bright Outlook (NHS)"
WHY = "Leah had a knife in her bag on Monday; she says it was for walking past the underpass."
OUTCOME = "Eight weeks on: no weapon, in school every day, she now walks home with a friend."
HER_WORDS = "Came to every session but one; talks about the underpass instead of avoiding it."


def _knife_in_a_bag(pupil):
    send("school_incident", incident_kind="knife",
         pupil=young_person(source_id="SCH2", sex="F", **PUPIL))
    identity = Identity.objects.get(source_id="SCH2")
    if identity.person_id is None:
        resolve_identity(actor=None, identity=identity, person=pupil)


def _card(person, programme: str):
    """The summary card on Find support whose heading names the programme."""
    return person.driver.find_element(By.XPATH, (
        "//main//div[contains(@class, 'govuk-summary-card')]"
        f"[.//h3[contains(normalize-space(.), {programme!r})]]"))


def _date(name: str, day: dt.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def _errors(person) -> list[tuple[str, str]]:
    """The error summary as (words, the field it links to)."""
    return [(a.text, a.get_attribute("href").rpartition("#")[2]) for a in
            person.driver.find_elements(By.CSS_SELECTOR, ".govuk-error-summary__list a")]


def _table(person, caption: str) -> str:
    return person.driver.find_element(
        By.XPATH, f"//main//table[caption[normalize-space(.)={caption!r}]]").text


def _not_found_words(person, reference: str) -> str:
    return re.sub(re.escape(reference), "REF", person.text())


def test_a_place_is_brokered_and_the_provider_records_the_outcome(person_at):
    school = Team.objects.get(slug="education-inclusion")
    manager_user = UserFactory(role="education_inclusion_manager", team=school,
                               first_name="Grace", last_name="Bello")
    nhs = Team.objects.get(slug="nhs-bright-outlook")
    worker_user = UserFactory(role="lead_worker", team=nhs, first_name="Sam", last_name="Reid")
    # Another provider, with referrals of its own: never this pupil's.
    other_user = UserFactory(role="lead_worker",
                             team=Team.objects.get(slug="barnardos-base-routes"))
    pupil = PersonFactory(given_name=PUPIL["given_name"], family_name=PUPIL["family_name"],
                          sex="F", date_of_birth=dt.date(2012, 2, 9))
    on_team_around(manager_user, pupil)
    _knife_in_a_bag(pupil)
    programme = Programme.objects.get(name=PROGRAMME)
    free_before = programme.areas.get().monthly_places
    today = clock.today()

    # --- the Education Inclusion Manager: find support, then refer --------------------------
    manager = person_at(manager_user)
    manager.go(f"/cases/children/{pupil.public_id}/")
    manager.follow("Find support")
    assert manager.path == f"/interventions/children/{pupil.public_id}/support/"
    eligible, other = manager.text().split("Other programmes")
    # A school's staff refer through the school: the page opens on that route.
    assert PROGRAMME in eligible and PROGRAMME not in other
    assert "Call-in Project" in other and "the child is 14" in other
    # A direct referral is not the programme's way in: greyed, saying why not.
    manager.fill({"route_in": "direct"})
    manager.press_button("Show programmes for this route")
    assert "route_in=direct" in manager.path
    eligible, other = manager.text().split("Other programmes")
    assert PROGRAMME in other and "Takes referrals by: through the school" in other
    manager.fill({"route_in": "school"})
    manager.press_button("Show programmes for this route")
    assert "route_in=school" in manager.path
    eligible, other = manager.text().split("Other programmes")
    assert PROGRAMME in eligible and PROGRAMME not in other
    card = _card(manager, PROGRAMME).text
    # Why: the knife in school, read from the record she may see, and the route.
    assert "Knife or weapon carrying, from the records" in card
    assert "Takes referrals by: through the school" in card
    assert f"{free_before} free now" in card and "Whole city" in card

    refer_link = _card(manager, PROGRAMME).find_element(By.PARTIAL_LINK_TEXT, "Refer")
    manager._click(refer_link)
    assert manager.path.startswith(
        f"/interventions/children/{pupil.public_id}/refer/{programme.pk}/")
    page = manager.text()
    assert f"Refer to {PROGRAMME}" in page and "The child meets this programme's rules" in page
    assert "A parent's consent is needed too: the child is under 16" in page
    assert manager.driver.find_element(By.NAME, "route_in").get_attribute("value") == "school"

    # No consent recorded at all: refused, naming the field.
    manager.fill({"team": nhs.pk, "reason": WHY})
    manager.press_button("Send the referral")
    assert ("Choose the young person's consent.",  # names the box: no label again
            "id_young_person_consent_0") in _errors(manager)
    # Consent refused and no reason to proceed without it: refused, naming the field.
    manager.fill({"young_person_consent": "refused", "parent_consent": "given"})
    manager.press_button("Send the referral")
    (words, field), = _errors(manager)
    assert field == "id_without_consent_reason"
    assert words.startswith("Consent is not given: to proceed without it, give the reason")
    assert not Referral.objects.filter(person=pupil).exists()
    # What she typed is still there; she records the consent she now has.
    assert manager.driver.find_element(By.NAME, "reason").get_attribute("value") == WHY
    manager.fill({"young_person_consent": "given", "parent_consent": "given"})
    manager.press_button("Send the referral")

    referral = Referral.objects.get(person=pupil)
    assert manager.path == f"/interventions/referrals/{referral.pk}/"
    page = manager.text()
    assert "Sent to the provider" in page and nhs.name in page
    assert f"Place {today:%B %Y}" in page
    assert (referral.status, referral.holds_place, referral.team, referral.route_in) == \
        ("sent", True, nhs, "school")
    assert (referral.young_person_consent, referral.parent_consent) == ("given", "given")
    assert CapacityMonth.objects.get(area=referral.area, month=today.replace(day=1)).taken == 1
    manager.go(f"/interventions/children/{pupil.public_id}/support/?route_in=school")
    assert f"{free_before - 1} free now" in _card(manager, PROGRAMME).text

    # --- another provider: not in their list, and "not found" like a referral that is not --
    outsider = person_at(other_user)
    outsider.go("/interventions/provider/")
    assert "Okoro" not in outsider.text()
    outsider.go(f"/interventions/referrals/{referral.pk}/")
    forbidden = _not_found_words(outsider, str(referral.pk))
    absent_pk = str(referral.pk + 100_000)
    outsider.go(f"/interventions/referrals/{absent_pk}/")
    assert "Page not found" in forbidden and "Okoro" not in forbidden
    assert forbidden == _not_found_words(outsider, absent_pk)

    # --- the provider's worker: accept, start, sessions, rating, outcome --------------------
    # The school shares who the pupil is with the provider, as the partnership's agreements
    # do (access/partnership.py): without it the provider's list reads "(name not known)".
    AgreementFactory(provider=Identity.objects.get(source_id="SCH2").agency,
                     recipient=worker_user.agency, categories=["identity"],
                     purposes=["direct_work"])
    worker = person_at(worker_user)
    worker.follow("Referrals to your team")
    assert worker.path == "/interventions/provider/"
    row = next(r for r in worker.driver.find_elements(By.CSS_SELECTOR, "main tbody tr")
               if "Leah Okoro" in r.text)
    assert PROGRAMME in row.text and "Sent to the provider" in row.text
    worker.follow("Leah Okoro")
    assert worker.path == f"/interventions/referrals/{referral.pk}/"
    assert WHY in worker.text() and "Young person: given; parent: given" in worker.text()
    worker.press_button("Accept the referral")
    assert "Accepted" in worker.text("main dl")
    worker.fill(_date("started_on", today - dt.timedelta(days=1)))
    worker.press_button("Record the start")
    assert "Started" in worker.text("main dl")
    worker.fill({**_date("held_on", today - dt.timedelta(days=1)), "attended": "yes",
                 "note": "Walked the route together"})
    worker.press_button("Record the session")
    worker.fill({**_date("held_on", today), "attended": "no", "note": "Ill, rang ahead"})
    worker.press_button("Record the session")
    sessions = _table(worker, "Sessions")
    assert "Walked the route together" in sessions and "Ill, rang ahead" in sessions
    worker.fill({"rating": "4", "words": HER_WORDS})
    worker.press_button("Record your rating")
    assert "The worker" in worker.text() and f"4 of 5: {HER_WORDS}" in worker.text()
    worker.fill({"end_reason": "completed", "outcome": OUTCOME})
    worker.press_button("End the referral")
    # The work is over, so the child is no longer theirs to see: back to their list, told so.
    assert worker.path == "/interventions/provider/"
    assert "The referral has ended" in worker.text() and "Okoro" not in worker.text()

    referral.refresh_from_db()
    assert (referral.status, referral.end_reason, referral.outcome, referral.ended_on) == \
        ("ended", "completed", OUTCOME, today)
    assert referral.started_on == today - dt.timedelta(days=1)
    assert referral.decided_by == worker_user
    assert sorted(referral.sessions.values_list("held_on", "attended", "recorded_by")) == [
        (today - dt.timedelta(days=1), True, worker_user.pk), (today, False, worker_user.pk)]
    rating = Rating.objects.get(referral=referral)
    assert (rating.respondent, rating.rating, rating.words, rating.recorded_by) == \
        ("worker", 4, HER_WORDS, worker_user)
    done = set(AuditEntry.objects.filter(actor=worker_user, object_type__startswith="intervention")
               .values_list("action", flat=True))
    assert {"accept", "start", "record_session", "end"} <= done

    # --- the manager reads the outcome ------------------------------------------------------
    manager = person_at(manager_user)
    manager.go(f"/interventions/children/{pupil.public_id}/support/")
    referrals = _table(manager, "Referrals")
    assert PROGRAMME in referrals and "Ended (completed)" in referrals
    manager.follow(f"Referral {referral.pk}")
    page = manager.text()
    assert f"Ended {today.day} {today:%B %Y}: {OUTCOME}" in page
    assert "Walked the route together" in page and f"4 of 5: {HER_WORDS}" in page
