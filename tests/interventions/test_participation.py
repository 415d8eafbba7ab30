"""Participation activities (issue 14 §1): the participation strands are activities young
people and families take part in, recorded as such, not referrals. Only those who run them
(the duty `schedule_outreach`) record and list them; a child is linked only where the recorder
may see them; the programme's report shows counts, suppressed outside need-to-know."""

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.cases.models import Revision
from saferoptions.core.models import Locality, Role
from saferoptions.interventions import seed, services
from saferoptions.interventions.models import ParticipationActivity, Programme
from tests.people.factories import PersonFactory

from .conftest import _user
from .factories import ParticipationActivityFactory, ParticipationChildFactory

STRAND = "Peer influencers"


def _form(world, **extra):
    return {"programme": Programme.objects.get(name=STRAND).pk, "held_on_day": "27",
            "held_on_month": "2", "held_on_year": "2026", "locality": world.east.pk,
            "what_happened": "Planned an assembly on knife carrying with Year 9.",
            "young_people": "6", "parents_carers": "2",
            "own_words": "People listen to us more than to adults.", **extra}


def test_the_strands_are_in_the_catalogue_and_take_no_referrals(world):
    strands = Programme.objects.filter(level="participation")
    assert set(strands.values_list("name", flat=True)) == set(seed.PARTICIPATION)
    assert not strands.filter(takes_referrals=True).exists()
    with pytest.raises(services.Refused, match="does not take referrals"):
        services.refer(actor=world.users["social_worker"], person=world.child,
                       programme=strands.get(name=STRAND), team_id=None, route_in="direct",
                       reason="x", young_person_consent="given")


def test_recording_one_links_the_child_the_recorder_may_see_and_is_audited(client, world):
    client.force_login(world.users["hub"])
    done = client.post(reverse("interventions:participation-new"),
                       _form(world, children=f"{world.child.public_id}\n"))
    assert done.status_code == 302
    activity = ParticipationActivity.objects.get()
    assert (activity.held_on, activity.locality, activity.young_people,
            activity.parents_carers) == (dt.date(2026, 2, 27), world.east, 6, 2)
    assert activity.own_words == "People listen to us more than to adults."
    assert [c.person for c in activity.children.all()] == [world.child]
    audit = AuditEntry.objects.get(action="record_participation")
    assert [str(i) for i in audit.object_ids] == [str(activity.pk)]
    assert audit.detail["children"] == [world.child.pk]


def test_a_child_the_recorder_may_not_see_is_refused_as_one_that_does_not_exist(client,
                                                                                world):
    client.force_login(world.users["catalogue"])  # runs the strands, sees no child's record
    hidden = client.post(reverse("interventions:participation-new"),
                         _form(world, locality="", children=str(world.child.public_id)))
    made_up = uuid.uuid4()
    absent = client.post(reverse("interventions:participation-new"),
                         _form(world, locality="", children=str(made_up)))
    assert hidden.status_code == absent.status_code == 400
    assert hidden.context["form"].errors["children"] == [
        f"No child you may see has the reference {world.child.public_id}"]
    assert absent.context["form"].errors["children"] == [
        f"No child you may see has the reference {made_up}"]
    assert not ParticipationActivity.objects.exists()


@pytest.mark.parametrize(("extra", "field", "message"), [
    ({"programme": ""}, "programme", "Choose the strand."),
    ({"held_on_day": "3", "held_on_month": "3"}, "held_on", "today or in the past"),
    ({"held_on_day": "31"}, "held_on", "real date"),
    ({"what_happened": ""}, "what_happened", "Enter what happened."),
    ({"young_people": "many"}, "young_people", "as a whole number"),
    ({"parents_carers": "-1"}, "parents_carers", "Enter 0 or more parents and carers."),
    ({"young_people": "0", "parents_carers": "0"}, "young_people", "at least one"),
    ({"children": "Amara Okafor"}, "children", "is not a child's reference"),
    ({"young_people": "0", "children": "PLACEHOLDER"}, "children", "children are linked but"),
])
def test_bad_input_is_refused_naming_the_field(client, world, extra, field, message):
    if extra.get("children") == "PLACEHOLDER":
        extra = {**extra, "children": str(world.child.public_id)}
    client.force_login(world.users["hub"])
    page = client.post(reverse("interventions:participation-new"), _form(world, **extra))
    assert page.status_code == 400
    assert message in " ".join(page.context["form"].errors[field])
    assert f'href="#id_{field}' in page.content.decode()  # the summary links to the field
    assert not ParticipationActivity.objects.exists()


def test_the_form_asks_for_a_strand_in_words(client, world):
    """The strand list opens on a prompt a recorder can read, not Django's dashes."""
    client.force_login(world.users["hub"])
    page = client.get(reverse("interventions:participation-new")).content.decode()
    assert re.search(r'<option value=""[^>]*>Choose a strand</option>', page)
    assert "---------" not in page


def test_a_referral_programme_and_another_locality_are_refused(client, world):
    client.force_login(world.users["hub"])
    mentoring = Programme.objects.get(name="Community mentoring")
    page = client.post(reverse("interventions:participation-new"),
                       _form(world, programme=mentoring.pk))
    assert page.context["form"].errors["programme"] == ["Choose a strand from the list."]
    south = Locality.objects.get(slug="south")
    page = client.post(reverse("interventions:participation-new"),
                       _form(world, locality=south.pk))
    assert page.context["form"].errors["locality"] == ["Choose your own locality"]
    assert not ParticipationActivity.objects.exists()


@pytest.mark.parametrize("role", ["social_worker", "mentor", "dpo"])
def test_roles_that_do_not_run_the_strands_get_the_common_404(client, world, role):
    client.force_login(world.users[role])
    assert client.get(reverse("interventions:participation")).status_code == 404
    assert client.get(reverse("interventions:participation-new")).status_code == 404
    posted = client.post(reverse("interventions:participation-new"), _form(world))
    assert posted.status_code == 404
    assert not ParticipationActivity.objects.exists()


def test_the_list_by_locality_names_only_children_the_reader_may_see(client, world):
    south = Locality.objects.get(slug="south")
    here = ParticipationActivityFactory(locality=world.east, what_happened="East meeting")
    ParticipationActivityFactory(locality=None, what_happened="City-wide review",
                                 held_on=dt.date(2026, 2, 10))
    ParticipationActivityFactory(locality=south, what_happened="South meeting")
    hidden = PersonFactory(given_name="Zinnia", family_name="Hidden", kind="child",
                           locality=south)
    ParticipationChildFactory(activity=here, person=world.child)
    ParticipationChildFactory(activity=here, person=hidden)
    client.force_login(world.users["hub"])  # East Central
    html = client.get(reverse("interventions:participation")).content.decode()
    assert "East meeting" in html and "City-wide review" in html
    assert "South meeting" not in html
    assert "Amara" in html and "Zinnia" not in html
    assert html.index("East meeting") < html.index("City-wide review")  # latest first
    shown = AuditEntry.objects.get(action="list", object_type="person")
    assert [str(i) for i in shown.object_ids] == [str(world.child.pk)]
    client.force_login(world.users["catalogue"])  # city-wide, no child's record
    html = client.get(reverse("interventions:participation")).content.decode()
    assert "South meeting" in html and "Amara" not in html and "Zinnia" not in html
    other = Programme.objects.get(name="Research with young people")
    html = client.get(reverse("interventions:participation"),
                      {"strand": other.pk}).content.decode()
    assert "East meeting" not in html and "No activities recorded." in html
    for strand in ("\u00b2", "9" * 25):  # not a strand: every strand, never a 500
        listed = client.get(reverse("interventions:participation"), {"strand": strand})
        assert listed.status_code == 200 and "South meeting" in listed.content.decode()


def test_the_report_counts_them_suppressed_outside_need_to_know(client, world):
    ParticipationActivityFactory(young_people=3, parents_carers=2)
    ParticipationActivityFactory(young_people=9, parents_carers=0)
    programme = Programme.objects.get(name=STRAND)
    url = reverse("interventions:programme-report", args=[programme.pk])
    lead = _user("lead", Role.STRATEGIC_LEAD, "community-safety")
    client.force_login(lead)
    shown = client.get(url).context["participation"]
    # Rounded as the report's every-provider counts are (outcome_selectors.report_for).
    assert shown == {"activities": "fewer than 5", "young_people": 10,
                     "parents_carers": "fewer than 5", "children_linked": 0}
    client.force_login(world.users["hub"])  # the strand's provider team: need to know
    own = client.get(url, {"scope": "team"}).context["participation"]
    assert own == {"activities": 2, "young_people": 12, "parents_carers": 2,
                   "children_linked": 0}
    mentoring = Programme.objects.get(name="Community mentoring")
    client.force_login(lead)
    assert client.get(reverse("interventions:programme-report",
                              args=[mentoring.pk])).context["participation"] is None


# --- correcting and withdrawing (the house rule of issue 13: never deleted) -----------------

def _as_recorded(activity, **changes):
    return {"programme": activity.programme_id, "held_on_day": str(activity.held_on.day),
            "held_on_month": str(activity.held_on.month),
            "held_on_year": str(activity.held_on.year), "locality": "",
            "what_happened": activity.what_happened, "young_people": str(activity.young_people),
            "parents_carers": str(activity.parents_carers), "own_words": activity.own_words,
            "children": "", "reason": "Counted the staff as young people.", **changes}


def test_a_correction_keeps_the_old_values_as_history_and_is_audited(client, world):
    activity = ParticipationActivityFactory(young_people=8)
    url = reverse("interventions:participation-correct", args=[activity.pk])
    client.force_login(world.users["hub"])
    done = client.post(url, _as_recorded(activity, young_people="5",
                                         what_happened="Planned an assembly with Year 9."))
    assert done.status_code == 302
    activity.refresh_from_db()
    assert (activity.young_people, activity.what_happened) == (
        5, "Planned an assembly with Year 9.")
    revision = Revision.objects.get(object_type="participation",
                                    object_id=activity.pk)
    assert revision.changed["young_people"] == ["8", "5"]
    assert revision.reason == "Counted the staff as young people."
    entry = AuditEntry.objects.get(action="correct", object_type="participation_activity")
    assert [str(i) for i in entry.object_ids] == [str(activity.pk)]
    assert entry.detail["fields"] == ["what_happened", "young_people"]
    html = client.get(url).content.decode()
    assert "Counted the staff as young people." in html
    assert "Young people: “8” changed to “5”" in html


def test_a_withdrawn_activity_is_kept_struck_through_and_out_of_the_counts(client, world):
    kept = ParticipationActivityFactory(young_people=3)
    wrong = ParticipationActivityFactory(young_people=9, what_happened="Recorded twice")
    client.force_login(world.users["hub"])
    done = client.post(reverse("interventions:participation-withdraw", args=[wrong.pk]),
                       {"reason": "Recorded twice by mistake."})
    assert done.status_code == 302
    wrong.refresh_from_db()
    assert wrong.is_withdrawn and wrong.withdrawn_by == world.users["hub"]
    assert ParticipationActivity.objects.count() == 2
    entry = AuditEntry.objects.get(action="withdraw", object_type="participation_activity")
    assert [str(i) for i in entry.object_ids] == [str(wrong.pk)]
    html = client.get(reverse("interventions:participation")).content.decode()
    row = html[html.index(f'id="withdrawn-{wrong.pk}"'):]
    assert "<del>" in row[:row.index("</tr>")] and "Recorded twice by mistake." in row
    programme = Programme.objects.get(name=STRAND)
    own = client.get(reverse("interventions:programme-report", args=[programme.pk]),
                     {"scope": "team"}).context["participation"]
    assert (own["activities"], own["young_people"]) == (1, kept.young_people)
    again = client.post(reverse("interventions:participation-correct", args=[wrong.pk]),
                        _as_recorded(wrong, young_people="1"))
    assert again.status_code == 400
    assert "can no longer be corrected" in " ".join(again.context["form"].errors["reason"])
    wrong.refresh_from_db()
    assert wrong.young_people == 9


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"reason": ""}, "reason", "Enter why you are correcting it."),
    ({"young_people": "many"}, "young_people", "as a whole number"),
    ({}, "what_happened", "Nothing has changed"),
])
def test_a_bad_correction_is_refused_naming_the_field(client, world, changes, field, message):
    activity = ParticipationActivityFactory()
    client.force_login(world.users["hub"])
    sent = {"young_people": "4", **changes} if field != "what_happened" else changes
    page = client.post(reverse("interventions:participation-correct", args=[activity.pk]),
                       _as_recorded(activity, **sent))
    assert page.status_code == 400
    assert message in " ".join(page.context["form"].errors[field])
    assert f'href="#id_{field}' in page.content.decode()
    assert not Revision.objects.filter(object_type="participation").exists()
    blank = client.post(reverse("interventions:participation-withdraw", args=[activity.pk]),
                        {"reason": " "})
    assert blank.status_code == 400 and "reason" in blank.context["form"].errors
    activity.refresh_from_db()
    assert activity.young_people == 8 and not activity.is_withdrawn


@pytest.mark.parametrize("role", ["social_worker", "mentor", "dpo"])
def test_roles_that_do_not_run_the_strands_cannot_correct_or_withdraw(client, world, role):
    activity = ParticipationActivityFactory()
    client.force_login(world.users[role])
    for name in ("participation-correct", "participation-withdraw"):
        url = reverse(f"interventions:{name}", args=[activity.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, _as_recorded(activity, young_people="1")).status_code == 404
    activity.refresh_from_db()
    assert activity.young_people == 8 and not activity.is_withdrawn


def test_another_localitys_activity_is_as_absent_as_a_made_up_one(client, world):
    south = ParticipationActivityFactory(locality=Locality.objects.get(slug="south"))
    client.force_login(world.users["hub"])  # East Central
    theirs = client.post(reverse("interventions:participation-withdraw", args=[south.pk]),
                         {"reason": "Not ours."})
    absent = client.post(reverse("interventions:participation-withdraw", args=[south.pk + 99]),
                         {"reason": "Not ours."})
    assert theirs.status_code == absent.status_code == 404
    ids = re.compile(rb"[0-9a-f]{8}-[0-9a-f-]{27}|[A-Za-z0-9]{64}")  # request id, CSRF token
    assert ids.sub(b"", theirs.content) == ids.sub(b"", absent.content)
    south.refresh_from_db()
    assert not south.is_withdrawn


def test_a_correction_of_the_children_keeps_those_the_corrector_may_not_see(client, world):
    hidden = PersonFactory(given_name="Zinnia", family_name="Hidden", kind="child",
                           locality=Locality.objects.get(slug="south"))
    activity = ParticipationActivityFactory()
    ParticipationChildFactory(activity=activity, person=world.child)
    ParticipationChildFactory(activity=activity, person=hidden)
    url = reverse("interventions:participation-correct", args=[activity.pk])
    client.force_login(world.users["hub"])
    shown = client.get(url).content.decode()
    assert str(world.child.public_id) in shown and str(hidden.public_id) not in shown
    done = client.post(url, _as_recorded(activity, reason="Amara was not there."))
    assert done.status_code == 302
    assert [c.person for c in activity.children.all()] == [hidden]
    revision = Revision.objects.get(object_type="participation")
    assert list(revision.changed) == ["children"]
    assert "Zinnia" not in str(revision.changed) and "Amara" not in str(revision.changed)
    entry = AuditEntry.objects.get(action="correct", object_type="participation_activity")
    assert entry.detail["children_removed"] == [world.child.pk]
    assert entry.detail["children_added"] == []
