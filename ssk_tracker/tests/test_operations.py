"""/sehat/ for load balancers, and the request id that every log line carries, from request to task."""

import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

from ssk_tracker import health, observability
from ssk_tracker.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthy_instance_answers_200_with_each_check_named(client):
    response = client.get("/sehat/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {"database", "broker", "storage", "cache"}
    assert body["checks"]["broker"]["status"] == "in-process"  # the tests run jobs eagerly
    assert response["Cache-Control"].startswith("max-age=0")


def test_needs_no_sign_in_and_refuses_posts(client):
    assert client.get("/sehat/").status_code == 200
    assert client.post("/sehat/").status_code == 405


def test_a_failed_dependency_is_named_and_answers_503_without_its_text(client, caplog):
    def broken() -> str:
        raise OSError("/srv/ssk/media is read-only (secret path)")

    with mock.patch.dict(health.CHECKS, {"storage": broken}):
        response = client.get("/sehat/")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["storage"]
    assert body["checks"]["storage"] == {
        "status": "fail",
        "error": "OSError",
        "backend": "FileSystemStorage",
        "ms": mock.ANY,
    }
    assert body["checks"]["database"]["status"] == "ok"
    assert "secret path" not in response.content.decode()
    assert "secret path" in caplog.text  # the detail is in the log, for the operator


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_an_unreachable_broker_is_named(client):
    with mock.patch.object(health, "BROKER_TIMEOUT_SECONDS", 1):
        response = client.get("/sehat/")
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]


def test_a_failed_database_is_named(client):
    def broken() -> str:
        raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.dict(health.CHECKS, {"database": broken}):
        response = client.get("/sehat/")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]


# --- The request id -------------------------------------------------------------------------------


def test_every_response_carries_a_request_id_and_a_plain_one_from_the_proxy_is_kept(client):
    made = client.get("/sehat/")["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()
    assert client.get("/sehat/", HTTP_X_REQUEST_ID="lb-7f3a.2").headers["X-Request-ID"] == "lb-7f3a.2"


@pytest.mark.parametrize("forged", ["two words", "line\nbreak", "x" * 65, '"quoted"'])
def test_a_forged_request_id_is_replaced(client, forged):
    answered = client.get("/sehat/", HTTP_X_REQUEST_ID=forged)["X-Request-ID"]
    assert answered != forged and len(answered) == 32


def test_log_records_of_a_request_carry_its_id_as_a_json_field(client):
    stream_records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            stream_records.append(record)

    handler = Keep()
    handler.addFilter(observability.RequestIdFilter())
    logger = logging.getLogger("ssk_tracker.health")
    logger.addHandler(handler)
    try:
        with mock.patch.dict(health.CHECKS, {"cache": lambda: (_ for _ in ()).throw(RuntimeError("down"))}):
            response = client.get("/sehat/", HTTP_X_REQUEST_ID="req-42")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 503
    (record,) = stream_records
    assert record.request_id == "req-42"
    from pythonjsonlogger.json import JsonFormatter

    line = JsonFormatter("%(levelname)s %(name)s %(message)s %(request_id)s").format(record)
    assert json.loads(line)["request_id"] == "req-42"


def test_outside_a_request_the_id_is_a_dash():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    observability.RequestIdFilter().filter(record)
    assert record.request_id == "-"


def test_a_task_published_during_a_request_carries_its_id_and_the_worker_restores_it():
    """The two signal handlers, as Celery calls them: publish (headers) and run (task.request)."""
    token = observability._current.set("req-77")
    try:
        headers: dict[str, object] = {}
        observability._send_request_id(headers=headers)
    finally:
        observability._current.reset(token)
    assert headers == {"request_id": "req-77"}
    assert observability.current() == "-"

    task = mock.Mock()
    task.request.request_id = headers["request_id"]
    observability._restore_request_id(task_id="t1", task=task)
    assert observability.current() == "req-77"
    observability._forget_request_id(task_id="t1")
    assert observability.current() == "-"


def test_a_forged_header_on_a_task_message_is_ignored():
    task = mock.Mock()
    task.request.request_id = "evil\nline"
    observability._restore_request_id(task_id="t2", task=task)
    assert observability.current() == "-"
    observability._forget_request_id(task_id="t2")


def test_the_signals_are_connected_to_the_projects_celery_app():
    from celery import signals

    assert celery_app.main == "ssk_tracker"
    for signal, handler in (
        (signals.before_task_publish, observability._send_request_id),
        (signals.task_prerun, observability._restore_request_id),
        (signals.task_postrun, observability._forget_request_id),
    ):
        assert handler in [receiver[1]() for receiver in signal.receivers]
