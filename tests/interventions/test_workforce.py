"""The workforce register and outreach sessions: expired training shown and never staffed,
an untrained person refused with the reason, what was seen recorded, pages by role."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.core.models import Agency, Locality, Role, Ward
from saferoptions.interventions.models import (
    OutreachSession,
    Programme,
    RegisteredPractitioner,
    TrainingRecord,
)
from tests.contexts.factories import PlaceFactory

from .conftest import _user


@pytest.fixture
def register(world):
    cat = world.users["catalogue"]
    youth = Agency.objects.get(slug="social-care")

    def person(name, training, trained_on, expires_on, locality=world.east):
        p = RegisteredPractitioner.objects.create(name=name, agency=youth, locality=locality)
        TrainingRecord.objects.create(practitioner=p, training=training, trained_on=trained_on,
                                      expires_on=expires_on, recorded_by=cat)
        return p
    return {
        "current": person("Dee Current", "detached_youth_work", dt.date(2025, 1, 1),
                          dt.date(2027, 1, 1)),
        "expired": person("Eve Expired", "detached_youth_work", dt.date(2023, 1, 1),
                          dt.date(2026, 1, 31)),
        "other": person("Otto Other", "conflict_resolution", dt.date(2025, 1, 1), None),
    }


@pytest.fixture
def place(world):
    ward = Ward.objects.filter(locality=world.east).first()
    return PlaceFactory(name="Castle Park", ward=ward)


def detached():
    return Programme.objects.get(name="Detached and in-reach youth work")


def test_catalogue_manager_adds_and_trains_and_expired_shows_expired(client, world, register):
    client.force_login(world.users["catalogue"])
    added = client.post(reverse("interventions:practitioner-new"), {
        "name": "Fay New", "agency": Agency.objects.get(slug="police").pk,
        "locality": world.east.pk})
    fay = RegisteredPractitioner.objects.get(name="Fay New")
    assert added.status_code == 302
    bad = client.post(reverse("interventions:add-training", args=[fay.pk]), {
        "training": "conflict_resolution", "trained_on_day": "1", "trained_on_month": "2",
        "trained_on_year": "2026", "expires_on_day": "1", "expires_on_month": "1",
        "expires_on_year": "2026"})
    assert bad.status_code == 400
    assert "The expiry date must be on or after the training date" in bad.content.decode()
    ok = client.post(reverse("interventions:add-training", args=[fay.pk]), {
        "training": "conflict_resolution", "trained_on": "2026-02-01",
        "expires_on": "2028-02-01"})
    assert ok.status_code == 302 and fay.trainings.count() == 1
    assert AuditEntry.objects.filter(object_type="training_record", action="create").exists()
    page = client.get(reverse("interventions:register")).content.decode()
    eve = page[page.index("Eve Expired"):page.index("Fay New")]
    assert "Expired" in eve
    dee = page[page.index("Dee Current"):page.index("Eve Expired")]
    assert "Current" in dee and "Expired" not in dee


def test_the_register_is_for_its_roles_only(client, world, register):
    client.force_login(world.users["social_worker"])
    assert client.get(reverse("interventions:register")).status_code == 404
    assert client.post(reverse("interventions:practitioner-new"),
                       {"name": "X"}).status_code == 404
    client.force_login(world.users["hub"])  # schedules outreach: reads, never edits
    assert client.get(reverse("interventions:register")).status_code == 200
    assert client.get(reverse("interventions:practitioner-new")).status_code == 404


def test_place_programme_page_suggests_people_with_current_training(client, world, register):
    client.force_login(world.users["hub"])
    page = client.get(reverse("interventions:programme", args=[detached().pk]),
                      {"locality": world.east.pk}).content.decode()
    trained = page[page.index("Trained people for this work"):]
    assert "Dee Current" in trained
    assert "Eve Expired" not in trained and "Otto Other" not in trained
    client.force_login(world.users["social_worker"])  # does not arrange place work
    page = client.get(reverse("interventions:programme", args=[detached().pk]))
    assert b"Trained people for this work" not in page.content


def schedule(client, user, place):
    client.force_login(user)
    return client.post(reverse("interventions:outreach-new"), {
        "programme": detached().pk, "place": place.pk, "starts_at": "2026-03-06 20:00",
        "ends_at": "2026-03-06 23:00"})


def test_session_staffed_only_with_current_training_and_what_was_seen(client, world, register,
                                                                      place):
    hub = world.users["hub"]
    assert schedule(client, hub, place).status_code == 302
    session = OutreachSession.objects.get()
    assert session.locality == world.east
    act = reverse("interventions:outreach-action", args=[session.pk, "staff"])
    expired = client.post(act, {"practitioner": register["expired"].pk})
    assert expired.status_code == 400
    assert "Eve Expired&#x27;s detached youth work training expired on 31 January 2026" \
        in expired.content.decode()
    untrained = client.post(act, {"practitioner": register["other"].pk})
    assert "Otto Other has no detached youth work training on the register" \
        in untrained.content.decode()
    assert client.post(act, {"practitioner": register["current"].pk}).status_code == 302
    assert list(session.staff.all()) == [register["current"]]
    page = client.get(reverse("interventions:outreach-session", args=[session.pk]))
    suggested = page.content.decode().split("Trained people available")[1].split("</table>")[0]
    assert "Dee Current" in suggested and "Eve Expired" not in suggested
    seen = reverse("interventions:outreach-action", args=[session.pk, "seen"])
    early = client.post(seen, {"seen": "Group by the fountain", "young_people_met": "6"})
    assert "once the session has started" in early.content.decode()
    with clock.frozen(session.starts_at + dt.timedelta(hours=1)):
        assert client.post(seen, {"seen": "", "young_people_met": "-1"}).status_code == 400
        assert client.post(seen, {"seen": "Group by the fountain",
                                  "young_people_met": "6"}).status_code == 302
    session.refresh_from_db()
    assert session.status == "held" and session.young_people_met == 6
    assert AuditEntry.objects.filter(object_type="outreach_session",
                                     action="record_seen").exists()


def test_sessions_per_locality_for_hub_chair_and_manager_only(client, world, register, place):
    schedule(client, world.users["hub"], place)
    south = Locality.objects.exclude(pk=world.east.pk).first()
    chair_east = _user("chair", Role.LOCALITY_CHAIR, "social-care", locality="east-central")
    chair_south = _user("chair2", Role.LOCALITY_CHAIR, "social-care", locality=south.slug)
    session = OutreachSession.objects.get()
    for user, code in ((chair_east, 200), (world.users["catalogue"], 200),
                       (chair_south, 404), (world.users["social_worker"], 404)):
        client.force_login(user)
        assert client.get(reverse("interventions:outreach-session",
                                  args=[session.pk])).status_code == code, user
    client.force_login(chair_south)
    listing = client.get(reverse("interventions:outreach"))
    assert listing.status_code == 200 and b"Castle Park" not in listing.content
    client.force_login(world.users["catalogue"])
    listing = client.get(reverse("interventions:outreach"), {"locality": world.east.pk})
    assert b"Castle Park" in listing.content


def test_malformed_session_input_names_the_field(client, world, register, place):
    client.force_login(world.users["hub"])
    reply = client.post(reverse("interventions:outreach-new"), {
        "programme": detached().pk, "place": place.pk, "starts_at": "2026-03-06 23:00",
        "ends_at": "2026-03-06 20:00"})
    assert reply.status_code == 400 and "The end must be after the start" in reply.content.decode()
    reply = client.post(reverse("interventions:outreach-new"), {"programme": "x", "place": ""})
    assert reply.status_code == 400 and "Choose a programme from the list" in reply.content.decode()
    assert not OutreachSession.objects.exists()


def test_a_practitioners_training_and_a_sessions_staff_show_fifty_a_page(client, world, register,
                                                                         place):
    # Renewals keep the earlier records: a long career fills more than a page.
    dee, hub = register["current"], world.users["hub"]
    TrainingRecord.objects.bulk_create(
        TrainingRecord(practitioner=dee, training="conflict_resolution",
                       trained_on=dt.date(2020, 1, 1) + dt.timedelta(days=n),
                       recorded_by=world.users["catalogue"]) for n in range(59))
    client.force_login(hub)
    first = client.get(reverse("interventions:practitioner", args=[dee.pk]))
    last = client.get(reverse("interventions:practitioner", args=[dee.pk]) + "?page=2")
    assert len(first.context["trainings"]) == 50 and len(last.context["trainings"]) == 10
    assert 'class="govuk-pagination"' in first.content.decode()
    gone = client.get(reverse("interventions:practitioner", args=[dee.pk]) + "?page=9")
    assert gone.status_code == 200 and "There is no page 9" in gone.content.decode()
    assert schedule(client, hub, place).status_code == 302
    session = OutreachSession.objects.get()
    youth = Agency.objects.get(slug="social-care")
    session.staff.set(RegisteredPractitioner.objects.bulk_create(
        RegisteredPractitioner(name=f"Worker {n:02}", agency=youth) for n in range(55)))
    staffed = client.get(reverse("interventions:outreach-session", args=[session.pk]))
    more = client.get(reverse("interventions:outreach-session", args=[session.pk]) + "?page=2")
    assert [p.name for p in staffed.context["staff"]][:2] == ["Worker 00", "Worker 01"]
    assert len(staffed.context["staff"]) == 50 and len(more.context["staff"]) == 5
    assert 'class="govuk-pagination"' in staffed.content.decode()


@pytest.mark.parametrize("locality", ["99999999999999999999999", "\u00b2", "-1", "x"])
def test_a_locality_that_is_not_a_number_is_ignored_never_a_500(client, world, register, locality):
    # Past the database's integers, or a digit int() refuses ('²'), it was a 500 (the tour).
    client.force_login(world.users["catalogue"])
    listing = client.get(reverse("interventions:register"), {"locality": locality})
    assert listing.status_code == 200 and b"Dee Current" in listing.content
    assert client.get(reverse("interventions:outreach"), {"locality": locality}).status_code == 200


def test_the_session_and_practitioner_forms_say_what_to_choose_and_search_long_lists(
        client, world, place):
    # The lists opened on '---------', and the place list held every place in the city as a
    # plain list (seen on the tour as the catalogue manager).
    client.force_login(world.users["catalogue"])
    session = client.get(reverse("interventions:outreach-new")).content.decode()
    assert "---------" not in session
    assert "Choose a programme" in session and "Choose a place" in session
    assert 'name="place" class="govuk-select" data-autocomplete="single"' in session
    assert "accessible-autocomplete.min.js" in session and "Start typing" in session
    practitioner = client.get(reverse("interventions:practitioner-new")).content.decode()
    assert "---------" not in practitioner and "Choose an agency" in practitioner
    assert 'name="agency" class="govuk-select" data-autocomplete="single"' in practitioner
    refused = client.post(reverse("interventions:outreach-new"), {"programme": "", "place": ""})
    assert refused.status_code == 400 and "Choose the place." in refused.content.decode()


def test_an_empty_register_and_no_sessions_say_what_to_do(client, world):
    client.force_login(world.users["catalogue"])
    empty = client.get(reverse("interventions:register")).content.decode()
    assert "Nobody is on the register yet. Add each practitioner" in empty
    assert "Nobody on the register matches" not in empty
    filtered = client.get(reverse("interventions:register"),
                          {"training": "detached_youth_work"}).content.decode()
    assert "Nobody on the register has this training in this locality" in filtered
    client.force_login(world.users["hub"])  # reads the register, never edits it
    assert "The interventions catalogue manager adds practitioners" in client.get(
        reverse("interventions:register")).content.decode()
    client.force_login(world.users["catalogue"])
    sessions = client.get(reverse("interventions:outreach")).content.decode()
    assert "No outreach sessions yet. Schedule a session at a place" in sessions
