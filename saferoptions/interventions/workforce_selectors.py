"""Reading the workforce register and the outreach sessions (professionals and places, no
child), audited; sessions by locality for the Hub, the locality chair and the manager."""

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q

from saferoptions.audit.services import record

from .models import OutreachSession, RegisteredPractitioner, TrainingRecord

PAGE_SIZE = 50


def register(*, user, training: str = "", locality_id=None, page=None):
    """The register, paged, each practitioner with their trainings (newest first)."""
    rows = RegisteredPractitioner.objects.select_related("agency", "locality") \
        .prefetch_related("trainings")
    if training:
        rows = rows.filter(trainings__training=training).distinct()
    if locality_id:
        rows = rows.filter(Q(locality_id=locality_id) | Q(locality__isnull=True))
    found = Paginator(rows.order_by("name", "pk"), PAGE_SIZE).get_page(page)
    record(actor=user, action="list", object_type="registered_practitioner",
           object_ids=[r.pk for r in found])
    return found


def trained_available(*, user, training: str, locality_id, day: dt.date) -> list:
    """People with `training` current on `day` who work in the locality (or city-wide)."""
    if not training:
        return []
    current = TrainingRecord.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=day), training=training,
        trained_on__lte=day)
    rows = RegisteredPractitioner.objects.filter(pk__in=current.values("practitioner_id")) \
        .select_related("agency", "locality") \
        .prefetch_related(Prefetch("trainings", queryset=current, to_attr="current"))
    if locality_id:
        rows = rows.filter(Q(locality_id=locality_id) | Q(locality__isnull=True))
    found = list(rows.order_by("name", "pk")[:PAGE_SIZE])
    record(actor=user, action="list", object_type="registered_practitioner",
           object_ids=[r.pk for r in found], detail={"training": training})
    return found


def visible_sessions(user):
    """Sessions in the user's locality; every locality for a city-wide user."""
    rows = OutreachSession.objects.select_related("programme", "place", "locality")
    return rows if user.locality_id is None else rows.filter(locality_id=user.locality_id)


def sessions(*, user, locality_id=None, page=None):
    rows = visible_sessions(user)
    if locality_id:
        rows = rows.filter(locality_id=locality_id)
    found = Paginator(rows.prefetch_related("staff").order_by("-starts_at", "-pk"),
                      PAGE_SIZE).get_page(page)
    record(actor=user, action="list", object_type="outreach_session",
           object_ids=[s.pk for s in found])
    return found


def session(*, user, pk) -> OutreachSession | None:
    found = visible_sessions(user).filter(pk=pk).first()
    record(actor=user, action="view" if found else "deny", object_type="outreach_session",
           object_ids=[found.pk] if found else [], outcome="ok" if found else "denied",
           detail={} if found else {"reference": str(pk)})
    return found
