"""The embedded database's online backup: a copy taken while others write holds every row."""

import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from saferoptions.web.backup import BackupFailed, backup


def count(path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM message").fetchone()[0]


@pytest.fixture
def live_database(tmp_path):
    path = tmp_path / "live.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE message (id INTEGER PRIMARY KEY, body TEXT)")
        db.executemany("INSERT INTO message (body) VALUES (?)", [("x" * 500,)] * 2000)
    return path


def test_a_copy_taken_while_another_process_writes_has_every_committed_row(live_database,
                                                                          tmp_path):
    source = sqlite3.connect(live_database)
    writer = sqlite3.connect(live_database)

    def keep_writing(status, remaining, total):
        # Between steps, as the worker would: each write makes the backup start again.
        if remaining and count(live_database) < 2010:
            with writer:
                writer.execute("INSERT INTO message (body) VALUES ('arrived during backup')")

    target = tmp_path / "copy.sqlite3"
    size = backup(source, target, pages=50, progress=keep_writing)
    assert size > 0
    assert count(target) == count(live_database) >= 2001
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_existing_file_is_never_overwritten(live_database, tmp_path):
    target = tmp_path / "copy.sqlite3"
    target.write_bytes(b"yesterday's backup")
    with pytest.raises(BackupFailed, match="already exists"):
        backup(sqlite3.connect(live_database), target)
    assert target.read_bytes() == b"yesterday's backup"


def test_a_connection_inside_a_transaction_is_refused_not_left_waiting(live_database, tmp_path):
    source = sqlite3.connect(live_database)
    source.execute("INSERT INTO message (body) VALUES ('uncommitted')")
    with pytest.raises(BackupFailed, match="inside a transaction"):
        backup(source, tmp_path / "copy.sqlite3")
    assert not (tmp_path / "copy.sqlite3").exists()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="backs up the embedded SQLite only")
def test_the_command_says_why_it_cannot_copy(tmp_path):
    target = tmp_path / "copy.sqlite3"
    target.write_bytes(b"kept")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_sqlite", str(target))
