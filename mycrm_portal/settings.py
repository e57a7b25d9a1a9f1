"""Settings of the portal, all read from the environment (and a `.env` file when present).

The defaults are the embedded development set-up (`make run`): DEBUG on, SQLite, the database
cache, the sandbox CRM and serviceability service mounted in the same server. With DEBUG off the
settings that production must provide are required, and a missing one stops the server with
ImproperlyConfigured instead of running half-configured. Every variable is listed in README.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")


def _required(name):
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off (see README.md, 'Configuration').")


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def env_bool(name: str, *, default: bool) -> bool:
    """A boolean setting: true/false, 1/0, yes/no or on/off, any case. Anything else stops the
    start-up naming the variable: a switch that guesses (SANDBOX_ENABLED=flase read as false) is worse."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw[:20]!r} is not a boolean: use true or false (or 1/0, yes/no, on/off).")


# The values .env.example ships with: a production server must never start with them.
_PLACEHOLDERS = {
    "SECRET_KEY": "change-me-to-50-random-characters-9f8Q2mZkL0xW3vR7tY1uA6sD4fG8hJ2kL5zX",
    "FIELD_ENCRYPTION_KEYS": "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=",
}


DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        _required("SECRET_KEY")
    SECRET_KEY = "dev-only-insecure-secret-key-never-use-in-production-0123456789"  # noqa: S105 (DEBUG only)

if not DEBUG and _PLACEHOLDERS["SECRET_KEY"] == SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is still the placeholder of .env.example: set a random one.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    _required("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The company the portal works for: shown in titles and on the public share page.
COMPANY_NAME = env.str("COMPANY_NAME", default="MyCRM Sales")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "mycrm_portal",
    "mycrm_portal.crm",
    "mycrm_portal.sandbox",
    "leads",
    "serviceability",
    "crmrecords",
    "dashboard",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # NUL and control characters out of every query parameter and form value, before anything reads them.
    "mycrm_portal.inputs.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mycrm_portal.middleware.HtmxLoginRedirectMiddleware",
    # Last, so that it sees the authentication result of the views it protects.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mycrm_portal.urls"
WSGI_APPLICATION = "mycrm_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "mycrm_portal.context_processors.portal",
            ],
            # |when and |ago (one date format, relative times where they help) on every page.
            "builtins": ["mycrm_portal.templatetags.portal"],
        },
    },
]

# Django's form renderer with the common widgets written in Python (mycrm_portal/formrender.py).
FORM_RENDERER = "mycrm_portal.formrender.PortalFormRenderer"

# Database: SQLite by default, PostgreSQL (psycopg 3) in production through DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at the start of a
    # transaction, so that concurrent writers queue up (for `timeout` seconds) instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # The test database is a file, so that the live server's threads and the tests' threads
    # each have a connection of their own, as processes would.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
# Each thread keeps its connection between requests (up to CONN_MAX_AGE seconds, checked before
# reuse): opening one costs about 0.6 ms on SQLite (Django registers its functions, the PRAGMA) and
# 2.5-3 ms on PostgreSQL; with one per request, a signed-in page on SQLite took 1.2-1.7 ms longer.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared by every process (CRM login locks, address results, rate limits). The default is
# the database cache, which needs no service; production uses Redis through CACHE_URL.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://portal_cache")}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 2, "socket_timeout": 2})
CACHES["default"].setdefault("KEY_PREFIX", env.str("CACHE_KEY_PREFIX", default="portal"))
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # Its writes on SQLite do not wait for the disk (what it holds may be lost; see dbcache.py).
    CACHES["default"]["BACKEND"] = "mycrm_portal.dbcache.DatabaseCache"
if not CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # The database and local-memory caches drop a third of their entries past MAX_ENTRIES
    # (300 by default), in key order: login and single-flight locks would be among them.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 100_000)

# Background tasks (CRM retries): django-tasks-db, worked by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins: 5 for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Behind proxies, the client address comes from X-Forwarded-For, counting PROXY_COUNT from the right
# (sign-in throttling and the public share links' rate limit both use it).
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = False
USE_TZ = True
# "Dec 2, 2026, 7:37 AM" everywhere (mycrm_portal/formats/en/formats.py).
FORMAT_MODULE_PATH = ["mycrm_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_STORAGE", default="whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
if DEBUG:
    # runserver serves the source files; hashed names come from `collectstatic` in production.
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

# Content Security Policy: scripts only from here and by nonce; no inline styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# HTTPS and cookies: on whenever DEBUG is off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", default=False) else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
X_FRAME_OPTIONS = "DENY"

# Field encryption (CRM access keys, session ids, SSNs, license numbers, birthdays): Fernet keys,
# comma-separated, the first one encrypts and all of them decrypt (MultiFernet), so a key can be
# rotated: put the new key first, run `manage.py rotate_encryption_keys`, then drop the old one.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
if not DEBUG and _PLACEHOLDERS["FIELD_ENCRYPTION_KEYS"] in FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS still holds the placeholder key of .env.example: generate your own (see .env.example)."
    )
if not FIELD_ENCRYPTION_KEYS and not DEBUG:
    # In development a key is derived from SECRET_KEY (mycrm_portal/crypto.py).
    _required("FIELD_ENCRYPTION_KEYS")

# The sandbox: a MyCRM and serviceability emulator for development, demos and tests. On by default
# with DEBUG; with DEBUG off only when SANDBOX_ENABLED=true is set explicitly.
SANDBOX_ENABLED = env_bool("SANDBOX_ENABLED", default=DEBUG)
SANDBOX_ACCESS_KEY = env.str("SANDBOX_ACCESS_KEY", default="sandboxAccessKey0123")
SANDBOX_SESSION_IDLE_SECONDS = env.int("SANDBOX_SESSION_IDLE_SECONDS", default=1800)
SANDBOX_CHALLENGE_TTL_SECONDS = env.int("SANDBOX_CHALLENGE_TTL_SECONDS", default=300)
# Which MyCRM the sandbox plays: "mycrm" (vtiger 8 with MyCRM's custom fields) or "stock-vtiger" (a
# default vtiger 8.2 as captured: no custom fields but one cf_ field, emoji stored as ????).
SANDBOX_PROFILE = env.str("SANDBOX_PROFILE", default="mycrm")
if SANDBOX_PROFILE not in ("mycrm", "stock-vtiger"):
    raise ImproperlyConfigured(f"SANDBOX_PROFILE must be mycrm or stock-vtiger, not {SANDBOX_PROFILE!r}.")
_own_server = env.str("PORTAL_SELF_URL", default="http://127.0.0.1:8000").rstrip("/")

# The CRM ("MyCRM", vtiger webservice protocol).
MYCRM_URL = env.str("MYCRM_URL", default="").rstrip("/")
SERVICEABILITY_URL = env.str("SERVICEABILITY_URL", default="").rstrip("/")
if SANDBOX_ENABLED:
    MYCRM_URL = MYCRM_URL or f"{_own_server}/sandbox"
    SERVICEABILITY_URL = SERVICEABILITY_URL or f"{_own_server}/sandbox/fcc"
elif not MYCRM_URL or not SERVICEABILITY_URL:
    raise ImproperlyConfigured(
        "MYCRM_URL and SERVICEABILITY_URL must be set when the sandbox is off "
        "(it is off with DEBUG=False unless SANDBOX_ENABLED=true)."
    )

CRM_CONNECT_TIMEOUT = env.float("CRM_CONNECT_TIMEOUT", default=3.05)
CRM_READ_TIMEOUT = env.float("CRM_READ_TIMEOUT", default=10.0)
# A session unused for longer than this is extended (extendsession) before it is used again.
CRM_SESSION_EXTEND_AFTER = env.int("CRM_SESSION_EXTEND_AFTER", default=15 * 60)
# A session older than this is replaced by a new login, whatever the CRM says.
CRM_SESSION_MAX_AGE = env.int("CRM_SESSION_MAX_AGE", default=24 * 3600)
# The CRM's picklists and user list are cached this long.
CRM_DESCRIBE_CACHE_SECONDS = env.int("CRM_DESCRIBE_CACHE_SECONDS", default=3600)

# Whether this MyCRM's database keeps 4-byte characters (emoji): a default vtiger (utf8mb3 tables)
# stores them as ????, so the forms refuse them unless this says otherwise.
MYCRM_TEXT_4BYTE = env_bool("MYCRM_TEXT_4BYTE", default=False)
# How long the CRM may still be working on a request the portal stopped waiting for (a PHP server's
# own limit): a create that timed out is looked for only after this, never created again before.
CRM_REQUEST_MAX_SECONDS = env.int("CRM_REQUEST_MAX_SECONDS", default=120)
# The audit trail of CRM writes (crm.CrmWrite) keeps this many days; older rows are pruned daily.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=400)

# Where MyCRM cannot convert a lead (a stock vtiger 8.2 on PHP 8), the portal creates the contact and
# sets the lead's status to this, when set (a value of MyCRM's leadstatus picklist).
LEAD_CONVERTED_STATUS = env.str("LEAD_CONVERTED_STATUS", default="")

# Submissions the CRM could not take are retried in the background with growing delays.
SYNC_RETRY_BASE_SECONDS = env.int("SYNC_RETRY_BASE_SECONDS", default=30)
SYNC_RETRY_MAX_SECONDS = env.int("SYNC_RETRY_MAX_SECONDS", default=3600)

# The serviceability (address check) service.
SERVICEABILITY_CONNECT_TIMEOUT = env.float("SERVICEABILITY_CONNECT_TIMEOUT", default=3.05)
SERVICEABILITY_READ_TIMEOUT = env.float("SERVICEABILITY_READ_TIMEOUT", default=15.0)
SERVICEABILITY_CACHE_TTL = env.int("SERVICEABILITY_CACHE_TTL", default=24 * 3600)
# Calls to the address service per second, at most, shared by every process (bulk lists, /check/).
SERVICEABILITY_MAX_RPS = env.int("SERVICEABILITY_MAX_RPS", default=5)
# Rows of a bulk address list checked at once by one worker (cached ones need not wait for a slot).
BULK_CHECK_THREADS = env.int("BULK_CHECK_THREADS", default=4)
# How long a good result is kept to be shown, marked stale, when the service is down.
SERVICEABILITY_STALE_TTL = env.int("SERVICEABILITY_STALE_TTL", default=30 * 24 * 3600)

# Public share links for address results.
SHARE_LINK_DAYS = env.int("SHARE_LINK_DAYS", default=14)
SHARE_RATE_LIMIT_PER_MINUTE = env.int("SHARE_RATE_LIMIT_PER_MINUTE", default=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # urllib3 logs whole request URLs at DEBUG; nothing secret is in ours, but keep them out.
        "urllib3": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
