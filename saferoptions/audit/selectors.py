"""Reads of the audit log: one record's access log, and the DPO's audit search."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from . import actions
from .models import AuditEntry
from .services import record


def access_log_for(object_type: str, object_id) -> QuerySet:
    """Every entry naming one record (views, lists it appeared in, changes), newest first."""
    entries = _naming(AuditEntry.objects.filter(object_type=object_type), object_id)
    return entries.select_related("actor", "actor__agency").order_by("-sequence")


def _naming(entries: QuerySet, object_id) -> QuerySet:
    """Entries whose object ids include `object_id`."""
    if connection.vendor == "postgresql":
        # jsonb containment, answered from the GIN index on object_ids.
        return entries.filter(object_ids__contains=[str(object_id)])
    # Ids are stored as JSON strings, so the quoted id matches one element exactly.
    return entries.annotate(ids_text=Cast("object_ids", TextField())).filter(
        ids_text__contains=f'"{object_id}"'
    )


def _matching(filters: dict) -> QuerySet:
    entries = AuditEntry.objects.all()
    if filters.get("user") is not None:
        entries = entries.filter(actor=filters["user"])
    for name in ("action", "outcome", "object_type"):
        if filters.get(name):
            entries = entries.filter(**{name: filters[name]})
    if filters.get("object_id"):
        entries = _naming(entries, filters["object_id"])
    if filters.get("date_from"):
        entries = entries.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        entries = entries.filter(at__date__lte=filters["date_to"])
    return entries.select_related("actor", "actor__agency").order_by("-sequence")


def search(*, user, filters: dict, page: int | str = 1) -> Page:
    """One page of entries matching the DPO's filters, actions in plain words; itself audited."""
    with transaction.atomic():
        paginator = Paginator(_matching(filters), settings.AUDIT_SEARCH_PAGE_SIZE)
        found = paginator.get_page(page)
        for entry in found:
            # In plain words; an old row's code that no app registers any more shows as it is.
            entry.action_label = actions.label(entry.action)
            entry.record_label = in_words(entry.object_type)
            entry.purpose_label = in_words(entry.purpose)
        record(
            actor=user,
            action="search",
            object_type="audit_entry",
            object_ids=[entry.sequence for entry in found],
            purpose="audit",
            detail={"filters": _audited(filters), "page": found.number},
        )
    return found


def in_words(code: str) -> str:
    """A record type's or purpose's code as a reader says it: 'direct_work', 'Direct work'."""
    return code.replace("_", " ").capitalize()


def _audited(filters: dict) -> dict:
    """The filters as ids and plain values (a user is kept as their id)."""
    shown = {k: v for k, v in filters.items() if v not in (None, "")}
    if "user" in shown:
        shown["user"] = shown["user"].pk
    return {k: str(v) for k, v in shown.items()}
