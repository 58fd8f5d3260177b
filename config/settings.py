"""Vigil settings: one file, every deployment difference comes from the environment.

Defaults are the safe ones: DEBUG is off, so a deployment that forgets a variable fails closed.
`make run` turns DEBUG on for local use.
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG", False)


def secret_key_from_file(path: Path) -> str:
    """A random key made once and kept in a private file, for when SECRET_KEY is not given.

    Every process on the machine reads the same key, so sessions and signed links survive
    restarts; a deployment that can't write there must set SECRET_KEY, and is told so.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"Set the SECRET_KEY environment variable (50 or more random characters): "
            f"no key file could be made at {path} ({error.strerror})."
        ) from error
    key = secrets.token_urlsafe(64)
    with os.fdopen(descriptor, "w") as key_file:
        key_file.write(key)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY") or secret_key_from_file(
    Path(os.environ.get("SECRET_KEY_FILE", BASE_DIR / ".secret_key"))
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "core.admin_config.VigilAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "places",
    "sources",
    "people",
    "organisations",
    "incidents",
    "evidence_files",
    "cases",
    "exchange",
    "appeals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT, answered before the rest of the stack runs (WhiteNoise's place).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware, as Django's LocaleMiddleware asks.
    "core.middleware.ReaderLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Connections are kept between requests (DATABASE_CONN_MAX_AGE seconds) and checked before a
# request uses one again, so that a database restarted meanwhile costs no failed request.
DATABASE_CONN_MAX_AGE = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=DATABASE_CONN_MAX_AGE,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. A transaction that begins by reading and then writes cannot
    # wait for the writer ahead of it: it fails at once with "database is locked", and staff whose
    # saves overlap got an error page. IMMEDIATE transactions take the write lock as they begin and
    # wait for it, up to `timeout` seconds, so overlapping saves queue behind one another. WAL lets
    # the public pages read while a save is written. Synchronous stays FULL, SQLite's default: a
    # save, once acknowledged, survives a power cut. Options given in DATABASE_URL take precedence.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }

# Read replicas (PostgreSQL streaming replicas of DATABASE_URL), comma-separated: the public site's
# and the API's reads go to them, everything else to the primary (core/routers.py says which).
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", "")):
    replica = dj_database_url.parse(url, conn_max_age=DATABASE_CONN_MAX_AGE, conn_health_checks=True)
    if replica["ENGINE"] == "django.db.backends.postgresql":
        # A replica that does not answer is given up after this many seconds, and the primary used.
        replica["OPTIONS"] = {"connect_timeout": 2, **replica.get("OPTIONS", {})}
    # Under test, a replica reads the test database made on the primary, which replication copies.
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{number}"] = replica
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["core.routers.ReplicaRouter"]
    # Before anything reads the database: it decides where this request's reads go.
    MIDDLEWARE.insert(MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, "core.routers.ReplicaReads")
# After a request that wrote, its client reads the primary for this many seconds (a cookie), while
# the replicas replay the write.
DATABASE_REPLICA_PIN_SECONDS = int(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", "10"))
# A replica that did not answer is tried again after this many seconds; the primary serves meanwhile.
DATABASE_REPLICA_RETRY_SECONDS = 5

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user or address is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The interface languages; a record's own text may be in any language (Incident.language).
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]
# The project's catalogues, then the entries that Django's and its packages' catalogues lack.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-completions"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# On (as `make serve` sets it), static files are named by a hash of their content, from the manifest
# that `collectstatic` writes beside gzipped copies, so that browsers and nginx may keep them for a
# year; every page then needs that manifest, so it is off unless collectstatic has run for this code.
STATIC_MANIFEST = env_flag("STATIC_MANIFEST", False)

# Uploaded files (source copies, evidence) are never served from a public URL: there is no
# MEDIA_URL route. Files reach people only through views that check permissions.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-not-served/"

# Evidence files live in their own storage, so that object storage (S3 and compatibles, through
# django-storages) can replace the local folder by configuration alone: see README.md.
EVIDENCE_ROOT = Path(os.environ.get("EVIDENCE_ROOT", MEDIA_ROOT / "evidence"))
try:
    EVIDENCE_STORAGE_OPTIONS = json.loads(os.environ.get("EVIDENCE_STORAGE_OPTIONS") or "null")
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(f"EVIDENCE_STORAGE_OPTIONS must be a JSON object: {error}") from None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    "evidence": {
        "BACKEND": os.environ.get("EVIDENCE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": EVIDENCE_STORAGE_OPTIONS
        or {"location": EVIDENCE_ROOT, "file_permissions_mode": 0o640, "directory_permissions_mode": 0o750},
    },
}
# Uploads stream to temporary files on disk, hashed and counted on the way; past the limit they stop.
FILE_UPLOAD_HANDLERS = ["evidence_files.uploads.HashingUploadHandler"]
EVIDENCE_MAX_UPLOAD_SIZE = int(os.environ.get("EVIDENCE_MAX_UPLOAD_MB", "200")) * 1024 * 1024
# Images with more pixels than this are refused from their header, before decoding.
EVIDENCE_MAX_IMAGE_PIXELS = int(os.environ.get("EVIDENCE_MAX_IMAGE_PIXELS", "100000000"))
EVIDENCE_PUBLIC_IMAGE_SIDE = 2048
EVIDENCE_THUMBNAIL_SIDE = 320
# An internal location of the web server (e.g. "/protected-evidence/") that serves the evidence
# folder: when set, file views answer with X-Accel-Redirect and the web server sends the bytes.
EVIDENCE_X_ACCEL_REDIRECT = os.environ.get("EVIDENCE_X_ACCEL_REDIRECT", "")

# Security. With DEBUG off these are on unless the environment says otherwise (for example
# behind a TLS-terminating proxy that already redirects: SECURE_SSL_REDIRECT=0).
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_flag("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = env_flag("LANGUAGE_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if env_flag("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Staff sessions end after SESSION_COOKIE_AGE seconds (8 hours by default) and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content-Security-Policy: scripts and styles only from this site, never inline, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Failed sign-ins (django-axes): after AXES_FAILURE_LIMIT failures a username, and separately an
# address, is locked out for AXES_COOLOFF_HOURS, even if the right password follows.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# Two-factor sign-in (django-otp TOTP). Any staff member may enrol; with OTP_REQUIRED on (the
# default outside DEBUG) Verifiers, Administrators and superusers cannot use the admin without it.
OTP_REQUIRED = env_flag("OTP_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Vigil")

# History (django-simple-history) is a record: the admin shows it and never rewrites it.
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The PDF of an appeal subsets its fonts with fontTools, which logs every glyph at INFO.
    "loggers": {"fontTools": {"level": "WARNING"}},
}

# How many incidents a public list shows per page.
INCIDENTS_PER_PAGE = 25
# Entries of the change feed (/api/changes/) per page.
CHANGES_PER_PAGE = 500
# Import files (exchange.reading): the largest accepted, and where an uploaded file waits between
# the admin's dry run and its confirmation.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MEGABYTES", "50")) * 2**20
IMPORT_PENDING_ROOT = Path(os.environ.get("IMPORT_PENDING_ROOT", MEDIA_ROOT / "imports-pending"))

# The public JSON API is read-only and anonymous: no sessions, no logins, no writes.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PAGINATION_CLASS": "core.pagination.BoundedPageNumberPagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.FormatNegotiation",
    "PAGE_SIZE": INCIDENTS_PER_PAGE,
    "DEFAULT_SCHEMA_CLASS": "core.schema.VigilAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vigil public API",
    "DESCRIPTION": "Verified human-rights incidents, read-only. Filters match the public search page.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "core.dates.DatePrecision",
        # Several models have a `kind`: each its own name in the schema.
        "NameVariantKindEnum": "people.models.NameVariant.Kind",
        "OrganisationKindEnum": "organisations.models.Organisation.Kind",
        "OrganisationAliasKindEnum": "organisations.models.OrganisationAlias.Kind",
        "PlaceKindEnum": "places.models.Place.Kind",
        "PlaceNameKindEnum": "places.models.PlaceName.Kind",
        "SourceKindEnum": "sources.models.Source.Kind",
    },
    # The documentation page's scripts and styles come from this site, not from a CDN: visitors
    # are not tracked by a third party, and the Content-Security-Policy allows them.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
