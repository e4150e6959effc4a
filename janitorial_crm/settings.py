"""Settings for the janitorial CRM, all driven by the environment (django-environ).

Every variable read here is documented in `.env.example`. Development works with no
environment at all; production (DEBUG off) refuses to start on an unsafe configuration.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

# Refused below when DEBUG is off.
DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105  # nosec B105

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}


def check_safe_configuration(*, debug, secret_key, allowed_hosts):
    """Refuse configurations that must never reach the internet.

    Kept as a function so that tests can exercise every rule without re-importing settings.
    """
    if not debug:
        if not secret_key or secret_key == DEV_SECRET_KEY or len(secret_key) < 40:
            raise ImproperlyConfigured(
                "SECRET_KEY must be set to a long random value when DEBUG is off."
            )
        if not allowed_hosts:
            raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
    elif any(host == "*" or host.lstrip(".") not in LOCAL_HOSTS for host in allowed_hosts):
        raise ImproperlyConfigured(
            "DEBUG must be off when ALLOWED_HOSTS names a public host: "
            "debug pages would leak settings and source code."
        )


check_safe_configuration(debug=DEBUG, secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "bootstrap",
    "csp",
    "axes",
    "janitorial_crm",
    "sites",
    "scheduling",
    "inventory",
    "inspections",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "portal",
    "pickers",
    "live",
    "demo",
]

MIDDLEWARE = [
    # Outermost, so that every response carries these headers, error pages included: a request
    # with a bad Host header is answered by CommonMiddleware, and a database failure by whichever
    # middleware first loads the user, before any middleware below them sees a response.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "janitorial_crm.middleware.PrivateCacheMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "janitorial_crm.middleware.RoleRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "janitorial_crm.urls"
WSGI_APPLICATION = "janitorial_crm.wsgi.application"

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
                "csp.context_processors.nonce",
                "portal.context_processors.navigation",
            ],
        },
    },
]


# --- Database -------------------------------------------------------------------------------
def database_config(url):
    """The DATABASES entry for a DATABASE_URL, with our connection policy applied."""
    config = environ.Env.db_url_config(url)
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the busy
        # timeout instead of failing with "database is locked" when a reader upgrades to a write.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        config["CONN_MAX_AGE"] = 0
    elif env.bool("DATABASE_POOL", default=False):
        # Under the ASGI server each request's sync code runs in a thread of its own, so a
        # persistent connection (CONN_MAX_AGE) would be one per thread: a pool per process
        # hands connections out per request instead (psycopg's pool; docs/LIVE.md).
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 2,
            "max_size": env.int("DATABASE_POOL_SIZE", default=10),
        }
    return config


DATABASES = {
    "default": database_config(
        env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    ),
}

# Default: memory of each process. With several workers, name a shared cache so that rate limits
# count across them, e.g. CACHE_URL=redis://127.0.0.1:6379/1.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Whether every worker sees the same cache (redis, memcached). Only then are sessions and
# permissions kept in it: with the default per-process memory, a logout or a role change made
# through one worker would not reach the copies the other workers keep.
CACHE_SHARED = env.bool(
    "CACHE_SHARED",
    default=CACHES["default"]["BACKEND"].startswith(
        (
            "django.core.cache.backends.redis.",
            "django.core.cache.backends.memcached.",
            "django_redis.",
        )
    ),
)
# Sessions: with a shared cache, read from it and written through to the database (a restart of
# the cache logs nobody out); without one, from the database on every request (cached per
# process, a logout through one worker would leave the session alive in the others).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_SHARED
    else "django.contrib.sessions.backends.db"
)
# How long a user's permissions may stay in the shared cache. A role change renews them at once
# (janitorial_crm/access_cache.py); this bounds only writes that bypass Django's signals.
ACCESS_CACHE_SECONDS = env.int("ACCESS_CACHE_SECONDS", default=60 * 60)
# How long the navigation's low-stock count may be reused (shared cache only); the badge
# recounts as soon as the live stream announces a stock change.
LOW_STOCK_BADGE_SECONDS = env.int("LOW_STOCK_BADGE_SECONDS", default=30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "janitorial_crm.User"

# --- Authentication -------------------------------------------------------------------------
# Axes first: it refuses a locked-out login before any password is hashed. Ours is ModelBackend
# with permissions read through janitorial_crm/access_cache.py. Sessions name the backend that
# logged their user in: sessions made under "django.contrib.auth.backends.ModelBackend" (before
# this backend) are logged out once, when this setting is deployed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "janitorial_crm.backends.CachedPermissionsBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Argon2id at OWASP's minimum (its password storage cheat sheet: m = 19 MiB, t = 2, p = 1), in
# janitorial_crm/hashers.py. Django's default Argon2 parameters (m = 100 MiB, 8 lanes) cost 4-10x
# the CPU time and 100 MiB of RSS per login in progress: on a 2-core box a burst of logins queued
# behind them and grew the workers by hundreds of MiB, while 8 lanes buy nothing on 2 cores
# (bench/hasher.py, docs/PERFORMANCE.md). Every older hash (PBKDF2 and the other hashers below,
# which only verify, or Argon2 with other parameters) is re-hashed with these at its owner's next
# login. The class replaces Django's Argon2PasswordHasher, which must not be listed as well: both
# read "argon2$..." hashes, and the last one listed would take them.
PASSWORD_HASHERS = [
    "janitorial_crm.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures count per account, not per spelling: "LockTest" and "ｌｏｃｋｔｅｓｔ" are "locktest".
AXES_USERNAME_CALLABLE = "janitorial_crm.usernames.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

# Sign-up and password reset send e-mail: each client address and each target e-mail address
# may ask this many times an hour (counted in the cache below).
THROTTLE_PER_IP = env.int("THROTTLE_PER_IP", default=20)
THROTTLE_PER_EMAIL = env.int("THROTTLE_PER_EMAIL", default=3)

# Sessions: a night shift is ~10 hours; after 12 hours the user logs in again.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = []

# Content-Security-Policy: no inline script or style anywhere; the few inline tags that must
# exist (htmx's loader) carry the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Internationalisation and time ----------------------------------------------------------
LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# How protected media (inspection photos) is handed to the client: "django" streams it from the
# permission-checked view; "nginx" answers with X-Accel-Redirect to MEDIA_INTERNAL_PREFIX.
MEDIA_SERVE_MODE = env.str("MEDIA_SERVE_MODE", default="django")
MEDIA_INTERNAL_PREFIX = env.str("MEDIA_INTERNAL_PREFIX", default="/protected-media/")
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- E-mail ---------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="crm@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Third-party ----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- REST API (/api/v1/) ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.GatePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "EXCEPTION_HANDLER": "api.errors.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.TokenRateThrottle",
        "api.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_RATE_PER_TOKEN", default="1200/minute"),
        "anon": env.str("API_RATE_ANONYMOUS", default="60/minute"),
    },
    "NUM_PROXIES": env.int("AXES_PROXY_COUNT", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Janitorial CRM API",
    "DESCRIPTION": (
        "Sites, visits, stock and inspections, behind the same access rules as the portal. "
        "Errors are RFC 9457 problem details; POSTs take an Idempotency-Key; object answers "
        "carry an ETag and changes take If-Match."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MovementKindEnum": "inventory.models.MovementKind",
        "PhotoKindEnum": "inspections.models.PhotoKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_errors_and_retries",
    ],
}
# A retried POST with the same Idempotency-Key within this many hours gets the first answer.
IDEMPOTENCY_KEY_HOURS = env.int("IDEMPOTENCY_KEY_HOURS", default=24)
# The address people and programs reach the CRM at (e.g. https://crm.example.com), for absolute
# links where there is no request to take it from (webhook payloads). Empty: relative links.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="")
# Webhooks: a delivery is tried at most this many times (1, 2, 4 … minutes apart); an endpoint
# is paused after this many failed attempts in a row (any delivery).
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_PAUSE_AFTER_FAILURES = env.int("WEBHOOK_PAUSE_AFTER_FAILURES", default=20)

# --- Product settings -----------------------------------------------------------------------
# Recurring visits are materialised this many weeks ahead.
SCHEDULE_HORIZON_WEEKS = env.int("SCHEDULE_HORIZON_WEEKS", default=8)
# Corrective actions open longer than this many days are flagged overdue.
CORRECTIVE_ACTION_OVERDUE_DAYS = env.int("CORRECTIVE_ACTION_OVERDUE_DAYS", default=7)
# Sites not inspected for this many days are flagged on the dashboard.
INSPECTION_STALE_DAYS = env.int("INSPECTION_STALE_DAYS", default=30)
# Upload limits for inspection photos.
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=15 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)
PHOTO_MAX_DIMENSION = env.int("PHOTO_MAX_DIMENSION", default=2048)
PHOTO_THUMBNAIL_SIZE = env.int("PHOTO_THUMBNAIL_SIZE", default=320)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Stock forecast window (days of usage history) and the warning horizon.
STOCK_FORECAST_WINDOW_DAYS = env.int("STOCK_FORECAST_WINDOW_DAYS", default=30)
STOCK_FORECAST_WARN_DAYS = env.int("STOCK_FORECAST_WARN_DAYS", default=7)

# Live updates (/live/, docs/LIVE.md). With REDIS_URL set, events fan out through Redis to every
# process and machine; without it, one process serves them from memory.
LIVE_REDIS_URL = env.str("REDIS_URL", default="")
LIVE_REDIS_KEY = env.str("LIVE_REDIS_KEY", default="janitorial_crm:live")
# Replay for reconnecting clients: every event of the last LIVE_REPLAY_SECONDS and never fewer
# than the last LIVE_REPLAY_EVENTS, up to LIVE_REPLAY_MAX_EVENTS; a client that missed more than
# LIVE_REPLAY_LIMIT events it may see is told to redraw (`reset`).
LIVE_REPLAY_SECONDS = env.int("LIVE_REPLAY_SECONDS", default=600)
LIVE_REPLAY_EVENTS = env.int("LIVE_REPLAY_EVENTS", default=10_000)
LIVE_REPLAY_MAX_EVENTS = env.int("LIVE_REPLAY_MAX_EVENTS", default=100_000)
LIVE_REPLAY_LIMIT = env.int("LIVE_REPLAY_LIMIT", default=1_000)
LIVE_HEARTBEAT_SECONDS = env.int("LIVE_HEARTBEAT_SECONDS", default=15)
LIVE_STREAM_SECONDS = env.int("LIVE_STREAM_SECONDS", default=300)
LIVE_RETRY_MS = env.int("LIVE_RETRY_MS", default=3000)
LIVE_QUEUE_SIZE = env.int("LIVE_QUEUE_SIZE", default=1000)
