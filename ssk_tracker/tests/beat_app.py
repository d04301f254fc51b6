"""The project's Celery app with a one-second test schedule, for the two-beat test.

test_two_nodes_integration starts ``celery -A ssk_tracker.tests.beat_app beat`` twice: the scheduler, its
lock and its Redis are the settings' own (redbeat, REDBEAT_* from the environment); only the schedule is
replaced, by one entry every second that sends a no-op task to a queue of the test's own, where the test
counts the messages (nothing consumes that queue). Nothing of it lives in production code or settings.
"""

from ssk_tracker.celery import app

QUEUE = "ssk-nodes-test-beat"
TASK = "ssk_tracker.tests.beat_app.tick"

__all__ = ["QUEUE", "TASK", "app"]


@app.task(name=TASK)
def tick() -> None:
    """Beat only sends it; its messages are the runs the test counts."""


app.conf.beat_schedule = {"ssk-nodes-test-tick": {"task": TASK, "schedule": 1.0, "options": {"queue": QUEUE}}}
