"""The error pages' views: a 400 that says what was wrong with the input, in the user's language."""

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from ssk_tracker.lib.uploads import UploadTooLarge


class InputRefused(BadRequest):
    """Bad input refused with a message meant for the user (already translated)."""


def bad_request_message(exception: Exception | None) -> str:
    """What the user is told: our own refusal's message, or one for Django's upload walls. Django's own
    texts (English, technical: a malformed multipart body…) are never shown."""
    if isinstance(exception, InputRefused):
        return str(exception)
    if isinstance(exception, UploadTooLarge):
        return _(
            "The files you sent are larger than %(limit)s together, the most one form accepts. "
            "Send fewer or smaller files."
        ) % {"limit": filesizeformat(exception.limit)}
    if isinstance(exception, TooManyFilesSent):
        return _("More than %(wall)s files were sent at once; a form accepts at most %(limit)s files.") % {
            "wall": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
            "limit": settings.UPLOAD_MAX_FILES,
        }
    if isinstance(exception, RequestDataTooBig):
        return _("The form sent more than %(limit)s of text, the most accepted. Shorten what you typed.") % {
            "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
    if isinstance(exception, TooManyFieldsSent):
        return _("The form sent more than %(limit)s fields, the most accepted.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    return ""


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {"message": bad_request_message(exception), "posted": request.method == "POST"}
    return render(request, "400.html", context, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form refused for its security token, explained in plain words (the page was open
    too long, or the browser blocks cookies), in the user's language; Django's reason is for the log only."""
    return render(request, "403_csrf.html", {"posted": request.method == "POST"}, status=403)


def technical_pages_asked(request: HttpRequest) -> bool:
    """Under DEBUG, Django's technical 404/400 page instead of ours: TECHNICAL_ERROR_PAGES=1 in the
    environment, or ``?technical=1`` on the address."""
    return bool(getattr(settings, "TECHNICAL_ERROR_PAGES", False)) or request.GET.get("technical") == "1"
