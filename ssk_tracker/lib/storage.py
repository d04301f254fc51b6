"""What the code needs to know about the storage behind a FileField, whichever it is (disk or S3)."""

from django.db.models.fields.files import FieldFile

try:  # the object store's client errors (unreachable, refused, no such bucket) are not OSErrors
    from botocore.exceptions import BotoCoreError, ClientError

    _CLIENT_ERRORS: tuple[type[Exception], ...] = (BotoCoreError, ClientError)
except ImportError:  # pragma: no cover - boto3 is in the requirements
    _CLIENT_ERRORS = ()

# Everything a storage may raise when it cannot read or write: a full or missing disk, or an
# object store that cannot be reached or refuses the request.
STORAGE_ERRORS: tuple[type[Exception], ...] = (OSError, *_CLIENT_ERRORS)


def error_reason(error: BaseException) -> str:
    """A short, safe name for a storage failure: the object store's error code (``NoSuchBucket``,
    ``AccessDenied``) when it gave one, else the kind of error. Never the message (host names, paths)."""
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        if code:
            return str(code)
    return type(error).__name__


def where(file: FieldFile) -> str:
    """The file's local path on a disk storage, else its name in the storage (an object store has no path)."""
    try:
        return file.path
    except NotImplementedError:
        return file.name or ""
