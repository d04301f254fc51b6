"""Fast test configuration: cheap hashing, in-memory cache, sessions and mail, jobs in-process."""

import tempfile

from ssk_tracker.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = tempfile.mkdtemp(prefix="ssk-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "id"
# Sessions in the locmem cache: a sign-in or a request costs no session row writes and reads.
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
OPEN_DATA_RATE = "100000/h"  # the open-data pages: the authorization matrix alone requests them often
