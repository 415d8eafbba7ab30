"""Django's `flush`, able to empty the append-only audit table on SQLite.

Flush wipes every table (test teardown, a developer resetting a database). PostgreSQL does it
with TRUNCATE, which the row triggers do not see; SQLite uses DELETE, which they refuse, so
here the triggers are lifted for the flush and put back in the same transaction.
"""

from django.core.management.commands import flush
from django.db import connections, transaction

from saferoptions.audit import append_only


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with transaction.atomic(using=connection.alias):
            # On failure the rollback puts the triggers back: SQLite's DDL is transactional.
            append_only.remove(connection)
            result = super().handle(**options)
            append_only.install(connection)
            return result
