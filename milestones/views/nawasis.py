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

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from milestones import nawasis_services as services
from milestones import reminders
from milestones.forms_nawasis import NawasisSubmissionForm
from milestones.selectors import nawasis as selectors
from regencies import scoping

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _regency_context(user, regency) -> dict:
    return {"regency": regency, "can_see_province": scoping.scope_for(user).covers_province(regency.province_id)}


@login_required
def regency_nawasis(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    return render(
        request,
        "milestones/nawasis/regency_list.html",
        {
            **_regency_context(request.user, regency),
            "latest": selectors.regency_latest(regency),
            "submissions": selectors.regency_submissions(regency),
            "may_record": services.may_record(request.user, regency),
            "may_verify": services.may_verify(request.user, regency),
        },
    )


@login_required
def nawasis_create(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    scoping.require(services.may_record(request.user, regency))
    form = NawasisSubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_submission(regency=regency, actor=request.user, **form.cleaned_data)
        except services.ActionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The NAWASIS submission was recorded."))
            return redirect("nawasis_regency", code=regency.code)
    return render(
        request, "milestones/nawasis/submission_form.html", {**_regency_context(request.user, regency), "form": form}
    )


@login_required
@require_POST
def nawasis_verify(request, pk):
    submission = selectors.submission_for_user(request.user, pk)
    scoping.require(services.may_verify(request.user, submission.regency))
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
        {"province": province, "modules": selectors.MODULES, "rows": selectors.province_table(province)},
    )


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
    if fmt not in CONTENT_TYPES:
        raise Http404


def _export(fmt, header, rows, stem, *, sheet) -> HttpResponse:
    content = _csv(header, rows) if fmt == "csv" else _xlsx(header, rows, sheet)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"'
    return response


# A spreadsheet would run a text cell that starts like a formula; such cells are quoted (OWASP).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return f"'{value}"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_csv_value(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel read UTF-8


def _xlsx(header, rows, sheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet.replace(".", "-")[:31]
    worksheet.append(header)
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        worksheet.append(row)
        for cell in worksheet[worksheet.max_row]:
            if cell.data_type == "f":  # text that looks like a formula stays text
                cell.data_type = "s"
            elif hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"
    worksheet.freeze_panes = "A2"
    for column, name in zip(worksheet.columns, header, strict=True):
        worksheet.column_dimensions[column[0].column_letter].width = max(12, min(40, len(name) + 2))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- My tasks ------------------------------------------------------------------------------------


@login_required
def my_tasks(request):
    items = reminders.pending_items(request.user, timezone.localdate())
    return render(request, "milestones/my_tasks.html", {"groups": reminders.group(items), "count": len(items)})


urlpatterns = [
    path("kabkota/<str:code>/nawasis/", regency_nawasis, name="nawasis_regency"),
    path("kabkota/<str:code>/nawasis/baru/", nawasis_create, name="nawasis_create"),
    path("kabkota/<str:code>/nawasis.<str:fmt>", regency_nawasis_export, name="nawasis_regency_export"),
    path("nawasis/<int:pk>/verifikasi/", nawasis_verify, name="nawasis_verify"),
    path("provinsi/<str:code>/nawasis/", province_nawasis, name="nawasis_province"),
    path("provinsi/<str:code>/nawasis.<str:fmt>", province_nawasis_export, name="nawasis_province_export"),
    path("tugas-saya/", my_tasks, name="my_tasks"),
]
