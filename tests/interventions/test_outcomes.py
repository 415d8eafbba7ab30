"""Outcomes: before and after from the events held, ratings, the one-time link, the report."""

import dataclasses
import datetime as dt
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from saferoptions.access import policy, rules
from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.core.models import Agency, Role
from saferoptions.interventions import hooks, outcome_selectors, selectors, services
from saferoptions.interventions.facts import this_month
from saferoptions.interventions.models import CapacityMonth, FeedbackLink, Programme, Rating
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import PersonFactory

from .conftest import _user
from .test_referrals import judge, refer

STARTED, ENDED = dt.date(2025, 6, 2), dt.date(2025, 9, 30)  # after window closed 29 Dec 2025


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.UTC)


def event(person, kind, day, category="missing", agency="social-care"):
    InvolvementFactory(person=person, event=EventFactory(
        event_type=kind, category=category, occurred_at=at(day), reported_at=at(day),
        reporting_agency=Agency.objects.get(slug=agency)))


def worked(world, person=None):
    """A referral that started on 2 June 2025 and was completed on 30 September 2025."""
    with clock.frozen(at(STARTED)):
        judge(world, person or world.child)
        referral = refer(world, person=person)
        mentor = world.users["mentor"]
        with transaction.atomic():
            services.accept(actor=mentor, referral=referral)
            services.start(actor=mentor, referral=referral, started_on=STARTED)
    with clock.frozen(at(ENDED)), transaction.atomic():
        services.end(actor=mentor, referral=referral, reason="completed")
    referral.refresh_from_db()
    return referral


def page(client, user, referral):
    client.force_login(user)
    return client.get(reverse("interventions:referral", args=[referral.pk])).content.decode()


def test_the_referral_shows_each_measure_before_the_start_and_after_the_end(client, world):
    child = world.child
    for days in (5, 30, 89):
        event(child, "missing_episode", STARTED - dt.timedelta(days=days))
    event(child, "missing_episode", STARTED - dt.timedelta(days=120))  # too early
    event(child, "missing_episode", ENDED + dt.timedelta(days=10))
    referral = worked(world)
    body = page(client, world.users["social_worker"], referral)
    row = re.search(r"Missing episodes</th>(.*?)</tr>", body, re.S).group(1)
    assert re.findall(r">(\d+)<", row) == ["3", "1"]
    assert "not proof the programme caused it" in body


def test_the_after_count_waits_until_the_ninety_days_have_passed(world):
    event(world.child, "missing_episode", ENDED + dt.timedelta(days=3))
    referral = worked(world)
    decision = policy.decision_for(world.users["social_worker"], world.child)
    with clock.frozen(at(ENDED + dt.timedelta(days=20))):
        rows, known_on = outcome_selectors.referral_measures(decision=decision,
                                                             referral=referral)
    assert known_on == dt.date(2025, 12, 30)
    assert rows[0].label == "Missing episodes" and rows[0].after is None
    rows, _ = outcome_selectors.referral_measures(decision=decision, referral=referral)
    assert rows[0].after == 1


def test_events_the_viewer_may_not_see_are_not_counted(world):
    event(world.child, "missing_episode", STARTED - dt.timedelta(days=3))
    referral = worked(world)
    decision = policy.decision_for(world.users["social_worker"], world.child)
    sees = outcome_selectors.referral_measures(decision=decision, referral=referral)[0]
    blind = dataclasses.replace(decision, grants=rules.Grants())  # no category shared
    sees_none = outcome_selectors.referral_measures(decision=blind, referral=referral)[0]
    assert (sees[0].before, sees_none[0].before) == (1, 0)


def started(world):
    judge(world, world.child)
    referral = refer(world)
    with transaction.atomic():
        services.accept(actor=world.users["mentor"], referral=referral)
        services.start(actor=world.users["mentor"], referral=referral,
                       started_on=dt.date(2026, 3, 2))
    return referral


def test_the_worker_rates_the_work_and_only_the_provider_may(client, world):
    referral = started(world)
    url = reverse("interventions:referral-action", args=[referral.pk, "rating"])
    client.force_login(world.users["mentor"])
    response = client.post(url, {"rating": "9", "words": "x"})
    assert response.status_code == 400
    assert "Choose how helpful was it from the list." in response.content.decode()
    assert "How helpful was it: Choose" not in response.content.decode()
    assert client.post(url, {"rating": "4", "words": "Back in school."}).status_code == 302
    client.force_login(world.users["social_worker"])
    response = client.post(url, {"rating": "5"})
    assert response.status_code == 400
    assert b"Only the provider&#x27;s team can record the worker&#x27;s rating" in \
        response.content
    assert list(Rating.objects.values_list("respondent", "rating", "words")) == \
        [("worker", 4, "Back in school.")]


def make_link(client, world, referral, respondent="young_person") -> str:
    client.force_login(world.users["social_worker"])
    response = client.post(reverse("interventions:feedback-link", args=[referral.pk]),
                           {"respondent": respondent})
    assert response.status_code == 200
    url = re.search(r"<code>(http[^<]+)</code>", response.content.decode()).group(1)
    client.logout()
    return url.replace("http://testserver", "")


def test_the_young_person_gives_their_view_once_from_a_link_with_no_account(client, world):
    referral = worked(world)
    url = make_link(client, world, referral)
    assert "Amara" not in url and f"/{referral.pk}/" not in url
    form = client.get(url)
    body = form.content.decode()
    assert form.status_code == 200 and "How was Community mentoring?" in body
    for secret in ("Amara", "Okafor", "Easton", "2011"):
        assert secret not in body
    assert "<script>" not in body
    bad = client.post(url, {"rating": "", "words": "x" * 2001})
    assert bad.status_code == 400 and "Choose how helpful was it" in bad.content.decode()
    done = client.post(url, {"rating": "5", "words": "My mentor listened."})
    assert done.status_code == 200 and b"Thank you" in done.content
    assert Rating.objects.get().respondent == "young_person"
    assert AuditEntry.objects.filter(action="record_rating", actor=None).exists()
    again = client.get(url)
    assert again.status_code == 404 and b"This link does not work" in again.content
    assert client.post(url, {"rating": "1"}).status_code == 404
    assert Rating.objects.count() == 1


def test_the_feedback_page_is_never_kept_by_the_phone_or_a_proxy(client, world):
    # It names the programme the young person is in (mentoring, exploitation support...) and
    # is opened with no account, so the signed-in rule (no-store) did not cover it: a shared
    # phone's Back button or history could show it to the next person.
    url = make_link(client, world, worked(world))
    stranger = Client()
    for response in (stranger.get(url), stranger.post(url, {"rating": ""})):
        assert "no-store" in response["Cache-Control"], response.status_code
        assert "private" in response["Cache-Control"]


def same(response) -> bytes:
    """The page without what changes on every response (the CSRF token, the request id)."""
    return re.sub(rb'"X-CSRFToken": "[^"]*"|[0-9a-f]{8}-[0-9a-f-]{27}', b"", response.content)


def test_a_tampered_expired_or_replaced_link_gives_the_same_answer(client, world):
    referral = worked(world)
    first = make_link(client, world, referral, "parent")
    second = make_link(client, world, referral, "parent")
    replaced = client.get(first)
    tampered = client.get(second[:-3] + "abc/")
    made_up = client.get(reverse("interventions:feedback", args=["not-a-token"]))
    assert replaced.status_code == tampered.status_code == made_up.status_code == 404
    assert same(replaced) == same(tampered) == same(made_up)
    assert client.get(second).status_code == 200
    with clock.frozen(clock.now() + dt.timedelta(days=15)):
        assert same(client.get(second)) == same(made_up)
    assert FeedbackLink.objects.count() == 2 and not Rating.objects.exists()


def test_a_link_is_only_for_work_that_started_and_for_the_young_person_or_a_parent(
        client, world):
    judge(world, world.child)
    referral = refer(world)
    client.force_login(world.users["social_worker"])
    url = reverse("interventions:feedback-link", args=[referral.pk])
    assert b"once the work has started" in client.post(url, {"respondent": "parent"}).content
    assert client.post(url, {"respondent": "worker"}).status_code == 400
    client.force_login(world.users["outsider"])
    assert client.post(url, {"respondent": "parent"}).status_code == 404
    assert not FeedbackLink.objects.exists()


def test_guessing_links_is_limited_per_address(client, world, settings):
    settings.INTERVENTIONS_FEEDBACK_LIMIT = 3
    url = reverse("interventions:feedback", args=["guess"])
    assert [client.get(url).status_code for _ in range(4)] == [404, 404, 404, 429]


# --- the programme report --------------------------------------------------------------------

def matched_child(world, missing_before, missing_after, born=dt.date(2012, 1, 1)):
    other = PersonFactory(given_name="Bea", family_name="Comparison", sex="F",
                          date_of_birth=born, locality=world.east)
    for n in range(missing_before):
        event(other, "missing_episode", STARTED - dt.timedelta(days=10 + n))
    for n in range(missing_after):
        event(other, "missing_episode", ENDED + dt.timedelta(days=10 + n))
    return other


@pytest.fixture
def report_world(world):
    for n in range(3):
        event(world.child, "missing_episode", STARTED - dt.timedelta(days=3 + n))
    worked(world)
    matched_child(world, missing_before=3, missing_after=2)
    matched_child(world, missing_before=3, missing_after=9, born=dt.date(2005, 1, 1))  # too old
    world.users["lead"] = _user("lead", Role.STRATEGIC_LEAD, "community-safety")
    return world


def report(client, user, **params):
    client.force_login(user)
    programme = Programme.objects.get(name="Community mentoring")
    return client.get(reverse("interventions:programme-report", args=[programme.pk]), params)


def cell(body, label):
    row = re.search(label + r"</th>(.*?)</tr>", body, re.S).group(1)
    return re.findall(r"numeric\">([^<]*)<", row)


def test_the_provider_sees_its_own_figures_in_full_beside_matched_children(client, report_world):
    body = report(client, report_world.users["mentor"], scope="team").content.decode()
    assert "Your team's referrals" in body
    assert cell(body, "Missing episodes") == ["3", "0", "3", "2"]
    assert "1 referred children" in body and "1 matched children" in body
    assert "does not show that the programme caused any change" in body
    assert "children are referred at their worst point" in body.lower()


def test_outside_need_to_know_small_numbers_are_suppressed(client, report_world):
    body = report(client, report_world.users["lead"]).content.decode()
    assert cell(body, "Missing episodes") == ["fewer than 5", "0", "fewer than 5",
                                              "fewer than 5"]
    assert "Amara" not in body and "Bea" not in body
    assert "not shown (small numbers)" in body
    assert AuditEntry.objects.filter(action="view", object_type="programme_report").exists()
    # The provider's view of every provider's referrals is suppressed too.
    everyone = report(client, report_world.users["mentor"]).content.decode()
    assert cell(everyone, "Missing episodes")[0] == "fewer than 5"


def test_the_report_is_refused_like_an_absent_page_to_others(client, report_world):
    assert report(client, report_world.users["social_worker"]).status_code == 404
    assert report(client, report_world.users["outsider"]).status_code == 404
    assert report(client, report_world.users["dpo"]).status_code == 404
    client.force_login(report_world.users["lead"])
    assert client.get(reverse("interventions:programme-report", args=[99999])).status_code \
        == 404


def test_exclusions_avoided_are_shown_once_the_school_outcome_is_registered(client,
                                                                             report_world):
    registered = list(hooks._exclusions_avoided)  # the tasks app registers its counter
    hooks._exclusions_avoided.clear()
    try:
        assert "Exclusions avoided" not in report(client, report_world.users["lead"]) \
            .content.decode()
        hooks.register_exclusions_avoided(lambda programme_id: 7)
        body = report(client, report_world.users["lead"]).content.decode()
    finally:
        hooks._exclusions_avoided[:] = registered
    # 7, rounded: the strategic lead reads every provider's figures rounded (report_for)
    assert re.search(r"Exclusions avoided after a school incident</dt>\s*"
                     r"<dd class=\"govuk-summary-list__value\">5<", body)


def _summary(body, label) -> str:
    return re.search(label + r"</dt><dd class=\"govuk-summary-list__value\">([^<]*)<",
                     body).group(1)


def test_the_providers_own_figures_cannot_be_subtracted_from_everyones(
        client, report_world, monkeypatch):
    """A provider team reads its own figures exactly; every provider's together were only
    suppressed, so 9 referrals in all less its own 6 gave the other teams' 3. Every provider's
    figures are now rounded, for every reader, and the rates worked from the rounded counts."""
    real = outcome_selectors.programme_report

    def counted(programme, *, team_id=None):
        found = real(programme, team_id=team_id)
        found.referrals, found.started = (6, 6) if team_id else (9, 8)
        return found
    monkeypatch.setattr(outcome_selectors, "programme_report", counted)
    mentor = report_world.users["mentor"]
    own = report(client, mentor, scope="team").content.decode()
    assert _summary(own, "Referrals made") == "6"
    for reader in (mentor, report_world.users["lead"]):
        everyone = report(client, reader).content.decode()
        assert _summary(everyone, "Referrals made") == "10"  # 9, rounded: 10 - 6 is not 3
        # 8 of 9 started: rounded to 10, and the rate worked from the rounded counts
        assert _summary(everyone, r"Work started \(take-up\)") == "10 (100% of referrals)"
        assert "rounded to the nearest 5" in everyone and "may not add up" in everyone


def test_the_programme_page_rounds_waiting_lists_for_all_but_its_providers(
        client, report_world, monkeypatch):
    """The walk found /interventions/programmes/<id>/ showing waiting lists of 4 and 3 to the
    strategic lead while the dashboards suppress them. Any reader but the programme's own
    providers now reads places taken and children waiting rounded; the provider, managing
    its list, keeps them exact."""
    programme = Programme.objects.get(name="Community mentoring")
    areas = list(programme.areas.all())
    waiting = {a.pk: n for a, n in zip(areas, (4, 3, 12), strict=False)}
    # A small area, full: "Full" beside its 3 places would say 3 taken.
    CapacityMonth.objects.update_or_create(area=areas[0], month=this_month(),
                                           defaults={"places": 3, "taken": 3})
    monkeypatch.setattr(selectors, "_waiting_counts", lambda ids: waiting)
    url = reverse("interventions:programme", args=[programme.pk])

    def waits(user):
        client.force_login(user)
        body = client.get(url).content.decode()
        start = body.index("Places this month, by area")
        table = body[start:body.index("</table>", start)].split("<tbody", 1)[1]
        rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)
        return body, [re.findall(r"numeric\">([^<]*)<", r)[2] for r in rows if "numeric" in r]

    body, lead = waits(report_world.users["lead"])
    expected = {4: "fewer than 5", 3: "fewer than 5", 12: "10"}
    assert lead == [expected[waiting[a.pk]] for a in areas]
    assert "rounded to the nearest 5" in body
    assert "Not shown (small numbers)" in body and "govuk-tag--red" not in body
    body, mentor = waits(report_world.users["mentor"])
    assert mentor == [str(waiting[a.pk]) for a in areas]
    assert "rounded to the nearest 5" not in body and ">Full<" in body
