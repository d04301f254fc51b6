"""Downloads: a Content-Disposition built only from safe characters, and a stored file that is gone from
its storage answered with a page that says so (404), an object store that cannot be reached with a page
that says so (503), never a 500.

Every attachment the tracker serves (evidence, SSK documents, clinic minutes, reports, exports, the
planning workbook) goes through ``content_disposition``.
"""

import logging
import re
import unicodedata
from collections.abc import Iterable
from typing import IO
from urllib.parse import quote

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from ssk_tracker.lib.storage import STORAGE_ERRORS, error_reason

logger = logging.getLogger(__name__)

MAX_NAME_LENGTH = 120
# Letters and digits of any script (for filename*), and a few harmless marks: no quotes, slashes,
# backslashes, semicolons, control characters or percent signs survive.
_UNSAFE = re.compile(r"[^\w .()-]+")
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()-]+")


def _plain(character: str) -> str:
    category = unicodedata.category(character)
    if category == "Pd":  # en and em dashes
        return "-"
    if category[0] in "CZ":  # control, format, line and paragraph separators, odd spaces
        return " "
    return character


def safe_filename(name: str, *, default: str = "berkas") -> str:
    """``name`` without any directory part, control characters or header syntax, at most 120 characters.

    Keeps the extension when it has to shorten the name; ``default`` when nothing is left."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(_plain(c) for c in name)
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" ._-")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" ._-") + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH].rstrip(" ._-")
    return name or default


def ascii_filename(name: str, *, default: str = "berkas") -> str:
    """The safe name in ASCII, for clients that ignore ``filename*`` (accents dropped, the rest ``_``)."""
    stem, dot, extension = safe_filename(name, default=default).rpartition(".")
    if not dot:
        stem, extension = extension, ""
    stem, extension = _ascii(stem), _ascii(extension)
    if not stem.strip("_"):  # nothing readable left (a name in another script): keep the extension
        stem = default
    return f"{stem}.{extension}" if extension else stem


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"_+", "_", _ASCII_UNSAFE.sub("_", text)).strip(" .-")


def content_disposition(name: str, *, inline: bool = False, default: str = "berkas") -> str:
    """``attachment; filename="…"`` in ASCII, plus RFC 5987 ``filename*=UTF-8''…`` when the name is not ASCII."""
    kind = "inline" if inline else "attachment"
    safe = safe_filename(name, default=default)
    fallback = ascii_filename(name, default=default)
    if safe == fallback:
        return f'{kind}; filename="{fallback}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(safe, safe='')}"


def attachment(content: bytes, name: str, content_type: str) -> HttpResponse:
    """Bytes built for this request (an export, a workbook) as a download that is never cached."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    response["Cache-Control"] = "private, no-store"
    return response


def streamed_attachment(content: Iterable[bytes], name: str, content_type: str) -> StreamingHttpResponse:
    """``attachment`` for content produced while it is sent (a long export)."""
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    response["Cache-Control"] = "private, no-store"
    return response


def file_attachment(handle: IO[bytes], name: str, content_type: str) -> FileResponse:
    """``attachment`` for content built in a temporary file; the response closes it."""
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file(request: HttpRequest, file: FieldFile, *, name: str, content_type: str) -> HttpResponse | FileResponse:
    """A stored file as a download, streamed from the storage's file object (the disk or the object
    store: never a local path), or the "file missing" page (404, logged) when the storage has no such
    file, or the "storage unavailable" page (503, logged) when the object store cannot be reached."""
    try:
        handle = file.open("rb")
        response = FileResponse(handle, content_type=content_type)  # sizes the file: may read it
    except (FileNotFoundError, ValueError) as exc:  # ValueError: the row has no file at all
        return _unavailable(request, file, name, exc, missing=True)
    except STORAGE_ERRORS as exc:
        return _unavailable(request, file, name, exc, missing=isinstance(exc, OSError))
    response["Content-Disposition"] = content_disposition(name)
    return response


def _unavailable(request: HttpRequest, file: FieldFile, name: str, exc: Exception, *, missing: bool) -> HttpResponse:
    logger.error(
        "Stored file %s: %s (%s) requested at %s by user %s",
        "missing" if missing else "unavailable",
        file.name or "(none)",
        error_reason(exc),
        request.path,
        getattr(request.user, "pk", None),
    )
    if missing:
        return render(request, "missing_file.html", {"file_name": safe_filename(name)}, status=404)
    return render(request, "storage_unavailable.html", {"file_name": safe_filename(name)}, status=503)
