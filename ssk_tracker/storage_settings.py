"""Where stored files live: the local disk (the zero-set-up default) or a shared, private object store.

``build_default_storage(environ)`` is pure (an environment mapping in, the ``STORAGES["default"]``
entry out) so the settings module and the tests share one reading of the environment.

Object storage is chosen when ``STORAGE_BACKEND=s3``, or when no ``STORAGE_BACKEND`` is given and a
bucket is (``S3_BUCKET`` or ``AWS_STORAGE_BUCKET_NAME``); ``STORAGE_BACKEND=local`` forces the disk.
Each S3 option is read from its ``S3_*`` name first and its ``AWS_*`` name as the fallback.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"
# Signed URLs are not handed out (downloads stream through the scope-checked views), but should
# anything ask the storage for a URL it is signed and short-lived, never public.
QUERYSTRING_EXPIRE_SECONDS = 300
ADDRESSING_STYLES = ("path", "virtual")
CONNECT_TIMEOUT_SECONDS = 5
READ_TIMEOUT_SECONDS = 30
MAX_MEMORY_BYTES = 2 * 1024 * 1024

# (option, S3_* name, AWS_* fallback)
_S3_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("bucket_name", "S3_BUCKET", "AWS_STORAGE_BUCKET_NAME"),
    ("endpoint_url", "S3_ENDPOINT_URL", "AWS_S3_ENDPOINT_URL"),
    ("region_name", "S3_REGION", "AWS_S3_REGION_NAME"),
    ("access_key", "S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
    ("secret_key", "S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
)


def _first(environ: Mapping[str, str], *names: str) -> str:
    for name in names:
        value = environ.get(name, "").strip()
        if value:
            return value
    return ""


def storage_kind(environ: Mapping[str, str]) -> str:
    """``"local"`` or ``"s3"``, from ``STORAGE_BACKEND`` or (when that is empty) the presence of a bucket."""
    raw = environ.get("STORAGE_BACKEND", "").strip()
    kind = raw.lower()
    if kind in ("local", "s3"):
        return kind
    if kind:
        raise ImproperlyConfigured(
            f"STORAGE_BACKEND={raw!r}: use 'local' (files on this machine's disk, the default) "
            "or 's3' (a shared S3-compatible object store)."
        )
    return "s3" if _first(environ, "S3_BUCKET", "AWS_STORAGE_BUCKET_NAME") else "local"


def build_default_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry for this environment."""
    if storage_kind(environ) == "local":
        return {"BACKEND": LOCAL_BACKEND}
    options: dict[str, Any] = {}
    for option, name, fallback in _S3_OPTIONS:
        value = _first(environ, name, fallback)
        if value:
            options[option] = value
    if "bucket_name" not in options:
        raise ImproperlyConfigured(
            "Object storage is selected (STORAGE_BACKEND=s3) but no bucket is named: "
            "set S3_BUCKET (or AWS_STORAGE_BUCKET_NAME)."
        )
    prefix = environ.get("S3_PREFIX", "").strip().strip("/")
    if prefix:
        options["location"] = prefix
    style = environ.get("S3_ADDRESSING_STYLE", "").strip().lower()
    if style and style not in ADDRESSING_STYLES:
        raise ImproperlyConfigured(f"S3_ADDRESSING_STYLE={style!r}: use 'path' or 'virtual'.")
    if not style and "endpoint_url" in options:
        style = "path"  # MinIO, Ceph and moto answer on one host name, not one per bucket
    if style:
        options["addressing_style"] = style
    from botocore.config import Config  # only with object storage: the local default needs no boto

    options["client_config"] = Config(
        s3={"addressing_style": style} if style else {},
        # An object store that cannot be reached fails a request (and /sehat/) in seconds, not minutes.
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=READ_TIMEOUT_SECONDS,
        retries={"max_attempts": 3, "mode": "standard"},
    )
    options.update(
        {
            # Private objects: no ACL header (the bucket's owner-only default; buckets with ACLs
            # disabled reject any other), URLs signed, an existing name never overwritten.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": QUERYSTRING_EXPIRE_SECONDS,
            "file_overwrite": False,
            "custom_domain": None,
            # A download is spooled through a temporary file: larger ones go to disk, not memory.
            "max_memory_size": MAX_MEMORY_BYTES,
        }
    )
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def describe_storage(storage: object) -> dict[str, str]:
    """The storage named for the health answer: its backend and, for an object store, its bucket."""
    description = {"backend": storage.__class__.__name__}  # through default_storage's lazy wrapper
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        description["bucket"] = str(bucket)
    return description
