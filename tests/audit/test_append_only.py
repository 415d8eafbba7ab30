"""Audit rows cannot be changed or removed, through the ORM or raw SQL, on either database."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from saferoptions.audit import append_only
from saferoptions.audit.models import AuditEntry, ChainHead

from .factories import append_entries

pytestmark = pytest.mark.django_db

TABLE = append_only.TABLE


def refused(operation) -> bool:
    """Run `operation` in a savepoint; True if the database refused it."""
    try:
        with transaction.atomic():
            operation()
    except DatabaseError as exc:
        return "append-only" in str(exc)
    return False


def raw(sql: str, params=()):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run


def test_triggers_are_installed_by_the_migration():
    assert append_only.installed(connection)


def test_orm_save_of_an_entry_is_refused():
    entry = append_entries(1)[0]
    entry.action = "export"
    assert refused(entry.save)
    assert AuditEntry.objects.get(pk=entry.pk).action == "list"


def test_orm_update_and_delete_are_refused():
    append_entries(3)
    assert refused(lambda: AuditEntry.objects.update(purpose="covering tracks"))
    assert refused(lambda: AuditEntry.objects.filter(sequence=2).delete())
    assert refused(lambda: AuditEntry.objects.all().delete())
    assert AuditEntry.objects.count() == 3
    assert not AuditEntry.objects.filter(purpose="covering tracks").exists()


def test_raw_sql_update_and_delete_are_refused():
    append_entries(2)
    assert refused(raw(f"UPDATE {TABLE} SET outcome = 'ok' WHERE sequence = 1"))  # noqa: S608
    assert refused(raw(f"DELETE FROM {TABLE} WHERE sequence = 2"))  # noqa: S608
    assert AuditEntry.objects.count() == 2


def test_appending_still_works_and_the_chain_head_stays_updatable():
    append_entries(2)
    assert ChainHead.objects.get(id=1).sequence == 2
    ChainHead.objects.filter(id=1).update(sequence=2)  # the writer's own update is allowed
    assert AuditEntry.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's")
def test_the_application_role_loses_update_delete_and_truncate():
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE saferoptions_audit_app_test NOLOGIN")
        cursor.execute(f"GRANT ALL ON {TABLE} TO saferoptions_audit_app_test")
        append_only.revoke_from(connection, "saferoptions_audit_app_test")
        privileges = {}
        for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"):
            cursor.execute(
                "SELECT has_table_privilege('saferoptions_audit_app_test', %s, %s)",
                [TABLE, privilege],
            )
            privileges[privilege] = cursor.fetchone()[0]
    assert privileges == {
        "SELECT": True,
        "INSERT": True,
        "UPDATE": False,
        "DELETE": False,
        "TRUNCATE": False,
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's")
def test_truncate_as_the_application_role_is_refused():
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE saferoptions_audit_app_test2 NOLOGIN")
        cursor.execute(f"GRANT ALL ON {TABLE} TO saferoptions_audit_app_test2")
        append_only.revoke_from(connection, "saferoptions_audit_app_test2")
        cursor.execute("SET LOCAL ROLE saferoptions_audit_app_test2")
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            cursor.execute(f"TRUNCATE {TABLE}")
        cursor.execute("RESET ROLE")


def test_a_role_name_that_is_not_plain_is_refused():
    if connection.vendor != "postgresql":
        pytest.skip("roles are PostgreSQL's")
    with pytest.raises(ValueError, match="AUDIT_APP_DB_ROLE"):
        append_only.revoke_from(connection, 'app"; DROP TABLE audit_auditentry; --')


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database_and_leaves_the_triggers_in_place():
    # Test teardown and developers reset databases with flush; it must not trip the triggers.
    append_entries(2)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    assert append_only.installed(connection)
    append_entries(1)
    assert refused(lambda: AuditEntry.objects.all().delete())


def test_protect_puts_lifted_triggers_back():
    append_only.remove(connection)
    assert not append_only.installed(connection)
    call_command("audit", "protect", verbosity=0)
    assert append_only.installed(connection)
