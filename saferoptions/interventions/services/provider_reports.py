"""Sessions and outcomes a provider's own system reports (the partner API or a file).

The feeds app receives, keys and quarantines the messages; these functions hold the rules,
the same as the provider's pages (`referrals.record_session`, `referrals.end`,
`outcomes.record_worker_rating`): only the provider's own referrals, accepted or started; no
date in the future; an outcome ends the referral, giving back a place not yet used. The
provider is the sending agency (a credential or a file is an agency's, not a person's), so a
referral counts as its own when its provider team is one of that agency's teams. There is no
user: the audit rows have no actor and name the feed message.
"""

import datetime as dt
import uuid

from saferoptions.core import clock

from ..models import Rating, Referral, Session
from ..vocabulary import RATINGS, EndReason, ReferralStatus, Respondent
from .capacity import return_place
from .common import Refused, audit
from .outcomes import MAX_WORDS

REPORTABLE = (ReferralStatus.ACCEPTED, ReferralStatus.STARTED)
# Another provider's referral and one that does not exist get the same words: a provider
# must not learn whether a reference it guessed belongs to someone else.
NOT_FOUND = "was not found among your referrals"
VIA = "partner_feed"


def _referral(agency_id: int, reference, *, lock: bool = True) -> Referral:
    """The provider's own referral with this reference, if it may be reported on."""
    try:
        public_id = uuid.UUID(str(reference))
    except ValueError:
        raise Refused("referral", NOT_FOUND) from None
    rows = Referral.objects.filter(public_id=public_id, team__agency_id=agency_id)
    referral = (rows.select_for_update(of=("self",)) if lock else rows).first()
    if referral is None:
        raise Refused("referral", NOT_FOUND)
    if referral.status not in REPORTABLE:
        raise Refused("referral", f"is {referral.get_status_display().lower()}: sessions and "
                                  "outcomes are reported for accepted or started referrals")
    return referral


def _not_in_future(field: str, day: dt.date) -> None:
    if day > clock.today():
        raise Refused(field, "is in the future")


def check_session(*, agency_id: int, reference, held_on: dt.date) -> None:
    """Refused (naming the field) if the session could not be reported; writes nothing.

    The feeds app checks a message as it arrives, so the sender hears at once; the rules run
    again, under the referral's lock, when the session is recorded.
    """
    _referral(agency_id, reference, lock=False)
    _not_in_future("held_on", held_on)


def report_session(*, agency_id: int, reference, source_reference: str, held_on: dt.date,
                   attended: bool, note: str = "", message_id=None) -> Session:
    """A session under the provider's own reference; the same reference again corrects it."""
    referral = _referral(agency_id, reference)
    _not_in_future("held_on", held_on)
    values = {"held_on": held_on, "attended": attended, "note": note.strip()}
    row = Session.objects.filter(referral=referral, source_reference=source_reference).first()
    if row is None:
        row = Session.objects.create(referral=referral, source_reference=source_reference,
                                     recorded_by=None, **values)
        action = "record_session"
    elif any(getattr(row, k) != v for k, v in values.items()):
        Session.objects.filter(pk=row.pk).update(**values)
        action = "correct_session"
    else:
        return row  # the same session again: nothing changes
    audit(None, action, "intervention_session", [row.pk], purpose="direct_work",
          referral=referral.pk, via=VIA, message=message_id)
    return row


def _check_outcome(referral: Referral, end_reason: str, ended_on: dt.date) -> None:
    if end_reason not in EndReason.values:
        raise Refused("end_reason", "Choose why the referral ends")
    after_start = end_reason in (EndReason.COMPLETED, EndReason.DISENGAGED)
    if after_start and referral.status != ReferralStatus.STARTED:
        raise Refused("end_reason", "Only work that started can be completed or disengaged from")
    _not_in_future("ended_on", ended_on)
    if referral.started_on and ended_on < referral.started_on:
        raise Refused("ended_on", "is before the work started")


def _check_worker_rating(referral: Referral, rating, words: str) -> None:
    if rating is None:
        if words.strip():
            raise Refused("worker_rating", "is needed with the worker's words")
        return
    if referral.started_on is None:
        raise Refused("worker_rating", "Views are recorded once the work has started")
    if rating not in dict(RATINGS):
        raise Refused("worker_rating", "Choose how helpful it was, from 1 to 5")
    if len(words) > MAX_WORDS:
        raise Refused("worker_words", f"must be {MAX_WORDS} characters or fewer")


def check_outcome(*, agency_id: int, reference, end_reason: str, ended_on: dt.date,
                  worker_rating: int | None = None, worker_words: str = "") -> None:
    """Refused (naming the field) if the outcome could not be reported; writes nothing."""
    referral = _referral(agency_id, reference, lock=False)
    _check_outcome(referral, end_reason, ended_on)
    _check_worker_rating(referral, worker_rating, worker_words)


def report_outcome(*, agency_id: int, reference, end_reason: str, ended_on: dt.date,
                   outcome: str = "", worker_rating: int | None = None,
                   worker_words: str = "", message_id=None) -> Referral:
    """The work ended (why, when, what came of it), with the worker's rating if given."""
    referral = _referral(agency_id, reference)
    _check_outcome(referral, end_reason, ended_on)
    _check_worker_rating(referral, worker_rating, worker_words)
    served = [] if referral.status == ReferralStatus.STARTED else return_place(referral)
    referral.status, referral.end_reason = ReferralStatus.ENDED, end_reason
    referral.ended_on, referral.outcome = ended_on, outcome.strip()
    referral.save(update_fields=["status", "end_reason", "ended_on", "outcome"])
    audit(None, "end", "intervention_referral", [referral.pk], purpose="direct_work",
          reason=end_reason, served=served, via=VIA, message=message_id)
    if worker_rating is not None:
        rating = Rating.objects.create(referral=referral, respondent=Respondent.WORKER,
                                       rating=worker_rating, words=worker_words.strip())
        audit(None, "record_rating", "intervention_rating", [rating.pk], purpose="direct_work",
              referral=referral.pk, respondent=Respondent.WORKER, via=VIA, message=message_id)
    return referral
