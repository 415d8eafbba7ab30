"""The pages through the test client: find support, referral, the provider, the catalogue."""

import datetime as dt
import re
import uuid

from django.db import transaction
from django.urls import reverse

from saferoptions.access import policy
from saferoptions.core.models import Agency, Role, Team
from saferoptions.interventions import services
from saferoptions.interventions.models import Programme, Referral
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import UserFactory

from .test_referrals import judge, refer


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def support_url(w):
    return reverse("interventions:find-support", args=[w.child.public_id])


def test_find_support_lists_eligible_programmes_with_why_and_others_greyed(client, world):
    judge(world, world.child, needs=["criminal_exploitation", "group_periphery"])
    page = get(client, world.users["social_worker"], support_url(world))
    assert page.status_code == 200
    body = page.content.decode()
    eligible, other = body.split("Other programmes")
    assert "Community mentoring" in eligible and "For medium or high risk; recorded as high" \
        in eligible
    assert "Girls&#x27; groups" in eligible  # a girl on the periphery of a group
    assert "Call-in Project" in other and "the child is 14" in other
    # The child's locality first: the girls' group and mentoring (East Central places)
    # come before the city-wide programmes.
    assert eligible.index("Community mentoring") < eligible.index("BASE &amp; ROUTES")
    assert "<script>" not in body


def test_find_support_is_the_same_404_for_a_child_out_of_reach_and_an_absent_one(client, world):
    outsider = world.users["outsider"]
    forbidden = get(client, outsider, support_url(world))
    absent = get(client, outsider, reverse("interventions:find-support", args=[uuid.uuid4()]))
    assert forbidden.status_code == absent.status_code == 404
    assert b"Amara" not in forbidden.content
    strip = re.compile(rb"[0-9a-f]{8}-[0-9a-f-]{27}|[A-Za-z0-9]{64}")
    assert strip.sub(b"", forbidden.content) == strip.sub(b"", absent.content)


def test_a_referral_not_found_never_offers_emergency_access_by_its_number(client, world):
    # Break-glass opens a child by the child's reference; a referral's number is not one, and
    # naming the referral's child would tell a stranger that the referral exists.
    judge(world, world.child)
    referral = refer(world)
    stranger = world.users["other_mentor"]  # a practitioner: may ask for emergency access
    url = reverse("interventions:referral", args=[referral.pk])
    for page in (get(client, stranger, url),
                 get(client, stranger, reverse("interventions:referral",
                                               args=[referral.pk + 1000]))):
        assert page.status_code == 404
        assert b"Page not found" in page.content
        assert b"emergency access" not in page.content
        assert b"break-glass" not in page.content and b"Amara" not in page.content
    # A child's own page still offers it, for the child's reference.
    child_page = get(client, stranger, support_url(world))
    assert child_page.status_code == 404
    assert f"person={world.child.public_id}".encode() in child_page.content


def test_the_childs_page_links_to_find_support(client, world):
    page = get(client, world.users["social_worker"],
               reverse("cases:child", args=[world.child.public_id]))
    assert support_url(world).encode() in page.content


def test_refusing_consent_without_a_reason_shows_the_field_error(client, world):
    judge(world, world.child)
    client.force_login(world.users["social_worker"])
    programme = Programme.objects.get(name="Community mentoring")
    url = reverse("interventions:refer", args=[world.child.public_id, programme.pk])
    response = client.post(url, {"team": world.mentor_team.pk, "route_in": "direct",
                                 "reason": "Going missing", "young_person_consent": "refused",
                                 "parent_consent": "given"})
    assert response.status_code == 400
    assert b"give the reason (at least 20 characters)" in response.content
    assert not Referral.objects.exists()
    response = client.post(url, {"team": "not a team", "route_in": "teleport"})
    assert response.status_code == 400
    assert b"Choose route in from the list" in response.content


def test_journey_two_brokering_then_the_provider_accepts_and_records_an_outcome(client, world):
    judge(world, world.child)
    client.force_login(world.users["social_worker"])
    programme = Programme.objects.get(name="Community mentoring")
    response = client.post(
        reverse("interventions:refer", args=[world.child.public_id, programme.pk]),
        {"team": world.mentor_team.pk, "route_in": "direct", "young_person_consent": "given",
         "parent_consent": "given", "reason": "Four missing episodes in ten weeks."})
    referral = Referral.objects.get()
    assert response.status_code == 302 and referral.status == "sent"
    mentor = world.users["mentor"]
    assert b"Amara" in get(client, mentor, reverse("interventions:provider")).content
    act = lambda name, **data: client.post(  # noqa: E731
        reverse("interventions:referral-action", args=[referral.pk, name]), data)
    assert act("accept").status_code == 302
    assert act("start", started_on="2026-03-02").status_code == 302
    assert act("session", held_on="31/02/2026", attended="yes").status_code == 400
    assert act("session", held_on="2026-03-02", attended="yes").status_code == 302
    assert act("end", end_reason="completed", outcome="Back at school every day.") \
        .status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.end_reason, referral.sessions.count()) == \
        ("ended", "completed", 1)


def test_the_provider_loses_the_child_on_the_next_request_when_the_referral_ends(client, world):
    judge(world, world.child)
    referral = refer(world)
    mentor = world.users["mentor"]
    url = reverse("interventions:referral", args=[referral.pk])
    record = support_url(world)  # a child's page, through the same policy as the record
    assert get(client, mentor, url).status_code == 200
    assert get(client, mentor, record).status_code == 200
    assert get(client, world.users["other_mentor"], url).status_code == 404
    with transaction.atomic():
        services.end(actor=world.users["social_worker"], referral=referral, reason="moved")
    assert get(client, mentor, url).status_code == 404
    assert get(client, mentor, record).status_code == 404
    assert policy.decision_for(mentor, world.child) is None
    assert not policy.restrict(mentor, "list", type(world.child).objects.all()).exists()
    assert b"Amara" not in get(client, mentor, reverse("interventions:provider")).content


def test_a_declined_referral_ends_the_providers_access(client, world):
    judge(world, world.child)
    referral = refer(world)
    mentor = world.users["mentor"]
    with transaction.atomic():
        services.decline(actor=mentor, referral=referral, reason="No mentor free")
    assert get(client, mentor, support_url(world)).status_code == 404
    assert policy.decision_for(mentor, world.child) is None


def test_declining_on_the_page_takes_the_provider_to_their_list_not_to_not_found(client, world):
    judge(world, world.child)
    referral = refer(world)
    mentor = world.users["mentor"]
    client.force_login(mentor)
    response = client.post(reverse("interventions:referral-action",
                                   args=[referral.pk, "decline"]),
                           {"decline_reason": "No mentor free this term"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("interventions:provider")
    body = response.content.decode()
    assert "The referral is declined. The child is no longer on your list." in body
    assert "Amara" not in body


def test_withdrawing_on_the_page_keeps_the_referrer_on_the_referral(client, world):
    judge(world, world.child)
    referral = refer(world)
    client.force_login(world.users["social_worker"])
    url = reverse("interventions:referral", args=[referral.pk])
    response = client.post(reverse("interventions:referral-action", args=[referral.pk, "end"]),
                           {"end_reason": "withdrawn"})
    assert response.status_code == 302 and response.url == url
    assert client.get(url).status_code == 200


def test_a_waiting_referral_gives_the_provider_no_access_yet(client, world):
    area = Programme.objects.get(name="Community mentoring").areas.get(locality=world.east)
    area.monthly_places = 0
    area.save()
    judge(world, world.child)
    referral = refer(world)
    assert referral.status == "waiting"
    page = get(client, world.users["social_worker"],
               reverse("interventions:referral", args=[referral.pk]))
    assert b"number 1 on the waiting list" in page.content
    assert get(client, world.users["mentor"], reverse(
        "interventions:referral", args=[referral.pk])).status_code == 404


def test_only_the_catalogue_manager_edits_the_catalogue(client, world):
    programme = Programme.objects.get(name="BDP New Leaf")
    url = reverse("interventions:programme-edit", args=[programme.pk])
    assert get(client, world.users["social_worker"], url).status_code == 404
    manager = world.users["catalogue"]
    assert get(client, manager, url).status_code == 200
    response = client.post(url, {"name": "BDP New Leaf", "level": "targeted",
                                 "works_with": "child", "offers": "Substance misuse support.",
                                 "takes_referrals": "on", "is_active": "on", "min_age": "18",
                                 "max_age": "12", "version": programme.version})
    assert response.status_code == 400
    assert b"The upper limit must not be below the lower one" in response.content
    response = client.post(url, {"name": "BDP New Leaf", "level": "targeted",
                                 "works_with": "child", "offers": "Substance misuse support.",
                                 "takes_referrals": "on", "is_active": "on", "min_age": "11",
                                 "max_age": "18", "needs": ["cannabis_use"],
                                 "version": programme.version})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.min_age, programme.max_age, programme.needs) == (11, 18, ["cannabis_use"])


def test_capacity_below_use_is_refused_on_the_page_with_the_count(client, world):
    judge(world, world.child)
    refer(world)
    programme = Programme.objects.get(name="Community mentoring")
    area = programme.areas.get(locality=world.east)
    client.force_login(world.users["catalogue"])
    response = client.post(reverse("interventions:area-places", args=[programme.pk, area.pk]),
                           {"monthly_places": "0"})
    assert response.status_code == 400
    assert b"1 places are already taken this month" in response.content


def test_the_dpo_sees_referrals_made_without_consent_and_nobody_else_does(client, world):
    judge(world, world.child)
    refer(world, young_person_consent="not_asked",
          without_consent_reason="She is missing tonight; consent will be asked on return.")
    url = reverse("interventions:consent-overrides")
    assert get(client, world.users["social_worker"], url).status_code == 404
    page = get(client, world.users["dpo"], url)
    assert page.status_code == 200 and b"consent will be asked on return" in page.content


def test_the_catalogue_is_open_to_everyone_signed_in_and_paged(client, world):
    page = get(client, world.users["catalogue"], reverse("interventions:catalogue"))
    assert page.status_code == 200 and b"Community mentoring" in page.content
    assert get(client, world.users["outsider"], reverse("interventions:catalogue"),
               level="proactive").content.count(b"govuk-table__row") == 1 + 2
    assert client.get(reverse("interventions:programme", args=[9999])).status_code == 404


def test_start_date_is_checked_for_the_future(client, world):
    judge(world, world.child)
    referral = refer(world)
    with transaction.atomic():
        services.accept(actor=world.users["mentor"], referral=referral)
    client.force_login(world.users["mentor"])
    response = client.post(reverse("interventions:referral-action",
                                   args=[referral.pk, "start"]), {"started_on": "2026-04-01"})
    assert response.status_code == 400
    assert b"The start date cannot be in the future" in response.content
    assert dt.date(2026, 4, 1) != Referral.objects.get().started_on


def test_school_staff_find_support_through_the_school_route_others_direct(client, world):
    manager = UserFactory(role=Role.EDUCATION_INCLUSION_MANAGER,
                          agency=Agency.objects.get(slug="education"),
                          team=Team.objects.get(slug="education-inclusion"))
    TeamMemberFactory(person=world.child, user=manager)
    page = get(client, manager, support_url(world))
    assert page.status_code == 200 and page.context["route"] == "school"
    assert get(client, world.users["social_worker"], support_url(world)).context["route"] \
        == "direct"
    chosen = get(client, manager, support_url(world), route_in="direct")
    assert chosen.context["route"] == "direct"  # a chosen route is kept
