"""A persistent PostgreSQL connection the server dropped: with CONN_HEALTH_CHECKS the next request succeeds.

Requests go through Django's WSGI handler itself (not the test client, which switches off the
per-request connection housekeeping that the health check relies on)."""

import io

import psycopg2  # type: ignore[import-untyped]  # the driver .ci/run installs
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminates a PostgreSQL backend (set DATABASE_URL to postgres://…)"
)


def test_settings_turn_health_checks_on():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def _get(path: str, cookie: str) -> int:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookie,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
    }
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> None:
        statuses.append(status)

    response = WSGIHandler()(environ, start_response)  # type: ignore[arg-type]
    b"".join(response)
    response.close()  # request_finished: the connection housekeeping a server does after each request
    return int(statuses[0].split()[0])


def _terminate_backend() -> None:
    """Kill this thread's server connection from a second one, as a database restart or a proxy would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    db = connection.settings_dict
    killer = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"], port=db["PORT"] or 5432
    )
    killer.autocommit = True
    with killer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0] is True
    killer.close()


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("health_checks", "second_status"), [(True, 200), (False, 500)])
def test_the_request_after_a_dropped_connection(health_checks, second_status, caplog):
    """With health checks the request after the drop succeeds; without them (the old setting) it was a 500,
    which shows the test can fail."""
    user = get_user_model().objects.create_user("koneksi", password="x-Unused-1")
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()
    connection.settings_dict.update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=health_checks)
    try:
        assert _get("/", cookie) == 200
        assert connection.connection is not None  # kept open for the next request
        _terminate_backend()
        assert _get("/", cookie) == second_status
        assert _get("/", cookie) == 200  # and without health checks the one after the 500 recovers
    finally:
        connection.close()
        connection.settings_dict.update(saved)
