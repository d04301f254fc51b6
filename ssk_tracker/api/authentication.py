"""``Authorization: Token <key>``: the API's token authentication, by the key's hash (regencies.tokens)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from regencies import tokens

KEYWORD = "Token"


class TokenAuthentication(authentication.BaseAuthentication):
    """A token's user, as if signed in: the same scope and rules as on the web. Unknown, revoked or the
    user deactivated: 401."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None  # not ours: the session, or nobody
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Authorization: Token <key>."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = tokens.token_for_key(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("The token was revoked."))
        tokens.mark_used(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD  # a 401 (not a 403) when no credentials came


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """The schema's description of the token header (drf-spectacular)."""

    target_class = "ssk_tracker.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(_('"Token <key>"; create a key on the account page /akun/token/.')),
        }
