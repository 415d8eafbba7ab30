"""The verifier catches every kind of tampering and raises no alarm on an intact chain."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saferoptions.audit import checkpoints
from saferoptions.audit.models import AuditEntry, ChainHead
from saferoptions.audit.verification import verify

from .factories import append_entries
from .tampering import forge, rehash_from, shift_sequences, triggers_lifted

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def chain_of_ten():
    return append_entries(10)


def broken(**kwargs):
    result = verify(batch_size=3, **kwargs)
    assert not result.intact, "the tampering went unnoticed"
    return result.broken


def take_checkpoint(tmp_path):
    path = tmp_path / "checkpoint.json"
    call_command("audit", "checkpoint", "--out", str(path))
    return checkpoints.read(path), path


def test_an_intact_chain_verifies(chain_of_ten):
    result = verify(batch_size=3)
    assert result.intact
    assert (result.entries, result.last_sequence) == (10, 10)
    assert result.last_hash == ChainHead.objects.get(id=1).entry_hash


def test_an_empty_chain_verifies():
    assert verify().intact


def test_a_modified_field_is_caught_at_its_sequence(chain_of_ten):
    with triggers_lifted():
        AuditEntry.objects.filter(sequence=6).update(outcome="denied")
    assert (broken().sequence, broken().kind) == (6, "modified")


def test_a_modified_hash_link_is_caught(chain_of_ten):
    with triggers_lifted():
        AuditEntry.objects.filter(sequence=4).update(previous_hash="a" * 64)
    assert (broken().sequence, broken().kind) == (4, "modified")


@pytest.mark.parametrize("sequence", [1, 5, 9])
def test_a_deleted_row_is_caught(chain_of_ten, sequence):
    with triggers_lifted():
        AuditEntry.objects.filter(sequence=sequence).delete()
    assert (broken().sequence, broken().kind) == (sequence, "missing")


def test_a_deleted_row_with_later_rows_renumbered_is_caught(chain_of_ten):
    with triggers_lifted():
        AuditEntry.objects.filter(sequence=5).delete()
        shift_sequences(6, by=-1)
    assert (broken().sequence, broken().kind) == (5, "missing")


def test_two_rows_with_swapped_contents_are_caught(chain_of_ten):
    names = ["at", "action", "object_ids", "detail"]
    fourth, eighth = (AuditEntry.objects.get(sequence=s) for s in (4, 8))
    with triggers_lifted():
        AuditEntry.objects.filter(sequence=4).update(**{n: getattr(eighth, n) for n in names})
        AuditEntry.objects.filter(sequence=8).update(**{n: getattr(fourth, n) for n in names})
    found = broken()
    assert (found.sequence, found.kind) == (4, "swapped")
    assert "8" in found.message


def test_two_whole_rows_swapped_with_their_hashes_are_caught(chain_of_ten):
    names = ["at", "action", "object_ids", "detail", "previous_hash", "entry_hash"]
    fourth, eighth = (AuditEntry.objects.get(sequence=s) for s in (4, 8))
    with triggers_lifted():
        AuditEntry.objects.filter(sequence=4).update(entry_hash="x" * 64)
        AuditEntry.objects.filter(sequence=8).update(**{n: getattr(fourth, n) for n in names})
        AuditEntry.objects.filter(sequence=4).update(**{n: getattr(eighth, n) for n in names})
    assert (broken().sequence, broken().kind) == (4, "swapped")


@pytest.mark.parametrize("valid_hash", [False, True])
def test_a_forged_row_inserted_in_the_middle_is_caught(chain_of_ten, valid_hash):
    previous = AuditEntry.objects.get(sequence=4).entry_hash
    with triggers_lifted():
        shift_sequences(5, by=1)
        forge(5, previous, valid=valid_hash, at=AT)
    assert (broken().sequence, broken().kind) == (5, "inserted")


def test_a_forged_row_appended_after_the_head_is_caught(chain_of_ten):
    with triggers_lifted():
        forge(11, chain_of_ten[-1].entry_hash, valid=True, at=AT)
    assert (broken().sequence, broken().kind) == (11, "inserted")


def test_a_truncated_tail_is_caught_against_the_chain_head(chain_of_ten):
    with triggers_lifted():
        AuditEntry.objects.filter(sequence__gte=8).delete()
    assert (broken().sequence, broken().kind) == (8, "truncated")


def test_a_truncated_tail_with_the_head_moved_is_caught_by_a_checkpoint(chain_of_ten, tmp_path):
    mark, _ = take_checkpoint(tmp_path)
    with triggers_lifted():
        AuditEntry.objects.filter(sequence__gte=8).delete()
        seventh = AuditEntry.objects.get(sequence=7)
        ChainHead.objects.filter(id=1).update(sequence=7, entry_hash=seventh.entry_hash)
    assert verify().intact  # without the checkpoint nothing inside the database disagrees
    assert (broken(checkpoints=[mark]).sequence, broken(checkpoints=[mark]).kind) == (
        8,
        "truncated",
    )


def test_a_chain_rewritten_after_a_point_is_caught_by_a_checkpoint(chain_of_ten, tmp_path):
    mark, _ = take_checkpoint(tmp_path)
    with triggers_lifted():
        rehash_from(4, {"purpose": "rewritten"})
    assert verify().intact  # a consistent rewrite is only visible against a checkpoint
    found = broken(checkpoints=[mark])
    assert (found.sequence, found.kind) == (10, "rewritten")


def test_appends_after_a_checkpoint_raise_no_alarm(chain_of_ten, tmp_path):
    mark, _ = take_checkpoint(tmp_path)
    append_entries(5)
    assert verify(checkpoints=[mark]).intact


def test_the_command_reports_the_first_break_and_exits_non_zero(chain_of_ten, capsys):
    with triggers_lifted():
        AuditEntry.objects.filter(sequence__in=[3, 7]).update(action="export")
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify", "--json")
    assert raised.value.returncode == 1
    assert "sequence 3" in str(raised.value)
    printed = json.loads(capsys.readouterr().out)
    assert printed["broken"]["sequence"] == 3 and printed["intact"] is False


def test_the_command_says_intact_and_exits_zero(chain_of_ten, capsys):
    call_command("audit", "verify")
    assert "intact: 10 entries" in capsys.readouterr().out


def test_an_altered_checkpoint_file_is_refused_naming_the_field(chain_of_ten, tmp_path):
    _, path = take_checkpoint(tmp_path)
    body = json.loads(path.read_text())
    body["sequence"] = 5
    path.write_text(json.dumps(body))
    with pytest.raises(CommandError, match="'signature' does not match") as raised:
        call_command("audit", "verify", "--checkpoint", str(path))
    assert raised.value.returncode == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("not json", "cannot be read as JSON"),
        ("[1]", "not a JSON object"),
        ('{"format": "saferoptions-audit-checkpoint/1"}', "missing field 'sequence'"),
    ],
)
def test_a_malformed_checkpoint_file_is_refused(tmp_path, content, reason):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=reason):
        call_command("audit", "verify", "--checkpoint", str(path))


def test_a_missing_checkpoint_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("audit", "verify", "--checkpoint", str(tmp_path / "absent.json"))


def test_a_broken_chain_is_not_signed(chain_of_ten, tmp_path):
    with triggers_lifted():
        AuditEntry.objects.filter(sequence=2).update(action="export")
    with pytest.raises(CommandError, match="not signing a broken chain"):
        call_command("audit", "checkpoint", "--out", str(tmp_path / "c.json"))
    assert not (tmp_path / "c.json").exists()
