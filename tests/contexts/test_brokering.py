"""Find support for a group or a place, from its context case (issue 14 §2 and §5).

Programmes that work with a group (or a place) are listed, eligible by the context's
locality, with places and wait and the trained people available there; choosing one puts it
on the case's plan with a place or on the waiting list, audited. Only roles that manage
context cases broker (anyone else: the common 404); no child or group member is named.
"""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.contexts import services as context_services
from saferoptions.contexts.errors import NotAllowed
from saferoptions.contexts.models import ContextIntervention
from saferoptions.core import clock
from saferoptions.core.models import Locality, Role, Team
from saferoptions.interventions import services
from saferoptions.interventions.models import (
    ContextPlacement,
    Programme,
    ProgrammeArea,
    ProgrammeProvider,
    RegisteredPractitioner,
    TrainingRecord,
)

from .conftest import HIDDEN_GIVEN, same_page
from .factories import ContextCaseFactory


@pytest.fixture
def setting(world):
    """A group case and a place case in the Hub's locality, and programmes in and out of it."""
    hub = world.users[Role.HUB_PRACTITIONER]
    here = hub.locality
    elsewhere = Locality.objects.exclude(pk=here.pk).first()
    world.group.locality = here
    world.group.save()
    team = Team.objects.order_by("pk").first()

    def programme(name, works_with, locality, places, trained_in=""):
        p = Programme.objects.create(name=name, level="proactive", offers="Work.",
                                     works_with=works_with, trained_in=trained_in)
        ProgrammeProvider.objects.create(programme=p, team=team)
        ProgrammeArea.objects.create(programme=p, locality=locality, monthly_places=places)
        return p

    def trained(name, training, expires_on, locality=here):
        person = RegisteredPractitioner.objects.create(name=name, agency=hub.agency,
                                                       locality=locality)
        TrainingRecord.objects.create(practitioner=person, training=training,
                                      trained_on=dt.date(2025, 1, 1), expires_on=expires_on,
                                      recorded_by=hub)
        return person

    return {
        "hub": hub, "team": team, "here": here,
        "group_case": ContextCaseFactory(kind="group", group=world.group, place=None,
                                         referred_by=hub),
        "place_case": ContextCaseFactory(place=world.place, referred_by=hub),
        "here_group": programme("Peace between groups", "group", here, 1,
                                "conflict_resolution"),
        "city_group": programme("Citywide group work", "group", None, 0),
        "away_group": programme("Elsewhere group work", "group", elsewhere, 5),
        "here_place": programme("Hot-spot youth work", "place", here, 3, "detached_youth_work"),
        "current": trained("Cora Current", "conflict_resolution", dt.date(2027, 1, 1)),
        "expired": trained("Eli Expired", "conflict_resolution", dt.date(2026, 6, 30)),
        "away": trained("Ada Away", "conflict_resolution", None, locality=elsewhere),
    }


def _support(client, user, case):
    client.force_login(user)
    return client.get(reverse("interventions:context-support", args=[case.pk]))


def test_a_group_is_offered_group_programmes_by_its_locality_with_trained_people(client,
                                                                                 setting):
    page = _support(client, setting["hub"], setting["group_case"])
    assert page.status_code == 200
    eligible = [o.programme.name for o in page.context["s"].eligible]
    other = [o.programme.name for o in page.context["s"].other]
    # Its own locality first (a place free now), then the city-wide one (no places).
    assert eligible.index("Peace between groups") < eligible.index("Citywide group work")
    assert eligible[-1] == "Citywide group work"
    assert "Elsewhere group work" in other
    assert "Hot-spot youth work" not in eligible + other  # works with a place, not a group
    assert not {"Community mentoring", "Call-in"} & set(eligible + other)  # child work
    why_not = next(o for o in page.context["s"].other if o.programme.name == "Elsewhere group work")
    assert why_not.verdict.failed[0].why == f"Not offered in {setting['here'].name}"
    html = page.content.decode()
    assert "Cora Current" in html  # current training, in the group's locality
    assert "Eli Expired" not in html and "Ada Away" not in html
    assert HIDDEN_GIVEN not in html and "Ashanti" not in html  # no member is named


def test_a_place_is_offered_place_programmes(client, setting):
    page = _support(client, setting["hub"], setting["place_case"])
    names = [o.programme.name for o in page.context["s"].eligible]
    assert "Hot-spot youth work" in names
    assert "Peace between groups" not in names


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.STRATEGIC_LEAD, Role.ANALYST,
                                  Role.CATALOGUE_MANAGER])
def test_without_the_duty_to_manage_context_cases_it_is_the_common_404(client, world, setting,
                                                                       role):
    user = world.users[role]
    case = setting["group_case"]
    forbidden = _support(client, user, case)
    absent = client.get(reverse("interventions:context-support", args=[case.pk + 999]))
    assert forbidden.status_code == absent.status_code == 404
    assert same_page(forbidden, absent)
    url = reverse("interventions:context-broker", args=[case.pk, setting["here_group"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": case.version, "team": setting["team"].pk,
                             "reason": "Two groups fighting at the bus station",
                             "due_on": "2026-09-30"}).status_code == 404
    assert not ContextPlacement.objects.exists()


def _broker(client, setting, programme, **extra):
    case = setting["group_case"]
    case.refresh_from_db()
    client.force_login(setting["hub"])
    url = reverse("interventions:context-broker", args=[case.pk, programme.pk])
    return client.post(url, {"version": case.version, "team": setting["team"].pk,
                             "reason": "Two groups fighting at the bus station",
                             "due_on": "2026-09-30", **extra})


def test_choosing_one_records_it_on_the_plan_with_a_place_audited(client, setting):
    peace, cora = setting["here_group"], setting["current"]
    done = _broker(client, setting, peace, practitioners=[cora.pk])
    case = setting["group_case"]
    assert done.status_code == 302 and done.url == reverse("contexts:case", args=[case.pk])
    placement = ContextPlacement.objects.get()
    assert (placement.case, placement.programme, placement.status) == (case, peace, "sent")
    assert placement.holds_place and list(placement.practitioners.all()) == [cora]
    action = ContextIntervention.objects.get(case=case)
    assert placement.intervention == action and action.owner == setting["hub"]
    assert action.kind == "other" and "Peace between groups" in action.description
    assert "Cora Current" in action.description
    brokered = AuditEntry.objects.get(action="broker_context")
    assert brokered.object_type == "context_placement"
    assert [str(i) for i in brokered.object_ids] == [str(placement.pk)]
    assert AuditEntry.objects.filter(action="update", object_type="context_case").exists()
    # Visible on the context case page, with a link back to find support.
    shown = client.get(reverse("contexts:case", args=[case.pk])).content.decode()
    assert "Peace between groups" in shown
    assert reverse("interventions:context-support", args=[case.pk]) in shown
    listed = _support(client, setting["hub"], case).content.decode()
    assert "Place taken" in listed


def test_a_full_programme_puts_it_on_the_shared_waiting_list_served_in_order(client, setting):
    peace = setting["here_group"]
    _broker(client, setting, peace)
    second = setting["group_case"].__class__.objects.create(
        kind="group", group=setting["group_case"].group, referred_by=setting["hub"],
        referral_reason="Another", opened_at=setting["group_case"].opened_at)
    placement = services.broker_for_context(
        actor=setting["hub"], case_id=second.pk, version=second.version, programme=peace,
        team_id=setting["team"].pk, reason="Fighting again on Friday nights",
        due_on=dt.date(2026, 10, 1))
    assert placement.status == "waiting" and not placement.holds_place
    area = peace.areas.get()
    services.set_month_places(actor=setting["hub"], area=area, month=dt.date(2026, 9, 1),
                              places=2)
    placement.refresh_from_db()
    assert placement.status == "sent" and placement.holds_place


def test_refusals_name_the_reason(client, setting):
    hub, case = setting["hub"], setting["group_case"]

    def broker(programme, **extra):
        case.refresh_from_db()
        return services.broker_for_context(
            actor=hub, case_id=case.pk, version=case.version, programme=programme,
            team_id=setting["team"].pk, reason="Fighting at the bus station",
            due_on=dt.date(2026, 10, 1), **extra)

    with pytest.raises(services.Refused, match="Not offered in"):
        broker(setting["away_group"])
    with pytest.raises(services.Refused, match="does not work with a group"):
        broker(setting["here_place"])
    with pytest.raises(services.Refused, match="current training"):
        broker(setting["here_group"], practitioner_ids=[setting["expired"].pk])
    broker(setting["here_group"])
    with pytest.raises(services.Refused, match="already on the case's plan"):
        broker(setting["here_group"])
    assert ContextPlacement.objects.count() == 1


def test_the_broker_page_shows_errors_naming_the_field(client, setting):
    page = _broker(client, setting, setting["here_group"], reason="", due_on="31/02/2026")
    assert page.status_code == 400
    assert set(page.context["form"].errors) >= {"reason", "due_on"}
    assert not ContextPlacement.objects.exists()


def _second_case(setting):
    first = setting["group_case"]
    return first.__class__.objects.create(
        kind="group", group=first.group, referred_by=setting["hub"], referral_reason="Another",
        opened_at=first.opened_at)


def _end(setting, placement, reason):
    placement.case.refresh_from_db()
    return services.end_placement(actor=setting["hub"], placement_id=placement.pk,
                                  version=placement.case.version, reason=reason)


def test_ending_a_placement_gives_its_place_to_the_first_waiting(client, setting):
    peace = setting["here_group"]  # one place a month in the Hub's locality
    _broker(client, setting, peace)
    first = ContextPlacement.objects.get()
    second = _second_case(setting)
    waiting = services.broker_for_context(
        actor=setting["hub"], case_id=second.pk, version=second.version, programme=peace,
        team_id=setting["team"].pk, reason="Fighting again on Friday nights",
        due_on=dt.date(2026, 10, 1))
    assert first.holds_place and waiting.status == "waiting"
    ended = _end(setting, first, "completed")
    assert (ended.status, ended.end_reason, ended.holds_place) == ("ended", "completed", False)
    assert ended.ended_on == clock.today()
    ended.intervention.refresh_from_db()
    assert ended.intervention.status == "done"  # the plan row moves on too
    waiting.refresh_from_db()
    assert waiting.status == "sent" and waiting.holds_place
    assert peace.areas.get().months.get().taken == 1
    audit = AuditEntry.objects.get(action="end_placement")
    assert [str(i) for i in audit.object_ids] == [str(first.pk)]
    offered = AuditEntry.objects.filter(action="offer_place").values_list("object_ids", flat=True)
    assert [str(waiting.pk)] in [[str(i) for i in ids] for ids in offered]
    with pytest.raises(services.Refused, match="already ended .* cannot end again"):
        _end(setting, first, "withdrawn")
    assert peace.areas.get().months.get().taken == 1  # not given back twice


def test_cancelling_a_waiting_placement_leaves_the_list_and_the_plan_row_is_cancelled(
        client, setting):
    peace = setting["here_group"]
    _broker(client, setting, peace)
    second = _second_case(setting)
    waiting = services.broker_for_context(
        actor=setting["hub"], case_id=second.pk, version=second.version, programme=peace,
        team_id=setting["team"].pk, reason="Fighting again on Friday nights",
        due_on=dt.date(2026, 10, 1))
    with pytest.raises(services.Refused, match="Only a placement that has a place"):
        _end(setting, waiting, "completed")
    cancelled = _end(setting, waiting, "cancelled")
    cancelled.intervention.refresh_from_db()
    assert cancelled.status == "ended" and cancelled.intervention.status == "cancelled"
    assert peace.areas.get().months.get().taken == 1  # the first still holds its place


def test_the_end_page_ends_it_names_the_field_and_is_the_common_404_without_the_duty(
        client, world, setting):
    _broker(client, setting, setting["here_group"])
    placement = ContextPlacement.objects.get()
    case = setting["group_case"]
    case.refresh_from_db()
    url = reverse("interventions:context-placement-end", args=[case.pk, placement.pk])
    listed = _support(client, setting["hub"], case).content.decode()
    assert url in listed
    bad = client.post(url, {"version": case.version, "end_reason": "finished"})
    assert bad.status_code == 400
    assert "Choose why it ends from the list." in bad.context["form"].errors["end_reason"]
    client.force_login(world.users[Role.SOCIAL_WORKER])
    forbidden = client.post(url, {"version": case.version, "end_reason": "withdrawn"})
    absent = client.post(reverse("interventions:context-placement-end",
                                 args=[case.pk, placement.pk + 999]),
                         {"version": case.version, "end_reason": "withdrawn"})
    assert forbidden.status_code == absent.status_code == 404
    client.force_login(setting["hub"])
    done = client.post(url, {"version": case.version, "end_reason": "withdrawn"})
    assert done.status_code == 302
    placement.refresh_from_db()
    assert placement.status == "ended" and not placement.holds_place
    again = client.post(url, {"version": case.version + 1, "end_reason": "withdrawn"})
    assert again.status_code == 400
    assert "already ended (withdrawn" in again.content.decode()
    assert "End it</button>" not in again.content.decode()  # an ended one offers no form


def _full_with_one_waiting(client, setting):
    """The Hub's one place this month taken by the group case; a second group case waiting."""
    _broker(client, setting, setting["here_group"])
    first = ContextPlacement.objects.get()
    second = _second_case(setting)
    waiting = services.broker_for_context(
        actor=setting["hub"], case_id=second.pk, version=second.version,
        programme=setting["here_group"], team_id=setting["team"].pk,
        reason="Fighting again on Friday nights", due_on=dt.date(2026, 10, 1))
    assert first.holds_place and waiting.status == "waiting"
    return first, waiting


def _move_row(client, setting, placement, status):
    case = placement.case
    case.refresh_from_db()
    client.force_login(setting["hub"])
    return client.post(reverse("contexts:intervention-status", args=[case.pk]), {
        "version": case.version, "intervention": placement.intervention_id, "status": status})


def test_the_plan_row_set_to_done_on_the_case_page_gives_the_place_to_the_one_waiting(
        client, setting):
    first, waiting = _full_with_one_waiting(client, setting)
    moved = _move_row(client, setting, first, "done")
    assert moved.status_code == 302
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert (first.status, first.end_reason, first.holds_place) == ("ended", "completed", False)
    assert first.ended_on == clock.today()
    assert waiting.status == "sent" and waiting.holds_place  # the waiting one holds the place
    assert setting["here_group"].areas.get().months.get().taken == 1
    ended = AuditEntry.objects.get(action="end_placement")
    assert [str(i) for i in ended.object_ids] == [str(first.pk)]
    # Ended once: the row cannot be reopened, and find support cannot end it again.
    reopened = _move_row(client, setting, first, "in_progress")
    assert reopened.status_code == 400
    assert "placement has ended" in reopened.context["form"].errors["status"][0]
    with pytest.raises(services.Refused, match="already ended"):
        _end(setting, first, "withdrawn")
    assert AuditEntry.objects.filter(action="end_placement").count() == 1


def test_a_waiting_placements_row_cancelled_leaves_the_list_and_cannot_be_done(client,
                                                                               setting):
    first, waiting = _full_with_one_waiting(client, setting)
    refused = _move_row(client, setting, waiting, "done")
    assert refused.status_code == 400
    assert "Only a placement that has a place" in refused.context["form"].errors["status"][0]
    waiting.refresh_from_db()
    assert waiting.status == "waiting"
    assert _move_row(client, setting, waiting, "cancelled").status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.end_reason) == ("ended", "cancelled")
    first.refresh_from_db()
    assert first.holds_place  # nothing was given back: it had no place
    assert setting["here_group"].areas.get().months.get().taken == 1
    # A row with a place cancelled is a withdrawal, and its place goes back.
    assert _move_row(client, setting, first, "cancelled").status_code == 302
    first.refresh_from_db()
    assert (first.end_reason, first.holds_place) == ("withdrawn", False)
    assert setting["here_group"].areas.get().months.get().taken == 0


def test_closing_the_case_ends_its_live_placements_and_says_which(client, setting):
    first, waiting = _full_with_one_waiting(client, setting)
    place_case = setting["place_case"]
    youth_work = services.broker_for_context(
        actor=setting["hub"], case_id=place_case.pk, version=place_case.version,
        programme=setting["here_place"], team_id=setting["team"].pk,
        reason="Knife found at the park twice", due_on=dt.date(2026, 10, 1))
    case = first.case
    case.refresh_from_db()
    closed = client.post(reverse("contexts:close", args=[case.pk]),
                         {"version": case.version, "reason": "harm_reduced"}, follow=True)
    assert closed.status_code == 200
    shown = closed.content.decode()
    assert "The case is closed." in shown and "Peace between groups" in shown
    assert "withdrawn, case closed" in shown
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert (first.status, first.end_reason, first.holds_place) == ("ended", "withdrawn", False)
    assert waiting.holds_place  # the other group took the place given back
    first.intervention.refresh_from_db()
    assert first.intervention.status == "cancelled"
    audit = AuditEntry.objects.get(action="end_placement")
    assert audit.detail["why"] == "case closed"
    assert [str(i) for i in audit.object_ids] == [str(first.pk)]
    youth_work.refresh_from_db()
    assert youth_work.status == "sent"  # another case's placement is untouched


def test_withdrawing_the_referral_ends_its_placements_too(client, setting):
    first, waiting = _full_with_one_waiting(client, setting)
    case = waiting.case
    case.refresh_from_db()
    client.force_login(setting["hub"])
    done = client.post(reverse("contexts:withdraw-referral", args=[case.pk]),
                       {"version": case.version, "reason": "It was about another group"},
                       follow=True)
    assert "Peace between groups" in done.content.decode()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.end_reason) == ("ended", "withdrawn")
    first.refresh_from_db()
    assert first.holds_place  # a waiting placement gives nothing back


def test_closing_without_the_duty_ends_nothing(world, setting, client):
    first, _ = _full_with_one_waiting(client, setting)
    case = first.case
    case.refresh_from_db()
    with pytest.raises(NotAllowed):
        context_services.close(actor=world.users[Role.SOCIAL_WORKER], case_id=case.pk,
                               version=case.version, reason="harm_reduced")
    first.refresh_from_db()
    assert first.holds_place and first.status == "sent"
