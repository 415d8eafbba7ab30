from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "saferoptions.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib import admin

        from . import signals  # noqa: F401
        from .views import admin_sign_in, admin_sign_out

        # Django admin's own login form would skip the one-time code: send it to ours.
        admin.site.login = admin_sign_in
        admin.site.logout = admin_sign_out
