"""Database triggers that make the audit table append-only, on PostgreSQL and SQLite.

Triggers bind every role, even a superuser issuing plain UPDATE or DELETE; only someone who
may alter the table (drop or disable the trigger) can get round them, which is why production
also runs the application under a separate role that does not own the table and has had
UPDATE, DELETE and TRUNCATE revoked (see docs/audit.md).
"""

import re

TABLE = "audit_auditentry"
TRIGGERS = ("audit_entry_refuse_update", "audit_entry_refuse_delete")
MESSAGE = "audit entries are append-only"
_ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]{0,62}$")

_POSTGRES_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused on %', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    f"""CREATE TRIGGER audit_entry_refuse_update BEFORE UPDATE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()""",
    f"""CREATE TRIGGER audit_entry_refuse_delete BEFORE DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()""",
]
_POSTGRES_REMOVE = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {TABLE}" for name in TRIGGERS),
    "DROP FUNCTION IF EXISTS audit_entry_refuse_change()",
]
_SQLITE_INSTALL = [
    f"""CREATE TRIGGER audit_entry_refuse_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END""",
    f"""CREATE TRIGGER audit_entry_refuse_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END""",
]
_SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS]


def _run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection) -> None:
    """Create the triggers that refuse UPDATE and DELETE on audit entries."""
    if connection.vendor == "postgresql":
        _run(connection, _POSTGRES_REMOVE + _POSTGRES_INSTALL)
    elif connection.vendor == "sqlite":
        _run(connection, _SQLITE_REMOVE + _SQLITE_INSTALL)
    else:
        raise NotImplementedError(f"no append-only triggers for {connection.vendor}")


def remove(connection) -> None:
    """Drop the triggers (migrations rolling back, and tests that tamper on purpose)."""
    if connection.vendor == "postgresql":
        _run(connection, _POSTGRES_REMOVE)
    elif connection.vendor == "sqlite":
        _run(connection, _SQLITE_REMOVE)


def installed(connection) -> bool:
    """Whether both triggers are in place."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = ANY(%s)"
                " AND tgenabled <> 'D'",
                [TABLE, list(TRIGGERS)],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)",
                list(TRIGGERS),
            )
        return cursor.fetchone()[0] == len(TRIGGERS)


def revoke_from(connection, role: str) -> None:
    """Take UPDATE, DELETE and TRUNCATE on the audit table away from the application's role."""
    if connection.vendor != "postgresql" or not role:
        return
    if not _ROLE_NAME.match(role):
        raise ValueError(f"AUDIT_APP_DB_ROLE {role!r} is not a plain PostgreSQL role name")
    with connection.cursor() as cursor:
        cursor.execute(f'REVOKE UPDATE, DELETE, TRUNCATE ON {TABLE} FROM "{role}"')
