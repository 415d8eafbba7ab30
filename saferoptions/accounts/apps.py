from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "saferoptions.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib import admin

        from saferoptions.audit.services import record
        from saferoptions.core.admin_site import keep_reference_data_only

        from . import checks, signals  # noqa: F401
        from .views import admin_password_change, admin_sign_in, admin_sign_out

        # Django admin's own login form would skip the one-time code: send it to ours.
        admin.site.login = admin_sign_in
        admin.site.logout = admin_sign_out
        admin.site.password_change = admin_password_change  # audited
        # Every admin module is loaded by now (django.contrib.admin comes first in
        # INSTALLED_APPS): take out what is not reference data, in one place.
        keep_reference_data_only(admin.site, record=record)

        from saferoptions.audit import actions
        from saferoptions.core import navigation

        from . import audit_actions, nav

        # Words for this app's audit actions, and its links for the header and home
        # page (neither the audit search nor web imports an app).
        actions.register(audit_actions.ACTIONS)
        navigation.register(entries=nav.NAV_ENTRIES)
