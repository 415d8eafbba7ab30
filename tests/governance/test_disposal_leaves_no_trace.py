"""After disposal nothing names or identifies the child; other children's records stay whole.

The world: Zebedee and Amelia in one police incident, Zebedee alone at the emergency
department (an ED referral), the raw feed messages both arrived in, a quarantined file row and a
message still waiting, a review pair, linkage rows, a split, a peer group and Amelia's concern.
The checks read every text, JSON and binary column of every model, so a model added later is
covered without a change here.
"""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.db import models

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Team
from saferoptions.events.models import Event, EventObject, Involvement
from saferoptions.feeds import flat
from saferoptions.feeds import services as feeds
from saferoptions.feeds.models import Batch, InboxMessage, MessageStatus
from saferoptions.feeds.selectors import ledger
from saferoptions.governance import services
from saferoptions.governance.models import DisposalTombstone
from saferoptions.linkage.models import (
    IdentityMatch,
    LinkageModel,
    PersonMerge,
    ReviewPair,
    UnmatchedIdentity,
)
from saferoptions.people.models import Person
from saferoptions.tasks.models import Task, TaskRule
from tests.cases.factories import ConcernFactory
from tests.contexts.factories import GroupFactory, MembershipFactory, PlaceFactory
from tests.core.factories import AgencyFactory, UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import IdentityFactory, PersonFactory

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
POLICE_ID, ED_ID, AMELIA_ID = "POL-ZQ-7731", "ED-ZQ-4410", "POL-AO-5520"
# Everything that would point at Zebedee: his names on every record, and his agencies' ids.
CANARIES = ("Zebedee", "Zebby", "Quartermaine", "Vashti", POLICE_ID, ED_ID)
# Written by the disposal itself (and the refusals): compared separately.
OWN_ROWS = {"audit.auditentry", "audit.chainhead", "governance.legalhold",
            "governance.disposaltombstone"}


def stored_text(model) -> list[str]:
    """Every text, JSON and binary value the model's table holds, as text."""
    kinds = (models.CharField, models.TextField, models.JSONField, models.BinaryField)
    names = [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]
    if not names:
        return []
    values = []
    for row in model._base_manager.values_list(*names):
        for value in row:
            if isinstance(value, bytes | memoryview):
                value = bytes(value).decode("utf-8", errors="replace")
            elif not isinstance(value, str):
                value = json.dumps(value, ensure_ascii=False)
            values.append(value)
    return values


def stored_models():
    return [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]


def canaries_left() -> dict[str, list[str]]:
    """{model label: the canaries still in its columns}: empty when the child is gone."""
    found = {}
    for model in stored_models():
        text = "\n".join(stored_text(model)).casefold()
        hits = [c for c in CANARIES if c.casefold() in text]
        if hits:
            found[model._meta.label] = hits
    return found


def snapshot() -> dict[str, list]:
    """Every row of every table but the ones a disposal or refusal writes for itself."""
    def plain(row):  # PostgreSQL gives binary columns as memoryview, compared by identity
        return repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))

    return {m._meta.label_lower: sorted(map(plain, m._base_manager.values_list()))
            for m in stored_models() if m._meta.label_lower not in OWN_ROWS}


def feed_person(source_id, given, family, role="victim") -> dict:
    return {"source_id": source_id, "role": role, "given_name": given, "family_name": family,
            "date_of_birth": "2010-03-04", "sex": "M"}


def store(agency, feed_type, key, body, **extra):
    raw = json.dumps(body).encode() if isinstance(body, dict) else body
    return feeds.store_message(agency=agency, feed_type=feed_type, key=key, raw=raw,
                               **extra).message


@pytest.fixture
def dpo():
    return UserFactory(dpo=True)


@pytest.fixture
def world(dpo):
    police, ed = AgencyFactory(name="Test Constabulary"), AgencyFactory(name="Test Hospital")
    zeb = PersonFactory(given_name="Zebedee", family_name="Quartermaine", kind="child")
    amelia = PersonFactory(given_name="Amelia", family_name="Okonkwo", kind="child")
    zeb_police = IdentityFactory(person=zeb, agency=police, source_id=POLICE_ID)
    zeb_ed = IdentityFactory(person=zeb, agency=ed, source_id=ED_ID, given_name="Zebby",
                             family_name="Quartermaine-Vashti")
    amelia_police = IdentityFactory(person=amelia, agency=police, source_id=AMELIA_ID)
    park = PlaceFactory(name="Castle Park benches")

    incident = EventFactory(
        reporting_agency=police, place=park,
        summary="Zebedee Quartermaine and Amelia Okonkwo were chased by two men; ZEBEDEE "
                "dropped a knife. Amelia was hurt.",
        location_description="Benches by the fountain, near quartermaine's flat")
    EventObject.objects.create(event=incident, kind="knife", description="Knife Zebby carried")
    InvolvementFactory(event=incident, person=zeb, identity=zeb_police, role="suspect")
    InvolvementFactory(event=incident, person=amelia, identity=amelia_police, role="victim")
    attendance = EventFactory(
        event_type="ed_assault", category="knife", reporting_agency=ed, place=park,
        summary="Zebby Quartermaine-Vashti, stab wound to the arm", location_description="park")
    InvolvementFactory(event=attendance, person=zeb, identity=zeb_ed, role="patient")

    messages = _feed_messages(police, ed, incident, attendance)
    _linkage(dpo, zeb, zeb_police, zeb_ed, amelia_police)
    group = GroupFactory(name="Quartermaine crew", description="Older boys around Zebedee")
    MembershipFactory(group=group, person=zeb, source=police)
    MembershipFactory(group=group, person=amelia, source=police)
    ConcernFactory(person=amelia, event=incident,
                   reason="Amelia was hurt while with Zebedee Quartermaine")
    return {"zeb": zeb, "amelia": amelia, "incident": incident, "attendance": attendance,
            "park": park, "group": group, **messages}


def _feed_messages(police, ed, incident, attendance) -> dict:
    incident_body = {"idempotency_key": "pol-1", "source_reference": incident.source_reference,
                     "summary": incident.summary, "category": "violence",
                     "people": [feed_person(POLICE_ID, "Zebedee", "Quartermaine", "suspect"),
                                feed_person(AMELIA_ID, "Amelia", "Okonkwo")]}
    referral = {"idempotency_key": "ed-1", "source_reference": attendance.source_reference,
                "assault_method": "knife_sharp", "rapid_response_referral": True,
                "referral": feed_person(ED_ID, "Zebby", "Quartermaine-Vashti", "patient")}
    accepted = [store(police, "police_incident", "pol-1", incident_body),
                store(ed, "ed_assault", "ed-1", referral)]
    for message, event in zip(accepted, (incident, attendance), strict=True):
        InboxMessage.objects.filter(pk=message.pk).update(status=MessageStatus.ACCEPTED,
                                                          event=event, processed_at=AT)
    batch = Batch.objects.create(feed_type="police_incident", agency=police, source="file",
                                 filename="weekly.csv", received_at=AT, received=2)
    rows = []
    for number, (source_id, given) in enumerate(((POLICE_ID, "Zebedee"),
                                                 (AMELIA_ID, "Amelia")), start=2):
        cells = {c: "" for c in flat.columns("police_incident")}
        cells.update(idempotency_key=f"row-{number}", occurred_at="not a date",
                     person_source_id=source_id, person_given_name=given)
        raw = flat.encode_row(list(cells), list(cells.values()))
        row = store(police, "police_incident", f"row-{number}", raw, batch=batch,
                    row_number=number, content_type="csv")
        feeds.quarantine(row, [{"row": number, "field": "occurred_at",
                                "reason": "is not a valid date-time"}])
        rows.append(row)
    # A correction that did not fix it: the row as the police sent it is kept beside it.
    feeds.correct_and_replay(actor=None, message=rows[0], raw=bytes(rows[0].raw))
    waiting = store(police, "police_incident", "pol-2",
                    {**incident_body, "idempotency_key": "pol-2", "people": [
                        feed_person(POLICE_ID, "Zebedee", "Quartermaine")]})
    return {"accepted": accepted, "batch": batch, "zeb_row": rows[0], "amelia_row": rows[1],
            "waiting": waiting}


def _linkage(dpo, zeb, zeb_police, zeb_ed, amelia_police) -> None:
    model = LinkageModel.objects.create(
        version=1, created_at=AT, splink_model={}, trained_on=10, level_weights={},
        thresholds={"auto_link": 0.99, "review": 0.5})
    first, second = sorted([zeb_ed.pk, amelia_police.pk])
    ReviewPair.objects.create(identity_a_id=first, identity_b_id=second, model=model,
                              match_weight=1.0, match_probability=0.6, contributions={},
                              reason="", created_at=AT)
    UnmatchedIdentity.objects.create(identity=zeb_ed, kind="review", reason="", created_at=AT)
    IdentityMatch.objects.create(identity=zeb_police, person=zeb, model=model,
                                 match_probability=0.99)
    PersonMerge.objects.create(kind="split", from_person=zeb, to_person=PersonFactory(),
                               moved={"people.identity.person": [zeb_ed.pk + 1000]},
                               reason="Zebedee's school record is another boy", actor=dpo,
                               created_at=AT)


def test_disposal_leaves_no_name_or_source_id_in_any_column_of_any_model(dpo, world):
    assert set(canaries_left()) >= {"people.Person", "events.Event", "feeds.InboxMessage",
                                    "feeds.MessageCorrection"}
    services.dispose_person(actor=dpo, person_id=world["zeb"].pk)
    assert canaries_left() == {}


def test_the_other_childs_involvement_and_the_events_places_survive(dpo, world):
    services.dispose_person(actor=dpo, person_id=world["zeb"].pk)
    incident = Event.objects.get(pk=world["incident"].pk)
    assert list(Involvement.objects.filter(event=incident).values_list("person", flat=True)) \
        == [world["amelia"].pk]
    assert incident.place == world["park"]
    assert incident.summary == ("[removed] [removed] and Amelia Okonkwo were chased by two "
                                "men; [removed] dropped a knife. Amelia was hurt.")
    assert incident.location_description == "Benches by the fountain, near [removed]'s flat"
    assert EventObject.objects.get(event=incident).description == "Knife [removed] carried"
    attendance = Event.objects.get(pk=world["attendance"].pk)
    assert attendance.place == world["park"] and attendance.category == "knife"
    assert (attendance.summary, attendance.location_description) == ("", "")
    group = type(world["group"]).objects.get(pk=world["group"].pk)
    assert (group.name, group.description) == ("[removed] crew", "Older boys around [removed]")
    assert list(group.memberships.values_list("person", flat=True)) == [world["amelia"].pk]
    assert world["amelia"].concerns.get().reason == "Amelia was hurt while with [removed] [removed]"


def test_raw_messages_are_redacted_and_the_ledger_still_adds_up(dpo, world):
    before = ledger(world["batch"])
    tombstone = services.dispose_person(actor=dpo, person_id=world["zeb"].pk)
    note = {"redacted": "retention disposal", "tombstone": tombstone.pk}
    for message in [*world["accepted"], world["zeb_row"], world["waiting"]]:
        message.refresh_from_db()
        assert json.loads(bytes(message.raw)) == note
    assert [m.status for m in world["accepted"]] == [MessageStatus.ACCEPTED] * 2
    assert world["zeb_row"].status == MessageStatus.QUARANTINED
    # Still waiting, it would have recorded him again: it is set aside with the reason.
    assert world["waiting"].status == MessageStatus.QUARANTINED
    assert "retention disposal" in world["waiting"].errors[-1]["reason"]
    amelia_row = InboxMessage.objects.get(pk=world["amelia_row"].pk)
    assert bytes(amelia_row.raw) == bytes(world["amelia_row"].raw)
    assert ledger(world["batch"]) == before and before["balanced"]


def test_linkage_rows_naming_his_identities_go(dpo, world):
    services.dispose_person(actor=dpo, person_id=world["zeb"].pk)
    for model in (ReviewPair, UnmatchedIdentity, IdentityMatch, PersonMerge):
        assert not model.objects.exists(), model.__name__


def test_tombstone_and_audit_count_what_was_scrubbed_by_id_only(dpo, world):
    tombstone = services.dispose_person(actor=dpo, person_id=world["zeb"].pk)
    assert {kind: n for kind, n in tombstone.removed.items() if n} == {
        "involvements": 2, "identities": 2, "people": 1, "review_pairs": 1,
        "unmatched_identities": 1, "identity_matches": 1, "person_merges": 1,
        "group_memberships": 1, "events_text_blanked": 1, "events_names_removed": 1,
        "concerns_names_removed": 1, "group_records_names_removed": 1,
        "feed_messages_redacted": 4, "feed_messages_quarantined": 1,
    }
    entry = AuditEntry.objects.get(action="dispose")
    assert entry.detail["events_text_blanked"] == [world["attendance"].pk]
    assert entry.detail["events_names_removed"] == [world["incident"].pk]
    assert entry.detail["feed_messages_quarantined"] == [world["waiting"].pk]
    assert all(isinstance(pk, int) for pk in entry.detail["feed_messages_redacted"])
    assert not any(c.casefold() in json.dumps(entry.detail).casefold() for c in CANARIES)


def test_an_event_with_no_place_keeps_its_location_text_without_his_name(dpo):
    zeb = PersonFactory(given_name="Zebedee", family_name="Quartermaine")
    event = EventFactory(event_type="ed_assault", summary="Zebedee said he was jumped",
                         location_description="the underpass by Zebedee's school")
    InvolvementFactory(event=event, person=zeb)
    tombstone = services.dispose_person(actor=dpo, person_id=zeb.pk)
    event.refresh_from_db()
    # Hospitals give the place only as text, resolved later: hot spots depend on it.
    assert (event.summary, event.location_description) == ("", "the underpass by [removed]'s "
                                                               "school")
    assert tombstone.removed["events_location_kept_unplaced"] == 1


def test_a_legal_hold_refuses_and_nothing_changes(dpo, world):
    services.place_legal_hold(actor=dpo, person_id=world["zeb"].pk, reason="Inquiry INQ-7")
    before = snapshot()
    with pytest.raises(services.LegalHoldInPlace, match="under a legal hold"):
        services.dispose_person(actor=dpo, person_id=world["zeb"].pk)
    assert snapshot() == before and not DisposalTombstone.objects.exists()


def test_a_hold_on_the_other_child_refuses_as_his_events_are_in_her_record(dpo, world):
    amelia = world["amelia"]
    services.place_legal_hold(actor=dpo, person_id=amelia.pk, reason="Claim CL-3")
    before = snapshot()
    with pytest.raises(services.LegalHoldInPlace, match=f"record of person {amelia.pk}"):
        services.dispose_person(actor=dpo, person_id=world["zeb"].pk)
    assert snapshot() == before
    refusal = AuditEntry.objects.get(action="dispose")
    assert refusal.outcome == "denied"
    assert refusal.detail == {"reason": "legal_hold_on_shared_event"}


def test_records_that_still_protect_him_refuse_and_nothing_is_scrubbed(dpo, world):
    rule, team = TaskRule.objects.first(), Team.objects.first()
    Task.objects.create(rule=rule, rule_version=rule.version, dedupe_key="test", team=team,
                        task_type=rule.task_type, person=world["zeb"], created_at=AT, due_at=AT)
    before = snapshot()
    # An open task: refused as still in use (a closed one would go with him).
    with pytest.raises(services.StillInUse, match="still in use: 1 open task; close them"):
        services.dispose_person(actor=dpo, person_id=world["zeb"].pk)
    assert snapshot() == before


def test_a_second_disposal_of_the_same_child_gives_the_same_clear_error(dpo, world):
    pk = world["zeb"].pk
    services.dispose_person(actor=dpo, person_id=pk)
    with pytest.raises(services.GovernanceRefused, match=f"^person: there is no person {pk}$"):
        services.dispose_person(actor=dpo, person_id=pk)


def test_a_record_merged_into_another_is_disposed_of_through_that_record(dpo, world):
    absorbed = PersonFactory(merged_into=world["zeb"])
    with pytest.raises(services.GovernanceRefused, match=f"merged into person {world['zeb'].pk}"):
        services.dispose_person(actor=dpo, person_id=absorbed.pk)
    assert Person.objects.filter(pk=absorbed.pk).exists()
