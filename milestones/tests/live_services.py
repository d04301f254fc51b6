"""What the integration tests with real processes share: the marks that run them only where PostgreSQL is
the test database and Redis answers (in CI; elsewhere skipped, saying why), and the database's URL for the
processes they start."""

import pytest
from django.db import connection


def redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def live_marks(redis_url: str, why_postgresql: str) -> list[pytest.MarkDecorator]:
    """The module's pytestmark: integration, skipped without PostgreSQL or Redis, transactions committed (the
    started processes must see the rows)."""
    return [
        pytest.mark.integration,
        pytest.mark.skipif(connection.vendor != "postgresql", reason=why_postgresql),
        pytest.mark.skipif(not redis_answers(redis_url), reason="Redis does not answer on 127.0.0.1:6379"),
        pytest.mark.django_db(transaction=True),
    ]


def database_url() -> str:
    """The test database as DATABASE_URL, for a process the test starts."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
