"""/laporan/verifikasi/: is this report genuine? By the code in its footers, or by uploading the PDF.

Any signed-in user may ask (a recipient upstream may hold a report of a scope not theirs); the answer
names the report, and links to the download only when the user's scope covers it. Lookups are counted
per user (REPORT_VERIFY_RATE), so codes cannot be tried in bulk.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django_ratelimit.decorators import ratelimit

from regencies import scoping
from reports import verification
from reports.forms import VerifyCodeForm, VerifyFileForm
from reports.models import ReportJob


def _rate(group: str, request: HttpRequest) -> str:
    return settings.REPORT_VERIFY_RATE  # read on each request, so the tests (and an operator) can change it


# CSRF is checked in _verify instead: the upload handler must be in place before anything reads the body,
# and the CSRF middleware reads it (Django's documented way to change upload handlers in a view).
@csrf_exempt
@login_required
def report_verify(request: HttpRequest) -> HttpResponse:
    request.upload_handlers = [verification.HashingUploadHandler(request, limit=settings.REPORT_VERIFY_MAX_BYTES)]
    return _verify(request)


@csrf_protect
@ratelimit(group="report_verify", key="user", rate=_rate, method="POST", block=False)
def _verify(request: HttpRequest) -> HttpResponse:
    code_form, file_form = VerifyCodeForm(), VerifyFileForm()
    context: dict[str, object] = {"code_form": code_form, "file_form": file_form}
    if request.method != "POST":
        return render(request, "reports/verify.html", context)
    if getattr(request, "limited", False):
        return render(request, "reports/verify.html", {**context, "limited": True}, status=429)
    job: ReportJob | None
    if request.POST.get("check") == "file":
        file_form = VerifyFileForm(request.POST, request.FILES)
        context["file_form"] = file_form
        if not file_form.is_valid():
            return render(request, "reports/verify.html", context)
        job = verification.find_by_file(file_form.cleaned_data["file"].sha256)
        context.update(checked="file", file_name=file_form.cleaned_data["file"].name)
    else:
        code_form = VerifyCodeForm(request.POST)
        context["code_form"] = code_form
        if not code_form.is_valid():
            return render(request, "reports/verify.html", context)
        job = verification.find_by_code(code_form.cleaned_data["code"])
        context.update(checked="code", code=code_form.cleaned_data["code"])
    # Outside the user's scope: the facts a holder of the PDF already reads on its title page, no link.
    context.update(job=job, in_scope=job is not None and scoping.can_see_report(request.user, job))
    return render(request, "reports/verify.html", context)
