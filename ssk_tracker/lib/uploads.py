"""The hard wall for uploads: a request body larger than ``UPLOAD_MAX_REQUEST_BYTES`` is refused before
Django reads (and writes to temporary files) any of it. The forms check the finer limits (files per
submission, their total, each file) with a message beside the field; this catches what they never see.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class UploadTooLarge(RequestDataTooBig):
    """Answered with a message page naming the limit (ssk_tracker.errors.bad_request)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"Upload larger than {limit} bytes.")


class RequestSizeLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: refuses by the declared length, and counts the bytes received in
    case the declared length lies (a chunked body has none)."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit: int = settings.UPLOAD_MAX_REQUEST_BYTES
        self.received = 0

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: str | None = None
    ) -> None:
        if content_length > self.limit:
            raise UploadTooLarge(self.limit)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge(self.limit)
        return raw_data  # the next handler (memory or temporary file) keeps it

    def file_complete(self, file_size: int) -> None:
        return None  # not ours to keep: the next handler returns the file
