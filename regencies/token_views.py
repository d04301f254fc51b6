"""The account's API tokens page (/akun/token/): create a named token (its key shown once), see each token's
last use, revoke one. The API itself: ssk_tracker/api/."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from regencies import tokens


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the province's dashboard script."),
    )


@never_cache  # the page may carry a new key: no copy in any cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert user.is_authenticated  # login_required
    form = TokenForm()
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            try:
                pk = int(request.POST["revoke"])
            except ValueError:
                pk = 0
            if tokens.revoke_token(user=user, pk=pk) is not None:
                messages.success(request, _("The token was revoked; it no longer opens the API."))
            return redirect("api_tokens")
        form = TokenForm(request.POST)
        if form.is_valid():
            _token, new_key = tokens.create_token(user=user, name=form.cleaned_data["name"])
            form = TokenForm()
    return render(
        request,
        "regencies/api_tokens.html",
        {"form": form, "new_key": new_key, "tokens": tokens.tokens_of(user)},
        status=400 if form.is_bound and form.errors else 200,
    )
