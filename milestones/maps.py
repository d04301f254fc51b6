"""Server-side SVG maps: pure functions from stored shapes and per-region values to a standalone SVG string.

Like ``milestones.charts``: no request, no database, every text escaped here (a caller may mark the result
safe), the same output inline in a page and embedded in a PDF report (Typst reads SVG). The shapes are
``regencies.models.RegionShape`` rows (path data already projected and simplified by ``load_boundaries``);
what a region shows comes from a map layer (``milestones.selectors.maps``): a class (its fill, a pattern
and a legend entry), a short label and a longer text (the tooltip and the table beside the map).

Colour is never the only carrier: each class has its own pattern (hatching, dots, lines, cross, solid) and
a map may print each region's short label. The palette is ColorBrewer's YlGnBu (sequential, safe for the
common colour-vision deficiencies) with a grey for regions outside the programme or without data.
On a page, strokes keep their width however the map is scaled (``vector-effect: non-scaling-stroke`` in
static/css/app.css).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
TEXT_FILL = "#212529"
OUTSIDE_FILL = "#f1f3f5"  # a region drawn for context only: outside the scope, no data, no link
OUTSIDE_STROKE = "#ced4da"
STROKE = "#ffffff"
OUTLINE = "#6c757d"

# The marks a class's pattern draws over its colour, in a PATTERN_SIZE square (map units).
PATTERN_SIZE = 8
MARKS = {
    "hatch": '<path d="M0 8L8 0M-1 1L1-1M7 9L9 7"/>',
    "dots": '<circle cx="4" cy="4" r="1.2"/>',
    "backhatch": '<path d="M0 0L8 8M-1 7L1 9M7-1L9 1"/>',
    "lines": '<path d="M0 4H8"/>',
    "cross": '<path d="M0 4H8M4 0V8"/>',
    "solid": "",
}


@dataclass(frozen=True)
class MapClass:
    """One class of a layer: its key (``map-<key>`` on the region's path), legend label, colour, pattern
    mark (a key of ``MARKS``) and the colour of a label printed over it."""

    key: str
    label: str
    fill: str
    mark: str = "solid"
    text: str = TEXT_FILL


@dataclass(frozen=True)
class RegionValue:
    """What a region shows: its class key, a short label on the map ("M2", "64%"), the text of its tooltip
    and table row, and (a province) how many of its regencies are in each class."""

    key: str
    short: str
    text: str
    counts: tuple[int, ...] = ()  # a province's: its regencies in each class of the layer, in order


@dataclass(frozen=True)
class Shape:
    """A region's outline in the map's frame: code, name, SVG path data and label point."""

    code: str
    name: str
    path: str
    x: float
    y: float


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _patterns(classes: Sequence[MapClass], prefix: str) -> str:
    parts = []
    for c in classes:
        mark = MARKS.get(c.mark, "")
        marks = f'<g stroke="#000" stroke-opacity=".35" fill="#000" fill-opacity=".35">{mark}</g>' if mark else ""
        parts.append(
            f'<pattern id="{prefix}-{escape(c.key)}" width="{PATTERN_SIZE}" height="{PATTERN_SIZE}" '
            f'patternUnits="userSpaceOnUse"><rect width="{PATTERN_SIZE}" height="{PATTERN_SIZE}" '
            f'fill="{escape(c.fill)}"/>{marks}</pattern>'
        )
    return "<defs>" + "".join(parts) + "</defs>"


def region_map(
    *,
    title: str,
    shapes: Sequence[Shape],
    values: Mapping[str, RegionValue],
    classes: Sequence[MapClass],
    width: int,
    height: int,
    links: Mapping[str, str] | None = None,
    labels: bool = False,
    element_id: str = "map",
    font_size: float = 12,
) -> str:
    """An ``<svg>`` map: one ``<path>`` per shape, filled with the pattern of its value's class (a region
    without a value is drawn for context, plain and unlinked), a ``<title>`` tooltip ("name: text"), a link
    to ``links[code]`` if given, the value's short label at the label point if ``labels``, and a legend of
    ``classes`` below the map."""
    prefix = escape(element_id)
    by_key = {c.key: c for c in classes}
    links = links or {}
    regions = []
    texts = []
    for shape in shapes:
        value = values.get(shape.code)
        name = escape(shape.name)
        if value is None or value.key not in by_key:
            regions.append(
                f'<path d="{escape(shape.path)}" class="map-outside" fill="{OUTSIDE_FILL}" stroke="{OUTSIDE_STROKE}"/>'
            )
            continue
        key = escape(value.key)
        # A linked region is known by its link; an unlinked one (a report's) says its code.
        href = links.get(shape.code)
        code = "" if href else f' data-code="{escape(shape.code)}"'
        path = (
            f'<path d="{escape(shape.path)}" class="map-{key}" fill="url(#{prefix}-{key})"{code}>'
            f"<title>{name}: {escape(value.text)}</title></path>"
        )
        regions.append(f'<a href="{escape(href)}">{path}</a>' if href else path)
        if labels and value.short:
            fill = by_key[value.key].text
            texts.append(
                f'<text x="{_num(shape.x)}" y="{_num(shape.y)}"'
                + (f' fill="{escape(fill)}"' if fill != TEXT_FILL else "")
                + f">{escape(value.short)}</text>"
            )

    # The legend below the map, wrapped onto as many lines as the width needs.
    size = font_size
    pad = size
    swatch = size * 1.4
    char = size * 0.58
    legend = []
    x, y = pad, height + pad
    for c in classes:
        item = swatch + size / 2 + len(c.label) * char + 2 * pad
        if x > pad and x + item > width - pad:
            x, y = pad, y + swatch + size / 2
        legend.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(swatch)}" height="{_num(swatch)}" '
            f'fill="url(#{prefix}-{escape(c.key)})" stroke="{OUTLINE}"/>'
            f'<text x="{_num(x + swatch + size / 2)}" y="{_num(y + swatch / 2)}" dominant-baseline="central">'
            f"{escape(c.label)}</text>"
        )
        x += item
    total_height = y + swatch + pad
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {_num(total_height)}" '
        f'width="{width}" height="{_num(total_height)}" role="img" aria-labelledby="{prefix}-title" '
        f'font-family="{escape(FONT)}" font-size="{_num(size)}" fill="{TEXT_FILL}" class="region-map">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        + _patterns(classes, prefix)
        # The strokes' vector-effect is in static/css/app.css (it is not inherited from a group); a PDF
        # draws the map at one scale, where the width in map units is right.
        + f'<g stroke="{STROKE}" stroke-width="0.75" stroke-linejoin="round">'
        + "".join(regions)
        + "</g>"
        + (
            f'<g text-anchor="middle" dominant-baseline="central" font-size="{_num(size * 0.85)}" '
            f'font-weight="600" pointer-events="none">' + "".join(texts) + "</g>"
            if texts
            else ""
        )
        + "".join(legend)
        + "</svg>"
    )
