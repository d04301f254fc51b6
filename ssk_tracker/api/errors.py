"""Every API error as ``{"code": "...", "message": "..."}`` in the user's language (field errors under
"errors" for "invalid"); settings.REST_FRAMEWORK["EXCEPTION_HANDLER"]."""

import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


def _code(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.NotFound):
        return "not_found"
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return "not_authenticated"
    if isinstance(exc, exceptions.PermissionDenied):
        return "forbidden"
    if isinstance(exc, exceptions.Throttled):
        return "throttled"
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "method_not_allowed"
    return str(exc.default_code)


def _message(exc: exceptions.APIException, code: str) -> str:
    if code == "not_found" and exc.detail == exceptions.NotFound.default_detail:  # not a page past the last
        return _("Not found, or outside your working area.")
    if code == "forbidden" and exc.detail == exceptions.PermissionDenied.default_detail:  # not DRF's CSRF check
        return _("Your role may not do this.")
    if code == "not_authenticated" and isinstance(exc, exceptions.NotAuthenticated):
        return _("Sign in, or send a token: Authorization: Token <key>.")
    if code == "throttled":
        assert isinstance(exc, exceptions.Throttled)
        return _("Too many requests. Try again in %(seconds)d seconds.") % {"seconds": math.ceil(exc.wait or 0)}
    if code == "invalid":
        return _("The request is not valid; see the errors per field.")
    detail = exc.detail
    return str(detail) if isinstance(detail, str) else str(exc.default_detail)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response  # not an API error: a 500, as anywhere else
    code = _code(exc)
    body: dict[str, Any] = {"code": code, "message": _message(exc, code)}
    if code == "invalid":
        body["errors"] = exc.detail
    response.data = body
    if code == "throttled":
        response.status_code = status.HTTP_429_TOO_MANY_REQUESTS
    return response
