"""Rows that data migrations load, restored whenever a database is flushed.

A flush (a transactional test's teardown, a developer resetting a database) empties every
table but keeps the schema, so the migrations that loaded Bristol's reference data, the task
rules and the retention schedule do not run again. Django emits `post_migrate` after a flush;
restoring the rows there keeps every later test, and every reset database, complete.
Each loader is idempotent, so running after a normal `migrate` changes nothing.
"""

import importlib

from django.apps import apps as project_apps

# (module, function, model that shows the rows are there)
SEED_LOADERS = [
    ("saferoptions.core.reference", "load", "core.Locality"),
    ("saferoptions.tasks.rulebook", "load", "tasks.TaskRule"),
    ("saferoptions.interventions.seed", "load", "interventions.Programme"),
]
# Data migrations whose forwards(apps, schema_editor) is the loader.
SEED_MIGRATIONS = [
    ("saferoptions.governance.migrations.0002_default_retention_rules", "governance.RetentionRule"),
]


def restore_seed_data(sender, apps=None, using="default", **kwargs) -> None:
    """post_migrate receiver: load any seed rows that are missing."""
    if apps is None:  # flush sends no migration state: the project's own models serve
        apps = project_apps
    for module, function, model in SEED_LOADERS:
        if _is_empty(apps, model, using):
            getattr(importlib.import_module(module), function)(apps)
    for module, model in SEED_MIGRATIONS:
        if _is_empty(apps, model, using):
            importlib.import_module(module).forwards(apps, None)


def _is_empty(apps, label: str, using: str) -> bool:
    return not apps.get_model(label).objects.using(using).exists()
