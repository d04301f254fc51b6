"""Error pages that say what went wrong in the user's language (the 403 and 404 pages are templates only)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponseBadRequest
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from ssk_tracker.lib.uploads import UploadTooLarge


def bad_request_message(exception: Exception | None) -> str:
    """What the user is told; the exception's own text (English, technical) is never shown."""
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
    return _("The request could not be understood. Go back, reload the page and try again.")


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponseBadRequest:
    body = loader.render_to_string("400.html", {"message": bad_request_message(exception)}, request=request)
    return HttpResponseBadRequest(body)
