"""A request id for every log line: from the web request that caused it to the Celery tasks it queued.

``RequestIdMiddleware`` takes the proxy's ``X-Request-ID`` when it is a plain token (else makes one),
keeps it in a context variable for the request and answers it back in the response header. The logging
filter puts it on every record (``%(request_id)s``, or a JSON field). A task queued while it is set
carries it in its message headers (``before_task_publish``) and the worker restores it for the task's
run (``task_prerun``), so a failed e-mail in the worker log names the request that asked for it.
"""

import contextvars
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from celery import signals
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
NONE = "-"
_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=NONE)
# What we accept from a proxy: short and plain, so that it can never forge a log line or a header.
_SAFE = re.compile(r"[A-Za-z0-9._-]{1,64}")


def current() -> str:
    return _current.get()


def _accepted(value: str | None) -> str:
    return value if value and _SAFE.fullmatch(value) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _accepted(request.headers.get(HEADER))
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True


@signals.before_task_publish.connect
def _send_request_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    if headers is not None and _current.get() != NONE:
        headers.setdefault("request_id", _current.get())


_task_tokens: dict[str, contextvars.Token[str]] = {}


@signals.task_prerun.connect
def _restore_request_id(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    request_id = getattr(getattr(task, "request", None), "request_id", None)
    if task_id and isinstance(request_id, str) and _SAFE.fullmatch(request_id):
        _task_tokens[task_id] = _current.set(request_id)


@signals.task_postrun.connect
def _forget_request_id(task_id: str | None = None, **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        _current.reset(token)
