"""Server-side SVG charts: pure functions from plain data to a standalone SVG string.

No request, no database: the same output is embedded inline in pages, served as ``image/svg+xml`` and
can go into PDF reports (Typst embeds SVG). Every text that reaches the SVG is escaped here, so a
caller may mark the result safe.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import gettext as _

from milestones.models.milestones import MilestoneStatus
from milestones.selectors.figures import NUMBERS

# The colours of the .status-<value> classes in static/css/app.css: (fill, text).
STATUS_COLOURS = {
    MilestoneStatus.NOT_STARTED: ("#e9ecef", "#495057"),
    MilestoneStatus.IN_PROGRESS: ("#cfe2ff", "#084298"),
    MilestoneStatus.SUBMITTED: ("#fff3cd", "#664d03"),
    MilestoneStatus.NEEDS_REVISION: ("#f8d7da", "#842029"),
    MilestoneStatus.VERIFIED: ("#d1e7dd", "#0f5132"),
}

WIDTH = 640
PAD = 12
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
TITLE_SIZE = 15
TEXT_SIZE = 12
BAR_HEIGHT = 26
BAR_GAP = 10
CHAR_WIDTH = 7  # a rough average at TEXT_SIZE, enough to lay out labels and the legend


@dataclass(frozen=True)
class Series:
    """One part of every stacked bar: its key in the row's counts, its legend label and colours."""

    key: str
    label: str
    fill: str
    text: str


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


TEXT_FILL = "#212529"


def _text(x, y, content, *, size=TEXT_SIZE, anchor="start", fill=TEXT_FILL, weight=None, extra="") -> str:
    # The usual size and colour are set once on the <svg> (inherited), and "start" is SVG's own default:
    # a text repeats only what differs (the chart is inline in the province page).
    attributes = "".join(
        [
            f' font-size="{size}"' if size != TEXT_SIZE else "",
            f' text-anchor="{anchor}"' if anchor != "start" else "",
            f' fill="{escape(fill)}"' if fill != TEXT_FILL else "",
            f' font-weight="{escape(weight)}"' if weight else "",
        ]
    )
    return f'<text x="{_num(x)}" y="{_num(y)}"{attributes} dominant-baseline="central"{extra}>{escape(content)}</text>'


def stacked_bar_chart(
    *,
    title: str,
    rows: Sequence[tuple[str, Mapping[str, int]]],
    series: Sequence[Series],
    empty_note: str = "",
    width: int = WIDTH,
    element_id: str = "chart",
) -> str:
    """Horizontal stacked bars, one per row, scaled to the largest row total; a count on every part
    that has room for it, the row total on the right, a legend below. Returns an ``<svg>`` element."""
    label_width = max([len(label) for label, _counts in rows] + [3]) * CHAR_WIDTH + 2 * PAD
    bar_x = label_width
    bar_width = width - bar_x - 5 * CHAR_WIDTH - PAD  # room for the total on the right
    totals = [sum(max(int(counts.get(s.key, 0)), 0) for s in series) for _label, counts in rows]
    scale = bar_width / max(totals + [1])

    parts = [
        _text(
            PAD,
            PAD + TITLE_SIZE / 2 + 2,
            title,
            size=TITLE_SIZE,
            weight="600",
            extra=f' id="{escape(element_id)}-title"',
        )
    ]
    y = PAD + TITLE_SIZE + 2 * PAD
    if empty_note and not any(totals):
        parts.append(_text(PAD, y + TEXT_SIZE / 2, empty_note, fill="#6c757d"))
        y += TEXT_SIZE + PAD

    for (label, counts), total in zip(rows, totals, strict=True):
        mid = y + BAR_HEIGHT / 2
        parts.append(_text(PAD, mid, label, weight="600"))
        parts.append(
            f'<rect x="{_num(bar_x)}" y="{_num(y)}" width="{_num(bar_width)}" height="{BAR_HEIGHT}" '
            f'fill="#f8f9fa" stroke="#dee2e6"/>'
        )
        x = bar_x
        for s in series:
            count = max(int(counts.get(s.key, 0)), 0)
            if not count:
                continue
            part_width = count * scale
            tooltip = escape(f"{label} · {s.label}: {count}")
            parts.append(
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(part_width)}" height="{BAR_HEIGHT}" '
                f'fill="{escape(s.fill)}" stroke="#ffffff"><title>{tooltip}</title></rect>'
            )
            if part_width >= len(str(count)) * CHAR_WIDTH + 6:
                parts.append(_text(x + part_width / 2, mid, str(count), anchor="middle", fill=s.text, weight="600"))
            x += part_width
        parts.append(_text(bar_x + bar_width + 6, mid, str(total), fill="#495057"))
        y += BAR_HEIGHT + BAR_GAP

    # The legend, wrapped onto as many lines as the width needs.
    y += PAD / 2
    x = PAD
    swatch = TEXT_SIZE
    for s in series:
        item_width = swatch + 6 + len(s.label) * CHAR_WIDTH + 2 * PAD
        if x > PAD and x + item_width > width - PAD:
            x, y = PAD, y + swatch + PAD
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{swatch}" height="{swatch}" '
            f'fill="{escape(s.fill)}" stroke="{escape(s.text)}"/>'
        )
        parts.append(_text(x + swatch + 6, y + swatch / 2, s.label))
        x += item_width
    height = y + swatch + PAD

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{_num(height)}" '
        f'viewBox="0 0 {width} {_num(height)}" role="img" aria-labelledby="{escape(element_id)}-title" '
        f'font-family="{escape(FONT)}" font-size="{TEXT_SIZE}" fill="{TEXT_FILL}">'
        f'<rect width="100%" height="100%" fill="#ffffff"/>' + "".join(parts) + "</svg>"
    )


def milestone_status_chart(
    counts: Mapping[int, Mapping[str, int]], *, title: str | None = None, element_id: str = "milestone-chart"
) -> str:
    """For M1–M4, how many regencies are in each milestone status: ``counts[number][status] = n``, as
    ``figures.ProgrammeFigures.status_counts`` (or ``figures.status_counts``) gives them."""
    series = [Series(status.value, str(status.label), *STATUS_COLOURS[status]) for status in MilestoneStatus]
    rows = [(f"M{number}", counts.get(number, {})) for number in NUMBERS]
    return stacked_bar_chart(
        title=title if title is not None else _("Regencies by milestone status"),
        rows=rows,
        series=series,
        empty_note=_("No regency is in the programme yet."),
        element_id=element_id,
    )


def milestone_status_text(counts: Mapping[int, Mapping[str, int]]) -> str:
    """The same figures as ``milestone_status_chart``, in words: its text alternative where the chart is an
    ``<img>`` ("M1: 3 Terverifikasi, 2 Berjalan; M2: …")."""
    milestones = []
    for number in NUMBERS:
        parts = [
            f"{counts.get(number, {}).get(status.value, 0)} {status.label}"
            for status in MilestoneStatus
            if counts.get(number, {}).get(status.value, 0) > 0
        ]
        milestones.append(f"M{number}: " + (", ".join(parts) if parts else "0"))
    return "; ".join(milestones)


def indicator_trend_chart(
    *,
    title: str,
    years: Sequence[int],
    baseline: tuple[int, float] | None,
    targets: Mapping[int, float],
    actuals: Mapping[int, float],
    width: int = 300,
    height: int = 170,
    element_id: str = "indicator-chart",
) -> str:
    """A small trend of a percentage over ``years``: the baseline (a square), the targets (a dashed line
    with hollow points) and the verified actuals (a solid line with filled points), on a 0–100 axis, with
    a legend. Every point has its value as a tooltip. Returns an ``<svg>`` element."""
    years = sorted(set(years) | set(targets) | set(actuals) | ({baseline[0]} if baseline else set()))
    # The title is the chart's accessible name, not drawn: the card above it shows the indicator's name,
    # which is too long for a small chart's width.
    left, right, top, bottom = 34, PAD, PAD, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    span = max(len(years) - 1, 1)
    inset = 10  # the first and last points clear of the axis labels and the edge

    def x(year: int) -> float:
        return left + inset + (years.index(year) / span if len(years) > 1 else 0.5) * (plot_w - 2 * inset)

    def y(value: float) -> float:
        return top + plot_h - max(0.0, min(100.0, float(value))) / 100 * plot_h

    parts = [f'<title id="{escape(element_id)}-title">{escape(title)}</title>']
    for tick in (0, 50, 100):
        parts.append(
            f'<line x1="{left}" x2="{_num(left + plot_w)}" y1="{_num(y(tick))}" y2="{_num(y(tick))}" stroke="#dee2e6"/>'
        )
        parts.append(_text(left - 4, y(tick), f"{tick}", size=10, anchor="end", fill="#6c757d"))
    for year in years:
        parts.append(_text(x(year), top + plot_h + 10, str(year), size=10, anchor="middle", fill="#6c757d"))

    def line(points: Mapping[int, float], colour: str, dash: str) -> None:
        ordered = sorted(points.items())
        if len(ordered) > 1:
            coords = " ".join(f"{_num(x(yr))},{_num(y(v))}" for yr, v in ordered)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + "/>"
            )

    line(targets, "#6c757d", "4 3")
    line(actuals, "#198754", "")
    target_label, actual_label, baseline_label = _("Target"), _("Verified actual"), _("Baseline")
    for year, value in sorted(targets.items()):
        tip = escape(f"{target_label} {year}: {_num(value)}%")
        parts.append(
            f'<circle cx="{_num(x(year))}" cy="{_num(y(value))}" r="3.5" fill="#ffffff" stroke="#6c757d" '
            f'stroke-width="1.5"><title>{tip}</title></circle>'
        )
    for year, value in sorted(actuals.items()):
        tip = escape(f"{actual_label} {year}: {_num(value)}%")
        parts.append(
            f'<circle cx="{_num(x(year))}" cy="{_num(y(value))}" r="4" fill="#198754"><title>{tip}</title></circle>'
        )
    if baseline is not None:
        year, value = baseline
        tip = escape(f"{baseline_label} {year}: {_num(value)}%")
        parts.append(
            f'<rect x="{_num(x(year) - 4)}" y="{_num(y(value) - 4)}" width="8" height="8" fill="#0d6efd">'
            f"<title>{tip}</title></rect>"
        )
    legend_y = height - 12
    parts.append(f'<rect x="{PAD}" y="{legend_y - 4}" width="8" height="8" fill="#0d6efd"/>')
    parts.append(_text(PAD + 12, legend_y, baseline_label, size=10))
    parts.append(
        f'<line x1="{PAD + 80}" x2="{PAD + 96}" y1="{legend_y}" y2="{legend_y}" stroke="#6c757d" '
        f'stroke-width="2" stroke-dasharray="4 3"/>'
    )
    parts.append(_text(PAD + 100, legend_y, target_label, size=10))
    parts.append(
        f'<line x1="{PAD + 160}" x2="{PAD + 176}" y1="{legend_y}" y2="{legend_y}" stroke="#198754" stroke-width="2"/>'
    )
    parts.append(_text(PAD + 180, legend_y, actual_label, size=10))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{escape(element_id)}-title" '
        f'font-family="{escape(FONT)}" font-size="{TEXT_SIZE}" fill="{TEXT_FILL}">'
        f'<rect width="100%" height="100%" fill="#ffffff"/>' + "".join(parts) + "</svg>"
    )
