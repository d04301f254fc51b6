"""Drawing for the province dashboard (``{% load dashboards %}``): no database access, no permissions.

A province page draws up to 100 matrix cells; one tag per cell costs a fraction of the dozen template
nodes it replaces. What a cell shows is worked out by ``milestones.selectors.dashboards.matrix_rows``.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from milestones.selectors.dashboards import Cell

register = template.Library()


@register.simple_tag
def matrix_cell(cell: Cell) -> SafeString:
    """A regency's milestone cell: its status colour and label, the progress, the late flag (the plan in its
    title) and the updates waiting for review; a dash when the cohort has no record of that milestone."""
    if not cell.status:
        return format_html('<td class="text-muted text-center" data-cell="{}">–</td>', cell.key)
    late = format_html(' <span class="late-flag" title="{}">{}</span>', cell.late_title, _("Late")) if cell.late else ""
    pending = (
        format_html(' <span class="badge rounded-pill text-bg-warning">{}</span>', cell.pending) if cell.pending else ""
    )
    # The colour goes on the link: Bootstrap's table cell background would cover it on the td.
    return format_html(
        '<td data-cell="{}"><a href="{}" class="cell status-{}{}"><small>{}</small><b>{}</b>{}{}</a></td>',
        cell.key,
        cell.url,
        cell.status,
        " cell-match" if cell.matches else "",
        cell.label,
        cell.progress,
        late,
        pending,
    )
