"""``/sehat/``: is this instance able to serve? For load balancers and monitoring, no sign-in.

Each dependency is checked with a short timeout and named in the answer: the database (a query), the
broker (a connection, or "in-process" when jobs run eagerly), the storage (a small file written, read
back and removed, through the storage API: the disk or the object store, named by backend and bucket)
and the cache (a value set and read: the rate limits live there). HTTP 200 when every check passes, 503
naming the failed ones otherwise. The answer gives the kind of error only (for an object store its error
code, such as NoSuchBucket or AccessDenied), never its text (which may hold host names or paths); the
log has the detail.
"""

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ssk_tracker import storage_settings
from ssk_tracker.celery import app as celery_app
from ssk_tracker.lib.storage import error_reason

logger = logging.getLogger(__name__)
BROKER_TIMEOUT_SECONDS = 2


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "in-process"
    with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    return "ok"


def check_storage() -> str:
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as stored:
            if stored.read() != b"ok":
                raise OSError("the file read back differs from the one written")
    finally:
        default_storage.delete(name)
    return "ok"


def check_cache() -> str:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)
    return "ok"


def describe_storage() -> dict[str, str]:
    return storage_settings.describe_storage(default_storage)


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "broker": check_broker,
    "storage": check_storage,
    "cache": check_cache,
}
# What a check's answer names besides its status: the storage's backend and, for an object store, its
# bucket (so a load balancer's log says which store failed), whether the check passed or not.
DETAILS: dict[str, Callable[[], dict[str, str]]] = {"storage": describe_storage}


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            results[name] = {"status": check()}
        except Exception as error:  # any failure is an answer here, not a crash
            logger.warning("health check %s failed: %r", name, error)
            results[name] = {"status": "fail", "error": error_reason(error)}
        if name in DETAILS:
            results[name].update(DETAILS[name]())
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    healthy = all(result["status"] != "fail" for result in results.values())
    failed = [name for name, result in results.items() if result["status"] == "fail"]
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "failed": failed, "checks": results},
        status=200 if healthy else 503,
    )
