"""Django admin: reference data only, for system administrators, every read and write audited.

Accounts, roles, second factors, information sharing agreements and background jobs are not
reference data: each is a way to take over an account or widen someone's reach (or, for
django-q's schedules, to run any Python the worker can import). They are changed on audited
pages with a second approver where reach widens (docs/accounts.md), never here.
"""

from collections.abc import Callable

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .models import Role

# Registered by Django and third-party apps' own admin modules; removed in one place, below.
NOT_REFERENCE_DATA = [
    "auth.Group",  # permissions by group would bypass the role table
    "otp_totp.TOTPDevice",  # its change page shows the TOTP secret in plain text
    "otp_static.StaticDevice",  # backup codes are a second factor too
    "django_q.Schedule",  # takes any dotted Python path for the worker to run
    "django_q.Success", "django_q.Failure",  # task arguments and results may name people
    "django_q.OrmQ",  # queued tasks: the same
]
CONFIGURATION = "configuration"
# The audit log's writer, handed over by the app that wires the admin up (core is a lower layer
# than audit and does not import it). Until it is, every admin page fails closed.
_record: Callable | None = None


def is_reference_administrator(user) -> bool:
    """The only people the admin opens for: active staff with the system administrator role."""
    return bool(
        user.is_authenticated and user.is_active and user.is_staff
        and user.role == Role.SYSTEM_ADMINISTRATOR
    )


class ReferenceDataAdmin(admin.ModelAdmin):
    """A reference data table: system administrators only; reads and writes leave audit rows.

    Permissions come from the role, not Django's per-model permissions, so no superuser flag
    or group grant is needed (or honoured) to edit reference data.
    """

    view_on_site = False  # admin's "view on site" redirect would tell any record's existence

    def has_module_permission(self, request):
        return is_reference_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_reference_administrator(request.user)

    def has_add_permission(self, request):
        return is_reference_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_reference_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_reference_administrator(request.user)

    def _audit(self, request, action: str, ids=(), **detail) -> None:
        if _record is None:
            raise ImproperlyConfigured("the admin has no audit writer (keep_reference_data_only)")
        _record(actor=request.user, action=action, object_type=self.model._meta.model_name,
               object_ids=ids, purpose=CONFIGURATION, detail={"via": "admin", **detail})

    def changelist_view(self, request, extra_context=None):
        with transaction.atomic():
            self._audit(request, "list")
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            with transaction.atomic():
                self._audit(request, "view", [object_id])
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # Runs inside the admin's own transaction for the form: the row and its audit together.
        super().save_model(request, obj, form, change)
        self._audit(request, "update" if change else "create", [obj.pk],
                    fields=sorted(form.changed_data))

    def save_formset(self, request, form, formset, change):
        # Inline rows (a place's aliases, say) are changes to reference data too.
        super().save_formset(request, form, formset, change)
        model = formset.model._meta.model_name
        changed = [o.pk for o in formset.new_objects + [o for o, _ in formset.changed_objects]]
        deleted = [o.pk for o in formset.deleted_objects]
        if changed or deleted:
            _record(actor=request.user, action="update", object_type=model,
                    object_ids=changed + deleted, purpose=CONFIGURATION,
                    detail={"via": "admin", "deleted": len(deleted)})

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit(request, "delete", [obj.pk])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            self._audit(request, "delete", list(queryset.values_list("pk", flat=True)))
            super().delete_queryset(request, queryset)


class KeyedReferenceDataAdmin(ReferenceDataAdmin):
    """Reference data whose slug the code and the task rules name a row by: the slug (and any
    other `fixed_fields`) is fixed once the row exists. Rules route tasks to a team by its slug
    (`early-help-{locality}`, `hub`) and the Hub is the team called `hub`: renaming one team to
    another's slug moved every such task, and with it the children, to a team of the
    administrator's choosing."""

    fixed_fields = ("slug",)

    def get_readonly_fields(self, request, obj=None):
        fixed = self.fixed_fields if obj is not None else ()
        return (*super().get_readonly_fields(request, obj), *fixed)


class ReferenceDataInline(admin.TabularInline):
    """Rows edited inside a reference data page; the same people may edit them."""

    def has_view_permission(self, request, obj=None):
        return is_reference_administrator(request.user)

    def has_add_permission(self, request, obj=None):
        return is_reference_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_reference_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_reference_administrator(request.user)


def keep_reference_data_only(site: admin.AdminSite, *, record: Callable) -> None:
    """Unregister what other apps registered that is not reference data; limit who gets in.

    Called once all admin modules are loaded (the accounts app's `ready`), with the audit
    log's `record`. A model listed here whose app is not installed is skipped.
    """
    global _record
    _record = record
    for label in NOT_REFERENCE_DATA:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if site.is_registered(model):
            site.unregister(model)
    site.has_permission = lambda request: is_reference_administrator(request.user)
    _without_view_on_site(site)


def _without_view_on_site(site: admin.AdminSite) -> None:
    # Admin's /admin/r/<type>/<id>/ redirects to any model's page whatever the type: an
    # existence oracle for people's records. Reference data has no page of its own to go to.
    original = site.get_urls

    def get_urls():
        return [p for p in original() if getattr(p, "name", None) != "view_on_site"]

    site.get_urls = get_urls

