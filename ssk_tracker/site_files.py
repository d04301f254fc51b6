"""``/favicon.ico``: browsers ask for it whatever the page links. The web app manifest is a static file
(static/site.webmanifest, linked from base.html): the app's name is the same in both languages."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Send browsers to the static icon (hashed and cached in production): no 404 in the log."""
    return HttpResponseRedirect(static("img/favicon.ico"))
