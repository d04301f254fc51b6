"""SSK Tracker settings, read from the environment.

Defaults let a fresh clone run with no set-up (SQLite, jobs in-process, e-mail to the console).
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL and CACHE_URL.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ssk_tracker.lib.env import envbool, envint, envlist, envstr

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
    "auditlog",
    "ssk_tracker",
    "regencies",
    "milestones",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ssk_tracker.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ssk_tracker.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

if not DEBUG:
    # In production gunicorn serves the collected static files itself (runserver does it in DEBUG).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

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
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
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
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (evidence, documents, reports) live outside the static files and are only
# served through views that check the user's scope.
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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
# Typst keeps a layout cache in the process; recycle a pool process once it holds this much (KiB).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = envint("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 400_000)

# Evidence uploads.
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)

if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}

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
# submitted updates waiting more than REVIEW_WAIT days (province) and from REVIEW_ESCALATE days (national).
REMINDER_FOLLOW_UP_DUE_DAYS = envint("REMINDER_FOLLOW_UP_DUE_DAYS", 7)
REMINDER_DRAFT_STALE_DAYS = envint("REMINDER_DRAFT_STALE_DAYS", 14)
REMINDER_RETURNED_STALE_DAYS = envint("REMINDER_RETURNED_STALE_DAYS", 7)
REMINDER_REVIEW_WAIT_DAYS = envint("REMINDER_REVIEW_WAIT_DAYS", 7)
REMINDER_REVIEW_ESCALATE_DAYS = envint("REMINDER_REVIEW_ESCALATE_DAYS", 14)
# A year's report is due to its recipients (reports/deliveries.py) from this day of January of the next
# year: until then nobody is reminded of it. Deliveries are recorded from FIRST_YEAR's reports on (the
# tracker knows nothing of those sent before), so no earlier year is ever reminded of.
REPORT_DELIVERY_DUE_DAY = envint("REPORT_DELIVERY_DUE_DAY", 15)
REPORT_DELIVERY_FIRST_YEAR = envint("REPORT_DELIVERY_FIRST_YEAR", 2023)
if not 1 <= REPORT_DELIVERY_DUE_DAY <= 31:
    raise ImproperlyConfigured(f"REPORT_DELIVERY_DUE_DAY={REPORT_DELIVERY_DUE_DAY} is not a day of January.")
# One digest e-mail per person a day, at 07:00 WIB (CELERY_TIMEZONE is Asia/Jakarta).
CELERY_BEAT_SCHEDULE["send-daily-reminders"] = {
    "task": "milestones.tasks.send_daily_reminders",
    "schedule": crontab(hour=7, minute=0),
}

# The audit trail (django-auditlog; milestones/audit.py registers the models). Our own entry model adds
# the source page/command and the regency/province columns the browse page filters by (indexed).
AUDITLOG_LOGENTRY_MODEL = "milestones.AuditEntry"
AUDIT_PAGE_SIZE = 50
