"""Demo accounts: one per role, with stable passwords kept under var/ and a ready TOTP device.

Demo users have no phone, so `manage.py otp_code USERNAME` prints their current code; it
refuses any account not listed in the demo file.
"""

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferoptions.core.models import Agency, Locality, Role, Team

from . import otp

DEVICE_NAME = "Demo authenticator"

# role: (agency slug, team slug or None, locality slug or None)
PLACEMENTS = {
    Role.HUB_PRACTITIONER: ("social-care", "hub", None),
    Role.SOCIAL_WORKER: ("social-care", "social-care-north", "north"),
    Role.EARLY_HELP_WORKER: ("early-help", "early-help-east-central", "east-central"),
    Role.LEAD_WORKER: ("barnardos", "barnardos-base-routes", "south"),
    Role.CLINICAL_PSYCHOLOGIST: ("health", "clinical-psychology", None),
    Role.POLICE_OFFICER: ("police", "police-exploitation", None),
    Role.EDUCATION_INCLUSION_MANAGER: ("education", "education-inclusion", None),
    Role.HEALTH_PRACTITIONER: ("hospital-ed", "hospital-ed", None),
    Role.HOUSING_OFFICER: ("housing", "housing", None),
    Role.LICENSING_OFFICER: ("licensing", "licensing", None),
    Role.COMMUNITY_MEMBER: ("community", None, "north"),
    Role.LOCALITY_CHAIR: ("social-care", "social-care-north", "north"),
    # The social worker's and the locality chair's manager, so the team caseload has a team.
    Role.TEAM_MANAGER: ("social-care", "social-care-north", "north"),
    Role.STRATEGIC_LEAD: ("community-safety", "strategy", None),
    Role.ANALYST: ("community-safety", "strategy", None),
    # Keeps the interventions catalogue; sees no child's record.
    Role.CATALOGUE_MANAGER: ("community-safety", "strategy", None),
    Role.DATA_PROTECTION_OFFICER: ("social-care", "information-governance", None),
    Role.SYSTEM_ADMINISTRATOR: ("social-care", "information-governance", None),
}


@dataclass(frozen=True)
class DemoAccount:
    """What `create_demo_accounts` prints for one account."""

    username: str
    role: str
    password: str
    totp_secret: str


NOT_A_DEMO = ("This database is not the demo's: demo accounts (one per role, with passwords kept "
              "in a file and codes any shell prints) are made only with SAFEROPTIONS_DEMO=1, as "
              "`make demo` sets it. Real accounts are added on the account pages, where a second "
              "person approves each one.")


def require_demo() -> None:
    """Refuse (CommandError) unless the demo is on (SAFEROPTIONS_DEMO=1) or tests are running.

    The demo commands make accounts for every role, a system administrator and a data
    protection officer included, and agreements approved in their names, with no second person:
    run against a real database by mistake, they were ready for anyone who read the file."""
    if not (settings.DEMO_MODE or settings.TESTING):
        raise CommandError(NOT_A_DEMO)


def username_for(role: str) -> str:
    return "demo-" + role.replace("_", "-")


def demo_file() -> Path:
    return Path(settings.ACCOUNTS_DEMO_FILE)


def load_passwords() -> dict[str, str]:
    """The demo passwords generated so far, by username."""
    path = demo_file()
    if not path.exists():
        return {}
    return {name: entry["password"] for name, entry in json.loads(path.read_text()).items()}


def _save_passwords(passwords: dict[str, str]) -> None:
    path = demo_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({n: {"password": p} for n, p in sorted(passwords.items())}, indent=2)
    # Created readable by the owner only, before any secret is written into it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(body + "\n")
    path.chmod(0o600)


def is_demo_account(username: str) -> bool:
    """True only for accounts this module created: demo- names listed in the demo file."""
    return username.startswith("demo-") and username in load_passwords()


def create_all() -> list[DemoAccount]:
    """Create or refresh one demo account per role; running it again changes nothing."""
    passwords = load_passwords()
    accounts = []
    with transaction.atomic():
        for role in Role:
            name = username_for(role.value)
            passwords.setdefault(name, _new_password(role, name))
            user = _ensure_user(role, name, passwords[name])
            device = _ensure_device(user)
            accounts.append(DemoAccount(name, role.label, passwords[name], otp.secret_text(device)))
    if passwords != load_passwords():
        _save_passwords(passwords)
    return accounts


def _new_password(role: Role, username: str) -> str:
    """A random password the validators accept: now and then a random one is close enough to
    a role's name ("Data protection officer") for the similarity check to refuse it."""
    model = get_user_model()
    whose = model(username=username, first_name="Demo", last_name=role.label)
    for _ in range(PASSWORD_TRIES - 1):
        password = secrets.token_urlsafe(12)
        try:
            validate_password(password, whose)
        except ValidationError:
            continue
        return password
    return secrets.token_urlsafe(12)  # the validators then say why, where it is set


PASSWORD_TRIES = 50


def user_for(role: Role):
    """The demo account of a role (after `create_all`)."""
    return get_user_model().objects.get(username=username_for(role.value))


def _ensure_user(role: Role, username: str, password: str):
    agency_slug, team_slug, locality_slug = PLACEMENTS[role]
    admin = role == Role.SYSTEM_ADMINISTRATOR
    user, _ = get_user_model().objects.update_or_create(
        username=username,
        defaults={
            "role": role.value, "first_name": "Demo", "last_name": role.label,
            # Where a password link would go (the demo's mail is printed, never sent).
            "email": f"{username}@example.org",
            "agency": Agency.objects.get(slug=agency_slug),
            "team": Team.objects.get(slug=team_slug) if team_slug else None,
            "locality": Locality.objects.get(slug=locality_slug) if locality_slug else None,
            # Staff opens the admin (reference data) to the system administrator; nobody is a
            # superuser: the admin's permissions follow the role (core/admin_site.py).
            "is_active": True, "is_staff": admin, "is_superuser": False,
        },
    )
    if not user.check_password(password):
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _ensure_device(user) -> TOTPDevice:
    device = otp.confirmed_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    return device


def current_code(username: str) -> str:
    """The code a demo account's authenticator would show now."""
    if not is_demo_account(username):
        raise ValueError(f"{username!r} is not a demo account: codes are printed only for those")
    user = get_user_model().objects.filter(username=username).first()
    device = otp.confirmed_device(user) if user else None
    if device is None:
        raise ValueError(f"{username!r} has no authenticator yet: run create_demo_accounts")
    return otp.current_code(device)


@dataclass(frozen=True)
class DemoCredentials:
    """What the demo's sign-in panel shows for the chosen account."""

    username: str
    role: str
    password: str
    code: str  # empty when the account has no authenticator yet


def listed() -> list[tuple[str, str]]:
    """(username, role label) of every demo account in the demo file, in the role table's order."""
    passwords = load_passwords()
    return [(username_for(r.value), r.label) for r in Role if username_for(r.value) in passwords]


def credentials(username: str) -> DemoCredentials | None:
    """The chosen demo account's username, password and current code; None if not a demo one."""
    labels = dict(listed())
    if username not in labels:
        return None
    try:
        code = current_code(username)
    except ValueError:
        code = ""
    return DemoCredentials(username, labels[username], load_passwords()[username], code)
