"""The framework: apps, middleware, database, caches, templates, static files, background work,
email, logging, language and time zone; and the helpers every settings module reads the
environment with (12-factor, as cookiecutter-django).

Settings load once, when a process starts: a change applies after the web and worker processes
restart.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # saferoptions/settings/ -> repo
VAR_DIR = Path(os.environ.get("SAFEROPTIONS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = env_bool("SAFEROPTIONS_TESTING", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_q",
    "csp",
    "saferoptions.core",
    "saferoptions.people",
    "saferoptions.contexts",
    "saferoptions.events",
    "saferoptions.audit",
    "saferoptions.access",
    "saferoptions.accounts",
    "saferoptions.governance",
    "saferoptions.cases",
    "saferoptions.feeds",
    "saferoptions.tasks",
    "saferoptions.linkage",
    "saferoptions.meetings",
    "saferoptions.interventions",
    "saferoptions.intelligence",
    "saferoptions.dashboards",
    "saferoptions.city",
    "saferoptions.web",
]

MIDDLEWARE = [
    # First, so it times everything below it (web/metrics.py).
    "saferoptions.web.metrics.RequestMetricsMiddleware",
    # Before everything that checks the method: a HEAD goes through as a GET (no body).
    "saferoptions.web.middleware.HeadAsGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The headers every answer carries, above every middleware that can answer a request
    # itself: an answer made there (CommonMiddleware's 400 for a Host not allowed) passes back
    # only through the middleware above it, and went out without a CSP or X-Frame-Options.
    "saferoptions.audit.middleware.RequestIdMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "saferoptions.web.middleware.NoStoreMiddleware",
    # Only GET, HEAD and POST reach a view: OPTIONS and TRACE drew pages as a GET would.
    "saferoptions.web.middleware.KnownMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "saferoptions.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "saferoptions.web.middleware.ErrorTitleMiddleware",
]

ROOT_URLCONF = "saferoptions.urls"
WSGI_APPLICATION = "saferoptions.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "saferoptions" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "saferoptions.web.context_processors.navigation",
            ],
            # `|due`: one way to show a deadline on every page (saferoptions/core/deadlines.py).
            "builtins": ["saferoptions.core.templatetags.deadlines",
                         "saferoptions.core.templatetags.error_summary"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'saferoptions.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A kept connection is checked before each request reuses it, so a database restart
        # costs one reconnect instead of server errors until the connection ages out.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" \
        and not env_bool("DATABASE_PG_JIT", False):
    # PostgreSQL's JIT compiles any query its planner costs high, and the apps' counts over a
    # period's events are costed high: on the 100,000-child city it spent 0.9 s of a 1.5 s
    # query compiling, on every view. Off, as is usual for a web workload; DATABASE_PG_JIT=1
    # turns it back on for a deployment that measures otherwise.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The partner API's throttle counts (feeds/throttles.py): a table in the database, so every
    # web process counts the same requests. Created by the feeds migration 0003.
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "saferoptions_throttle_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},  # one per caller's address or system, a minute each
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request until collectstatic runs
# GOV.UK Frontend comes from its npm package (node_modules), never copied into the repo.
STATICFILES_DIRS = [
    d
    for d in [
        BASE_DIR / "node_modules" / "govuk-frontend" / "dist",
        BASE_DIR / "saferoptions" / "static",
    ]
    if d.exists()
]
# htmx is served from its npm package too, under static/htmx/.
if (BASE_DIR / "node_modules" / "htmx.org" / "dist").exists():
    STATICFILES_DIRS.append(("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"))
# accessible-autocomplete (search-as-you-type for long lists) too, under static/autocomplete/.
if (BASE_DIR / "node_modules" / "accessible-autocomplete" / "dist").exists():
    STATICFILES_DIRS.append(("autocomplete",
                             BASE_DIR / "node_modules" / "accessible-autocomplete" / "dist"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production (SAFEROPTIONS_STATIC_MANIFEST=1, set by `make serve-prod`): hashed names,
    # compressed copies and far-future caching by WhiteNoise. Off by default because every
    # `{% static %}` then needs collectstatic to have run first (tests and `make serve` do not).
    "staticfiles": {"BACKEND": (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("SAFEROPTIONS_STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage")},
}

# --- api documentation (the partner API's own settings are in security.py) ---------------------
SPECTACULAR_SETTINGS = {
    "TITLE": "Safer Options partner API",
    "DESCRIPTION": "Feeds and queries for the Safer Options partnership.",
    "VERSION": "0.1.0",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- background work (django-q2, ORM broker: works on SQLite and PostgreSQL) ------------------
Q_CLUSTER = {
    "name": "saferoptions",
    "orm": "default",
    "workers": env_int("SAFEROPTIONS_WORKERS", 2),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 5,
    "catch_up": False,
    # Successful results are not kept (-1): the feeds inbox is the ledger, and django-q2's
    # pruning of kept results locks every kept row on every task, which caps throughput.
    "save_limit": -1,
    # An idle worker asks the queue for work this often: the floor under event-to-task latency.
    "poll": float(os.environ.get("SAFEROPTIONS_Q_POLL_SECONDS", "0.05")),
    # Tests run jobs inline; SAFEROPTIONS_Q_SYNC=0 lets a test queue them for a real worker.
    "sync": env_bool("SAFEROPTIONS_Q_SYNC", TESTING),
}

# --- email and logging ------------------------------------------------------------------------
# The demo (SAFEROPTIONS_DEMO) sends nothing: its mail (notices, password links) is written
# as files under var/mail, one per message, where whoever runs the demo can read it.
_DEMO = env_bool("SAFEROPTIONS_DEMO", False)
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.filebased.EmailBackend"
    if _DEMO
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "safer-options@example.org")
# The address people reach the service at, for the links in its emails (a mail is read away
# from the site, so a link without it leads nowhere). A deployment sets its own.
SITE_URL = os.environ.get("SAFEROPTIONS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Logs carry ids and actions only: personal values never reach them (see docs/architecture.md).
# One JSON object a line; the formatter writes "[text]" for any value that might be personal
# and an exception's type and place, never its message (web/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "saferoptions.web.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
