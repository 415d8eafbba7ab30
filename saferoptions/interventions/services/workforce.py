"""The workforce register (who is trained in what, until when) and the outreach sessions
staffed from it. Each function is one audited state change by the acting user."""

import datetime as dt

from django.utils import timezone

from saferoptions.core import clock

from ..models import OutreachSession, RegisteredPractitioner, TrainingRecord
from ..vocabulary import OutreachStatus, Training, WorksWith
from .common import Refused, audit

MAX_MET = 1000


def save_practitioner(*, actor, name: str, agency, locality, practitioner=None,
                      version: int | None = None) -> RegisteredPractitioner:
    """Add someone to the register, or change their name, agency or locality."""
    if not name.strip():
        raise Refused("name", "Enter the practitioner's name")
    if agency is None:
        raise Refused("agency", "Choose the practitioner's agency")
    if practitioner is None:
        row = RegisteredPractitioner.objects.create(name=name.strip(), agency=agency,
                                                    locality=locality)
        audit(actor, "create", "registered_practitioner", [row.pk])
        return row
    row = RegisteredPractitioner.objects.select_for_update().get(pk=practitioner.pk)
    if version is not None and row.version != version:
        raise Refused("name", "Someone else changed this entry since you opened it: reload "
                              "the page to see their changes")
    row.name, row.agency, row.locality = name.strip(), agency, locality
    row.version += 1
    row.save()
    audit(actor, "change", "registered_practitioner", [row.pk])
    return row


def record_training(*, actor, practitioner, training: str, trained_on: dt.date,
                    expires_on: dt.date | None) -> TrainingRecord:
    """A training completed; a renewal is a new record, so the history stays."""
    if training not in Training.values:
        raise Refused("training", "Choose the training from the list")
    if trained_on > clock.today():
        raise Refused("trained_on", "The training date cannot be in the future")
    if expires_on is not None and expires_on < trained_on:
        raise Refused("expires_on", "The expiry date must be on or after the training date")
    row = TrainingRecord.objects.create(practitioner=practitioner, training=training,
                                        trained_on=trained_on, expires_on=expires_on,
                                        recorded_by=actor)
    audit(actor, "create", "training_record", [row.pk], practitioner=practitioner.pk,
          training=training)
    return row


def why_not_trained(practitioner, training: str, day: dt.date) -> str:
    """Empty if the practitioner's training is current on `day`, else the reason in words."""
    rows = list(practitioner.trainings.filter(training=training))
    if any(r.current_on(day) for r in rows):
        return ""
    label = Training(training).label.lower()
    expired = [r.expires_on for r in rows if r.expires_on and r.expires_on < day]
    if expired:
        return (f"{practitioner.name}'s {label} training expired on "
                f"{max(expired):%-d %B %Y}")
    if rows:
        return f"{practitioner.name}'s {label} training is not current on {day:%-d %B %Y}"
    return f"{practitioner.name} has no {label} training on the register"


def session_day(session: OutreachSession) -> dt.date:
    return timezone.localtime(session.starts_at).date()


def schedule_session(*, actor, programme, place, starts_at: dt.datetime,
                     ends_at: dt.datetime) -> OutreachSession:
    """A session of place-based outreach (detached youth work, late-night outreach)."""
    if programme.works_with != WorksWith.PLACE or not programme.trained_in:
        raise Refused("programme", "Choose a programme that works at places with trained staff")
    if ends_at <= starts_at:
        raise Refused("ends_at", "The end must be after the start")
    if ends_at - starts_at > dt.timedelta(hours=12):
        raise Refused("ends_at", "A session lasts 12 hours at most")
    locality = place.ward.locality
    if actor.locality_id is not None and actor.locality_id != locality.pk:
        raise Refused("place", "Choose a place in your locality")
    row = OutreachSession.objects.create(programme=programme, place=place, locality=locality,
                                         starts_at=starts_at, ends_at=ends_at,
                                         scheduled_by=actor)
    audit(actor, "create", "outreach_session", [row.pk], place=place.pk)
    return row


def staff_session(*, actor, session: OutreachSession, practitioner) -> OutreachSession:
    """Add someone from the register: only with the programme's training current that day."""
    session = OutreachSession.objects.select_for_update().select_related("programme") \
        .get(pk=session.pk)
    if session.status != OutreachStatus.SCHEDULED:
        raise Refused("practitioner", "Staff are added before the session is held")
    reason = why_not_trained(practitioner, session.programme.trained_in, session_day(session))
    if reason:
        raise Refused("practitioner", f"{reason}: they cannot staff this session")
    session.staff.add(practitioner)
    audit(actor, "staff", "outreach_session", [session.pk], practitioner=practitioner.pk)
    return session


def record_seen(*, actor, session: OutreachSession, seen: str,
                young_people_met: int) -> OutreachSession:
    """After the session: what was seen (no names) and how many young people were met."""
    session = OutreachSession.objects.select_for_update().get(pk=session.pk)
    if session.starts_at > clock.now():
        raise Refused("seen", "What was seen is recorded once the session has started")
    if not seen.strip():
        raise Refused("seen", "Enter what was seen")
    if young_people_met is None or not 0 <= young_people_met <= MAX_MET:
        raise Refused("young_people_met", f"Enter how many young people were met, from 0 to "
                                          f"{MAX_MET}")
    session.seen, session.young_people_met = seen.strip(), young_people_met
    session.status, session.recorded_by, session.recorded_at = \
        OutreachStatus.HELD, actor, clock.now()
    session.save()
    audit(actor, "record_seen", "outreach_session", [session.pk])
    return session
