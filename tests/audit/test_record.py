"""`record` writes a verifiable entry in the caller's transaction, and fails closed."""

import datetime as dt
import json
import zoneinfo

import pytest
from django.db import DatabaseError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferoptions.audit import services
from saferoptions.audit.models import AuditEntry
from saferoptions.audit.services import AuditUnavailable, record
from saferoptions.audit.verification import verify
from saferoptions.core import clock
from saferoptions.core.models import Locality
from tests.core.factories import UserFactory

from .tampering import triggers_lifted

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_writer(monkeypatch):
    """The audit table cannot be written (a full disk, a lost connection, revoked rights)."""

    def refuse(*args, **kwargs):
        raise DatabaseError("could not extend file")

    monkeypatch.setattr(services.AuditEntry, "save", refuse)


def test_an_entry_carries_ids_and_actions_and_chains_on():
    user = UserFactory()
    with transaction.atomic():
        first = record(actor=user, action="view", object_type="person", object_ids=[7])
        second = record(actor=user, action="list", object_type="person", object_ids=[7, 8])
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.previous_hash == first.entry_hash
    assert AuditEntry.objects.get(sequence=2).object_ids == ["7", "8"]
    assert verify().intact


def test_the_work_is_rolled_back_when_the_audit_row_cannot_be_written(broken_writer):
    with pytest.raises(AuditUnavailable), transaction.atomic():
        Locality.objects.create(name="Audited Locality", slug="audited")
        record(actor=None, action="create", object_type="locality")
    assert not Locality.objects.filter(slug="audited").exists()


def test_catching_the_failure_inside_the_block_still_rolls_the_work_back(broken_writer):
    with transaction.atomic():
        Locality.objects.create(name="Audited Locality", slug="audited")
        with pytest.raises(AuditUnavailable):
            record(actor=None, action="create", object_type="locality")
    assert not Locality.objects.filter(slug="audited").exists()


def test_a_detail_that_cannot_be_stored_fails_closed():
    # Audit rows hold ids; a value the log cannot store makes the audited work fail too.
    with pytest.raises(AuditUnavailable), transaction.atomic():
        Locality.objects.create(name="Audited Locality", slug="audited")
        record(actor=None, action="view", detail={"when": dt.date(2026, 1, 1)})
    assert not Locality.objects.filter(slug="audited").exists()


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    with pytest.raises(AuditUnavailable, match="inside the audited transaction"):
        record(actor=None, action="view")
    assert not AuditEntry.objects.exists()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False, width=32),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
appends = st.lists(
    st.fixed_dictionaries(
        {
            "action": st.sampled_from(["view", "list", "search", "export", "deny", "break_glass"]),
            "object_type": st.sampled_from(["person", "event", "group", ""]),
            "object_ids": st.lists(st.integers(1, 10**12) | st.uuids(), max_size=5),
            "purpose": st.sampled_from(["direct_work", "audit", "subject_access", ""]),
            "outcome": st.sampled_from(["ok", "denied"]),
            "detail": st.dictionaries(
                st.text(max_size=6).filter(lambda k: "\x00" not in k), json_values, max_size=3
            ),
            "at": st.datetimes(
                min_value=dt.datetime(2000, 1, 1),
                max_value=dt.datetime(2099, 1, 1),
                timezones=st.sampled_from([dt.UTC, zoneinfo.ZoneInfo("Europe/London")]),
            ),
        }
    ),
    min_size=1,
    max_size=12,
)


def _storable(value) -> bool:
    # PostgreSQL's jsonb refuses the NUL character; such a detail is refused, not mis-hashed.
    return "\\u0000" not in json.dumps(value)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(appends)
def test_any_sequence_of_appends_verifies(entries):
    with transaction.atomic():
        for entry in entries:
            if not _storable(entry["detail"]):
                continue
            with clock.frozen(entry.pop("at")):
                record(actor=None, **entry)
        result = verify(batch_size=4)
        transaction.set_rollback(True)
    assert result.intact, result.broken


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.integers(2, 9),
    st.sampled_from(["action", "object_type", "object_ids", "purpose", "outcome", "detail", "at"]),
)
def test_any_single_changed_field_is_caught_at_its_sequence(position, field):
    changed = {
        "action": "export",
        "object_type": "event",
        "object_ids": ["99999"],
        "purpose": "x",
        "outcome": "denied",
        "detail": {"x": 1},
        "at": dt.datetime(1999, 1, 1, tzinfo=dt.UTC),
    }
    with transaction.atomic():
        for n in range(10):
            record(actor=None, action="view", object_type="person", object_ids=[n])
        with triggers_lifted():
            AuditEntry.objects.filter(sequence=position).update(**{field: changed[field]})
        result = verify(batch_size=3)
        transaction.set_rollback(True)
    assert (result.broken.sequence, result.broken.kind) == (position, "modified")


def test_a_nul_typed_into_a_detail_is_kept_as_a_replacement_character_and_verifies():
    # PostgreSQL's jsonb refuses a NUL in any string: the row, and the work it audits, failed.
    user = UserFactory()
    with transaction.atomic():
        entry = record(actor=user, action="search", object_type="person",
                       detail={"q": "Jay\x00den", "by\x00key": ["a\x00"]})
    entry.refresh_from_db()
    assert entry.detail == {"q": "Jay\ufffdden", "by\ufffdkey": ["a\ufffd"]}
    assert verify().intact
