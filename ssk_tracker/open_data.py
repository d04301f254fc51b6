"""``/data-terbuka/``: the open-data summary, without sign-in. A short page describing the data sets, and
per regency and per province the aggregate figures (``milestones/selectors/open_data.py``) as CSV (UTF-8
with a BOM for Excel, a decimal point, a header row) and JSON (``generated_at``, ``licence``, ``fields``,
``rows``). GET only; 404 everywhere when ``OPEN_DATA_ENABLED`` is off; each answer cached for
``OPEN_DATA_CACHE_SECONDS`` (the low-level cache, keyed by language and file) and sent with
``Cache-Control: public``; requests limited per address like the password-reset page (django-ratelimit)."""

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from milestones.selectors import open_data as selectors
from regencies.accounts import client_ip

DATASETS: dict[str, tuple[Callable[[], list[selectors.Row]], Callable[[], dict[str, str]]]] = {
    "kabkota": (selectors.regency_rows, selectors.regency_fields),
    "provinsi": (selectors.province_rows, selectors.province_fields),
}
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def licence() -> str:
    return _(
        "Open data: free to use, share and adapt with attribution to the SSK Tracker (Creative Commons "
        "Attribution 4.0, CC BY 4.0). Aggregate figures only; actuals not yet verified are not published."
    )


def _rate(group: str, request: HttpRequest) -> str:
    return settings.OPEN_DATA_RATE  # read on each request, so the tests (and an operator) can change it


def _ip_key(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def enabled() -> bool:
    """Whether the open data is on (OPEN_DATA_ENABLED); the sign-in page links to it only then."""
    return bool(settings.OPEN_DATA_ENABLED)


def _open(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET only, 404 when switched off, 429 past the rate per address, Cache-Control public."""

    @require_GET
    @ratelimit(group="open_data", key=_ip_key, rate=_rate, method="GET", block=False)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not enabled():
            raise Http404
        if getattr(request, "limited", False):
            response = HttpResponse(_("Too many requests. Try again later."), status=429, content_type="text/plain")
            response["Retry-After"] = "60"
            return response
        response = view(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=settings.OPEN_DATA_CACHE_SECONDS)
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def as_csv(fields: dict[str, str], rows: list[selectors.Row]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("true" if v is True else "false" if v is False else v) for k, v in row.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_json(fields: dict[str, str], rows: list[selectors.Row]) -> bytes:
    document = {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "licence": licence(),
        "fields": fields,
        "rows": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def build(dataset: str, kind: str) -> bytes:
    """The file's bytes (cached per language and file: the figures are national-sized and public)."""
    key = f"open-data:{get_language()}:{dataset}.{kind}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    rows_of, fields_of = DATASETS[dataset]
    fields, rows = fields_of(), rows_of()
    body = as_csv(fields, rows) if kind == "csv" else as_json(fields, rows)
    cache.set(key, body, settings.OPEN_DATA_CACHE_SECONDS)
    return body


@_open
def index(request: HttpRequest) -> HttpResponse:
    """The page describing the data sets and linking to them."""
    datasets = [
        {
            "title": _("Regencies (kabupaten/kota)"),
            "fields": selectors.regency_fields(),
            "links": {kind: reverse(f"open_data_kabkota_{kind}") for kind in FORMATS},
        },
        {
            "title": _("Provinces"),
            "fields": selectors.province_fields(),
            "links": {kind: reverse(f"open_data_provinsi_{kind}") for kind in FORMATS},
        },
    ]
    return render(request, "open_data/index.html", {"datasets": datasets, "licence": licence()})


def _file(dataset: str, kind: str) -> Callable[..., HttpResponse]:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(build(dataset, kind), content_type=FORMATS[kind])
        if kind == "csv":
            response["Content-Disposition"] = f'attachment; filename="ssk-{dataset}.csv"'
        return response

    view.__name__ = f"{dataset}_{kind}"
    return _open(view)


kabkota_csv = _file("kabkota", "csv")
kabkota_json = _file("kabkota", "json")
provinsi_csv = _file("provinsi", "csv")
provinsi_json = _file("provinsi", "json")
