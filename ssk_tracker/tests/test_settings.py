import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.csp import build_policy

from ssk_tracker.lib.env import envbool, envint

ROOT = Path(__file__).resolve().parents[2]


def test_envbool_accepts_the_usual_words(monkeypatch):
    monkeypatch.setenv("X", "yes")
    assert envbool("X", False) is True
    monkeypatch.setenv("X", "0")
    assert envbool("X", True) is False


def test_envbool_fails_loudly(monkeypatch):
    monkeypatch.setenv("X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X='maybe' is not a boolean"):
        envbool("X", False)


def test_envint_fails_loudly(monkeypatch):
    monkeypatch.setenv("X", "ten")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        envint("X", 1)


# The variables of the headers and e-mail settings: cleared so a developer's shell does not change the answers.
SECURITY_VARIABLES = (
    "EMAIL_BACKEND",
    "ALLOW_CONSOLE_EMAIL",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "CSP_REPORT_ONLY",
)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "x7Qz9" * 12,
    "ALLOWED_HOSTS": "ssk.example.go.id",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def load_settings(monkeypatch, **env) -> dict:
    """The settings module run afresh (in this process: a new interpreter costs more than all the
    checks) with the production variables cleared and ``env`` set; its names, or its error."""
    for name in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", *SECURITY_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "ssk_tracker" / "settings.py"))


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured) as refused:  # the process would exit with it
        load_settings(monkeypatch, DEBUG="0", ALLOWED_HOSTS="ssk.example.go.id")
    assert "SECRET_KEY must be set when DEBUG is off" in str(refused.value)


def test_the_default_database_is_sqlite(monkeypatch):
    assert load_settings(monkeypatch)["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql(monkeypatch):
    settings = load_settings(monkeypatch, DATABASE_URL="postgres://root@127.0.0.1:5432/ssk")
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_production_refuses_to_start_without_a_shared_cache(monkeypatch):
    monkeypatch.delenv("CACHE_URL", raising=False)
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings(monkeypatch, **{k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"})
    assert "CACHE_URL must be set when DEBUG is off" in str(refused.value)


def test_cache_url_selects_redis_and_keeps_the_rate_limit_checks_that_apply(monkeypatch):
    settings = load_settings(monkeypatch, CACHE_URL="redis://127.0.0.1:6379/1")
    assert settings["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    # Only "not officially supported" is silenced: E003 (a cache not shared between processes) stays on.
    assert settings["SILENCED_SYSTEM_CHECKS"] == ["django_ratelimit.W001"]


def test_cache_url_must_be_redis(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="is not a Redis address"):
        load_settings(monkeypatch, CACHE_URL="memcached://127.0.0.1:11211")


def test_production_passes_the_deployment_checks():
    """``manage.py check --deploy`` in a process of its own, with only the documented production variables."""
    env = {k: v for k, v in os.environ.items() if k not in SECURITY_VARIABLES and k != "DJANGO_SETTINGS_MODULE"}
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="ssk_tracker.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_is_https_only_by_default(monkeypatch):
    settings = load_settings(monkeypatch, **PRODUCTION)
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_HSTS_SECONDS"] == 31_536_000
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and settings["SECURE_HSTS_PRELOAD"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True and settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True and settings["CSRF_COOKIE_HTTPONLY"] is True
    assert settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings["X_FRAME_OPTIONS"] == "DENY"
    assert settings["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert settings["SECURE_REFERRER_POLICY"] == "same-origin"


def test_the_proxy_and_hsts_settings_follow_their_variables(monkeypatch):
    settings = load_settings(
        monkeypatch,
        **PRODUCTION,
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Scheme",
        SECURE_SSL_REDIRECT="0",
        SECURE_REDIRECT_EXEMPT=r"^sehat/$",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        SECURE_HSTS_PRELOAD="0",
    )
    assert settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_SCHEME", "https")
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SECURE_REDIRECT_EXEMPT"] == [r"^sehat/$"]
    assert settings["SECURE_HSTS_SECONDS"] == 3600
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False and settings["SECURE_HSTS_PRELOAD"] is False


def test_without_a_proxy_no_header_is_trusted(monkeypatch):
    settings = load_settings(monkeypatch, **PRODUCTION, SECURE_PROXY_SSL_HEADER="")
    assert "SECURE_PROXY_SSL_HEADER" not in settings


def test_development_keeps_plain_http(monkeypatch):
    settings = load_settings(monkeypatch)
    assert "SECURE_HSTS_SECONDS" not in settings and "SECURE_SSL_REDIRECT" not in settings
    assert "SESSION_COOKIE_SECURE" not in settings


@pytest.mark.parametrize(
    "backend",
    [
        None,  # not set: the console default
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    ],
)
def test_production_refuses_to_start_with_an_e_mail_backend_that_sends_nothing(monkeypatch, backend):
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_BACKEND"}
    if backend:
        env["EMAIL_BACKEND"] = backend
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings(monkeypatch, **env)
    assert "no e-mail would reach anyone" in str(refused.value)
    assert "ALLOW_CONSOLE_EMAIL=1" in str(refused.value)


def test_production_may_use_the_console_when_told_so(monkeypatch):
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_BACKEND"}
    settings = load_settings(monkeypatch, **env, ALLOW_CONSOLE_EMAIL="1")
    assert settings["MAILERS"]["default"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_the_content_security_policy_allows_no_inline_code(monkeypatch):
    settings = load_settings(monkeypatch, **PRODUCTION)
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings["MIDDLEWARE"]
    policy = build_policy(settings["SECURE_CSP"])
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert "unsafe" not in policy
    assert settings["SECURE_CSP_REPORT_ONLY"] == {}


def test_the_policy_can_be_reported_only(monkeypatch):
    settings = load_settings(monkeypatch, CSP_REPORT_ONLY="1")
    assert settings["SECURE_CSP"] == {}
    assert "script-src 'self'" in build_policy(settings["SECURE_CSP_REPORT_ONLY"])


def test_every_response_carries_the_headers(client):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_production_headers_reach_the_browser(client, settings):
    """HSTS only over HTTPS (as the proxy reports it), and plain HTTP redirected."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get(reverse("login"))
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
    secure = client.get(reverse("login"), headers={"x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_production_keeps_database_connections_and_development_does_not(monkeypatch):
    """Persistent connections (with health checks) in production; runserver's thread per request would only
    leave them behind."""
    monkeypatch.delenv("DATABASE_CONN_MAX_AGE", raising=False)
    production = load_settings(monkeypatch, **PRODUCTION)["DATABASES"]["default"]
    assert (production["CONN_MAX_AGE"], production["CONN_HEALTH_CHECKS"]) == (60, True)
    assert load_settings(monkeypatch)["DATABASES"]["default"]["CONN_MAX_AGE"] == 0
    tuned = load_settings(monkeypatch, **PRODUCTION, DATABASE_CONN_MAX_AGE="300")["DATABASES"]["default"]
    assert tuned["CONN_MAX_AGE"] == 300


def test_production_compresses_pages_after_whitenoise_has_served_the_static_files(monkeypatch):
    middleware = load_settings(monkeypatch, **PRODUCTION)["MIDDLEWARE"]
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1 : security + 3] == [
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "ssk_tracker.middleware.CompressPagesMiddleware",
    ]


BEAT_VARIABLES = ("CELERY_BROKER_URL", "REDBEAT_REDIS_URL", "REDBEAT_KEY_PREFIX", "REDBEAT_LOCK_TIMEOUT")


def test_with_a_broker_beat_runs_through_redbeats_lock_in_the_brokers_redis(monkeypatch):
    for name in (*BEAT_VARIABLES, "BEAT_MAX_LOOP_INTERVAL"):
        monkeypatch.delenv(name, raising=False)
    assert "CELERY_BEAT_SCHEDULER" not in load_settings(monkeypatch)  # eager: no beat to run at all
    settings = load_settings(monkeypatch, CELERY_BROKER_URL="redis://redis:6379/0")
    assert settings["CELERY_BEAT_SCHEDULER"] == "redbeat.RedBeatScheduler"
    assert settings["CELERY_REDBEAT_REDIS_URL"] == "redis://redis:6379/0"
    assert settings["CELERY_REDBEAT_KEY_PREFIX"] == "ssk-tracker:redbeat:"
    assert (settings["CELERY_BEAT_MAX_LOOP_INTERVAL"], settings["CELERY_REDBEAT_LOCK_TIMEOUT"]) == (5, 60)
    assert "dispatch-outbox" in settings["CELERY_BEAT_SCHEDULE"]  # the schedule itself stays in the settings
    own = load_settings(
        monkeypatch,
        CELERY_BROKER_URL="redis://redis:6379/0",
        REDBEAT_REDIS_URL="redis://beat-redis:6379/2",
        REDBEAT_KEY_PREFIX="staging:redbeat:",
    )
    assert (own["CELERY_REDBEAT_REDIS_URL"], own["CELERY_REDBEAT_KEY_PREFIX"]) == (
        "redis://beat-redis:6379/2",
        "staging:redbeat:",
    )


def test_a_beat_lock_that_could_expire_between_two_renewals_is_refused(monkeypatch):
    for name in BEAT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ImproperlyConfigured, match="REDBEAT_LOCK_TIMEOUT=8 must be at least twice"):
        load_settings(
            monkeypatch, CELERY_BROKER_URL="redis://redis:6379/0", REDBEAT_LOCK_TIMEOUT="8", BEAT_MAX_LOOP_INTERVAL="5"
        )


STORAGE_VARIABLES = ("STORAGE_BACKEND", "S3_BUCKET", "AWS_STORAGE_BUCKET_NAME")


def test_stored_files_stay_on_the_local_disk_by_default(monkeypatch):
    for name in STORAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert load_settings(monkeypatch)["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_a_bucket_in_the_environment_selects_the_object_store(monkeypatch):
    for name in STORAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    default = load_settings(monkeypatch, S3_BUCKET="ssk-media")["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "ssk-media"
    with pytest.raises(ImproperlyConfigured, match="STORAGE_BACKEND='disk'"):
        load_settings(monkeypatch, STORAGE_BACKEND="disk")
