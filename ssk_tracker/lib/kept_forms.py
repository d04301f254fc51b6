"""What was typed into a form whose session expired, kept until the user signs in again.

ExpiredSessionFormMiddleware (ssk_tracker/middleware.py) keeps an anonymous POST that a login-required view
turned away, keyed by its path, in the (new, anonymous) session; Django's login keeps the session's data.
The next GET of that path by a signed-in user takes it out (once) and, for the length of that request,
every unbound form whose fields were in the POST shows the typed values as its initial data. That last step
is a hook on ``BaseForm.get_initial_for_field`` (installed once, in ssk_tracker/apps.py), so no view and no
form has to know about it.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

SESSION_KEY = "kept_forms"
# Larger POSTs are not kept (the session lives in the cache or a row); a long textarea is a few KB.
MAX_KEPT_CHARS = 64 * 1024
# Fields never kept: the CSRF token is the old one; file inputs cannot be kept.
SKIPPED_FIELDS = frozenset({"csrfmiddlewaretoken"})

_restoring: ContextVar[MultiValueDict[str, Any] | None] = ContextVar("kept_form_data", default=None)


def keep(request: HttpRequest) -> bool:
    """Keep the request's POST for its path; False when it is too large to keep."""
    fields = {key: request.POST.getlist(key) for key in request.POST if key not in SKIPPED_FIELDS}
    if sum(len(key) + sum(len(value) for value in values) for key, values in fields.items()) > MAX_KEPT_CHARS:
        return False
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept[request.path] = fields
    request.session[SESSION_KEY] = kept
    return True


def take(request: HttpRequest) -> MultiValueDict[str, Any] | None:
    """The data kept for this path, removed from the session (restored once only)."""
    kept = request.session.get(SESSION_KEY)
    if not kept or request.path not in kept:
        return None
    kept = dict(kept)
    fields = kept.pop(request.path)
    if kept:
        request.session[SESSION_KEY] = kept
    else:
        del request.session[SESSION_KEY]
    data = QueryDict(mutable=True)
    for key, values in fields.items():
        data.setlist(key, values)
    return data


@contextmanager
def restoring(data: MultiValueDict[str, Any]) -> Iterator[None]:
    token = _restoring.set(data)
    try:
        yield
    finally:
        _restoring.reset(token)


def _was_posted(form: forms.BaseForm, data: MultiValueDict[str, Any]) -> bool:
    return any(form.add_prefix(name) in data for name in form.fields)


def install() -> None:
    """Make unbound forms take their initial values from the data being restored (see the module doc)."""
    original = forms.BaseForm.get_initial_for_field
    if getattr(original, "restores_kept_forms", False):
        return

    def get_initial_for_field(self: forms.BaseForm, field: forms.Field, field_name: str) -> Any:
        data = _restoring.get()
        if (
            data is None
            or self.is_bound
            or field.disabled
            or isinstance(field, forms.FileField)
            or not _was_posted(self, data)
        ):
            return original(self, field, field_name)
        # The widget reads its own value as on a POST: an unticked checkbox is False, a multiple select a list.
        return field.widget.value_from_datadict(data, MultiValueDict(), self.add_prefix(field_name))

    get_initial_for_field.restores_kept_forms = True  # type: ignore[attr-defined]
    forms.BaseForm.get_initial_for_field = get_initial_for_field  # type: ignore[method-assign]


# --- Forms the page's script sends (static/js/drafts.js) ----------------------------------------------

# The header drafts.js sends with a form it posts itself (to show the upload's progress and to resend it).
SCRIPT_HEADER = "X-Draft-Submit"


class ScriptSubmitMiddleware:
    """A redirect that answers a form sent by drafts.js is given to the script as JSON instead.

    ``{"redirect": url, "login": bool}``: the script opens ``url`` itself. A script's request follows a
    redirect on its own and would read the next page (and with it the messages the view left for the
    user) into the script; the user would then land there without the message. ``login`` is true when the
    session had ended (``login_required`` sent the POST to the login page): the script keeps its draft.

    It sits inside MessageMiddleware (which stores the messages on this response) and outside
    ExpiredSessionFormMiddleware (which must still see the redirect to the login page, to keep the form).
    Any other answer (a form with errors, a refusal page) reaches the script as it is, for it to show.
    A sign-out's answer also tells the browser to clear the site's storage (the drafts).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "POST" and request.path == reverse("logout"):
            # Signing out clears what this site kept on the device (the drafts, the chosen files): the next
            # person on a shared phone finds none of it. Browsers honour it over HTTPS and on localhost.
            response["Clear-Site-Data"] = '"storage"'
        if (
            request.method != "POST"
            or request.headers.get(SCRIPT_HEADER) != "1"
            or response.status_code not in (301, 302, 303, 307, 308)
        ):
            return response
        url = response["Location"]
        answer = JsonResponse({"redirect": url, "login": urlsplit(url).path == resolve_url(settings.LOGIN_URL)})
        answer.cookies = response.cookies  # the session and CSRF cookies a sign-out or a login may have set
        answer["Cache-Control"] = "no-store"
        return answer
