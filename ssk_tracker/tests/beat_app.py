"""The project's Celery app with a one-second test schedule, for the two-beat test.

test_two_nodes_integration starts ``celery -A ssk_tracker.tests.beat_app beat`` twice: the scheduler, its
lock and its Redis are the settings' own (redbeat, REDBEAT_* from the environment); only the schedule is
replaced, by one entry due every second that sends a no-op task to a queue of the test's own, where the
test counts the messages (nothing consumes that queue). Nothing of it lives in production code or settings.
The test imports the names below; that replaces the schedule of its own process's app too, which nothing
there reads (the tests read settings.CELERY_BEAT_SCHEDULE, and no beat runs in a test process).
"""

from ssk_tracker.celery import app

QUEUE = "ssk-nodes-test-beat"
TASK = "ssk_tracker.tests.beat_app.tick"
ENTRY = "ssk-nodes-test-tick"

__all__ = ["ENTRY", "QUEUE", "TASK", "app"]


@app.task(name=TASK)
def tick() -> None:
    """Beat only sends it; its messages are the runs the test counts."""


app.conf.beat_schedule = {ENTRY: {"task": TASK, "schedule": 1.0, "options": {"queue": QUEUE}}}
