"""Reads for the account pages: staff accounts and proposed changes, each read audited."""

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q

from saferoptions.audit.services import record

from .models import AccountChange

PAGE_SIZE = 50  # the house list size


def accounts(*, user, filters: dict, page) -> Page:
    """Accounts matching the filters, 50 to a page, by username."""
    found = get_user_model().objects.select_related("agency", "team", "locality")
    if filters.get("text"):
        text = filters["text"]
        found = found.filter(Q(username__icontains=text) | Q(first_name__icontains=text)
                             | Q(last_name__icontains=text))
    for field in ("role", "agency", "team", "locality"):
        if filters.get(field):
            found = found.filter(**{field: filters[field]})
    if filters.get("status") in ("active", "disabled"):
        found = found.filter(is_active=filters["status"] == "active")
    with transaction.atomic():
        result = Paginator(found.order_by("username"), PAGE_SIZE).get_page(page)
        record(actor=user, action="list", object_type="user",
               object_ids=[u.pk for u in result], purpose="configuration")
    return result


def account(*, user, pk: int):
    """One account with its changes, or None; the read is audited."""
    found = get_user_model().objects.select_related("agency", "team", "locality").filter(
        pk=pk).first()
    if found is None:
        return None
    with transaction.atomic():
        record(actor=user, action="view", object_type="user", object_ids=[found.pk],
               purpose="configuration")
    return found


def changes_for(account) -> list[AccountChange]:
    return list(AccountChange.objects.filter(user=account).select_related(
        "proposed_by", "decided_by", "agency", "team", "locality")[:20])


def pending_changes(*, user) -> list[AccountChange]:
    """Every change waiting for a second person, oldest first."""
    found = list(AccountChange.objects.filter(state=AccountChange.State.PENDING).select_related(
        "user", "proposed_by", "agency", "team", "locality").order_by("proposed_at"))
    with transaction.atomic():
        record(actor=user, action="list", object_type="account_change",
               object_ids=[c.pk for c in found], purpose="configuration")
    return found


def change(*, user, pk: int) -> AccountChange | None:
    found = AccountChange.objects.select_related(
        "user", "user__agency", "user__team", "user__locality", "proposed_by", "decided_by",
        "agency", "team", "locality").filter(pk=pk).first()
    if found is not None:
        with transaction.atomic():
            record(actor=user, action="view", object_type="account_change",
                   object_ids=[found.pk], purpose="configuration")
    return found
