"""A regency's SSK programme activities, their planning integration and budget lines, its APBD totals, and
the spreadsheet exchange of all four.

Every view: the access helper first (outside the scope → 404; a role that may read but not write →
403), then the form, then one service call, then a redirect.

| URL | who may use it |
| --- | --- |
| ``kabkota/<code>/kegiatan/`` (the page), ``…/ekspor.xlsx``, ``…/ekspor-csv.zip`` | everyone in scope |
| ``kabkota/<code>/kegiatan/baru/``, ``kegiatan/<pk>/ubah/``, ``kegiatan/<pk>/hapus/`` | editors (below) |
| ``kabkota/<code>/apbd/`` (APBD totals) | editors |
| ``kabkota/<code>/kegiatan/templat.xlsx``, ``…/unggah/``, ``…/unggah/pratinjau/``, ``…/unggah/simpan/`` | editors |

Editors: the regency's officer and the province's Pokja staff (``selectors.planning.may_edit``).

Between preview and confirm the session keeps the upload's raw cell values (never the file); the
confirm re-checks them inside the transaction and writes only what the preview showed.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from milestones.forms.edits import SubmitOnce, attempt, loaded_version, repeat_safe, track_version
from milestones.forms.planning import (
    ActivityForm,
    WorkbookUploadForm,
    budget_formset,
    budget_inputs,
    integration_formset,
    integration_inputs,
    regional_budget_formset,
    regional_budget_inputs,
)
from milestones.forms.planning_upload import RawWorkbook
from milestones.forms.planning_workbook import XLSX_CONTENT_TYPE
from milestones.selectors.planning import (
    ACTIVITIES_PER_PAGE,
    DOCUMENTS,
    activity_for_user,
    activity_page,
    activity_rows,
    apbd_shares,
    exchange_data,
    listed_activities,
    may_edit,
    planning_rows,
    regency_summary,
    years_of,
)
from milestones.selectors.planning_export import build_csv_zip, build_workbook
from milestones.selectors.planning_import import plan_import
from milestones.services import ActionRefused
from milestones.services.planning import apply_import, delete_activity, save_activity, save_regional_budgets
from regencies import scoping
from ssk_tracker.lib import downloads
from ssk_tracker.lib.params import int_param, page_param

YEAR_PARAMETER = "tahun"


def _session_key(regency) -> str:
    return f"activity_import:{regency.code}"


def _context(user, regency, **extra) -> dict:
    return {
        "regency": regency,
        "can_see_province": scoping.scope_for(user).covers_province(regency.province_id),
        "may_edit": may_edit(user, regency),
        **extra,
    }


def _editable_regency(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    scoping.require(may_edit(request.user, regency))
    return regency


def _activities_url(regency) -> str:
    return reverse("activities", args=[regency.code])


class KnownCountPaginator(Paginator):
    """A paginator told how many objects there are, when the page has counted them already."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


_PK = 987654321  # a stand-in primary key, for _url_around_pk


def _url_around_pk(name: str) -> tuple[str, str]:
    """What comes before and after the primary key in the URL ``name``: one reverse() for a whole list."""
    before, after = reverse(name, args=[_PK]).split(str(_PK))
    return before, after


def _activity_url(activity) -> str:
    """The list at the activity's row, on the page that shows it."""
    page = activity_page(activity)
    return _activities_url(activity.regency) + (f"?page={page}" if page > 1 else "") + f"#kegiatan-{activity.pk}"


# --- The activities page -------------------------------------------------------------------------


@login_required
def activities_page(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    apbd_years = apbd_shares(regency)
    planning = planning_rows(regency)
    years = years_of(apbd_years, planning)
    year = int_param(request, YEAR_PARAMETER)
    year = year if year in years else None
    summary = regency_summary(regency, year, apbd_years=apbd_years)
    # The summary counted the same activities the list shows (every one running in the year): no COUNT query.
    paginator = KnownCountPaginator(activity_rows(regency, year), ACTIVITIES_PER_PAGE, count=summary["activity_count"])
    page = paginator.get_page(page_param(request))
    return render(
        request,
        "milestones/planning/activity_list.html",
        _context(
            request.user,
            regency,
            summary=summary,
            activities=listed_activities(page.object_list, year, included=planning.included(year)),
            page=page,
            documents=DOCUMENTS,
            edit_url=_url_around_pk("activity_edit"),
            years=years,
            year=year,
            year_parameter=YEAR_PARAMETER,
        ),
    )


# --- One activity --------------------------------------------------------------------------------


@login_required
@repeat_safe
def activity_create(request, code):
    regency = _editable_regency(request, code)
    return _activity_form(request, regency, activity=None)


@login_required
def activity_edit(request, pk):
    activity = activity_for_user(request.user, pk)
    scoping.require(may_edit(request.user, activity.regency))
    return _activity_form(request, activity.regency, activity=activity)


def _activity_form(request, regency, *, activity):
    data = request.POST if request.method == "POST" else None
    form = ActivityForm(data, regency=regency, activity=activity)
    integrations = integration_formset(data, activity=activity)
    budget_lines = budget_formset(data, activity=activity)
    once = SubmitOnce(request, form) if activity is None else None
    track_version(form, activity, children=["integrations", "budget_lines"])
    if data is not None and all([form.is_valid(), integrations.is_valid(), budget_lines.is_valid()]):
        fields = {name: form.cleaned_data[name] for name in form.base_fields}  # not the hidden version fields
        saved = attempt(
            form,
            lambda: save_activity(
                regency=regency,
                actor=request.user,
                activity=activity,
                version=loaded_version(form),
                integrations=integration_inputs(integrations),
                budget_lines=budget_inputs(budget_lines),
                **fields,
            ),
            once=once,
            url=_activity_url,
        )
        if saved is not None:
            messages.success(request, _("The activity %(code)s was saved.") % {"code": saved.code})
            return redirect(_activity_url(saved))
    return render(
        request,
        "milestones/planning/activity_form.html",
        _context(
            request.user,
            regency,
            form=form,
            integrations=integrations,
            budget_lines=budget_lines,
            activity=activity,
        ),
    )


@login_required
@require_POST
def activity_delete(request, pk):
    activity = activity_for_user(request.user, pk)
    scoping.require(may_edit(request.user, activity.regency))
    delete_activity(activity=activity, actor=request.user)
    messages.success(request, _("The activity %(code)s was deleted.") % {"code": activity.code})
    return redirect(_activities_url(activity.regency))


# --- APBD totals ---------------------------------------------------------------------------------


@login_required
def regional_budgets(request, code):
    regency = _editable_regency(request, code)
    data = request.POST if request.method == "POST" else None
    formset = regional_budget_formset(data, regency=regency)
    if data is not None and formset.is_valid():
        try:
            save_regional_budgets(regency=regency, actor=request.user, entries=regional_budget_inputs(formset))
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The APBD totals were saved."))
            return redirect(_activities_url(regency) + "#apbd")
    return render(
        request, "milestones/planning/regional_budget_form.html", _context(request.user, regency, formset=formset)
    )


# --- Workbook and CSV downloads ------------------------------------------------------------------


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    return downloads.attachment(content, filename, content_type)


def _workbook(regency) -> bytes:
    return build_workbook(regency=regency, **exchange_data(regency))


@login_required
def workbook_template(request, code):
    regency = _editable_regency(request, code)
    return _download(_workbook(regency), f"templat-kegiatan-{regency.code}.xlsx", XLSX_CONTENT_TYPE)


@login_required
def export_xlsx(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    today = timezone.localdate().isoformat()
    return _download(_workbook(regency), f"kegiatan-anggaran-{regency.code}-{today}.xlsx", XLSX_CONTENT_TYPE)


@login_required
def export_csv(request, code):
    regency = scoping.get_regency_or_404(request.user, code)
    today = timezone.localdate().isoformat()
    content = build_csv_zip(regency=regency, **exchange_data(regency))
    return _download(content, f"kegiatan-anggaran-{regency.code}-{today}-csv.zip", "application/zip")


# --- Upload, preview, confirm --------------------------------------------------------------------


@login_required
def workbook_upload(request, code):
    """Read the upload: an unusable file comes back on the form; a file with bad cells gets the preview
    with every error (and no way to save); a valid one is kept in the session for the preview."""
    regency = _editable_regency(request, code)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None, regency=regency)
    if request.method == "POST" and form.is_valid():
        request.session.pop(_session_key(regency), None)
        plan = plan_import(regency=regency, raw=form.raw)
        if not plan.is_valid:
            return render(
                request,
                "milestones/planning/preview.html",
                _context(request.user, regency, plan=plan, file_name=form.raw.file_name),
            )
        request.session[_session_key(regency)] = {"token": secrets.token_urlsafe(16), "raw": form.raw.to_session()}
        return redirect("activities_upload_preview", code=regency.code)
    return render(request, "milestones/planning/upload_form.html", _context(request.user, regency, form=form))


def _pending(request, regency):
    pending = request.session.get(_session_key(regency))
    if not pending:
        return None, None
    return pending, RawWorkbook.from_session(pending["raw"])


@login_required
def workbook_preview(request, code):
    regency = _editable_regency(request, code)
    pending, raw = _pending(request, regency)
    if pending is None:
        messages.info(request, _("There is no upload waiting for confirmation. Upload a workbook first."))
        return redirect("activities_upload", code=regency.code)
    plan = plan_import(regency=regency, raw=raw)
    return render(
        request,
        "milestones/planning/preview.html",
        _context(request.user, regency, plan=plan, file_name=raw.file_name, token=pending["token"]),
    )


@login_required
@require_POST
def workbook_confirm(request, code):
    regency = _editable_regency(request, code)
    pending, raw = _pending(request, regency)
    if pending is None or request.POST.get("token") != pending["token"]:
        messages.warning(request, _("This upload was already saved or replaced by another one."))
        return redirect(_activities_url(regency))
    try:
        plan = apply_import(
            regency=regency, actor=request.user, raw=raw, fingerprint=request.POST.get("fingerprint", "")
        )
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("activities_upload_preview", code=regency.code)
    request.session.pop(_session_key(regency), None)
    if plan.has_changes:
        messages.success(
            request,
            _("The workbook was saved: %(created)s rows added, %(changed)s rows changed.")
            % {"created": plan.created, "changed": plan.changed},
        )
    else:
        messages.info(request, _("Nothing to save: the regency's data already matches the workbook."))
    return redirect(_activities_url(regency))
