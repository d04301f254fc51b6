"""API tokens (regencies.models.ApiToken): made, found by their key, revoked.

The key is 40 URL-safe characters from ``secrets``; only its SHA-256 hash is stored, so a database copy gives
no one the API. The plain key is returned once by ``create_token`` and never again.
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from regencies.models import ApiToken
from ssk_tracker.lib.users import User

PREFIX_LENGTH = 8
# last_used_at is written at most this often per token: a script's every request would otherwise be a write.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its plain key (shown once; only the hash is kept)."""
    key = secrets.token_urlsafe(30)
    token = ApiToken.objects.create(user=user, name=name.strip(), prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key))
    return token, key


def revoke_token(*, user: User, pk: int) -> ApiToken | None:
    """Revoke one of ``user``'s own tokens (None if it is not theirs); revoking twice keeps the first time."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=user, pk=pk).first()
        if token is not None and token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The token a key opens, with its user, or None (unknown key). Revoked tokens are returned too: the
    caller says why it refuses."""
    return ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()


def mark_used(token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Record the token's use, at most once a minute."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def tokens_of(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))
