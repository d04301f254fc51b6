"""SSK Tracker settings, read from the environment.

Defaults let a fresh clone run with no set-up (SQLite, jobs in-process, e-mail to the console).
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL and CACHE_URL.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ssk_tracker.lib.env import envbool, envint, envlist, envstr
from ssk_tracker.storage_settings import build_default_storage

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", True)

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "django_ratelimit",
    "axes",  # login throttling on /masuk/ and /admin/login/ (regencies/accounts.py)
    "auditlog",
    "rest_framework",  # the REST API, /api/v1/ (ssk_tracker/api/)
    "drf_spectacular",  # its OpenAPI schema, /api/schema/
    "ssk_tracker",
    "regencies",
    "milestones",
    "reports",
]

MIDDLEWARE = [
    "ssk_tracker.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Compresses pages (not files that are compressed already) last, after every middleware below has written
    # the body. BREACH: the CSRF token is masked afresh in every response, and the compressed length is padded
    # at random (Django's "Heal the Breach"), so an attacker cannot read it from response sizes.
    "ssk_tracker.middleware.CompressPagesMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ssk_tracker.middleware.LanguageMiddleware",
    "ssk_tracker.middleware.RejectControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ssk_tracker.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ssk_tracker.middleware.DebugErrorPagesMiddleware",  # DEBUG only: our 404/400 pages, not Django's technical ones
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A redirect answering a form that drafts.js sent becomes JSON for the script (inside the messages).
    "ssk_tracker.lib.kept_forms.ScriptSubmitMiddleware",
    "ssk_tracker.middleware.ExpiredSessionFormMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a refused login into the lockout page
]

if not DEBUG:
    # In production gunicorn serves the collected static files itself (runserver does it in DEBUG), compressed
    # ahead (gzip files beside them) and under hashed names cached for a year (immutable).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "ssk_tracker.urls"
WSGI_APPLICATION = "ssk_tracker.wsgi.application"

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
                "django.template.context_processors.i18n",
                "regencies.context_processors.user_scope",
                "reports.context_processors.report_inbox",
                "milestones.context_processors.notice_bell",
            ],
            "builtins": [
                "ssk_tracker.templatetags.formatting",
                "django.contrib.humanize.templatetags.humanize",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Seconds a worker keeps its database connection for the next request: opening one costs more than
        # most pages (persistent connections took the floor page from 82 to 202 requests/s). 0 in development,
        # where runserver starts a thread per request and would only leave connections behind.
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        # With persistent connections, a connection the server dropped is found and replaced before the
        # request uses it (otherwise the first request after a database restart is a 500).
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): the backend refuses a locked-out username+address before any password is
# checked; a lock lifts COOLOFF minutes after the last failure, or when an administrator deletes its "access
# attempt" row in the admin (or the user resets the password by e-mail). Failures counted per username AND
# address, so a wrong guess from one place does not lock the user out everywhere.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "regencies.accounts.lockout_response"
AXES_CLIENT_IP_CALLABLE = "regencies.accounts.client_ip"
# Proxies in front of gunicorn that append to X-Forwarded-For (0: the client's address is REMOTE_ADDR). The
# client's address is read that many entries from the right, so a client cannot forge one.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
# Password-reset requests on /lupa-kata-sandi/ (django-ratelimit's "count/period"), per address and per e-mail.
PASSWORD_RESET_RATE = envstr("PASSWORD_RESET_RATE", "5/h")
# The open-data summary (/data-terbuka/, ssk_tracker/open_data.py): aggregate figures per province and regency
# as CSV and JSON without sign-in. Off: 404 on every one of its addresses. Requests per address
# (django-ratelimit's "count/period") and how long an answer is cached (seconds).
OPEN_DATA_ENABLED = envbool("OPEN_DATA_ENABLED", True)
OPEN_DATA_RATE = envstr("OPEN_DATA_RATE", "120/h")
OPEN_DATA_CACHE_SECONDS = envint("OPEN_DATA_CACHE_SECONDS", 300)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Bahasa Indonesia first, English second; the user picks through the language switcher.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ssk_tracker.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes (and WhiteNoise serves from); a test's production processes collect elsewhere, so
# the checkout's folder, which the test server would otherwise serve stale, stays as the developer left it.
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (evidence, documents, reports) live outside the static files and are only
# served through views that check the user's scope.
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))
# Stored files go through Django's storage API only. Local disk under MEDIA_ROOT by default; on more
# than one machine a shared S3-compatible object store (AWS S3, MinIO, Ceph): STORAGE_BACKEND=s3 or
# S3_BUCKET set, with S3_ENDPOINT_URL, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_PREFIX,
# S3_ADDRESSING_STYLE (each also accepted under its AWS_* name); see ssk_tracker/storage_settings.py.
# The objects are private: downloads keep streaming through the scope-checked views
# (ssk_tracker/lib/downloads.py), which check the user's scope on every request and log the
# download; no public or long-lived signed URL is ever handed out.
STORAGES = {
    "default": build_default_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console by default, SMTP in production (Django 6.1 mailers).
MAILERS = {
    "default": {
        "BACKEND": envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
        "OPTIONS": {},
    }
}
# A production that "sends" to its own log or memory loses every notification without a sign: it must be
# asked for (a staging copy), not fallen into by a missing EMAIL_BACKEND.
_NON_SENDING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
if not DEBUG and MAILERS["default"]["BACKEND"] in _NON_SENDING_BACKENDS and not envbool("ALLOW_CONSOLE_EMAIL", False):
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND is {MAILERS['default']['BACKEND']!r} with DEBUG off: no e-mail would reach anyone. "
        "Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (and EMAIL_HOST…), or ALLOW_CONSOLE_EMAIL=1 "
        "if this copy is meant not to send."
    )
if MAILERS["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": envstr("EMAIL_HOST", "localhost"),
        "port": envint("EMAIL_PORT", 25),
        "username": envstr("EMAIL_HOST_USER"),
        "password": envstr("EMAIL_HOST_PASSWORD"),
        "use_tls": envbool("EMAIL_USE_TLS", False),
    }
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "SSK Tracker <no-reply@localhost>")
# Absolute address used in e-mailed links.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The cache: it holds the verification page's rate-limit counters (django-ratelimit), so in production
# every gunicorn worker must share it (redis://…). Without CACHE_URL, a per-process memory cache: right for
# runserver and the tests, which are one process each.
CACHE_URL = envstr("CACHE_URL")
if not DEBUG and not CACHE_URL:
    raise ImproperlyConfigured(
        "CACHE_URL must be set when DEBUG is off (e.g. redis://redis:6379/1): the rate limits need a cache "
        "every worker shares."
    )
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r} is not a Redis address (redis://, rediss:// or unix://).")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# django-ratelimit's checks know django-redis, not Django's own RedisCache (whose incr is Redis's atomic INCR,
# all the library needs): W001 says only "not officially supported". E003 says the memory cache is not shared
# between processes, which is true and harmless in one process; production cannot get here without CACHE_URL.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] if CACHE_URL else ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_USE_CACHE = "default"

# Celery: without a broker, jobs run in-process (eager); with redis://… a worker runs them.
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 360)
CELERY_BEAT_SCHEDULE: dict = {}
# One beat per deployment, wherever it is started (README, "More than one machine"): with a broker, beat uses
# celery-redbeat, which keeps the schedule's state in Redis and runs only while it holds a lock there; a second
# beat waits for the lock and takes over REDBEAT_LOCK_TIMEOUT seconds after the first stopped renewing it.
# Beat wakes at least every CELERY_BEAT_MAX_LOOP_INTERVAL seconds (renewing the lock; a waiting beat retries
# as often), so the lock must outlast a few of those.
if CELERY_BROKER_URL:
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = envstr("REDBEAT_REDIS_URL") or CELERY_BROKER_URL
    CELERY_REDBEAT_KEY_PREFIX = envstr("REDBEAT_KEY_PREFIX", "ssk-tracker:redbeat:")
    CELERY_BEAT_MAX_LOOP_INTERVAL = envint("BEAT_MAX_LOOP_INTERVAL", 5)
    CELERY_REDBEAT_LOCK_TIMEOUT = envint("REDBEAT_LOCK_TIMEOUT", 60)
    if CELERY_BEAT_MAX_LOOP_INTERVAL < 1 or CELERY_REDBEAT_LOCK_TIMEOUT < 2 * CELERY_BEAT_MAX_LOOP_INTERVAL:
        raise ImproperlyConfigured(
            f"REDBEAT_LOCK_TIMEOUT={CELERY_REDBEAT_LOCK_TIMEOUT} must be at least twice "
            f"BEAT_MAX_LOOP_INTERVAL={CELERY_BEAT_MAX_LOOP_INTERVAL} (at least 1): beat renews its lock once "
            "a loop, and a lock that expires between two renewals lets a second beat run the schedule too."
        )
# Typst keeps a layout cache in the process; recycle a pool process once it holds this much (KiB).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = envint("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 400_000)

# Uploads. Every limit is named in the message that refuses it (milestones/evidence.py).
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)  # one file
UPLOAD_MAX_FILES = envint("UPLOAD_MAX_FILES", 10)  # files in one form submission
UPLOAD_MAX_TOTAL_BYTES = envint("UPLOAD_MAX_TOTAL_BYTES", 50 * 1024 * 1024)  # all files of one submission
# A DOCX or XLSX is a ZIP: its unpacked size and the ratio of any large part are checked before it is
# stored or read (a few KB can inflate to gigabytes).
UPLOAD_MAX_UNPACKED_BYTES = envint("UPLOAD_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
UPLOAD_MAX_COMPRESSION_RATIO = envint("UPLOAD_MAX_COMPRESSION_RATIO", 100)
UPLOAD_MAX_PACKAGE_PARTS = envint("UPLOAD_MAX_PACKAGE_PARTS", 1000)
# The hard walls, met before a form sees anything, answered by a message page (ssk_tracker.errors):
# the request body (the files plus room for the fields), and the number of files Django parses.
UPLOAD_MAX_REQUEST_BYTES = envint("UPLOAD_MAX_REQUEST_BYTES", UPLOAD_MAX_TOTAL_BYTES + 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = envint("DATA_UPLOAD_MAX_NUMBER_FILES", 2 * UPLOAD_MAX_FILES)
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)  # the fields, without files
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)  # larger files go to a temp file
FILE_UPLOAD_HANDLERS = [
    "ssk_tracker.lib.uploads.RequestSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# The planning workbook import (milestones/forms/planning_upload.py): checked in the ZIP before openpyxl
# parses anything, then a time budget while reading. A 130 KB file can hold 3 million shared strings.
SPREADSHEET_MAX_BYTES = envint("SPREADSHEET_MAX_BYTES", 5 * 1024 * 1024)
SPREADSHEET_MAX_UNPACKED_BYTES = envint("SPREADSHEET_MAX_UNPACKED_BYTES", 60 * 1024 * 1024)
SPREADSHEET_MAX_SHARED_STRINGS = envint("SPREADSHEET_MAX_SHARED_STRINGS", 50_000)
SPREADSHEET_MAX_CELLS = envint("SPREADSHEET_MAX_CELLS", 250_000)
SPREADSHEET_MAX_ROWS = envint("SPREADSHEET_MAX_ROWS", 5000)  # data rows per sheet
SPREADSHEET_MAX_COLUMNS = envint("SPREADSHEET_MAX_COLUMNS", 50)
SPREADSHEET_MAX_SECONDS = envint("SPREADSHEET_MAX_SECONDS", 20)

# Headers and cookies. Production is HTTPS only: the cookies travel only over TLS, HTTP is redirected and the
# browser is told (HSTS) to never try HTTP again. Behind the TLS-terminating proxy (nginx), Django sees plain HTTP
# and learns the original scheme from the header the proxy sets (SECURE_PROXY_SSL_HEADER, the proxy must overwrite
# it on every request); without a proxy set it to "" or anyone could claim HTTPS.
SESSION_COOKIE_HTTPONLY = True
# Sessions are written through to the database and read from the cache (Redis, shared by the workers): one
# query less on every page. Signing out deletes both copies; a cache miss (Redis restarted) reads the row.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# No script reads the CSRF cookie: htmx sends the token rendered into the page (base.html, hx-headers).
CSRF_COOKIE_HTTPONLY = True
# A form refused for its CSRF token: a page that says why in plain words, in the user's language.
CSRF_FAILURE_VIEW = "ssk_tracker.errors.csrf_failure"
# Under DEBUG the 404/400 pages are the users' own (ssk_tracker.middleware.DebugErrorPagesMiddleware); 1 brings
# Django's technical pages back (so does ?technical=1 on the address).
TECHNICAL_ERROR_PAGES = envbool("TECHNICAL_ERROR_PAGES", False)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = envstr("SECURE_REFERRER_POLICY", "same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", True)
    _proxy_header = envstr("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto")
    if _proxy_header:
        SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    # Paths (regular expressions, without the leading slash) answered over plain HTTP, e.g. a load balancer's probe.
    SECURE_REDIRECT_EXEMPT = envlist("SECURE_REDIRECT_EXEMPT", [r"^sehat/$"])
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # "preload" in the header only permits a submission to the browsers' preload list (hstspreload.org); only
    # the domain's owner can submit it.
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)

# Content-Security-Policy (Django's own, django.middleware.csp), in every environment so a violation shows in
# development: only this site's scripts, styles, fonts and requests, no inline script, style attribute or eval
# (scripts are static/js/*.js, styles static/css/app.css), data: images for Bootstrap's icons, no framing, forms
# post only here. Django's debug pages lift it for themselves. CSP_REPORT_ONLY=1 reports instead of blocking.
_CSP_POLICY: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
_CSP_REPORT_ONLY = envbool("CSP_REPORT_ONLY", False)
SECURE_CSP: dict[str, list[str]] = {} if _CSP_REPORT_ONLY else _CSP_POLICY
SECURE_CSP_REPORT_ONLY: dict[str, list[str]] = _CSP_POLICY if _CSP_REPORT_ONLY else {}

# Logs: one JSON object per line in production (LOG_FORMAT=json, the default when DEBUG is off), plain
# text in development; every record carries the request id (ssk_tracker/observability.py), in the worker too.
LOG_FORMAT = envstr("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ssk_tracker.observability.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}
# The worker logs through LOGGING above (JSON, with the request id) instead of Celery's own set-up.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Reports (reports/): how long a job may sit queued before the sweeper re-sends it (the broker may have
# been down), and after how long a running job counts as abandoned (its worker died) and is taken over.
REPORT_REQUEUE_AFTER_SECONDS = envint("REPORT_REQUEUE_AFTER_SECONDS", 120)
REPORT_STALE_AFTER_SECONDS = envint("REPORT_STALE_AFTER_SECONDS", 600)
TRACKER_VERSION = envstr("TRACKER_VERSION", "0.5.0")
# Scheduled reports start once a day at this hour (WIB); the Laporan page's "next run" counts on it.
REPORT_SCHEDULE_HOUR = 6
# Verification (reports/verification.py): each report's code is an HMAC of its job id under this key (by
# default derived from SECRET_KEY); codes are stored at queue time, so changing the key only changes new ones.
REPORT_CODE_KEY = envstr("REPORT_CODE_KEY") or SECRET_KEY
# Lookups on /laporan/verifikasi/ per signed-in user (django-ratelimit's "count/period"), and the largest
# PDF it checks (a national report of 514 regencies is far smaller).
REPORT_VERIFY_RATE = envstr("REPORT_VERIFY_RATE", "30/h")
REPORT_VERIFY_MAX_BYTES = envint("REPORT_VERIFY_MAX_BYTES", 25 * 1024 * 1024)
CELERY_BEAT_SCHEDULE.update(
    {
        "sweep-stuck-reports": {"task": "reports.tasks.sweep_stuck_reports", "schedule": 300.0},
        "run-report-schedules": {
            "task": "reports.tasks.run_report_schedules",
            "schedule": crontab(hour=REPORT_SCHEDULE_HOUR, minute=0),
        },
    }
)

# Reminders (milestones/reminders.py), in calendar days: follow-up actions due within this many days
# or overdue; drafts untouched this long; returned updates not resubmitted this long after the return;
# submitted updates waiting more than REVIEW_WAIT days (province) and from REVIEW_ESCALATE days (Balai,
# national). DRAFT, RETURNED and REVIEW_WAIT are the digest's (the home page lists every open one at once);
# LATE_DUE: a milestone planned within this many days with no update submitted is listed with the late ones.
# HOME_GROUP_LIMIT: items shown per kind of task on the home page (then "see all (n)").
REMINDER_FOLLOW_UP_DUE_DAYS = envint("REMINDER_FOLLOW_UP_DUE_DAYS", 7)
REMINDER_DRAFT_STALE_DAYS = envint("REMINDER_DRAFT_STALE_DAYS", 14)
REMINDER_RETURNED_STALE_DAYS = envint("REMINDER_RETURNED_STALE_DAYS", 7)
REMINDER_REVIEW_WAIT_DAYS = envint("REMINDER_REVIEW_WAIT_DAYS", 7)
REMINDER_REVIEW_ESCALATE_DAYS = envint("REMINDER_REVIEW_ESCALATE_DAYS", 14)
REMINDER_LATE_DUE_DAYS = envint("REMINDER_LATE_DUE_DAYS", 14)
HOME_GROUP_LIMIT = envint("HOME_GROUP_LIMIT", 5)
# A year's report is due to its recipients (reports/deliveries.py) from this day of January of the next
# year: until then nobody is reminded of it. Deliveries are recorded from FIRST_YEAR's reports on (the
# tracker knows nothing of those sent before), so no earlier year is ever reminded of.
REPORT_DELIVERY_DUE_DAY = envint("REPORT_DELIVERY_DUE_DAY", 15)
REPORT_DELIVERY_FIRST_YEAR = envint("REPORT_DELIVERY_FIRST_YEAR", 2023)
if not 1 <= REPORT_DELIVERY_DUE_DAY <= 31:
    raise ImproperlyConfigured(f"REPORT_DELIVERY_DUE_DAY={REPORT_DELIVERY_DUE_DAY} is not a day of January.")
# The outbox (milestones/services/outbox.py): every e-mail and report job is a row sent after its commit;
# this sweep sends what the broker missed, retries failures and takes over rows of dead workers.
# A failed attempt waits OUTBOX_BACKOFF_SECONDS, doubling each time up to OUTBOX_MAX_BACKOFF_SECONDS; after
# OUTBOX_MAX_ATTEMPTS the row is failed (the admin's "retry" sends it again). A row "sending" for longer than
# OUTBOX_STALE_AFTER_SECONDS lost its worker (keep it above CELERY_TASK_TIME_LIMIT).
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_BACKOFF_SECONDS = envint("OUTBOX_BACKOFF_SECONDS", 30)
OUTBOX_MAX_BACKOFF_SECONDS = envint("OUTBOX_MAX_BACKOFF_SECONDS", 3600)
OUTBOX_STALE_AFTER_SECONDS = envint("OUTBOX_STALE_AFTER_SECONDS", 600)
if OUTBOX_STALE_AFTER_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("OUTBOX_STALE_AFTER_SECONDS must exceed CELERY_TASK_TIME_LIMIT.")
CELERY_BEAT_SCHEDULE["dispatch-outbox"] = {"task": "milestones.tasks.dispatch_outbox", "schedule": 60.0}
# One digest e-mail per person a day, at 07:00 WIB (CELERY_TIMEZONE is Asia/Jakarta).
CELERY_BEAT_SCHEDULE["send-daily-reminders"] = {
    "task": "milestones.tasks.send_daily_reminders",
    "schedule": crontab(hour=7, minute=0),
}
# In-app notices (milestones/models/notices.py): read ones are deleted this many days after they were read
# (unread ones stay), by a nightly task at 02:30 WIB.
NOTICE_KEEP_READ_DAYS = envint("NOTICE_KEEP_READ_DAYS", 90)
CELERY_BEAT_SCHEDULE["prune-notices"] = {
    "task": "milestones.tasks.prune_notices",
    "schedule": crontab(hour=2, minute=30),
}

# The audit trail (django-auditlog; milestones/audit.py registers the models). Our own entry model adds
# the source page/command and the regency/province columns the browse page filters by (indexed).
AUDITLOG_LOGENTRY_MODEL = "milestones.AuditEntry"
AUDIT_PAGE_SIZE = 50

# The REST API (ssk_tracker/api/): a signed-in browser's session or a token (Authorization: Token <key>, made on
# /akun/token/); the same scope as the web. Requests per token (or user) per API_RATE, counted in the cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ssk_tracker.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["ssk_tracker.api.throttles.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": envstr("API_RATE", "120/minute")},
    "DEFAULT_PAGINATION_CLASS": "ssk_tracker.api.pagination.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ssk_tracker.api.errors.api_exception_handler",
    "SCHEMA_COERCE_PATH_PK": False,  # the schema names path arguments as the URLconf does (a test compares)
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SSK Tracker API",
    "DESCRIPTION": _(
        "The SSK data of your working area, and the everyday acts on it: updates with evidence, their review, "
        "indicator actuals, follow-up closings and report requests, under the same rules as the pages."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set several serializers use (a milestone's status now and as of a day, a review's
    # state, a report job's and a follow-up's status in the reads and in the writes' answers).
    "ENUM_NAME_OVERRIDES": {
        "MilestoneStatusEnum": "milestones.models.milestones.MilestoneStatus",
        "ReviewStateEnum": "milestones.models.review.ReviewState",
        "ReportJobStatusEnum": "reports.models.JobStatus",
        "FollowUpStatusEnum": "milestones.models.clinics.FollowUpAction.Status",
    },
}
