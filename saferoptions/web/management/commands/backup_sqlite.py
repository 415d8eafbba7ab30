"""`manage.py backup_sqlite PATH`: a consistent copy of the SQLite database while it serves.

PostgreSQL is backed up with base backups and WAL archiving instead (docs/deploy.md).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from saferoptions.web.backup import BackupFailed, backup


class Command(BaseCommand):
    help = "Copy the SQLite database to PATH while it is in use, and check the copy."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file to write (must not exist)")

    def handle(self, *args, path, **options):
        if connection.vendor != "sqlite":
            raise CommandError("backup_sqlite backs up SQLite only; PostgreSQL: docs/deploy.md")
        connection.ensure_connection()
        try:
            size = backup(connection.connection, Path(path))
        except BackupFailed as failed:
            raise CommandError(str(failed)) from failed
        self.stdout.write(f"Backed up to {path} ({size} bytes), checked.")
