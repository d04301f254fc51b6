"""The project's Celery app for a worker that writes its e-mails to files (OUTBOX_TEST_MAIL_DIR).

test_broker_down_integration starts ``celery -A milestones.tests.outbox.mail_worker worker`` so that the
test can count the e-mails a real worker sent. The mailer is switched in here, in the worker's own
processes, so nothing of it lives in production settings.
"""

import os

from celery.signals import worker_process_init

from ssk_tracker.celery import app

__all__ = ["app"]


@worker_process_init.connect
def write_mail_to_files(**kwargs) -> None:
    from django.test.utils import override_settings

    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["OUTBOX_TEST_MAIL_DIR"]},
        }
    }
    override_settings(MAILERS=mailers).enable()
