from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "saferoptions.core"
    label = "core"
    verbose_name = "Partnership reference data"

    def ready(self) -> None:
        from .form_words import use_plain_words
        from .seeding import restore_seed_data

        # Before the apps after this one define their forms (INSTALLED_APPS order).
        use_plain_words()

        # Sent once per app after every migrate or flush; the core app's turn is enough.
        post_migrate.connect(restore_seed_data, sender=self, dispatch_uid="restore_seed_data")
