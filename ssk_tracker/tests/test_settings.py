import os
import subprocess
import sys
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


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", "import ssk_tracker.settings as s; print(s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(DEBUG="0", ALLOWED_HOSTS="ssk.example.go.id")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_default_database_is_sqlite():
    result = load_settings()
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql():
    result = load_settings(DATABASE_URL="postgres://root@127.0.0.1:5432/ssk")
    assert result.stdout.strip() == "django.db.backends.postgresql"
