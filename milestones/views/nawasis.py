"""NAWASIS submissions (per regency, per province, exports) and the signed-in user's "my tasks" page.

Every view: the access helper first (outside the scope → 404; a role that may read but not act →
403), then the form, then one service call, then a redirect.

| URL | who |
| --- | --- |
| ``kabkota/<code>/nawasis/``, ``kabkota/<code>/nawasis.csv`` / ``.xlsx`` | everyone who sees the regency |
| ``kabkota/<code>/nawasis/baru/`` | the regency's officer, or the province's Pokja staff (record) |
| ``nawasis/<pk>/verifikasi/`` (POST) | the province's Pokja staff (verify) |
| ``provinsi/<code>/nawasis/``, ``provinsi/<code>/nawasis.csv`` / ``.xlsx`` | everyone who sees the whole province |
| ``tugas-saya/`` | every signed-in user: what needs their attention (milestones/reminders.py) |

The export columns are documented in milestones/NAWASIS.md.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from milestones.forms.edits import SubmitOnce, attempt, repeat_safe
from milestones.forms.nawasis import NawasisSubmissionForm
from milestones.selectors import nawasis as selectors
from milestones.services import nawasis as services
from regencies import scoping
from ssk_tracker.lib import tabular
from ssk_tracker.lib.params import page_param


def _regency_context(user, regency) -> dict:
    return {"regency": regency, "can_see_province": scoping.scope_for(user).covers_province(regency.province_id)}


# The history grows by a few entries a year per module: a page of it is enough, newest first.
SUBMISSIONS_PER_PAGE = 20


@login_required
def regency_nawasis(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    page = Paginator(selectors.regency_submissions(regency), SUBMISSIONS_PER_PAGE).get_page(page_param(request))
    return render(
        request,
        "milestones/nawasis/regency_list.html",
        {
            **_regency_context(request.user, regency),
            "latest": selectors.regency_latest(regency),
            "submissions": page.object_list,
            "page": page,
            "may_record": scoping.can_act_for_regency(request.user, regency),
            "may_verify": scoping.can_manage_province(request.user, regency.province_id),
        },
    )


@login_required
@repeat_safe
def nawasis_create(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    scoping.require(scoping.can_act_for_regency(request.user, regency))
    form = NawasisSubmissionForm(request.POST or None)
    once = SubmitOnce(request, form)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.base_fields}  # not the hidden token
        made = attempt(
            form,
            lambda: services.record_submission(regency=regency, actor=request.user, **fields),
            once=once,
            url=lambda _submission: reverse("nawasis_regency", args=[regency.code]),
        )
        if made is not None:
            messages.success(request, _("The NAWASIS submission was recorded."))
            return redirect("nawasis_regency", code=regency.code)
    return render(
        request, "milestones/nawasis/submission_form.html", {**_regency_context(request.user, regency), "form": form}
    )


@login_required
@require_POST
def nawasis_verify(request, pk):
    submission = selectors.submission_for_user(request.user, pk)
    scoping.require(scoping.can_manage_province(request.user, submission.regency.province_id))
    try:
        services.verify_submission(submission=submission, actor=request.user)
    except services.ActionRefused as refused:
        messages.warning(request, refused.message)
    else:
        messages.success(request, _("The NAWASIS submission was verified."))
    return redirect("nawasis_regency", code=submission.regency_id)


@login_required
def province_nawasis(request, code):
    province = scoping.get_province_or_404(request.user, code)
    return render(
        request,
        "milestones/nawasis/province_table.html",
        {
            "province": province,
            "modules": selectors.MODULES,
            "rows": selectors.province_table(province),
            "regency_url": _url_around_code("nawasis_regency"),
        },
    )


def _url_around_code(name: str) -> tuple[str, str]:
    """What comes before and after a regency's code in the URL ``name``: one reverse() for a whole table."""
    before, after = reverse(name, args=[_CODE]).split(_CODE)
    return before, after


_CODE = "00.00"  # a stand-in regency code, for _url_around_code


# --- Exports -------------------------------------------------------------------------------------


@login_required
def regency_nawasis_export(request, code, fmt):
    _check_format(fmt)
    regency = scoping.get_regency_or_404(request.user, code)
    header, rows = selectors.regency_export(regency)
    return _export(fmt, header, rows, f"nawasis-{regency.code}", sheet=regency.code)


@login_required
def province_nawasis_export(request, code, fmt):
    _check_format(fmt)
    province = scoping.get_province_or_404(request.user, code)
    header, rows = selectors.province_export(province)
    return _export(fmt, header, rows, f"nawasis-{province.code}", sheet=province.code)


def _check_format(fmt):
    if fmt not in tabular.CONTENT_TYPES:
        raise Http404


def _export(fmt, header, rows, stem, *, sheet):
    return tabular.download(fmt, header, rows, stem=stem, sheet=sheet)


# --- My tasks ------------------------------------------------------------------------------------
