"""Settings shared by every environment; values come from environment variables."""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent  # src/chongdich
PROJECT_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CHONGDICH_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEFAULT_SECRET_KEY = "chongdich-insecure-development-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "django_tables2",
    "import_export",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "chongdich.core",
    "chongdich.territory",
    "chongdich.accounts",
    "chongdich.desk",
    "chongdich.people",
    "chongdich.surveillance",
    "chongdich.testing",
    "chongdich.care",
    "chongdich.vaccination",
    "chongdich.movement",
    "chongdich.forecast",
    "chongdich.notices",
    "chongdich.tallies",
    "chongdich.risk",
    "chongdich.dashboard",
    "chongdich.reports",
    "chongdich.portal",
    "chongdich.api",
    "chongdich.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chongdich.core.i18n.VietnameseFirstLocaleMiddleware",
    "chongdich.core.edge.EdgeInputMiddleware",  # NUL bytes: a 400 before any lookup
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chongdich.core.context.RequestContextMiddleware",
    "chongdich.core.headers.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chongdich.urls"
WSGI_APPLICATION = "chongdich.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chongdich.core.context_processors.navigation",
            ],
        },
    }
]

# SQLite (WAL) is the embedded default; DATABASE_URL switches to PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'chongdich.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if env_bool("DATABASE_POOL", False):
        DATABASES["default"]["OPTIONS"] = {"pool": {"min_size": 2, "max_size": 10}}
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = 60
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "phone", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Vietnamese passwords, the system's name and the username in any form (accounts/passwords.py).
    {"NAME": "chongdich.accounts.passwords.GuessablePasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# The client's address.  Behind a reverse proxy (nginx) every request comes from the proxy's address: the
# client's is taken from the header the proxy sets, but only for requests that come from one of
# TRUSTED_PROXIES (so that nobody reaching the server directly can claim any address).  TRUSTED_PROXY_COUNT
# proxies in a row (1: nginx alone) each append to X-Forwarded-For; the client is read that far from the end.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
for _proxy in TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a mistyped address stops the start, it is never ignored
TRUSTED_PROXY_COUNT = max(1, int(os.environ.get("TRUSTED_PROXY_COUNT", "1")))
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "X-Forwarded-For")
if TRUSTED_PROXIES:
    # X-Forwarded-Proto too is believed only behind a proxy (request.is_secure(), the HTTPS redirect).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Lockout after repeated failures (django-axes): 5 failures per username + client address lock for 30
# minutes; the address is the real client's (core.context.client_ip), not the proxy's, so that one
# client can never lock an account for everyone.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "chongdich.core.context.client_ip"
# django-ipware reads the proxy's header: the proxies before the last one are listed in it.
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_" + CLIENT_IP_HEADER.upper().replace("-", "_"),)

# API tokens expire: a token is issued for API_TOKEN_DAYS days unless its owner chooses fewer (at most
# API_TOKEN_MAX_DAYS).
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
API_TOKEN_MAX_DAYS = max(API_TOKEN_DAYS, int(os.environ.get("API_TOKEN_MAX_DAYS", "365")))
# The interactive API reference (/api/v1/docs) and its schema need a login unless made public.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", False)

# Sessions expire after 8 idle hours (a working shift) and on browser close.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["chongdich.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Third-party assets come from installed xstatic packages, never a CDN.
from chongdich.core.assets import xstatic_dirs  # noqa: E402

STATICFILES_DIRS += xstatic_dirs()

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Imports: the largest sheet accepted (the officers' longest lists, 100,000 persons, fit), and the memory and
# CPU time the child process that parses a workbook may use before the file is refused.
CHONGDICH_IMPORT_MAX_ROWS = int(os.environ.get("CHONGDICH_IMPORT_MAX_ROWS", "200000"))
CHONGDICH_IMPORT_MAX_COLUMNS = int(os.environ.get("CHONGDICH_IMPORT_MAX_COLUMNS", "200"))
CHONGDICH_IMPORT_READER_MEMORY_MB = int(os.environ.get("CHONGDICH_IMPORT_READER_MEMORY_MB", "1024"))
CHONGDICH_IMPORT_READER_CPU_SECONDS = int(os.environ.get("CHONGDICH_IMPORT_READER_CPU_SECONDS", "300"))
CHONGDICH_IMPORT_CHUNK_ROWS = int(os.environ.get("CHONGDICH_IMPORT_CHUNK_ROWS", "1000"))  # rows saved per transaction
# The national vaccination platform's export (a province's day can pass a million doses): its own limits.
CHONGDICH_PLATFORM_IMPORT_MAX_ROWS = int(os.environ.get("CHONGDICH_PLATFORM_IMPORT_MAX_ROWS", "1200000"))
CHONGDICH_PLATFORM_IMPORT_MAX_MB = int(os.environ.get("CHONGDICH_PLATFORM_IMPORT_MAX_MB", "250"))
# Task workers (chongdich task_worker) beat every few seconds; one on another machine that has not beaten for
# STALE seconds is dead and its work is resumed (one on this machine is dead as soon as its process is gone).
# Workers look for such work when they start and every RECOVERY_INTERVAL seconds; a job is given up after
# MAX_RECOVERIES deaths of its worker.
CHONGDICH_WORKER_BEAT_SECONDS = float(os.environ.get("CHONGDICH_WORKER_BEAT_SECONDS", "5"))
CHONGDICH_WORKER_STALE_SECONDS = float(os.environ.get("CHONGDICH_WORKER_STALE_SECONDS", "60"))
CHONGDICH_RECOVERY_INTERVAL_SECONDS = float(os.environ.get("CHONGDICH_RECOVERY_INTERVAL_SECONDS", "30"))
CHONGDICH_RECOVERY_GRACE_SECONDS = float(os.environ.get("CHONGDICH_RECOVERY_GRACE_SECONDS", "60"))
CHONGDICH_IMPORT_MAX_RECOVERIES = int(os.environ.get("CHONGDICH_IMPORT_MAX_RECOVERIES", "3"))

# -- movement: ingest of the event tables (docs/operations/movement.md) --------------------------------
# Group commit: calls of movement.ingest.save_events made outside a transaction are saved by a writer
# thread per process, up to this many rows in one transaction (1 = every call commits alone).
CHONGDICH_INGEST_BATCH_MAX = int(os.environ.get("CHONGDICH_INGEST_BATCH_MAX", "500"))
# How long the fast ingest front keeps a looked-up device token (a revocation takes effect within it).
CHONGDICH_DEVICE_TOKEN_CACHE_SECONDS = float(os.environ.get("CHONGDICH_DEVICE_TOKEN_CACHE_SECONDS", "5"))
# (CHONGDICH_MOVEMENT_RETENTION_DAYS, the days event rows are kept: below, with the declarations' settings.)

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# Which administrative structure a deployment uses: "legacy" (63 provinces, districts, communes,
# valid until 30/6/2025) or "current" (34 provinces, communes directly under provinces).
CHONGDICH_STRUCTURE = os.environ.get("CHONGDICH_STRUCTURE", "legacy")
CHONGDICH_HOTLINE = os.environ.get("CHONGDICH_HOTLINE", "1900 9095")
# Pin the system's "today" for training, drills and the demo (empty = the real date);
# "2021-08-20T14:00" pins the hour too.
CHONGDICH_TODAY = os.environ.get("CHONGDICH_TODAY", "")
# Plausible dates (core.dates): no case, sample, onset or exposure before the epidemic reached Viet Nam
# (23/01/2020) or after today; per-field overrides as JSON, e.g. {"case.onset_date": {"lead_days": 21}}.
CHONGDICH_EPIDEMIC_START = os.environ.get("CHONGDICH_EPIDEMIC_START", "2020-01-23")
CHONGDICH_DATE_WINDOWS = json.loads(os.environ.get("CHONGDICH_DATE_WINDOWS", "{}"))
# Movement (docs/movement): declarations and check-ins are kept this many days, then deleted (the purge
# drops whole months on PostgreSQL); the public declaration form states the period in its privacy notice.
CHONGDICH_MOVEMENT_RETENTION_DAYS = int(os.environ.get("CHONGDICH_MOVEMENT_RETENTION_DAYS", "30"))
# The public doors of movement, per client address (movement.limits, Django's cache): at most LIMIT
# requests in WINDOW seconds, then 429 until the window ends (0 = no limit).  "declaration" counts the
# form and the declarations API together; "checkin" the venue check-in page.
CHONGDICH_DECLARATION_RATE_LIMIT = int(os.environ.get("CHONGDICH_DECLARATION_RATE_LIMIT", "20"))
CHONGDICH_DECLARATION_RATE_WINDOW = int(os.environ.get("CHONGDICH_DECLARATION_RATE_WINDOW", "600"))
CHONGDICH_UNIT_SEARCH_RATE_LIMIT = int(os.environ.get("CHONGDICH_UNIT_SEARCH_RATE_LIMIT", "120"))
CHONGDICH_UNIT_SEARCH_RATE_WINDOW = int(os.environ.get("CHONGDICH_UNIT_SEARCH_RATE_WINDOW", "60"))
CHONGDICH_CHECKIN_RATE_LIMIT = int(os.environ.get("CHONGDICH_CHECKIN_RATE_LIMIT", "30"))
CHONGDICH_CHECKIN_RATE_WINDOW = int(os.environ.get("CHONGDICH_CHECKIN_RATE_WINDOW", "600"))
# Notifications (docs/operations/notices.md): email through Django's backend (SMTP from these variables in
# production; the console in dev and the demo), SMS and Zalo through a gateway class (dotted path; the
# console gateway writes the message to the log), and how many times a failed delivery is tried.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "chongdich@localhost")
CHONGDICH_SMS_GATEWAY = os.environ.get("CHONGDICH_SMS_GATEWAY", "chongdich.notices.gateways.ConsoleGateway")
CHONGDICH_ZALO_GATEWAY = os.environ.get("CHONGDICH_ZALO_GATEWAY", "chongdich.notices.gateways.ConsoleGateway")
CHONGDICH_NOTICE_MAX_ATTEMPTS = int(os.environ.get("CHONGDICH_NOTICE_MAX_ATTEMPTS", "5"))
# The epidemic map has no background map unless a tile server inside the network is given,
# e.g. "https://tiles.soyte.example.gov.vn/{z}/{x}/{y}.png" (the browser never reaches the internet).
DASHBOARD_TILE_URL = os.environ.get("DASHBOARD_TILE_URL", "")
DASHBOARD_TILE_ATTRIBUTION = os.environ.get("DASHBOARD_TILE_ATTRIBUTION", "")

# Vaccination certificates (docs/vaccination/certificates.md): the QR payload is signed with the deployment's
# Ed25519 key, kept in SIGNING_KEY_FILE (created with 0600 permissions on first use, or by
# `chongdich vaccination_signing_key`).  Keys retired by a rotation stay verifiable: their public keys
# (base64url, as the command prints them) go in SIGNING_PUBLIC_KEYS, comma-separated.  PUBLIC_URL is the
# address printed in the QR codes (e.g. "https://chongdich.soyte.example.gov.vn"); empty: the request's own.
CHONGDICH_SIGNING_KEY_FILE = Path(
    os.environ.get("CHONGDICH_SIGNING_KEY_FILE", VAR_DIR / "keys" / "certificate-signing-key.pem")
)
CHONGDICH_SIGNING_PUBLIC_KEYS = env_list("CHONGDICH_SIGNING_PUBLIC_KEYS", "")
CHONGDICH_PUBLIC_URL = os.environ.get("CHONGDICH_PUBLIC_URL", "").rstrip("/")

# Content-Security-Policy (django-csp): scripts only from this server's /static/ (no inline script, no
# eval), so that injected markup cannot run.  Styles may be inline: the server-drawn SVG charts, progress
# bars and printed decisions use style attributes, and htmx adds its indicator style.
_tile = urlsplit(DASHBOARD_TILE_URL)
_tile_origin = f"{_tile.scheme}://{_tile.netloc}" if _tile.netloc else None  # the map's background tiles
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *([_tile_origin] if _tile_origin else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
