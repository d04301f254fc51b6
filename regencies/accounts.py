"""Signing in: the lockout page after too many wrong passwords (django-axes), the client address both the
lockout and the reset rate limit count by, and the password reset by e-mail (Django's own views).

Unlocking: an administrator deletes the user's row under Admin → Axes → Access attempts (the list filters
by "Locked out"); a successful password reset by e-mail also lifts the user's lock.
"""

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_ratelimit.decorators import ratelimit


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the entry of X-Forwarded-For
    the nearest proxy saw (read from the right: entries to its left are whatever the client sent)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return str(request.META.get("REMOTE_ADDR", ""))


class SignInForm(AuthenticationForm):
    """Django's sign-in form with a wrong-password message of our own: Django's puts the username field's
    name into its sentence ("Masukkan nama pengguna %(username)s…"), which read "nama pengguna nama pengguna"."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or the password is wrong. Check both (capital and small letters count) and try again."
        ),
    }


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """axes' AXES_LOCKOUT_CALLABLE: the same page for /masuk/ and /admin/login/, HTTP 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/lockout.html", context, status=429)  # Too Many Requests


def _reset_rate(group: str, request: HttpRequest) -> str:
    return settings.PASSWORD_RESET_RATE  # read on each request, so the tests (and an operator) can change it


def _ip_key(group: str, request: HttpRequest) -> str:
    return client_ip(request)


# Counted per address and per e-mail address typed, so neither a script nor a mailbox can be flooded.
@method_decorator(
    ratelimit(group="password_reset", key=_ip_key, rate=_reset_rate, method="POST", block=False), name="dispatch"
)
@method_decorator(
    ratelimit(group="password_reset", key="post:email", rate=_reset_rate, method="POST", block=False),
    name="dispatch",
)
class PasswordResetRequestView(auth_views.PasswordResetView):
    """Django's reset request: the same answer whether or not the address belongs to anyone (the form sends
    only to active users with that address and a usable password). The e-mail goes out synchronously: it is
    not a notification of a change, nothing is lost if it fails; the user asks again."""

    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "limited", False):
            context = self.get_context_data(form=self.get_form(), limited=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    @property
    def extra_email_context(self) -> dict[str, str]:  # type: ignore[override]
        # Links from SITE_URL, never from the request's Host header (which a client chooses).
        return {"site_url": settings.SITE_URL}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]
        response = super().form_valid(form)
        # Whoever could read the mailbox has proved who they are: a lockout would only keep them out longer.
        axes_reset(username=form.user.get_username())
        return response
