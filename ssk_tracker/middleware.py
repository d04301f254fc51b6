from auditlog.cid import set_cid
from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.utils import translation

from ssk_tracker.lib import audit


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose English in the switcher (stored in the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most browsers here
    say English; the users asked for Indonesian first.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "Cookie"]))
        translation.deactivate()
        return response


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
