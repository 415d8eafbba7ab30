"""Security: the secret key, allowed hosts, cookies and headers, the Content-Security-Policy,
HTTPS behind the proxy (HSTS), the monitoring token, sign-in (sessions, passwords, one-time
codes, lock-out), the demo flag, and the partner API's authentication and throttles.

Settings load once, when a process starts: a change applies after the web and worker processes
restart.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import DEBUG, TESTING, VAR_DIR, env_bool, env_int

# A known key would let anyone forge sessions: it is only tolerated on a developer's laptop.
INSECURE_DEV_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", INSECURE_DEV_KEY)
if SECRET_KEY == INSECURE_DEV_KEY and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set: the default key is refused outside debug (DJANGO_DEBUG=1)."
    )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
if TESTING:
    ALLOWED_HOSTS.append("testserver")

# --- cookies and headers ----------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles and images from this site only, and no
# inline script or style, so injected markup cannot run. Templates keep their JavaScript and CSS
# in each app's static/ folder (a test refuses an inline <script>). The API docs page relaxes
# it for Redoc alone (saferoptions/api_urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    },
}

# --- production serving (docs/deploy.md) -------------------------------------------------------
# Behind the TLS reverse proxy (deploy/nginx.conf), which sets X-Forwarded-Proto and redirects
# plain HTTP itself: HTTPS only, and browsers told to come back only over HTTPS (HSTS).
BEHIND_TLS = env_bool("DJANGO_BEHIND_TLS", False)
if BEHIND_TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # Monitoring probes the application server directly on loopback, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
# /readyz and /metrics answer only this bearer token; unset, they are 404 (access/routes.py).
MONITORING_TOKEN = os.environ.get("SAFEROPTIONS_MONITORING_TOKEN", "")
# A worker silent longer than this (seconds) makes /readyz answer 503 (web/monitoring.py).
MONITORING_WORKER_STALE_SECONDS = env_int("SAFEROPTIONS_WORKER_STALE_SECONDS", 180)

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
    # A ceiling only stops hashing cost abuse; no composition rules (NCSC, OWASP ASVS 2.1).
    {
        "NAME": "saferoptions.accounts.validators.MaximumLengthValidator",
        "OPTIONS": {"max_length": env_int("SAFEROPTIONS_PASSWORD_MAX_LENGTH", 128)},
    },
]
ACCOUNTS_PASSWORD_MAX_LENGTH = env_int("SAFEROPTIONS_PASSWORD_MAX_LENGTH", 128)
# The session cookie itself never outlives the absolute timeout.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS
# Lock-out: this many failures (password or code) within the window locks the username, or the
# client address, until the window has passed. Failures are kept in the database.
ACCOUNTS_LOCKOUT_USERNAME_FAILURES = env_int("SAFEROPTIONS_LOCKOUT_USERNAME_FAILURES", 5)
ACCOUNTS_LOCKOUT_ADDRESS_FAILURES = env_int("SAFEROPTIONS_LOCKOUT_ADDRESS_FAILURES", 20)
ACCOUNTS_LOCKOUT_SECONDS = env_int("SAFEROPTIONS_LOCKOUT_SECONDS", 15 * 60)
# Time allowed between the password step and the one-time code (set-up included).
ACCOUNTS_PENDING_SIGN_IN_SECONDS = env_int("SAFEROPTIONS_PENDING_SIGN_IN_SECONDS", 10 * 60)
# Behind a reverse proxy, the META key holding the client address (e.g. HTTP_X_FORWARDED_FOR).
ACCOUNTS_CLIENT_ADDRESS_HEADER = os.environ.get("SAFEROPTIONS_CLIENT_ADDRESS_HEADER", "")
# Demo accounts' generated passwords, kept so `make demo` prints the same ones every time.
ACCOUNTS_DEMO_FILE = VAR_DIR / "demo_accounts.json"
# The demo (synthetic data only): a banner on every page, and the sign-in page lists the demo
# accounts with their passwords and current codes. `check --deploy` fails while it is on.
DEMO_MODE = env_bool("SAFEROPTIONS_DEMO", False)
OTP_TOTP_ISSUER = "Safer Options"
# Reports and referrals into the Hub's queues (intelligence, worries, referring a child or a
# place): at most this many posts from one signed-in account per window (core/floods.py).
REPORTS_PER_ACCOUNT_LIMIT = env_int("SAFEROPTIONS_REPORTS_PER_ACCOUNT", 20)
REPORTS_PER_ACCOUNT_WINDOW_SECONDS = env_int("SAFEROPTIONS_REPORTS_PER_ACCOUNT_WINDOW", 600)

# --- the partner API: who may call it, and how often --------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only, as the schema says: DRF's browsable API drew an HTML page of the answer (the
    # people API's records included) for any browser, outside the service's layout.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # A signed-in person's API requests (the people API), per account (core/api_throttles.py),
    # so a scripted session cannot page through children as fast as the server answers.
    "DEFAULT_THROTTLE_CLASSES": ["saferoptions.core.api_throttles.SignedInThrottle"],
    # The partner API (feeds/throttles.py) counts callers without a credential (anon) and with a
    # wrong one per address, and each partner system per credential (above bench.feeds' 50/s).
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("SAFEROPTIONS_THROTTLE_ANON", "30/min"),
        "user": os.environ.get("SAFEROPTIONS_THROTTLE_USER", "600/min"),
        "partner_bad_token": os.environ.get("SAFEROPTIONS_THROTTLE_BAD_TOKEN", "10/min"),
        "partner": os.environ.get("SAFEROPTIONS_THROTTLE_PARTNER", "6000/min"),
    },
    # The caller's address is REMOTE_ADDR unless this many proxies in front add theirs to
    # X-Forwarded-For (with none, a caller could name any address there and never be slowed).
    "NUM_PROXIES": env_int("SAFEROPTIONS_NUM_PROXIES", 0),
}
