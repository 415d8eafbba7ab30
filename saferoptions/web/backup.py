"""SQLite's online backup: a consistent copy of a database that is serving (docs/deploy.md).

The backup API copies page by page and starts again if another connection writes a page it has
copied, so the web and the worker keep running; the copy is checked before it is kept.
"""

import sqlite3
from pathlib import Path

# Pages copied per step: writers get in between steps on a large database.
PAGES_PER_STEP = 1024


class BackupFailed(RuntimeError):
    """The copy could not be made or did not check out; nothing was left behind."""


def backup(source: sqlite3.Connection, target: Path, *, pages: int = PAGES_PER_STEP,
           progress=None) -> int:
    """Copy `source` to the new file `target`, check it, and return its size in bytes."""
    if target.exists():
        raise BackupFailed(f"{target} already exists: choose a new file")
    if source.in_transaction:
        # Its own open transaction would lock the backup out for ever: refuse at once instead.
        raise BackupFailed("the database connection is inside a transaction")
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=pages, progress=progress)
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
    if verdict != "ok":
        target.unlink()
        raise BackupFailed("the copy failed its integrity check and was removed")
    return target.stat().st_size
