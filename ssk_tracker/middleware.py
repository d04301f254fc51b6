import re
from urllib.parse import urlsplit

from auditlog.cid import set_cid
from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render, resolve_url
from django.utils import translation
from django.utils.translation import gettext as _

from ssk_tracker import errors
from ssk_tracker.errors import InputRefused
from ssk_tracker.lib import audit, kept_forms


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose English in the switcher (stored in the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most browsers here
    say English; the users asked for Indonesian first. The API (/api/v1/, /api/schema/) is the exception: a
    script that sends Accept-Language asks for that language on purpose, so there the header counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        api = request.path.startswith(("/api/v1/", "/api/schema/"))
        if language not in self.languages:
            language = translation.get_language_from_request(request) if api else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        varies = [response.headers.get("Vary"), "Cookie", "Accept-Language" if api else None]
        response.headers["Vary"] = ", ".join(filter(None, varies))
        translation.deactivate()
        return response


class ExpiredSessionFormMiddleware:
    """A form sent after the session expired is not lost (ssk_tracker/lib/kept_forms.py).

    An anonymous POST that the view answers with a redirect to the login page (``login_required``) is kept
    for its path, with a message on the login page; after signing in, the login's ``next`` brings the user
    back to that page, whose form shows what was typed, with a message to check it and save again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and request.user.is_authenticated:
            data = kept_forms.take(request)
            if data is not None:
                messages.info(
                    request, _("What you typed before your session ended is back in the form: check it and save again.")
                )
                with kept_forms.restoring(data):
                    return self.get_response(request)
        response = self.get_response(request)
        if request.method == "POST" and not request.user.is_authenticated and self._sent_to_login(response):
            if not kept_forms.keep(request):
                messages.warning(
                    request,
                    _("Your session has ended; sign in again. What you typed was too long to keep: type it again."),
                )
            elif request.FILES:
                messages.warning(
                    request,
                    _(
                        "Your session has ended; sign in again — what you typed is kept, "
                        "but attached files cannot be: attach them again."
                    ),
                )
            else:
                messages.warning(request, _("Your session has ended; sign in again — what you typed is kept."))
        return response

    @staticmethod
    def _sent_to_login(response) -> bool:
        if response.status_code != 302:
            return False
        return urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)


# C0 and C1 control characters (NUL, line breaks, tabs, escape…): no URL of the tracker takes them, and
# PostgreSQL refuses NUL in any query ("A string literal cannot contain NUL"), which was a 500.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class RejectControlCharactersMiddleware:
    """A 400 with a message for a path or query string that carries control characters.

    One place for every URL capture (``<str:code>`` …) and every ``request.GET`` value, before any view
    or query sees them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _CONTROL_CHARACTERS.search(request.path_info) or any(
            _CONTROL_CHARACTERS.search(key) or any(_CONTROL_CHARACTERS.search(value) for value in values)
            for key, values in request.GET.lists()
        ):
            raise InputRefused(_("The address contains characters that are not allowed (control characters)."))
        return self.get_response(request)


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware (the signed-in actor and the remote address of every change), plus the page a
    change came from: the method, the path and the view's name, read when the entry is written (the view
    is resolved after this middleware runs)."""

    def get_extra_data(self, request):
        context = super().get_extra_data(request)

        def page() -> str:
            match = getattr(request, "resolver_match", None)
            view = f" ({match.view_name})" if match and match.view_name else ""
            return f"{request.method} {request.path}{view}"[:300]

        context["source"] = page
        return context

    def __call__(self, request):
        set_cid(request)
        with audit.context(self.get_extra_data(request)):
            return self.get_response(request)


# What is worth compressing: text. PDFs, spreadsheets, ZIPs and pictures are compressed already, and gzipping an
# evidence download would only cost the worker time.
_COMPRESSIBLE_TYPES = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml")


class CompressPagesMiddleware(GZipMiddleware):
    """Django's gzip (with its BREACH padding) for pages and other text; other responses pass untouched."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").lower()
        if not content_type.startswith(_COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)


class DebugErrorPagesMiddleware:
    """Under DEBUG (the demo, scripts/run.sh) the users' own 404 and 400 pages, not Django's technical ones,
    so the demo shows what production shows. (A 403 is ours under DEBUG too: Django renders 403.html.)

    A view's Http404 or BadRequest is answered in ``process_exception``; an address that matches no URL (the
    resolver's 404, raised before any view) is recognised in ``__call__`` by the missing ``resolver_match``.
    TECHNICAL_ERROR_PAGES=1 or ``?technical=1`` brings Django's pages back for a developer. Without DEBUG this
    does nothing: Django renders our templates itself. Placed after the message middleware (base.html shows
    the user and the messages) and inside CommonMiddleware (its APPEND_SLASH redirect still happens)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and not errors.technical_pages_asked(request)
        ):
            return render(request, "404.html", status=404)
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG or errors.technical_pages_asked(request):
            return None
        if isinstance(exception, Http404):
            return render(request, "404.html", status=404)
        if isinstance(exception, BadRequest):
            return errors.bad_request(request, exception)
        return None
