"""Keep the per-user session list current, and end sessions when an account is disabled."""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import sessions
from .middleware import LAST_SEEN, SIGNED_IN_AT


@receiver(user_logged_in)
def track_session(sender, request, user, **kwargs):
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now  # the absolute timeout counts from here
    request.session[LAST_SEEN] = now
    sessions.track(user, request.session)


@receiver(user_logged_out)
def forget_session(sender, request, user, **kwargs):
    if request is not None:
        sessions.forget(request.session.session_key)


@receiver(post_save, sender=get_user_model())
def end_sessions_of_disabled_user(sender, instance, **kwargs):
    # Revocation must bite on the very next request, in every browser the person used.
    if not instance.is_active:
        sessions.end_all(instance)
