"""Telling a genuine report from anything else: by the code printed in its footers, or by the PDF itself.

A code names a report (``ReportJob.verification_code``, given at queue time); a file is genuine when its
SHA-256 is the one stored when the report was finished (``ReportJob.sha256``), so one changed byte fails.

An uploaded file is never stored: ``HashingUploadHandler`` replaces Django's upload handlers for the
verification page and keeps, of what arrives, only the size, the first bytes (to tell a PDF) and the
running SHA-256. No temporary file is written and nothing reaches the media storage.
"""

import hashlib
import io
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest

from reports.models import ReportJob
from ssk_tracker.lib.codes import normalize_code

_RELATED = ("province", "balai", "regency")

if TYPE_CHECKING:  # django-stubs makes UploadedFile generic; Django's class is not subscriptable
    _BytesUpload = UploadedFile[bytes]
else:
    _BytesUpload = UploadedFile


def find_by_code(text: str) -> ReportJob | None:
    """The finished report with this code, however it was typed (case, hyphens, O for 0); else None."""
    code = normalize_code(text)
    if code is None:
        return None
    return (
        ReportJob.objects.select_related(*_RELATED).filter(verification_code=code, status=ReportJob.Status.DONE).first()
    )


def find_by_file(sha256: str) -> ReportJob | None:
    """The finished report whose stored file has exactly this SHA-256; else None."""
    return ReportJob.objects.select_related(*_RELATED).filter(sha256=sha256, status=ReportJob.Status.DONE).first()


class HashedUpload(_BytesUpload):
    """What the verification page keeps of an uploaded file: its name, size, first bytes and SHA-256."""

    def __init__(self, *, name: str, size: int, head: bytes, sha256: str | None) -> None:
        super().__init__(file=io.BytesIO(head), name=name, content_type="application/octet-stream", size=size)
        self.sha256 = sha256  # None when the file passed the size limit: hashing stopped there


class HashingUploadHandler(FileUploadHandler):
    """Hashes each uploaded file as its chunks arrive and drops the chunks (see the module's docstring)."""

    HEAD_BYTES = 8

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.digest = hashlib.sha256()
        self.head = b""
        self.size = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()
        self.head = b""
        self.size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        if len(self.head) < self.HEAD_BYTES:
            self.head += raw_data[: self.HEAD_BYTES - len(self.head)]
        if self.size <= self.limit:
            self.digest.update(raw_data)
        # Returning None hands the chunk to no other handler: it is gone once hashed.

    def file_complete(self, file_size: int) -> HashedUpload:
        return HashedUpload(
            name=self.file_name or "",
            size=self.size,
            head=self.head,
            sha256=self.digest.hexdigest() if self.size <= self.limit else None,
        )
