"""Writes: each function one transaction, keyword-only, refusing with ActionRefused when the act no longer applies.

One module per feature: milestones, documents, clinics, planning, nawasis, reminders.
"""

import unicodedata
from collections.abc import Collection

from django.core.files.uploadedfile import UploadedFile

from milestones.evidence import FileKind

# A file as a form (or the demo, or a test) hands it over.
type Upload = UploadedFile[bytes]
# An upload with the kind ``evidence.identify`` found in its bytes: what the forms pass on.
type CheckedUpload = tuple[Upload, FileKind]


class ActionRefused(Exception):
    """The act no longer makes sense (someone else acted first, the milestone is locked, …)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def accepted_upload(
    upload: Upload | None, kind: FileKind | None, accepted: Collection[FileKind], refusal: str
) -> CheckedUpload | None:
    """The upload with its kind (None without an upload); ActionRefused(refusal) when that kind is not accepted."""
    if upload is None:
        return None
    if kind is None or kind not in accepted:
        raise ActionRefused(refusal)
    return upload, kind


def upload_name(upload: Upload) -> str:
    """The name the file had on the user's machine, as kept beside its blob and shown on pages (at most
    255 characters): no folder part (either slash), no control or format characters (a CR/LF in a name
    would break every header and e-mail it reaches). The stored file's name is random (models.files)."""
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = " ".join(name.split()).strip(". ")
    return name[:255] or "berkas"
