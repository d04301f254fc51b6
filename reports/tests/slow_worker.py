"""The project's Celery app for a worker that pauses for 30 s after rendering each report.

test_worker_integration starts ``celery -A reports.tests.slow_worker worker`` to have a worker it can
SIGKILL mid-compile (the job running, its PDF not yet stored). The pause is patched in here, in the
worker's own processes, so nothing of it lives in production code or settings.
"""

import time

from celery.signals import worker_process_init

from ssk_tracker.celery import app

PAUSE_SECONDS = 30

__all__ = ["app"]


@worker_process_init.connect
def pause_after_rendering(**kwargs) -> None:
    """In each pool process, once Django is set up: render, then wait before storing the file."""
    from reports import services

    render = services.render_pdf

    def render_then_pause(payload: dict) -> tuple[bytes, int]:
        rendered = render(payload)
        time.sleep(PAUSE_SECONDS)
        return rendered

    services.render_pdf = render_then_pause
