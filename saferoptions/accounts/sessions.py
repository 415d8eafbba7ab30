"""Each user's signed-in sessions, so that disabling an account ends every one of them."""

from importlib import import_module

from django.conf import settings

from saferoptions.core import clock

from .models import SignedInSession


def _store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def track(user, session) -> None:
    """Remember that `user` signed in with this session."""
    if session.session_key is None:
        session.save()
    SignedInSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user, "started_at": clock.now()}
    )


def forget(session_key: str | None) -> None:
    """Stop tracking a session that has ended."""
    if session_key:
        SignedInSession.objects.filter(session_key=session_key).delete()


def end_all(user) -> int:
    """End every session the user signed in with; returns how many."""
    keys = list(SignedInSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        _store(key).delete()
    SignedInSession.objects.filter(user=user).delete()
    return len(keys)
