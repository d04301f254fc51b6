"""The error pages' views: a 400 that says what was wrong with the input (when the tracker itself refused it)."""

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class InputRefused(BadRequest):
    """Bad input refused with a message meant for the user (already translated)."""


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Only our own messages are shown: Django's (a malformed multipart body…) are English and technical.
    message = str(exception) if isinstance(exception, InputRefused) else ""
    return render(request, "400.html", {"message": message}, status=400)
