"""The item page is one form: notes typed before "Add the action" is pressed are kept (a chair
in a live meeting found the notes box empty after adding an action first), and an action typed
before "Save the discussion" is added with it or comes back as typed. Every change is audited."""

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Agency, Team
from saferoptions.meetings.models import AgendaItem, MeetingAction

from .test_pages import (  # noqa: F401  (agenda is a fixture)
    _item_from_health_record,
    agenda,
    client_for,
    discuss,
    run_meeting,
)

pytestmark = pytest.mark.django_db


def _url(world, item, what):
    return f"/meetings/{world.meeting.pk}/items/{item.pk}/{what}/"


def _action(team, **more):
    return {"description": "Offer a return home interview", "team": team.pk,
            "due_on": "2026-03-10", **more}


def test_adding_an_action_first_keeps_the_notes_typed(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    team = Team.objects.get(slug="early-help-north")
    item = agenda["amara"]
    before = AuditEntry.objects.count()
    response = chair.post(_url(world, item, "actions"), _action(
        team, notes="Police saw her with older males at the station", decision="",
        discussed="on"))
    assert response.status_code == 302
    item = AgendaItem.objects.get(pk=item.pk)
    assert item.notes == "Police saw her with older males at the station"
    assert item.decision == "" and not item.discussed  # not recorded as discussed yet
    assert MeetingAction.objects.filter(item=item).count() == 1
    page = chair.get(_url(world, item, "")[:-1]).content.decode()
    assert "Police saw her with older males at the station" in page
    kept = AuditEntry.objects.filter(pk__gt=before, object_type="locality_meeting",
                                     detail__kept_with="action")
    assert kept.count() == 1  # the notes' change leaves its own row beside the action's


def test_a_decision_typed_with_the_action_is_kept_as_the_form_showed_it(world, agenda):  # noqa: F811
    """The 'Discussed' box is ticked by default: kept with a decision, the item reads as
    discussed, as it would after 'Save the discussion' (else the box came back unticked)."""
    chair = run_meeting(world)
    team = Team.objects.get(slug="early-help-north")
    item = agenda["amara"]
    assert chair.post(_url(world, item, "actions"), _action(
        team, notes="N", decision="Early help to visit", discussed="on")).status_code == 302
    item = AgendaItem.objects.get(pk=item.pk)
    assert (item.notes, item.decision, item.discussed) == ("N", "Early help to visit", True)


def test_a_refused_action_shows_the_notes_again_as_typed(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    item = agenda["amara"]
    response = chair.post(_url(world, item, "actions"), {
        "description": "Visit", "due_on": "2026-03-10", "notes": "TYPED-NOTES",
        "decision": "TYPED-DECISION"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the team that owns the action." in page
    assert "TYPED-NOTES" in page and "TYPED-DECISION" in page
    assert "Enter what the meeting decided." not in page
    assert AgendaItem.objects.get(pk=item.pk).notes == ""  # nothing half-saved


def test_an_action_with_empty_boxes_keeps_what_is_recorded(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    team = Team.objects.get(slug="early-help-north")
    item = agenda["amara"]
    chair.post(_url(world, item, "discussion"), {"notes": "N1", "decision": "D1",
                                                  "discussed": "on"})
    assert chair.post(_url(world, item, "actions"), _action(team)).status_code == 302
    item = AgendaItem.objects.get(pk=item.pk)
    assert (item.notes, item.decision, item.discussed) == ("N1", "D1", True)


def test_saving_the_discussion_adds_the_action_typed_below(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    team = Team.objects.get(slug="early-help-north")
    item = agenda["amara"]
    response = chair.post(_url(world, item, "discussion"), _action(
        team, notes="N", decision="Refer to the Hub", discussed="on"))
    assert response.status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).decision == "Refer to the Hub"
    assert MeetingAction.objects.filter(item=item).count() == 1


def test_a_half_typed_action_comes_back_with_the_discussion(world, agenda):  # noqa: F811
    chair = run_meeting(world)
    item = agenda["amara"]
    response = chair.post(_url(world, item, "discussion"), {
        "notes": "N", "decision": "Refer to the Hub", "discussed": "on",
        "description": "HALF-TYPED-ACTION"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "HALF-TYPED-ACTION" in page and "Choose the team that owns the action." in page
    assert AgendaItem.objects.get(pk=item.pk).decision == ""  # nothing half-saved
    assert not MeetingAction.objects.exists()


def test_nothing_recorded_reads_the_same_to_every_reader(world):
    """'Nothing recorded yet' where nothing is, for a reader who sees every reason and for one
    who does not (so it tells neither about a record they may not see); 'not shown' only where
    text exists behind a reason hidden from the reader."""
    item, _ = _item_from_health_record(world, Agency.objects.get(slug="health"))
    chair = run_meeting(world)
    police = client_for(world.users["police"])
    url = _url(world, item, "")[:-1]
    for reader in (chair, police):
        page = reader.get(url).content.decode()
        assert page.count("Nothing recorded yet") == 2, page  # notes, decision
        assert "Recorded, but not shown" not in page
    assert discuss(chair, world, item, "SECRET-NOTES", "SECRET-DECISION").status_code == 302
    for reader in (chair, police):  # neither may see the health record behind the item
        page = reader.get(url).content.decode()
        assert "SECRET-NOTES" not in page and "SECRET-DECISION" not in page
        assert page.count("Recorded, but not shown to you") == 2
