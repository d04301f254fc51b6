"""Drawing for the province dashboard (``{% load dashboards %}``): no database access, no permissions.

A province page draws 25 matrix rows of 6–7 cells. One tag per row costs a fraction of the ~60 template
nodes it replaces (measured: the rows were half of the page's rendering). What a row shows is worked out
by ``milestones.selectors.dashboards.matrix_rows``; here it is only escaped and put in markup. Escaping is
the standard library's ``html.escape`` (what ``django.utils.html.escape`` calls, without its lazy-string
wrapper, which cost more than the escaping for ~200 short strings a page).
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from milestones.selectors.dashboards import Cell, MatrixRow

register = template.Library()


def _cell(cell: Cell) -> str:
    if not cell.status:
        return f'<td class="text-muted text-center" data-cell="{escape(cell.key)}">–</td>'
    late_text = _("Late")  # outside the f-string: xgettext does not look inside one
    late = f' <span class="late-flag" title="{escape(cell.late_title)}">{escape(late_text)}</span>' if cell.late else ""
    pending = f' <span class="badge rounded-pill text-bg-warning">{escape(cell.pending)}</span>' if cell.pending else ""
    match = " cell-match" if cell.matches else ""
    # The colour goes on the link: Bootstrap's table cell background would cover it on the td.
    return (
        f'<td data-cell="{escape(cell.key)}"><a href="{escape(cell.url)}" class="cell status-{escape(cell.status)}'
        f'{match}"><small>{escape(cell.label)}</small><b>{escape(cell.progress)}</b>{late}{pending}</a></td>'
    )


_DELIVERY_BADGES = {"all": "text-bg-success", "some": "text-bg-warning", "none": "text-bg-secondary"}


def _delivery_label(state: str) -> str:
    return {"all": _("To every recipient"), "some": _("Partly")}.get(state) or _("Not delivered")


@register.simple_tag
def matrix_row(row: MatrixRow, clinics_url: str) -> SafeString:
    """A regency's row: its name (to its page), code and cohort; M1–M4 (or "not in the programme yet"); its
    follow-ups (to the province's clinics, filtered to it); its report's delivery when the page shows them."""
    code = escape(row.regency.code)
    cohort = f" · {escape(row.cohort_label)}" if row.cohort_label else ""
    parts = [
        f'<tr data-regency="{code}"><th scope="row" class="fw-normal"><a href="{escape(row.url)}">'
        f'{escape(row.regency.name)}</a><div class="small text-muted">{code}{cohort}</div></th>'
    ]
    if row.in_programme:
        parts += [_cell(cell) for cell in row.cells]
    else:
        not_yet = _("Not in the programme yet.")
        parts.append(f'<td colspan="4" class="text-muted" data-cell="{code}:none">{escape(not_yet)}</td>')
    f = row.follow_ups
    if f.total != "0":
        overdue = f'<span class="late-flag d-block">{escape(f.overdue_text)}</span>' if f.overdue_text else ""
        follow_ups = (
            f'<a class="fw-semibold text-decoration-none" href="{escape(clinics_url)}?regency={code}">'
            f"{escape(f.rate_text)}</a>{overdue}"
        )
    else:
        follow_ups = '<span class="text-muted">–</span>'
    parts.append(
        f'<td class="text-center small" data-follow-ups="{code}" data-total="{escape(f.total)}" '
        f'data-rate="{escape(f.rate)}" data-overdue="{escape(f.overdue)}">{follow_ups}</td>'
    )
    if row.delivery:
        badge = _DELIVERY_BADGES.get(row.delivery, "text-bg-secondary")
        parts.append(
            f'<td class="text-center small" data-delivery-regency="{code}" data-delivered="{escape(row.delivery)}">'
            f'<span class="badge {badge}">{escape(_delivery_label(row.delivery))}</span></td>'
        )
    parts.append("</tr>\n")
    return mark_safe("".join(parts))  # every value escaped above
