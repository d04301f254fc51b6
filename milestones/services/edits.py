"""Edit conflicts and double submits, once for every form.

**Versions.** Every record two people may edit has a ``version`` (1 when created). Its edit form carries
the version it was loaded at; the service saves with ``claim_version``, a conditional update
``filter(pk=…, version=v).update(…, version=F("version") + 1)``. When no row matched, someone saved in
between: ``EditConflict`` (an ``ActionRefused``) carries the record as it is now, and the form shows what
changed meanwhile, field by field, next to what the user typed (milestones/forms/edits.py). A record's
children (participants, follow-up actions, policy items, budget lines) are saved with their parent, so the
parent's version guards them; their own ``version`` is raised with every write too.

**One-time tokens.** A create form carries a token issued on GET (signed: the user's id and a random
part). ``use_token`` writes a ``UsedFormToken`` row inside the caller's transaction: if the create fails,
the row goes with it; if a second POST brings the same token, it finds the first one's row and is sent to
what it created. Expired rows are deleted on use.
"""

import datetime
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones.models import UsedFormToken
from milestones.services import ActionRefused
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import User

# A create form may stay open this long (a week: a draft left over the weekend still saves).
TOKEN_MAX_AGE = datetime.timedelta(days=7)
_TOKEN_SALT = "milestones.form-token"
TOKEN_LENGTH = UsedFormToken._meta.get_field("token").max_length or 128


class EditConflict(ActionRefused):
    """Someone saved the record after the form was loaded; ``current`` is the record as it is now."""

    def __init__(self, current: models.Model | None) -> None:
        self.current = current
        if current is None:
            message = _("This record was deleted after you opened the form; nothing was saved.")
        else:
            message = _("Someone else saved this record after you opened the form; nothing of yours was saved.")
        super().__init__(message)


def claim_version[M: models.Model](
    model: type[M], *, pk: object, version: int | None, values: Mapping[str, object], scope: models.Q | None = None
) -> int:
    """Write ``values`` to the row only if it is still at ``version`` (None: the caller has no version,
    as the demo and imports do, and writes unconditionally); return the new version.

    Raises ``EditConflict`` with the current row when it moved on (or was deleted).
    """
    rows = model._default_manager.filter(pk=pk)
    if scope is not None:
        rows = rows.filter(scope)
    if version is not None:
        rows = rows.filter(version=version)
    if not audit.update(rows, **values, version=F("version") + 1):
        raise EditConflict(model._default_manager.filter(pk=pk).first())
    return int(model._default_manager.filter(pk=pk).values_list("version", flat=True).get())


def create_or_claim[M: models.Model](
    model: type[M],
    instance: M | None,
    *,
    version: int | None,
    values: Mapping[str, object],
    scope: models.Q,
    parent: Mapping[str, object],
) -> M:
    """Create a row of ``model`` under ``parent`` with ``values``, or write ``values`` to ``instance`` at the
    form's ``version`` (``claim_version``) and return it updated. The one save path of the edit forms that
    both add and correct a record; a duplicate's IntegrityError is the caller's to word."""
    if instance is None:
        return model._default_manager.create(**parent, **values)
    instance.version = claim_version(model, pk=instance.pk, version=version, scope=scope, values=values)  # type: ignore[attr-defined]
    for key, value in values.items():
        setattr(instance, key, value)
    return instance


def bump_versions(rows: "models.QuerySet[models.Model]") -> int:
    """Raise the version of rows written by a bulk path (child rows, imports) so open forms see it."""
    return rows.update(version=F("version") + 1)


# --- One-time form tokens -----------------------------------------------------------------------------


class TokenRefused(ActionRefused):
    """The POST came without a valid token of this user: nothing is created; the form comes back."""


@dataclass(frozen=True)
class AlreadySaved(Exception):
    """A second POST with a used token: what the first one created is at ``url``."""

    url: str


def issue_token(user: User) -> str:
    """A fresh token for a create form opened by ``user``."""
    return signing.TimestampSigner(salt=_TOKEN_SALT).sign(f"{user.pk}:{secrets.token_hex(12)}")


def earlier_result(token: str | None) -> str | None:
    """Where a POST with this token already led (it was used), else None."""
    if not token:
        return None
    return UsedFormToken.objects.filter(token=token).values_list("result_url", flat=True).first()


def use_token(*, token: str | None, user: User) -> UsedFormToken:
    """Mark ``token`` used by ``user`` in the current transaction (call inside ``transaction.atomic``).

    Raises ``TokenRefused`` when it is missing, forged, another user's or expired, and ``AlreadySaved``
    when a POST with it already went through (of two POSTs at once, the second waits on the unique
    index and then sees the first one's row).
    """
    if not token:
        raise TokenRefused(_("This form was sent without its one-time mark; reload the form (muat ulang formulir)."))
    try:
        value = signing.TimestampSigner(salt=_TOKEN_SALT).unsign(token, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise TokenRefused(
            _(
                "This form was opened too long ago to be sent as it is. "
                "What you typed is kept below: check it and save again."
            )
        ) from None
    except signing.BadSignature:
        raise TokenRefused(
            _("This form's one-time mark is not valid; reload the form (muat ulang formulir).")
        ) from None
    if value.split(":", 1)[0] != str(user.pk):
        raise TokenRefused(_("This form was opened by another user; reload the form (muat ulang formulir)."))
    if len(token) > TOKEN_LENGTH:  # cannot happen with a token this module signed
        raise TokenRefused(_("This form's one-time mark is not valid; reload the form (muat ulang formulir)."))
    UsedFormToken.objects.filter(created_at__lt=timezone.now() - TOKEN_MAX_AGE).delete()
    try:
        with transaction.atomic():
            return UsedFormToken.objects.create(token=token, user=user)
    except IntegrityError:
        raise AlreadySaved(earlier_result(token) or "") from None


def record_result(used: UsedFormToken, url: str) -> None:
    """Remember where the create led, so that a repeated POST goes there too."""
    UsedFormToken.objects.filter(pk=used.pk).update(result_url=url[:500])
