"""The maps' data: map layers (what colours a region) and the maps of the nation and of a province.

A **layer** is a small record in ``LAYERS``: a key (``?peta=<key>``), a title, its classes (legend, colour,
pattern) and a function giving each regency in scope a ``RegionValue`` (class, short label, text); a
province's value is derived from its regencies' by ``province_values`` (the median class, with the count
in each class as its text). ``stage`` is the milestone stage (``figures.milestone_stages``: not in the
programme, none verified, or the highest verified milestone M1–M4). ``indicator_layer`` makes a layer of
any per-regency figure (an outcome indicator), binned into classes; ``register`` adds it to the switch.

Scope: the regencies a layer is asked about are the scoped ones (``scoping.visible_regencies`` for a page,
``scoping.regencies_in`` for a report); every other shape of the map is drawn as plain context, without
data, tooltip or link. Queries: the shapes in one, plus the layer's (two for ``stage``), however many regions.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_stubs_ext import StrOrPromise

from milestones import maps
from milestones.maps import MapClass, RegionValue, Shape
from milestones.models import Milestone
from milestones.selectors import figures
from milestones.selectors import indicators as indicator_selectors
from regencies import scoping
from regencies.models import Province, Regency, RegionShape
from regencies.scoping import Scope
from ssk_tracker.lib import formatting
from ssk_tracker.lib.users import AnyUser

PARAM = "peta"  # the query parameter that picks the layer
DEFAULT_LAYER = "stage"


@dataclass
class LayerQuery:
    """What a layer is asked about: the scoped regencies (a queryset), the scoped milestones, and the
    moment (``as_of``, a report's period end; None: live)."""

    regencies: QuerySet[Regency]
    milestones: QuerySet[Milestone]
    as_of: datetime.datetime | None = None

    @cached_property
    def codes(self) -> list[str]:
        """The regencies' codes (one query, asked only by a layer that needs them)."""
        return list(self.regencies.order_by("code").values_list("code", flat=True))


@dataclass(frozen=True)
class Layer:
    """A map layer. ``classes()`` in order, lowest first (a province's median is taken in this order);
    ``regency_values(query)`` gives a value to every regency it knows something of (one without a value is
    drawn as "no data" if the layer has a ``no_data`` class, else as context)."""

    key: str
    title: StrOrPromise
    classes: Callable[[], list[MapClass]]
    regency_values: Callable[[LayerQuery], dict[str, RegionValue]]
    note: StrOrPromise = ""
    no_data: str = ""  # the class of a regency in scope without a value ("": drawn as context)


LAYERS: dict[str, Layer] = {}


def register(layer: Layer) -> Layer:
    """Add ``layer`` to the maps' switch (in the order registered)."""
    LAYERS[layer.key] = layer
    return layer


def layer_for(key: str | None) -> Layer:
    """The layer ``?peta=`` asks for; an unknown key gives the default (a map always shows)."""
    return LAYERS.get(key or "") or LAYERS[DEFAULT_LAYER]


# --- The milestone stage --------------------------------------------------------------------------

STAGE_OUT = "out"


def stage_key(stage: int | None) -> str:
    return STAGE_OUT if stage is None else "none" if stage == 0 else f"m{stage}"


def stage_classes() -> list[MapClass]:
    return [
        MapClass(STAGE_OUT, _("Not in the programme"), "#e9ecef", "hatch"),
        MapClass("none", _("No milestone verified"), "#ffffcc", "dots"),
        MapClass("m1", _("M1 verified"), "#a1dab4", "backhatch"),
        MapClass("m2", _("M2 verified"), "#41b6c4", "lines"),
        MapClass("m3", _("M3 verified"), "#2c7fb8", "cross", "#ffffff"),
        MapClass("m4", _("M4 verified"), "#253494", "solid", "#ffffff"),
    ]


def _stage_values(query: LayerQuery) -> dict[str, RegionValue]:
    labels = {c.key: c.label for c in stage_classes()}
    values = {}
    for code, stage in figures.milestone_stages(query.regencies, query.milestones, query.as_of).items():
        key = stage_key(stage)
        values[code] = RegionValue(key, "" if stage is None else "0" if stage == 0 else f"M{stage}", labels[key])
    return values


register(
    Layer(
        key=DEFAULT_LAYER,
        title=gettext_lazy("Milestone stage"),
        classes=stage_classes,
        regency_values=_stage_values,
        note=gettext_lazy(
            "A regency's stage is the highest of its current milestones that is verified (0: in the programme, "
            "none verified yet)."
        ),
    )
)


# --- An outcome indicator (or any per-regency figure) ---------------------------------------------


def indicator_layer(
    key: str,
    title: StrOrPromise,
    fetch: Callable[[Sequence[str]], Mapping[str, Decimal]],
    *,
    bounds: Sequence[Decimal | int] = (25, 50, 75),
    places: int = 0,
    note: StrOrPromise = "",
) -> Layer:
    """A layer of a percentage per regency: ``fetch(regency codes)`` gives {code: value} (for example
    ``indicators.latest_verified(definition_code, codes)``), binned at ``bounds`` (four classes for three
    bounds, lowest first), and a "no data" class for a regency in scope without a value."""
    limits = [Decimal(b) for b in bounds]

    def classes() -> list[MapClass]:
        palette = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494", "#081d58"]
        marks = ["dots", "backhatch", "lines", "cross", "solid", "solid"]
        edges = [formatting.percent(b, places) for b in limits]
        labels = [_("under %(limit)s") % {"limit": edges[0]}]
        labels += [f"{low}–{high}" for low, high in zip(edges, edges[1:], strict=False)]
        labels.append(_("%(limit)s or more") % {"limit": edges[-1]})
        found = [MapClass("nodata", _("No verified value"), "#e9ecef", "hatch")]
        for i, label in enumerate(labels):
            found.append(MapClass(f"c{i}", label, palette[i], marks[i], "#ffffff" if i >= 3 else maps.TEXT_FILL))
        return found

    def values(query: LayerQuery) -> dict[str, RegionValue]:
        found = {}
        for code, value in fetch(query.codes).items():
            index = sum(value >= limit for limit in limits)
            text = formatting.percent(value, places)
            found[code] = RegionValue(f"c{index}", text, text)
        return found

    return Layer(key=key, title=title, classes=classes, regency_values=values, note=note, no_data="nodata")


# --- Provinces from their regencies ---------------------------------------------------------------


def province_values(layer: Layer, regency_values: Mapping[str, RegionValue]) -> dict[str, RegionValue]:
    """Each province's value from its regencies' (``regency_values``, the scoped ones): the median class
    (the lower one of an even count, in the layer's order), with how many regencies are in each class."""
    classes = layer.classes()
    order = {c.key: i for i, c in enumerate(classes)}
    by_province: dict[str, list[RegionValue]] = defaultdict(list)
    for code, value in regency_values.items():
        if value.key in order:
            by_province[code[:2]].append(value)
    found = {}
    for province, values in by_province.items():
        ranked = sorted(values, key=lambda v: order[v.key])
        median = ranked[(len(ranked) - 1) // 2]
        counts = Counter(v.key for v in values)
        text = ngettext(
            "%(median)s (the median of %(counter)s regency)",
            "%(median)s (the median of %(counter)s regencies)",
            len(values),
        ) % {"median": classes[order[median.key]].label, "counter": len(values)}
        found[province] = RegionValue(median.key, median.short, text, tuple(counts[c.key] for c in classes))
    return found


# --- The maps --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    code: str
    name: str
    url: str
    value: RegionValue
    label: str  # the class's label


@dataclass(frozen=True)
class SwitchItem:
    key: str
    title: str
    url: str
    active: bool


@dataclass(frozen=True)
class MapView:
    """A map as a page shows it: the SVG (escaped by ``milestones.maps``), the layer, the switch's links and
    the same data as a table."""

    svg: SafeString
    layer: Layer
    title: str
    rows: list[TableRow]
    switch: list[SwitchItem] = field(default_factory=list)
    region_count: int = 0
    note: str = ""
    class_labels: list[str] = field(default_factory=list)  # the national table's count columns


def _values(layer: Layer, query: LayerQuery, in_scope: Sequence[str]) -> dict[str, RegionValue]:
    values = layer.regency_values(query)
    if layer.no_data:
        label = next(c.label for c in layer.classes() if c.key == layer.no_data)
        for code in in_scope:
            values.setdefault(code, RegionValue(layer.no_data, "", str(label)))
    return values


_NATIONAL_FIELDS = ("code", "level", "name", "path", "label_x", "label_y", "width", "height")
_LOCAL_FIELDS = ("code", "level", "name", "local_path", "local_label_x", "local_label_y", "width", "height")


def _shapes(condition: Q, *, local: bool) -> list[RegionShape]:
    """The shapes of a map (its frame's row among them), by code: one query."""
    fields = _LOCAL_FIELDS if local else _NATIONAL_FIELDS
    return list(RegionShape.objects.filter(condition).order_by("code").only(*fields))


def _nation_frame(rows: Sequence[RegionShape]) -> RegionShape | None:
    return next((r for r in rows if r.level == RegionShape.Level.NATION), None)


def _as_shape(row: RegionShape, *, local: bool) -> Shape:
    if local:
        return Shape(row.code, row.name, row.local_path, row.local_label_x, row.local_label_y)
    return Shape(row.code, row.name, row.path, row.label_x, row.label_y)


def _switch(params: Mapping[str, str] | None, active: Layer) -> list[SwitchItem]:
    query = {k: v for k, v in (params or {}).items() if k not in (PARAM, "page")}
    return [
        SwitchItem(key, str(layer.title), "?" + urlencode({**query, PARAM: key}) + "#peta", layer is active)
        for key, layer in LAYERS.items()
    ]


def _national(
    query: LayerQuery,
    layer: Layer,
    *,
    title: str,
    element_id: str,
    links: bool,
    params: Mapping[str, str] | None,
) -> MapView | None:
    """The national map of provinces: each province in scope coloured by its regencies' median class,
    labelled, linked to its page; the others drawn as context."""
    rows = _shapes(Q(level__in=[RegionShape.Level.NATION, RegionShape.Level.PROVINCE]), local=False)
    frame = _nation_frame(rows)
    if frame is None:
        return None
    shapes = [_as_shape(r, local=False) for r in rows if r.level == RegionShape.Level.PROVINCE]
    regency_values = layer.regency_values(query)
    values = province_values(layer, regency_values)
    prefix = reverse("province", args=["0"]).removesuffix("0/")
    urls = {code: f"{prefix}{code}/" for code in values} if links else {}
    svg = maps.region_map(
        title=title,
        shapes=shapes,
        values=values,
        classes=layer.classes(),
        width=frame.width,
        height=frame.height,
        links=urls,
        labels=True,
        element_id=element_id,
        font_size=14,
    )
    return MapView(
        mark_safe(svg),  # every text inside is escaped by milestones.maps
        layer,
        title,
        _table(shapes, values, layer, urls),
        _switch(params, layer),
        len(shapes),
        " ".join(
            [
                str(layer.note),
                _(
                    "A province shows the median of its regencies (the lower middle one of an even number); "
                    "the table counts them."
                ),
            ]
        ).strip(),
        [c.label for c in layer.classes()],
    )


def _table(
    shapes: Sequence[Shape], values: Mapping[str, RegionValue], layer: Layer, urls: Mapping[str, str]
) -> list[TableRow]:
    labels = {c.key: c.label for c in layer.classes()}
    return [
        TableRow(s.code, s.name, urls.get(s.code, ""), values[s.code], labels.get(values[s.code].key, ""))
        for s in shapes
        if s.code in values
    ]


def _province(
    query: LayerQuery,
    layer: Layer,
    province: Province,
    *,
    title: str,
    element_id: str,
    links: bool,
    params: Mapping[str, str] | None,
) -> MapView | None:
    """The map of a province's regencies in its own frame: those in scope coloured, labelled and linked to
    their pages; the province's others drawn as context. No other province's regency is on it."""
    rows = _shapes(Q(code=province.code) | Q(level=RegionShape.Level.REGENCY, province_code=province.code), local=True)
    frame = next((r for r in rows if r.code == province.code), None)
    regencies = [r for r in rows if r.level == RegionShape.Level.REGENCY]
    if frame is None or not regencies:
        return None
    shapes = [_as_shape(r, local=True) for r in regencies]
    in_scope = [code for code in query.codes if code[:2] == province.code] if layer.no_data else []
    values = {code: v for code, v in _values(layer, query, in_scope).items() if code[:2] == province.code}
    prefix = reverse("regency", args=["0"]).removesuffix("0/")
    urls = {code: f"{prefix}{code}/" for code in values} if links else {}
    svg = maps.region_map(
        title=title,
        shapes=shapes,
        values=values,
        classes=layer.classes(),
        width=frame.width,
        height=frame.height,
        links=urls,
        labels=True,
        element_id=element_id,
        font_size=11,
    )
    return MapView(
        mark_safe(svg),  # escaped by milestones.maps
        layer,
        title,
        _table(shapes, values, layer, {}),  # the matrix below links each regency; the map does too
        _switch(params, layer),
        len(shapes),
        str(layer.note),
    )


def _user_query(user: AnyUser, province: Province | None = None) -> LayerQuery:
    regencies = scoping.visible_regencies(user)
    milestones = scoping.filter_by_scope(user, Milestone.objects.all(), "regency")
    if province is not None:
        regencies = regencies.filter(province=province)
        milestones = milestones.filter(regency__province=province)
    return LayerQuery(regencies=regencies, milestones=milestones)


def national_map(
    user: AnyUser, *, layer_key: str | None = None, params: Mapping[str, str] | None = None
) -> MapView | None:
    """The national overview's map of the provinces in the user's scope (None: no boundaries loaded)."""
    layer = layer_for(layer_key)
    return _national(
        _user_query(user),
        layer,
        title=_("Provinces: %(layer)s") % {"layer": layer.title},
        element_id="nmap",
        links=True,
        params=params,
    )


def province_map(
    user: AnyUser, province: Province, *, layer_key: str | None = None, params: Mapping[str, str] | None = None
) -> MapView | None:
    """The province dashboard's map of its regencies in the user's scope (None: no boundaries loaded)."""
    layer = layer_for(layer_key)
    return _province(
        _user_query(user, province),
        layer,
        province,
        title=_("%(province)s, regencies: %(layer)s") % {"province": province.name, "layer": layer.title},
        element_id="pmap",
        links=True,
        params=params,
    )


# --- The reports' maps ----------------------------------------------------------------------------


def report_national_map(scope: Scope, *, as_of: datetime.datetime | None = None) -> str | None:
    """The national report's map: every regency of the nation on the national map (514 paths), those of
    the scope coloured by their milestone stage as of ``as_of``; no links, no labels. None: no boundaries."""
    layer = LAYERS[DEFAULT_LAYER]
    rows = _shapes(Q(level__in=[RegionShape.Level.NATION, RegionShape.Level.REGENCY]), local=False)
    frame = _nation_frame(rows)
    if frame is None:
        return None
    query = LayerQuery(
        regencies=scoping.regencies_in(scope),
        milestones=scoping.narrow(scope, Milestone.objects.all(), "regency"),
        as_of=as_of,
    )
    shapes = [_as_shape(r, local=False) for r in rows if r.level == RegionShape.Level.REGENCY]
    return maps.region_map(
        title=_("Regencies by milestone stage"),
        shapes=shapes,
        values=layer.regency_values(query),
        classes=layer.classes(),
        width=frame.width,
        height=frame.height,
        element_id="report-map",
        font_size=16,
    )


def report_province_map(scope: Scope, province: Province, *, as_of: datetime.datetime | None = None) -> str | None:
    """A provincial report's map of the province's regencies, coloured by stage as of ``as_of``, labelled."""
    layer = LAYERS[DEFAULT_LAYER]
    query = LayerQuery(
        regencies=scoping.regencies_in(scope).filter(province=province),
        milestones=scoping.narrow(scope, Milestone.objects.filter(regency__province=province), "regency"),
        as_of=as_of,
    )
    view = _province(
        query,
        layer,
        province,
        title=_("%(province)s: regencies by milestone stage") % {"province": province.name},
        element_id=f"report-map-{province.code}",
        links=False,
        params=None,
    )
    return str(view.svg) if view else None


# --- The outcome indicators (milestones.selectors.indicators), the latest verified actual ---------


def _register_indicators() -> None:
    titles = {
        "akses_layak": gettext_lazy("Proper sanitation access"),
        "akses_aman": gettext_lazy("Safe sanitation access"),
        "odf": gettext_lazy("ODF villages"),
        "sampah_tertangani": gettext_lazy("Waste handled"),
    }
    note = gettext_lazy("The latest actual the province verified, in percent.")

    def fetch(code: str) -> Callable[[Sequence[str]], Mapping[str, Decimal]]:
        def values(codes: Sequence[str]) -> Mapping[str, Decimal]:
            return indicator_selectors.latest_verified(code, codes)

        return values

    for code, title in titles.items():
        register(indicator_layer(code, title, fetch(code), bounds=(25, 50, 75), note=note))


_register_indicators()
