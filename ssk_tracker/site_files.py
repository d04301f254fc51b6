"""What browsers ask the site for by name: ``/favicon.ico`` and the web app manifest (its name in the user's
language, its icons at their static URLs, hashed in production)."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOUR = "#146c43"  # the navigation bar's green (static/css/app.css)


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the static icon (no 404 in the log)."""
    return HttpResponseRedirect(static("img/favicon.ico"))


@require_GET
@cache_control(max_age=3600, private=True)
def web_manifest(request: HttpRequest) -> HttpResponse:
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    manifest = {
        "name": _("SSK Tracker"),
        "short_name": _("SSK Tracker"),
        "lang": get_language(),
        "start_url": "/",
        "display": "browser",
        "background_color": "#f6f7f9",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
