import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

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


def load_settings(monkeypatch, **env) -> dict:
    """The settings module run afresh (in this process: a new interpreter costs more than all the
    checks) with the production variables cleared and ``env`` set; its names, or its error."""
    for name in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL"):
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
        load_settings(monkeypatch, DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="ssk.example.go.id")
    assert "CACHE_URL must be set when DEBUG is off" in str(refused.value)


def test_cache_url_selects_redis_and_keeps_the_rate_limit_checks_that_apply(monkeypatch):
    settings = load_settings(monkeypatch, CACHE_URL="redis://127.0.0.1:6379/1")
    assert settings["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    # Only "not officially supported" is silenced: E003 (a cache not shared between processes) stays on.
    assert settings["SILENCED_SYSTEM_CHECKS"] == ["django_ratelimit.W001"]


def test_cache_url_must_be_redis(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="is not a Redis address"):
        load_settings(monkeypatch, CACHE_URL="memcached://127.0.0.1:11211")
