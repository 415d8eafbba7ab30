"""Django settings, read from environment variables (12-factor, as cookiecutter-django).

Each later area keeps its own settings in a marked section so that changes stay local.
"""

import hmac
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # saferoptions/settings/ -> repo
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
    "csp.middleware.CSPMiddleware",
    "saferoptions.web.middleware.NoStoreMiddleware",
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

# --- security -------------------------------------------------------------------------------
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
# htmx is served from its npm package too, under static/htmx/.
if (BASE_DIR / "node_modules" / "htmx.org" / "dist").exists():
    STATICFILES_DIRS.append(("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"))
# accessible-autocomplete (search-as-you-type for long lists) too, under static/autocomplete/.
if (BASE_DIR / "node_modules" / "accessible-autocomplete" / "dist").exists():
    STATICFILES_DIRS.append(("autocomplete",
                             BASE_DIR / "node_modules" / "accessible-autocomplete" / "dist"))

# --- access (need-to-know policy) -------------------------------------------------------------
BREAK_GLASS_HOURS = env_int("SAFEROPTIONS_BREAK_GLASS_HOURS", 24)
# Who may open which children's records, for which purposes, and how widely (docs/access-policy.md).
# Scopes: "involvement" (team around the child, meeting attendance), "team" (anyone in the
# user's team is involved), "locality" (children of the user's locality; all if the user has
# none), "all". Categories: "agreements" (own agency's data plus information sharing
# agreements) or "all". Contexts: which context pages the role may open. Duties: what else
# the role may do (the one list of them is `access.rules.DUTIES`; pages ask
# `policy.has_duty`). The table is read from settings, which load when a process starts:
# a change applies after the web and worker processes restart.
_PRACTITIONER = {
    "purposes": {"direct_work": "involvement"},
    "break_glass": True,
    "categories": "agreements",
    "contexts": ["place", "group"],
}
# Duties every practitioner who works with children has.
_CASEWORK = ["view_context_cases", "refer_places", "attend_meetings"]
_NO_RECORDS = {"purposes": {}, "break_glass": False, "categories": "agreements"}
ACCESS_ROLE_RULES = {
    # "data_quality" (clerical review, merge, split) is never implied: only pages that ask
    # for it by name get it, so it cannot widen search, lists or a child's page.
    "hub_practitioner": {
        **_PRACTITIONER, "purposes": {"direct_work": "involvement", "triage": "locality"},
        "data_quality": "all",
        "duties": [*_CASEWORK, "triage_concerns", "review_linkage", "merge_people",
                   "tune_linkage", "manage_context_cases", "analyse_contexts", "view_hotspots",
                   "resolve_locations", "chair_meetings", "view_dashboards",
                   "drill_down_dashboards", "grade_intelligence", "schedule_outreach"],
    },
    "social_worker": {**_PRACTITIONER, "duties": _CASEWORK},
    "early_help_worker": {**_PRACTITIONER, "duties": _CASEWORK},
    "lead_worker": {**_PRACTITIONER, "duties": _CASEWORK},
    "clinical_psychologist": {**_PRACTITIONER,
                              "duties": [*_CASEWORK, "write_case_formulation"]},
    "police_officer": {**_PRACTITIONER, "duties": [*_CASEWORK, "view_hotspots"]},
    "education_inclusion_manager": {**_PRACTITIONER, "duties": _CASEWORK},
    "health_practitioner": {**_PRACTITIONER, "duties": _CASEWORK},
    "housing_officer": {**_PRACTITIONER, "duties": _CASEWORK},
    "locality_chair": {
        **_PRACTITIONER,
        "duties": [*_CASEWORK, "oversee_cases", "manage_context_cases", "view_hotspots",
                   "chair_meetings", "view_dashboards", "drill_down_dashboards",
                   "schedule_outreach"],
    },
    "team_manager": {
        **_PRACTITIONER, "purposes": {"direct_work": "team"}, "data_quality": "all",
        "duties": [*_CASEWORK, "allocate_within_team", "oversee_cases", "approve_assessments",
                   "review_break_glass", "review_linkage", "merge_people", "tune_linkage",
                   "manage_context_cases", "analyse_contexts", "view_hotspots",
                   "chair_meetings"],
    },
    "data_protection_officer": {
        "purposes": {"subject_access": "all", "audit": "all"},
        "break_glass": False,
        "categories": "all",
        "contexts": [],
        "duties": ["review_break_glass", "review_consent_overrides", "review_handling_changes"],
    },
    # Places only: they report concerns about premises, never see children's records.
    "licensing_officer": {**_NO_RECORDS, "contexts": ["place"],
                          "duties": ["refer_places", "view_hotspots"]},
    "community_member": {**_NO_RECORDS, "contexts": ["place"], "duties": ["refer_places"]},
    # Aggregates only (through small-number suppression), never an identifiable record.
    "strategic_lead": {**_NO_RECORDS, "contexts": ["place", "group"],
                       "duties": ["view_context_cases", "refer_places", "analyse_contexts",
                                  "view_hotspots", "view_dashboards"]},
    "analyst": {**_NO_RECORDS, "contexts": ["place", "group"],
                "duties": ["view_context_cases", "refer_places", "analyse_contexts",
                           "view_hotspots", "tune_linkage", "resolve_locations",
                           "view_dashboards"]},
    # Configuration only: partner systems' credentials, never a record.
    "system_administrator": {**_NO_RECORDS, "contexts": [],
                             "duties": ["administer_partner_systems"]},
    # The interventions catalogue only (programmes, providers, places): never a record.
    "catalogue_manager": {**_NO_RECORDS, "contexts": [],
                          "duties": ["manage_catalogue", "manage_workforce", "schedule_outreach"]},
}
# Meeting attendance gives access from this many days before the meeting to this many after.
ACCESS_MEETING_DAYS_BEFORE = env_int("SAFEROPTIONS_MEETING_ACCESS_DAYS_BEFORE", 7)
ACCESS_MEETING_DAYS_AFTER = env_int("SAFEROPTIONS_MEETING_ACCESS_DAYS_AFTER", 28)
# The data category of each event type; a concern category below overrides it.
ACCESS_EVENT_TYPE_CATEGORIES = {
    "police_incident": "police_incidents",
    "stop_search": "police_incidents",
    "missing_episode": "missing",
    "ed_assault": "health",
    "school_incident": "education",
    "housing_report": "housing",
    "licensing_report": "community",
    "community_concern": "community",
}
ACCESS_EVENT_CATEGORY_OVERRIDES = {"sexual_exploitation": "sexual_exploitation"}
# The child page shows the most recent events; the chronology shows them all.
ACCESS_CHILD_PAGE_EVENTS = env_int("SAFEROPTIONS_CHILD_PAGE_EVENTS", 100)

# --- audit ------------------------------------------------------------------------------------
# Production runs the application as a role that does not own the audit table; migrations
# (run as the owner) revoke UPDATE, DELETE and TRUNCATE on it from this role. See docs/audit.md.
AUDIT_APP_DB_ROLE = os.environ.get("SAFEROPTIONS_AUDIT_APP_DB_ROLE", "")
# Checkpoints are signed with this key; set its own value to rotate SECRET_KEY independently.
AUDIT_CHECKPOINT_KEY = os.environ.get("SAFEROPTIONS_AUDIT_CHECKPOINT_KEY", SECRET_KEY)
AUDIT_VERIFY_BATCH_SIZE = env_int("SAFEROPTIONS_AUDIT_VERIFY_BATCH_SIZE", 5000)
AUDIT_SEARCH_PAGE_SIZE = env_int("SAFEROPTIONS_AUDIT_SEARCH_PAGE_SIZE", 50)

# --- governance -------------------------------------------------------------------------------
SMALL_NUMBER_THRESHOLD = env_int("SAFEROPTIONS_SMALL_NUMBER_THRESHOLD", 5)
# The DPO's review screen lists records reaching their review date within this many days.
RETENTION_REVIEW_HORIZON_DAYS = env_int("SAFEROPTIONS_RETENTION_REVIEW_HORIZON_DAYS", 30)
GOVERNANCE_REVIEW_PAGE_SIZE = env_int("SAFEROPTIONS_GOVERNANCE_REVIEW_PAGE_SIZE", 50)

# --- cases ------------------------------------------------------------------------------------
# Timescales for the child's pathway (docs/pathway.md). Working days skip weekends and England &
# Wales bank holidays; statutory defaults from Working Together, changed here, never in code.
CASES_TRIAGE_DECISION_WORKING_DAYS = env_int("SAFEROPTIONS_TRIAGE_DECISION_WORKING_DAYS", 1)
CASES_ASSESSMENT_WORKING_DAYS = env_int("SAFEROPTIONS_ASSESSMENT_WORKING_DAYS", 45)
# Statute says "immediately"; this is the local expectation for holding it.
CASES_STRATEGY_DISCUSSION_HOURS = env_int("SAFEROPTIONS_STRATEGY_DISCUSSION_HOURS", 24)
CASES_INITIAL_CONFERENCE_WORKING_DAYS = env_int("SAFEROPTIONS_INITIAL_CONFERENCE_WORKING_DAYS", 15)
CASES_CORE_GROUP_WORKING_DAYS = env_int("SAFEROPTIONS_CORE_GROUP_WORKING_DAYS", 10)
CASES_FIRST_REVIEW_CONFERENCE_MONTHS = env_int("SAFEROPTIONS_FIRST_REVIEW_CONFERENCE_MONTHS", 3)
CASES_LATER_REVIEW_CONFERENCE_MONTHS = env_int("SAFEROPTIONS_LATER_REVIEW_CONFERENCE_MONTHS", 6)
CASES_RETURN_HOME_INTERVIEW_HOURS = env_int("SAFEROPTIONS_RETURN_HOME_INTERVIEW_HOURS", 72)
CASES_NRM_REASONABLE_GROUNDS_WORKING_DAYS = env_int("SAFEROPTIONS_NRM_RG_WORKING_DAYS", 5)
# Conclusive grounds come no sooner than 30 days after reasonable grounds; this is the target.
CASES_NRM_CONCLUSIVE_GROUNDS_DAYS = env_int("SAFEROPTIONS_NRM_CG_DAYS", 45)
# A clock turns amber when this share of its time has gone, and red once it is overdue.
CASES_CLOCK_AMBER_SHARE = float(os.environ.get("SAFEROPTIONS_CASES_CLOCK_AMBER_SHARE", "0.75"))
# Small concerns that add up: items in the last `window_days` days, weighted by kind (concern
# kinds and event types), prompt a review at `threshold`. Unlisted kinds weigh nothing.
CASES_ACCUMULATION = {
    "window_days": env_int("SAFEROPTIONS_ACCUMULATION_WINDOW_DAYS", 90),
    "threshold": env_int("SAFEROPTIONS_ACCUMULATION_THRESHOLD", 6),
    "weights": {
        "missed_school_week": 2, "exclusion": 2, "stop_search": 2, "older_associate": 3,
        "missing": 3, "missing_episode": 3, "school_incident": 1, "police_incident": 1,
        "online": 2, "weapon": 3, "violence": 2, "exploitation": 3,
        # Graded intelligence linked to the child, by its assessment (docs/intelligence.md):
        # an item suspected false (E) adds nothing.
        "intelligence_a": 3, "intelligence_b": 2, "intelligence_c": 2, "intelligence_d": 1,
        "intelligence_e": 0,
    },
}
# What is known about a child (the child's page only; docs/pathway.md): each indicator's
# weight, how far back it counts, and which records it takes. A transparent sum of what the
# viewer may see, never a label or a band, and nothing acts on it by itself.
CASES_KNOWN_RISK_INDICATORS = {
    "missing": {"label": "Missing episode", "weight": 3, "window_days": 90,
                "event_types": ["missing_episode"]},
    "exclusion": {"label": "School exclusion", "weight": 2, "window_days": 365,
                  "event_types": ["school_incident"], "categories": ["exclusion"]},
    "ed_attendance": {"label": "Emergency department assault attendance", "weight": 2,
                      "window_days": 365, "event_types": ["ed_assault"]},
    "police_contact": {"label": "Police contact (incident or stop and search)", "weight": 1,
                       "window_days": 365, "event_types": ["police_incident", "stop_search"]},
    "group_tie": {"label": "Tie to someone in a group under an open group case", "weight": 3,
                  "window_days": 365, "ties": True},
}
# Who triages, oversees and approves: duties in ACCESS_ROLE_RULES.
# Assessment text autosaves this long after the practitioner stops typing.
CASES_AUTOSAVE_DELAY = os.environ.get("SAFEROPTIONS_CASES_AUTOSAVE_DELAY", "1s")
CASES_CHRONOLOGY_PAGE_SIZE = env_int("SAFEROPTIONS_CHRONOLOGY_PAGE_SIZE", 500)

# --- feeds and tasks ------------------------------------------------------------------------
# A task turns amber when this share of its time has gone, and red at breach.
TASK_AMBER_SHARE = float(os.environ.get("SAFEROPTIONS_TASK_AMBER_SHARE", "0.75"))
# Partners' clocks drift: an event this many minutes "in the future" is still accepted.
FEEDS_FUTURE_TOLERANCE_MINUTES = env_int("SAFEROPTIONS_FEEDS_FUTURE_TOLERANCE_MINUTES", 10)
# Longest free text a feed may carry (characters); longer is refused, never truncated.
FEEDS_MAX_TEXT = env_int("SAFEROPTIONS_FEEDS_MAX_TEXT", 4000)
# Largest file the import page and command accept (bytes).
FEEDS_MAX_FILE_BYTES = env_int("SAFEROPTIONS_FEEDS_MAX_FILE_BYTES", 20 * 1024 * 1024)
# Most messages one API batch (POST /api/feeds/<feed>/batches/) may hold; more is refused.
FEEDS_API_BATCH_MAX = env_int("SAFEROPTIONS_FEEDS_API_BATCH_MAX", 500)
# Deepest a JSON message may nest (a feed's own shape needs 3); deeper is refused before parsing.
FEEDS_MAX_JSON_DEPTH = env_int("SAFEROPTIONS_FEEDS_MAX_JSON_DEPTH", 64)
# A received message not processed after this long is re-enqueued by the sweep (crash repair).
FEEDS_SWEEP_AFTER_SECONDS = env_int("SAFEROPTIONS_FEEDS_SWEEP_AFTER_SECONDS", 60)
# Which feeds each kind of agency may send, by API or file (feeds/models.py::feeds_for_agency):
# a partner system's credential and a file import are both held to it.
FEEDS_BY_AGENCY_KIND = {
    "police": ["police_incident", "stop_search", "missing_episode"],
    "social_care": ["missing_episode"],
    "hospital_ed": ["ed_assault"],
    "education": ["school_incident"],
    "housing": ["housing_report"],
    "licensing": ["licensing_report"],
    "community_safety": ["community_concern"],
    "community": ["community_concern"],
    "voluntary": ["community_concern"],
    "youth_services": ["community_concern"],
}
# Rules and teams are re-read by the worker this often (seconds): a rule change applies
# within this time, without a query per event.
TASKS_REFERENCE_CACHE_SECONDS = float(
    os.environ.get("SAFEROPTIONS_TASKS_CACHE_SECONDS", "0" if TESTING else "5")
)
# The worker takes up to this many waiting messages per transaction (one commit, one audit
# row); smaller means each task appears sooner, larger means more messages a second.
FEEDS_PROCESS_BATCH = env_int("SAFEROPTIONS_FEEDS_PROCESS_BATCH", 10)
# A message that breaks the handler this many times is quarantined for a person to look at.
FEEDS_MAX_ATTEMPTS = env_int("SAFEROPTIONS_FEEDS_MAX_ATTEMPTS", 3)
# How often the live task inbox refreshes itself (seconds).
TASKS_REFRESH_SECONDS = env_int("SAFEROPTIONS_TASKS_REFRESH_SECONDS", 5)

# --- linkage ----------------------------------------------------------------------------------
# Links above the first probability are made automatically; between the two they go to a
# person in the clerical review queue; below the second, nothing. The review threshold is where
# bench.linkage's curve reaches 0.98 recall with room (docs/linkage.md, "Measured").
LINKAGE_AUTO_LINK_PROBABILITY = float(os.environ.get("SAFEROPTIONS_LINKAGE_AUTO_LINK", "0.99"))
LINKAGE_REVIEW_PROBABILITY = float(os.environ.get("SAFEROPTIONS_LINKAGE_REVIEW", "0.3"))
# A record with fewer usable details than this can only be matched by a reviewer; one without
# even a full name, or a name with a date of birth, postcode or phone, waits unmatched.
LINKAGE_MIN_DETAILS = env_int("SAFEROPTIONS_LINKAGE_MIN_DETAILS", 3)
LINKAGE_INDEX_REFRESH_SECONDS = env_int("SAFEROPTIONS_LINKAGE_INDEX_REFRESH_SECONDS", 300)
# DuckDB's memory for a batch linkage run (DuckDB's units, e.g. "4GB"); beyond it, it spills to
# a temporary folder. Empty: DuckDB's own default, 80% of the machine.
LINKAGE_MEMORY_LIMIT = os.environ.get("SAFEROPTIONS_LINKAGE_MEMORY_LIMIT", "4GB") or None
# Who reviews, merges and tunes: duties in ACCESS_ROLE_RULES (never the DPO, who oversees it).
LINKAGE_REVIEW_PAGE_SIZE = env_int("SAFEROPTIONS_LINKAGE_REVIEW_PAGE_SIZE", 50)
# The threshold read-out groups decided pairs into these match-probability bands.
LINKAGE_TUNING_BANDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0]

# --- api --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The partner API (feeds/throttles.py) counts callers without a credential (anon) and with a
    # wrong one per address, and each partner system per credential (above bench.feeds' 50/s).
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("SAFEROPTIONS_THROTTLE_ANON", "30/min"),
        "user": "600/min",
        "partner_bad_token": os.environ.get("SAFEROPTIONS_THROTTLE_BAD_TOKEN", "10/min"),
        "partner": os.environ.get("SAFEROPTIONS_THROTTLE_PARTNER", "6000/min"),
    },
    # The caller's address is REMOTE_ADDR unless this many proxies in front add theirs to
    # X-Forwarded-For (with none, a caller could name any address there and never be slowed).
    "NUM_PROXIES": env_int("SAFEROPTIONS_NUM_PROXIES", 0),
}
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
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "safer-options@example.org")

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

# --- contexts -------------------------------------------------------------------------------
# H3 resolution 9 cells are about 0.1 km2: a street or a park, small enough to target outreach.
H3_RESOLUTION = env_int("SAFEROPTIONS_H3_RESOLUTION", 9)
# Peer groups (docs/analytics.md, docs/contexts.md): how much one link of each kind adds to a tie.
CONTEXTS_TIE_WEIGHTS = {"co_involvement": 1.0, "association": 2.0, "intelligence": 1.0}
# Older links count for less when set (days for a link to lose half its weight); None: off.
CONTEXTS_RECENCY_HALF_LIFE_DAYS = None
# A crowd at one incident is not a peer group: larger events create no ties.
CONTEXTS_MAX_EVENT_SIZE = env_int("SAFEROPTIONS_CONTEXTS_MAX_EVENT_SIZE", 10)
CONTEXTS_GROUP_RESOLUTION = float(os.environ.get("SAFEROPTIONS_CONTEXTS_GROUP_RESOLUTION", "2.0"))
CONTEXTS_MIN_GROUP_SIZE = env_int("SAFEROPTIONS_CONTEXTS_MIN_GROUP_SIZE", 3)
# Finding groups takes about 0.3 s for the demo city; a large city runs it in the worker.
CONTEXTS_GROUPS_IN_BACKGROUND = env_bool("SAFEROPTIONS_CONTEXTS_GROUPS_IN_BACKGROUND", False)
# Counts of people or events below this are shown as "<n" on context and hot-spot pages.
CONTEXTS_SUPPRESSION_THRESHOLD = SMALL_NUMBER_THRESHOLD
# Hot spots: Getis-Ord Gi* over H3 cells; k rings of neighbours; false discovery rate at alpha.
CONTEXTS_HOTSPOT_K = env_int("SAFEROPTIONS_CONTEXTS_HOTSPOT_K", 1)
CONTEXTS_HOTSPOT_ALPHA = float(os.environ.get("SAFEROPTIONS_CONTEXTS_HOTSPOT_ALPHA", "0.05"))
CONTEXTS_HOTSPOT_CORRECTION = "fdr_bh"
CONTEXTS_HOTSPOT_EVENT_TYPES = ["ed_assault", "police_incident"]
# The city's box (degrees): places and hot-spot events must fall inside it.
CONTEXTS_CITY_BOX = {"min_lat": 51.39, "min_lng": -2.73, "max_lat": 51.55, "max_lng": -2.50}
# A map background from a tile server is off: maps are drawn from our own data. A URL here
# (e.g. a partner's own tile server) is shown as a link only; nothing is fetched at run time.
CONTEXTS_TILE_SERVER_URL = os.environ.get("SAFEROPTIONS_CONTEXTS_TILE_SERVER_URL", "")
# Hospital free-text locations: resolved when the best place scores this (0-100) and beats the
# next place by the margin; otherwise listed for a person to resolve.
CONTEXTS_PLACE_MATCH_THRESHOLD = float(os.environ.get("SAFEROPTIONS_PLACE_MATCH_THRESHOLD", "80"))
CONTEXTS_PLACE_MATCH_MARGIN = float(os.environ.get("SAFEROPTIONS_PLACE_MATCH_MARGIN", "5"))
# Outcome measures for a context: equal windows before and after the case opened (days), and
# which events count as concerns (by type, or by concern category).
CONTEXTS_OUTCOME_WINDOW_DAYS = env_int("SAFEROPTIONS_CONTEXTS_OUTCOME_WINDOW_DAYS", 90)
# No rate or trend is claimed until the case has been open this many days.
CONTEXTS_OUTCOME_MIN_DAYS = env_int("SAFEROPTIONS_CONTEXTS_OUTCOME_MIN_DAYS", 30)
CONTEXTS_CONCERN_EVENT_TYPES = ["community_concern", "licensing_report"]
CONTEXTS_CONCERN_CATEGORIES = ["exploitation", "sexual_exploitation", "weapon", "knife"]
# Who runs, views, refers and analyses context cases: duties in ACCESS_ROLE_RULES.

# --- meetings -------------------------------------------------------------------------------
# The weekly multi-agency meeting in each locality (docs/meetings.md). Weekday: 0 is Monday.
MEETINGS_WEEKDAY = env_int("SAFEROPTIONS_MEETINGS_WEEKDAY", 1)
MEETINGS_START = os.environ.get("SAFEROPTIONS_MEETINGS_START", "10:00")
# Who chairs and who may be invited: duties in ACCESS_ROLE_RULES.
# With no earlier meeting in the locality, the first agenda looks back this many days.
MEETINGS_LOOKBACK_DAYS = env_int("SAFEROPTIONS_MEETINGS_LOOKBACK_DAYS", 7)
# An action due on a day is due by this local time (its task's due time).
MEETINGS_ACTION_DUE_TIME = os.environ.get("SAFEROPTIONS_MEETINGS_ACTION_DUE_TIME", "17:00")
# The nightly build and the morning refresh (local times; the schedules are created when the
# app's migrations run, so a change here needs the two django-q2 schedules edited in admin).
MEETINGS_NIGHTLY_BUILD_TIME = "01:00"
MEETINGS_MORNING_REFRESH_TIME = "09:55"

# --- intelligence -----------------------------------------------------------------------------
# Submissions, 3x5x2 grading, sanitised sharing and the community page (docs/intelligence.md).
INTELLIGENCE_PAGE_SIZE = env_int("SAFEROPTIONS_INTELLIGENCE_PAGE_SIZE", 50)
INTELLIGENCE_MAX_TEXT = env_int("SAFEROPTIONS_INTELLIGENCE_MAX_TEXT", 5000)
# The public page: at most this many reports from one address per window (seconds), counted in
# the shared `throttle` cache under a keyed hash of the address, which expires with the window.
INTELLIGENCE_COMMUNITY_LIMIT = env_int("SAFEROPTIONS_INTELLIGENCE_COMMUNITY_LIMIT", 5)
INTELLIGENCE_COMMUNITY_WINDOW_SECONDS = env_int("SAFEROPTIONS_INTELLIGENCE_COMMUNITY_WINDOW", 600)
# The key for hashing addresses; its own value lets it rotate apart from SECRET_KEY.
INTELLIGENCE_ADDRESS_KEY = os.environ.get("SAFEROPTIONS_INTELLIGENCE_ADDRESS_KEY", SECRET_KEY)
# Matching without revealing identities: the partnership's key for the keyed Bloom filters
# (given to partners who encode on their side; a change means re-encoding), derived from the
# secret key unless set; agencies of these kinds may report a worry; encoded reports are kept
# this many days (0: deleted once checked); the in-memory index is rebuilt after this long.
SAFEROPTIONS_PPRL_KEY = os.environ.get("SAFEROPTIONS_PPRL_KEY") or hmac.new(
    SECRET_KEY.encode(), b"saferoptions-pprl", "sha256").hexdigest()
INTELLIGENCE_PPRL_AGENCY_KINDS = ("business", "community", "voluntary", "licensing", "housing",
                                  "community_safety")
INTELLIGENCE_PPRL_KEEP_DAYS = env_int("SAFEROPTIONS_INTELLIGENCE_PPRL_KEEP_DAYS", 0)
INTELLIGENCE_PPRL_INDEX_SECONDS = env_int("SAFEROPTIONS_INTELLIGENCE_PPRL_INDEX_SECONDS", 300)

# --- interventions ----------------------------------------------------------------------------
# The young person's and parent's one-time feedback link (docs/interventions.md): days it lasts,
# and at most this many tries from one address per window (seconds), counted like the
# community page under a keyed hash of the address.
INTERVENTIONS_FEEDBACK_LINK_DAYS = env_int("SAFEROPTIONS_INTERVENTIONS_FEEDBACK_LINK_DAYS", 14)
INTERVENTIONS_FEEDBACK_LIMIT = env_int("SAFEROPTIONS_INTERVENTIONS_FEEDBACK_LIMIT", 10)
INTERVENTIONS_FEEDBACK_WINDOW_SECONDS = env_int("SAFEROPTIONS_INTERVENTIONS_FEEDBACK_WINDOW", 600)

# --- synthetic city ---------------------------------------------------------------------------
# Ground truth lives outside the application database, where no screen or API can read it.
# How many children each demo practitioner works with in the demo city.
DEMO_CASELOAD_SIZE = env_int("SAFEROPTIONS_DEMO_CASELOAD_SIZE", 15)
EVALUATION_DIR = Path(os.environ.get("SAFEROPTIONS_EVALUATION_DIR", VAR_DIR / "evaluation"))
