"""Context cases: the lifecycle, conflicting edits, bad input, audit, and forbidden == absent."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.audit.services import AuditUnavailable
from saferoptions.contexts import case_selectors, services
from saferoptions.contexts.errors import ConflictingEdit, ContextInputError, NotAllowed
from saferoptions.contexts.models import (
    CaseStatus,
    ContextCase,
    ContextIntervention,
    ContextReview,
    School,
)
from saferoptions.core import clock
from saferoptions.core.models import Role
from tests.access.factories import AgreementFactory
from tests.cases.factories import TeamMemberFactory
from tests.contexts.factories import MembershipFactory
from tests.core.factories import LocalityFactory, UserFactory
from tests.people.factories import IdentityFactory, PersonFactory

from .conftest import HIDDEN_FAMILY, same_page

pytestmark = pytest.mark.django_db


def _open(world, user=None):
    return services.refer(actor=user or world.users[Role.HUB_PRACTITIONER], kind="place",
                          place=world.place, reason="Children gather here after school")


def test_a_case_goes_from_referral_to_closure(world):
    hub = world.users[Role.HUB_PRACTITIONER]
    case = _open(world)
    services.assess(actor=hub, case_id=case.pk, version=1, summary="Poor lighting, no staff",
                    answers={"guardianship": "No one on site after 6pm", "businesses": ""})
    action = services.plan_intervention(
        actor=hub, case_id=case.pk, version=2, kind="late_night_outreach",
        description="Outreach Friday nights", owner=hub, due_on=dt.date(2026, 10, 1))
    services.set_intervention_status(actor=hub, case_id=case.pk, version=3,
                                     intervention_id=action.pk, status="done")
    services.review(actor=hub, case_id=case.pk, version=4, summary="Quieter on Fridays",
                    next_review_on=dt.date(2026, 12, 1))
    services.close(actor=hub, case_id=case.pk, version=5, reason="harm_reduced")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.version == 6
    assert case.assessments.get().answers == {"guardianship": "No one on site after 6pm"}
    assert ContextIntervention.objects.get().status == "done"
    changes = AuditEntry.objects.filter(object_type="context_case").values_list("action",
                                                                               flat=True)
    assert list(changes).count("update") == 5 and "create" in changes


def test_a_conflicting_edit_is_refused_and_changes_nothing(world):
    hub = world.users[Role.HUB_PRACTITIONER]
    case = _open(world)
    services.review(actor=hub, case_id=case.pk, version=1, summary="First look")
    with pytest.raises(ConflictingEdit):
        services.review(actor=hub, case_id=case.pk, version=1, summary="Stale form")
    assert case.reviews.count() == 1


def test_a_closed_case_takes_no_more_changes(world):
    hub = world.users[Role.HUB_PRACTITIONER]
    case = _open(world)
    services.close(actor=hub, case_id=case.pk, version=1, reason="no_further_concern")
    with pytest.raises(ContextInputError) as refused:
        services.review(actor=hub, case_id=case.pk, version=2, summary="Too late")
    assert refused.value.field == "status"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"kind": "stairwell"}, "kind"),
    ({"kind": "group"}, "group"),
    ({"kind": "place", "reason": "   "}, "reason"),
])
def test_bad_referrals_name_the_field_and_store_nothing(world, kwargs, field):
    args = {"kind": "place", "place": world.place, "reason": "Concern", **kwargs}
    with pytest.raises(ContextInputError) as refused:
        services.refer(actor=world.users[Role.HUB_PRACTITIONER], **args)
    assert refused.value.field == field
    assert not ContextCase.objects.exists()


def test_closing_for_another_reason_needs_a_note_and_other_roles_cannot_change(world):
    case = _open(world)
    with pytest.raises(ContextInputError):
        services.close(actor=world.users[Role.HUB_PRACTITIONER], case_id=case.pk, version=1,
                       reason="other")
    with pytest.raises(NotAllowed):
        services.review(actor=world.users[Role.ANALYST], case_id=case.pk, version=1,
                        summary="Not mine to change")


def test_the_hub_runs_a_case_through_the_pages(client, world):
    hub = world.users[Role.HUB_PRACTITIONER]
    client.force_login(hub)
    response = client.post(reverse("contexts:refer"), {
        "kind": "place", "place": world.place.pk, "reason": "Knife found in the bushes"})
    case = ContextCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "contexts:case", args=[case.pk])
    response = client.post(reverse("contexts:plan", args=[case.pk]), {
        "version": 1, "kind": "environmental_change", "description": "New lighting",
        "owner": hub.pk, "due_on": "2026-11-30"})
    assert response.status_code == 302
    page = client.get(reverse("contexts:case", args=[case.pk]))
    assert b"New lighting" in page.content and b"Ashanti" in page.content
    assert HIDDEN_FAMILY.encode() not in page.content
    assert (b"Not shown: &lt;5 people linked to this case whose records you may not see"
            in page.content)


def test_a_stale_form_shows_a_clear_error(client, world):
    hub = world.users[Role.HUB_PRACTITIONER]
    case = _open(world)
    services.review(actor=hub, case_id=case.pk, version=1, summary="Someone else first")
    client.force_login(hub)
    response = client.post(reverse("contexts:review", args=[case.pk]),
                           {"version": 1, "summary": "Mine"})
    assert response.status_code == 400
    assert b"someone else changed this case" in response.content
    assert case.reviews.count() == 1


def test_bad_dates_in_the_plan_are_form_errors(client, world):
    case = _open(world)
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    response = client.post(reverse("contexts:plan", args=[case.pk]), {
        "version": 1, "kind": "licensing_action", "description": "x",
        "owner": world.users[Role.HUB_PRACTITIONER].pk, "due_on": "31/02/2026"})
    assert response.status_code == 400 and b"Due by must be a real date" in response.content
    assert not case.interventions.exists()


def test_the_plan_form_leaves_programmes_to_find_support_and_old_rows_keep_their_kind(
        client, world):
    hub = world.users[Role.HUB_PRACTITIONER]
    case = _open(world)
    old = ContextIntervention.objects.create(  # written before programmes left the form
        case=case, kind="detached_youth_work", description="Youth workers at the park",
        owner=hub, due_on=dt.date(2026, 10, 1), created_at=clock.now())
    client.force_login(hub)
    url = reverse("contexts:plan", args=[case.pk])
    form = client.get(url)
    offered = [value for value, _ in form.context["form"].fields["kind"].choices]
    assert offered == ["licensing_action", "environmental_change", "school_sessions",
                       "disruption", "other"]
    shown = form.content.decode()
    assert reverse("interventions:context-support", args=[case.pk]) in shown
    assert "detached youth work and late-night outreach, are not added here" in shown
    refused = client.post(url, {"version": 1, "kind": "late_night_outreach",
                                "description": "Outreach", "owner": hub.pk,
                                "due_on": "2026-11-30"})
    assert refused.status_code == 400 and "kind" in refused.context["form"].errors
    assert case.interventions.count() == 1
    page = client.get(reverse("contexts:case", args=[case.pk])).content.decode()
    assert "Detached youth work" in page and "Youth workers at the park" in page
    old.full_clean()  # the old kind is still a valid choice on the model


def test_licensing_officer_refers_a_place_and_sees_no_case_or_children(client, world):
    officer = world.users[Role.LICENSING_OFFICER]
    client.force_login(officer)
    form = client.get(reverse("contexts:refer"))
    assert b'value="group"' not in form.content  # places only
    response = client.post(reverse("contexts:refer"), {
        "kind": "place", "place": world.place.pk, "reason": "Off-licence selling to children"})
    assert response.status_code == 200 and b"Referral sent" in response.content
    case = ContextCase.objects.get()
    assert client.get(reverse("contexts:case", args=[case.pk])).status_code == 404
    assert client.post(reverse("contexts:refer"), {
        "kind": "group", "group": world.group.pk, "reason": "x"}).status_code == 400
    assert ContextCase.objects.count() == 1


def test_forbidden_looks_like_absent(client, world):
    case = _open(world)
    for role in (Role.LICENSING_OFFICER, Role.COMMUNITY_MEMBER, Role.DATA_PROTECTION_OFFICER,
                 Role.SYSTEM_ADMINISTRATOR):
        client.force_login(world.users[role])
        forbidden = client.get(reverse("contexts:case", args=[case.pk]))
        absent = client.get(reverse("contexts:case", args=[case.pk + 999]))
        assert forbidden.status_code == absent.status_code == 404, role
        assert same_page(forbidden, absent), role
        assert client.get(reverse("contexts:review", args=[case.pk])).status_code == 404


def test_an_analyst_sees_the_case_with_every_child_masked(client, world):
    case = _open(world)
    client.force_login(world.users[Role.ANALYST])
    page = client.get(reverse("contexts:case", args=[case.pk]))
    assert page.status_code == 200
    assert b"Ashanti" not in page.content and HIDDEN_FAMILY.encode() not in page.content
    assert reverse("contexts:assess", args=[case.pk]).encode() not in page.content
    assert AuditEntry.objects.filter(object_type="context_case", action="view").exists()


def test_a_school_case_lists_its_pupils_through_the_policy(client, world):
    school = School.objects.create(name="Cabot Academy", urn="100001", place=world.place)
    IdentityFactory(person=world.known, agency=world.police, school=school)
    IdentityFactory(person=world.hidden, agency=world.police, school=school)
    case = services.refer(actor=world.users[Role.HUB_PRACTITIONER], kind="school",
                          school=school, reason="Knives carried on the walk home")
    # The police share who the pupils are with social care, as the partnership's agreements
    # do (access/partnership.py): without it Ashanti is listed as '(name not known)'.
    AgreementFactory(provider=world.police, recipient=world.users[Role.SOCIAL_WORKER].agency,
                     categories=["identity"], purposes=["direct_work"])
    client.force_login(world.users[Role.SOCIAL_WORKER])
    page = client.get(reverse("contexts:case", args=[case.pk]))
    assert b"Ashanti" in page.content and HIDDEN_FAMILY.encode() not in page.content
    assert b"Culture: how safe children feel" in page.content


def test_no_audit_row_means_no_case_page(client, world, monkeypatch):
    case = _open(world)

    def broken(**kwargs):
        raise AuditUnavailable("down")

    monkeypatch.setattr(case_selectors, "record", broken)
    client.force_login(world.users[Role.SOCIAL_WORKER])
    response = client.get(reverse("contexts:case", args=[case.pk]))
    assert response.status_code == 503 and b"Ashanti" not in response.content


def test_a_case_outside_the_viewers_locality_is_absent_to_them(client, world):
    case = _open(world)
    hub = world.users[Role.HUB_PRACTITIONER]
    elsewhere = UserFactory(role=Role.HUB_PRACTITIONER, agency=hub.agency,
                            locality=LocalityFactory())
    client.force_login(hub)
    assert client.get(reverse("contexts:case", args=[case.pk])).status_code == 200
    client.force_login(elsewhere)
    forbidden = client.get(reverse("contexts:case", args=[case.pk]))
    absent = client.get(reverse("contexts:case", args=[case.pk + 1000]))
    assert forbidden.status_code == absent.status_code == 404
    assert same_page(forbidden, absent)
    assert world.place.name not in client.get(reverse("contexts:cases")).content.decode()
    with pytest.raises(NotAllowed):
        services.review(actor=elsewhere, case_id=case.pk, version=1, summary="Not mine")
    # A city-wide user (no locality) with the role sees it.
    citywide = UserFactory(role=Role.TEAM_MANAGER, agency=hub.agency)
    client.force_login(citywide)
    assert client.get(reverse("contexts:case", args=[case.pk])).status_code == 200


def test_a_big_groups_case_pages_its_children_plan_and_reviews_and_audits_who_is_shown(
        client, world):
    hub = world.users[Role.HUB_PRACTITIONER]
    children = [PersonFactory(given_name="Child", family_name=f"Number {n:02}",
                              locality=world.known.locality) for n in range(52)]
    for child in children:
        TeamMemberFactory(person=child, user=hub)
        MembershipFactory(person=child, group=world.group, source=world.police)
    case = services.refer(actor=hub, kind="group", group=world.group,
                          reason="A big group at the bus station")
    ContextIntervention.objects.bulk_create(
        ContextIntervention(case=case, kind="other", description=f"Step {n}", owner=hub,
                            due_on=dt.date(2026, 11, 1), created_at=clock.now())
        for n in range(51))
    ContextReview.objects.bulk_create(
        ContextReview(case=case, summary=f"Review {n}", reviewed_by=hub,
                      reviewed_at=clock.now() - dt.timedelta(days=n)) for n in range(53))
    client.force_login(hub)
    url = reverse("contexts:case", args=[case.pk])
    first = client.get(url)
    assert len(first.context["children_paged"].rows) == 50
    assert len(first.context["interventions"]) == 50 and len(first.context["reviews"]) == 50
    assert first.content.decode().count('class="govuk-pagination"') == 3
    later = client.get(url + "?children=2&plan=2&reviews=2")
    shown = later.context["children_paged"].rows
    assert len(shown) == 3 and len(later.context["interventions"]) == 1
    assert [r.summary for r in later.context["reviews"]] == ["Review 50", "Review 51",
                                                             "Review 52"]
    viewed = AuditEntry.objects.filter(object_type="context_case", action="view").latest("pk")
    assert viewed.detail["people"] == [p.pk for p in shown]  # only the children shown
    odd = client.get(url + "?reviews=last")
    assert odd.status_code == 200 and "is not a page number" in odd.content.decode()
