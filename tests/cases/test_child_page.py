"""Journey 4 on the child's page: who she is at the top, the team's End membership only for
those the team table lets change it, clocks that name their concern, what is known in pages,
and the single assessment offered only to those the service lets start it."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from saferoptions.cases import services
from saferoptions.cases.models import Assessment, TeamAroundChildMember

from .conftest import police_event

pytestmark = pytest.mark.django_db
RULE_REASON = ("A child has been excluded from school and has had contact with the police "
               "within 30 days: the Hub triages them within a working day")


def _page(client, user, child, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:child", args=[child.public_id]), params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _summary(page: str) -> str:
    return page.split('id="child-summary"')[1].split("</dl>")[0]


def _team(page: str) -> str:
    return page.split("Team around the child")[1].split("Single assessment")[0]


def test_the_summary_shows_age_and_date_of_birth_to_a_team_member(client, world):
    world.child.date_of_birth = dt.date(2011, 3, 3)
    world.child.save()
    TeamAroundChildMember.objects.filter(user=world.users["social_worker"]).update(
        role="lead_professional")
    top = _summary(_page(client, world.users["social_worker"], world.child))
    assert "Amara Okafor" in top
    assert re.search(r"Age</dt>\s*<dd[^>]*>14<", top)  # her birthday is tomorrow
    assert "3 March 2011" in top
    assert world.child.locality.name in top
    assert re.search(r"Lead professional</dt>\s*<dd[^>]*>social_worker", top)


def test_a_member_who_may_end_memberships_gets_a_link_not_an_open_form(client, world):
    team = _team(_page(client, world.users["social_worker"], world.child))
    assert team.count('<details class="govuk-details') >= 2  # one per member, closed
    assert re.search(r'<summary class="govuk-details__summary"><span class="govuk-details__'
                     r'summary-text">End membership', team)
    assert " open>" not in team.split("Add someone to the team")[0]


def test_someone_who_may_not_change_the_team_sees_no_end_membership(client, world):
    hub = world.users["hub"]  # may open her for triage, but no row of team_rules admits them
    team = _team(_page(client, hub, world.child))
    assert "End membership" not in team and "Why their membership ends" not in team
    member = TeamAroundChildMember.objects.get(user=world.users["lead"])
    response = client.post(reverse("cases:team-end", args=[world.child.public_id, member.pk]),
                           {"end_reason": "Not needed in the team any more"})
    assert response.status_code == 400  # the service's rule, unchanged
    member.refresh_from_db()
    assert member.ended_on is None


def test_a_refused_end_comes_back_open_with_the_reason_typed(client, world):
    client.force_login(world.users["social_worker"])
    member = TeamAroundChildMember.objects.get(user=world.users["lead"])
    response = client.post(reverse("cases:team-end", args=[world.child.public_id, member.pk]),
                           {"end_reason": "short"})
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert ' open><summary class="govuk-details__summary">' in body
    assert ">short</textarea>" in body


def test_the_hub_decision_clock_names_its_concern(client, world):
    concern = services.raise_concern(person=world.child, source="feed_rule",
                                     reason=RULE_REASON, kind="other")
    title = "A child has been excluded from school and has had contact with the police " \
            "within 30 days"
    page = _page(client, world.users["social_worker"], world.child)
    clocks = page.split('id="clocks"')[1].split("</table>")[0]
    assert f"Hub decision on a concern: {title}" in clocks
    link = reverse("cases:concern", args=[concern.pk])
    assert link not in clocks  # the triage screen would be a 404 for her
    concerns = page.split(">Concerns</h2>")[1].split("</ul>")[0]
    assert title in concerns  # the list of concerns names it the same way
    clocks = _page(client, world.users["hub"], world.child).split('id="clocks"')[1]
    assert f'href="{link}">{title}</a>' in clocks.split("</table>")[0]


def test_what_is_known_is_paged_newest_first_with_the_total(client, world):
    for day in range(1, 14):
        police_event(world, world.child,
                     occurred_at=dt.datetime(2026, 2, day, 20, tzinfo=dt.UTC))
    page = _page(client, world.users["social_worker"], world.child)
    known = page.split('id="what-is-known"')[1].split("</table>")[0]
    assert "13 records" in known and "weights adding up to 13" in known
    assert known.count("Stop and search (weapon), recorded by") == 10
    assert ">13 Feb 2026<" in known and ">4 Feb 2026<" in known and ">3 Feb 2026<" not in known
    assert "Page 1 of 2" in page
    second = _page(client, world.users["social_worker"], world.child, known="2")
    known = second.split('id="what-is-known"')[1].split("</table>")[0]
    assert known.count("Stop and search (weapon), recorded by") == 3
    assert ">3 Feb 2026<" in known and ">1 Feb 2026<" in known


def test_the_assessment_is_offered_only_to_those_who_may_start_it(client, world):
    button = "Start the single assessment"
    assert button in _page(client, world.users["social_worker"], world.child)
    hub = world.users["hub"]  # opens her for triage: no case role
    assert button not in _page(client, hub, world.child)
    response = client.post(reverse("cases:assessment-start", args=[world.child.public_id]),
                           {"referral_on": "2026-03-02"})
    assert response.status_code == 400
    assert "member of the team around the child" in html.unescape(response.content.decode())
    assert not Assessment.objects.filter(person=world.child).exists()


def test_who_may_not_start_the_assessment_is_told_there_is_none_and_who_starts_it(client,
                                                                                 world):
    # The heading stood alone over nothing: the Hub (or a rapid-response worker) could not
    # tell "no assessment" from "an assessment hidden from me".
    section = _page(client, world.users["hub"], world.child).split(
        ">Single assessment</h2>")[1].split("<h2")[0]
    assert "No open single assessment you may see." in section
    assert "member of the team around the child, or a team manager" in section
