"""The one Celery app. Without CELERY_BROKER_URL, tasks run in-process (eager)."""

import os

from celery import Celery

# Imported for its signals: the request id travels in task headers (see the module).
import ssk_tracker.observability  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssk_tracker.settings")

app = Celery("ssk_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
