"""What the work meant: the worker's rating and words, and the young person's and a parent's
through a one-time link that needs no account.

The link carries a random secret signed with the project's key; only a hash of the secret is
kept, so the database cannot give the link back. A link expires after
INTERVENTIONS_FEEDBACK_LINK_DAYS, works once, and a new link for the same person replaces an
unused one. Wrong, expired, used and replaced links all get the same answer.
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core import signing

from saferoptions.core import clock

from ..models import FeedbackLink, Rating, Referral
from ..vocabulary import RATINGS, Respondent
from .common import Refused, audit

SALT = "interventions.feedback-link"
MAX_WORDS = 2000


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_rating(rating, words: str) -> None:
    if rating not in dict(RATINGS):
        raise Refused("rating", "Choose how helpful it was, from 1 to 5")
    if len(words) > MAX_WORDS:
        raise Refused("words", f"Words must be {MAX_WORDS} characters or fewer")


def _check_worked(referral: Referral, field: str) -> None:
    if referral.started_on is None:
        raise Refused(field, "Views are recorded once the work has started")


def record_worker_rating(*, actor, referral: Referral, rating: int, words: str) -> Rating:
    """The provider's worker says how helpful the work was, in their words."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if actor.team_id != referral.team_id:
        raise Refused("rating", "Only the provider's team can record the worker's rating")
    _check_worked(referral, "rating")
    _check_rating(rating, words)
    row = Rating.objects.create(referral=referral, respondent=Respondent.WORKER, rating=rating,
                                words=words.strip(), recorded_by=actor)
    audit(actor, "record_rating", "intervention_rating", [row.pk], purpose="direct_work",
          referral=referral.pk, respondent=Respondent.WORKER)
    return row


def create_feedback_link(*, actor, referral: Referral, respondent: str) -> str:
    """A new one-time link for the young person or a parent; returns the token to send."""
    if respondent not in (Respondent.YOUNG_PERSON, Respondent.PARENT):
        raise Refused("respondent", "Choose the young person or a parent")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _check_worked(referral, "respondent")
    now = clock.now()
    FeedbackLink.objects.filter(referral=referral, respondent=respondent,
                                used_at=None).update(expires_at=now)
    secret = secrets.token_urlsafe(24)
    link = FeedbackLink.objects.create(
        referral=referral, respondent=respondent, secret_hash=_hash(secret), created_by=actor,
        expires_at=now + dt.timedelta(days=settings.INTERVENTIONS_FEEDBACK_LINK_DAYS))
    audit(actor, "create_feedback_link", "intervention_feedback_link", [link.pk],
          purpose="direct_work", referral=referral.pk, respondent=respondent)
    return signing.Signer(salt=SALT).sign(secret)


def open_link(token: str) -> FeedbackLink | None:
    """The link a token opens, if it is genuine, unused and unexpired (else None)."""
    try:
        secret = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    link = FeedbackLink.objects.select_related("referral__programme") \
        .filter(secret_hash=_hash(secret)).first()
    if link is None or link.used_at is not None or link.expires_at <= clock.now():
        return None
    return link


def record_feedback(*, token: str, rating, words: str) -> Rating | None:
    """The young person's or parent's rating and words; the link is spent (None: no link)."""
    link = open_link(token)
    if link is None:
        return None
    _check_rating(rating, words)
    link = FeedbackLink.objects.select_for_update().get(pk=link.pk)
    if link.used_at is not None:  # two taps at once: the first one counts
        return None
    link.used_at = clock.now()
    link.save(update_fields=["used_at"])
    row = Rating.objects.create(referral_id=link.referral_id, respondent=link.respondent,
                                rating=rating, words=words.strip())
    audit(None, "record_rating", "intervention_rating", [row.pk], purpose="direct_work",
          referral=link.referral_id, respondent=link.respondent, link=link.pk)
    return row
