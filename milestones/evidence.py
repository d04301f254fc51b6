"""Evidence files: judged by their content (not their name), stored once per SHA-256.

Accepted: PDF, JPEG, PNG, DOCX and XLSX. Office files are ZIP packages, so a ZIP is accepted only
when it carries the parts that make it a Word document or an Excel workbook, and only when its
declared unpacked size and compression ratio are sane (``check_package``: a ZIP bomb is refused without
inflating it). ``check_batch`` holds a submission to ``UPLOAD_MAX_FILES`` and ``UPLOAD_MAX_TOTAL_BYTES``.

Files are written to storage before their Blob row commits; ``store`` records what it wrote in the
current ``files_kept_on_commit`` block, which deletes those files again when the block rolls back.
"""

import contextvars
import errno
import hashlib
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from milestones.models import Blob
from ssk_tracker.lib import downloads
from ssk_tracker.lib.storage import STORAGE_ERRORS, error_reason

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


PDF = FileKind("pdf", "application/pdf")
JPEG = FileKind("jpg", "image/jpeg")
PNG = FileKind("png", "image/png")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ACCEPTED_LABEL = "PDF, JPEG, PNG, DOCX, XLSX"


def identify(uploaded) -> FileKind:
    """The file's kind from its bytes, or a ValidationError that names the file and says why."""
    name = uploaded.name
    limit = settings.EVIDENCE_MAX_BYTES
    if uploaded.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    if uploaded.size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s; the largest file accepted is %(limit)s.")
            % {"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    kind = sniff(uploaded)
    if kind is None:
        raise ValidationError(
            _("%(name)s is not a file type we accept (its content is not %(accepted)s).")
            % {"name": name, "accepted": ACCEPTED_LABEL},
            code="bad_type",
        )
    if kind in (DOCX, XLSX):
        problem = check_package(uploaded, max_unpacked=settings.UPLOAD_MAX_UNPACKED_BYTES)
        if problem:
            raise ValidationError(problem, code="bad_package")
    return kind


# A part this large must not inflate from much less: honest XML compresses 5–30 times.
_RATIO_CHECKED_FROM = 1024 * 1024


def check_package(uploaded: "File[bytes]", *, max_unpacked: int) -> str | None:
    """Why this ZIP package is refused (a sentence naming the limit), or None. Reads only the ZIP's
    directory: the declared sizes bound what zipfile will ever inflate (it stops at the declared size
    and fails the CRC), so nothing is unpacked here."""
    name = uploaded.name
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return _("%(name)s could not be opened; it may be damaged.") % {"name": name}
    finally:
        uploaded.seek(0)
    max_parts = settings.UPLOAD_MAX_PACKAGE_PARTS
    if len(parts) > max_parts:
        return _("%(name)s holds %(count)s parts; at most %(limit)s are accepted.") % {
            "name": name,
            "count": len(parts),
            "limit": max_parts,
        }
    unpacked = sum(part.file_size for part in parts)
    if unpacked > max_unpacked:
        return _("%(name)s unpacks to %(size)s; at most %(limit)s is accepted.") % {
            "name": name,
            "size": filesizeformat(unpacked),
            "limit": filesizeformat(max_unpacked),
        }
    max_ratio = settings.UPLOAD_MAX_COMPRESSION_RATIO
    for part in parts:
        if part.file_size >= _RATIO_CHECKED_FROM and part.file_size > max_ratio * max(part.compress_size, 1):
            return _(
                "%(name)s is compressed %(ratio)s times (a part of %(size)s in %(packed)s); at most "
                "%(limit)s times is accepted, more is the mark of a ZIP bomb."
            ) % {
                "name": name,
                "ratio": part.file_size // max(part.compress_size, 1),
                "size": filesizeformat(part.file_size),
                "packed": filesizeformat(part.compress_size),
                "limit": max_ratio,
            }
    return None


def check_batch(files: Iterable["File[bytes]"]) -> str | None:
    """Why this submission's files are refused together (a sentence naming the limit), or None."""
    files = list(files)
    max_files, max_total = settings.UPLOAD_MAX_FILES, settings.UPLOAD_MAX_TOTAL_BYTES
    if len(files) > max_files:
        return _("You chose %(count)s files; at most %(limit)s can be sent at once.") % {
            "count": len(files),
            "limit": max_files,
        }
    total = sum(f.size or 0 for f in files)
    if total > max_total:
        return _("The files you chose are %(size)s together; at most %(limit)s can be sent at once.") % {
            "size": filesizeformat(total),
            "limit": filesizeformat(max_total),
        }
    return None


def sniff(uploaded: "File[bytes]") -> FileKind | None:
    """The kind its bytes show, whatever its size, or None when it is none of the accepted kinds.
    ``identify`` adds the size limits; the planning workbook upload has limits of its own."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(uploaded)
    return None


def _office_kind(uploaded) -> FileKind | None:
    try:
        with zipfile.ZipFile(uploaded) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def store(uploaded, kind: FileKind) -> Blob:
    """Store the bytes once: a second upload of the same content reuses the first Blob."""
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    existing = Blob.objects.filter(sha256=sha256).first()
    if existing:
        return existing
    uploaded.seek(0)
    blob = Blob(sha256=sha256, size=uploaded.size, content_type=kind.content_type, extension=kind.extension)
    _save_file(blob, sha256, uploaded)
    written = _written.get()
    if written is not None and blob.file.name:
        written.append(blob.file.name)
    try:
        with transaction.atomic():
            blob.save()
    except IntegrityError:
        # Someone stored the same bytes a moment ago: keep theirs, drop our copy.
        blob.file.delete(save=False)
        return Blob.objects.get(sha256=sha256)
    return blob


def _save_file(blob: Blob, sha256: str, uploaded) -> None:
    """Write the bytes, or refuse the whole act (the caller's transaction rolls back) when storage fails:
    a full disk (ENOSPC), a read-only or unmounted volume, an object store that cannot be reached or
    refuses. A partly written file is removed."""
    storage = blob.file.storage
    target = blob.file.field.generate_filename(blob, sha256)
    try:
        blob.file.name = storage.save(target, uploaded, max_length=blob.file.field.max_length)
    except STORAGE_ERRORS as exc:  # a disk's OSError, an object store's client error
        if isinstance(exc, OSError):
            logger.error("Storing an upload failed (%s): %s", errno.errorcode.get(exc.errno or 0, "?"), exc.strerror)
        else:
            logger.error("Storing an upload in the object store failed (%s)", error_reason(exc))
        try:
            if storage.exists(target):
                storage.delete(target)
        except STORAGE_ERRORS:
            logger.exception("Could not remove the partly written %s", target)
        from milestones.services import ActionRefused  # services import this module

        raise ActionRefused(
            _(
                "%(name)s could not be stored: the server's file storage is full or unavailable. Nothing was "
                "saved. Try again later, and tell the administrator if it happens again."
            )
            % {"name": uploaded.name}
        ) from exc


# The names ``store`` wrote inside the innermost ``files_kept_on_commit`` block (None outside one).
_written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("evidence_written", default=None)


@contextmanager
def files_kept_on_commit() -> Iterator[None]:
    """``transaction.atomic()`` that also deletes the files ``store`` wrote in it when it rolls back.

    Django has ``on_commit`` but no rollback hook, so the block watches its own exit. Nested in an
    outer block, its files join the outer block's list: they are kept only if that one commits too.
    A file left by a rollback this cannot see (an outer atomic it is not told of, a killed process) is
    what ``manage.py remove_orphan_files`` finds.
    """
    outer = _written.get()
    written: list[str] = []
    token = _written.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        _delete_files(written)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(written)


def _delete_files(names: list[str]) -> None:
    storage = Blob.file.field.storage
    for name in names:
        try:
            storage.delete(name)
        except STORAGE_ERRORS:
            pass  # gone already, or the disk refuses: the orphan command finds it later


def safe_download_name(original_name: str, extension: str) -> str:
    """A file name safe in a Content-Disposition header, with the extension its content deserves."""
    stem = re.split(r"[/\\]", original_name)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return downloads.safe_filename(f"{downloads.safe_filename(stem)[:80]}.{extension}")


def attachment(request, blob: Blob, original_name: str):
    """The stored file as a download (never shown inline), named safely after what the user uploaded,
    or the "file missing" page when it is gone from disk. Call it only after the scope check."""
    return downloads.stored_file(
        request, blob.file, name=safe_download_name(original_name, blob.extension), content_type=blob.content_type
    )
