"""Django settings, read from environment variables (12-factor, as cookiecutter-django).

Each later area keeps its own settings in a marked section so that changes stay local.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SAFEROPTIONS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("DJANGO_DEBUG", False)
# A known key would let anyone forge sessions: it is only tolerated on a developer's laptop.
INSECURE_DEV_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", INSECURE_DEV_KEY)
TESTING = env_bool("SAFEROPTIONS_TESTING", False)
if SECRET_KEY == INSECURE_DEV_KEY and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set: the default key is refused outside debug (DJANGO_DEBUG=1)."
    )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
if TESTING:
    ALLOWED_HOSTS.append("testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_q",
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
    "saferoptions.city",
    "saferoptions.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "saferoptions.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "saferoptions.audit.middleware.RequestIdMiddleware",
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
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'saferoptions.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# GOV.UK Frontend comes from its npm package (node_modules), never copied into the repo.
STATICFILES_DIRS = [
    d
    for d in [BASE_DIR / "node_modules" / "govuk-frontend" / "dist", BASE_DIR / "saferoptions" / "static"]
    if d.exists()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# --- accounts (authentication) ----------------------------------------------------------------
SESSION_IDLE_TIMEOUT_SECONDS = env_int("SAFEROPTIONS_SESSION_IDLE_SECONDS", 15 * 60)
SESSION_ABSOLUTE_TIMEOUT_SECONDS = env_int("SAFEROPTIONS_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # NCSC/OWASP: length over complexity, and no commonly used passwords.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- access (need-to-know policy) -------------------------------------------------------------
BREAK_GLASS_HOURS = env_int("SAFEROPTIONS_BREAK_GLASS_HOURS", 24)

# --- audit ------------------------------------------------------------------------------------

# --- governance -------------------------------------------------------------------------------
SMALL_NUMBER_THRESHOLD = env_int("SAFEROPTIONS_SMALL_NUMBER_THRESHOLD", 5)

# --- feeds and tasks ------------------------------------------------------------------------

# --- api --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_RATES": {"anon": "30/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safer Options partner API",
    "DESCRIPTION": "Feeds and queries for the Safer Options partnership.",
    "VERSION": "0.1.0",
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
    "sync": TESTING,
}

# --- email and logging ------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "safer-options@example.org")

# Logs carry ids and actions only: personal values never reach them (see docs/architecture.md).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# --- contexts -------------------------------------------------------------------------------
# H3 resolution 9 cells are about 0.1 km2: a street or a park, small enough to target outreach.
H3_RESOLUTION = env_int("SAFEROPTIONS_H3_RESOLUTION", 9)

# --- synthetic city ---------------------------------------------------------------------------
# Ground truth lives outside the application database, where no screen or API can read it.
EVALUATION_DIR = Path(os.environ.get("SAFEROPTIONS_EVALUATION_DIR", VAR_DIR / "evaluation"))
