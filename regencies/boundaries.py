"""Region boundaries as SVG path data: read the GeoJSON files once, project and simplify them, store the paths.

The boundary files (``regencies/data/batas_*.geojson.gz``, attribution in ``data/NOTICE.md``) are WGS 84
polygons of the 38 provinces and 514 kabupaten/kota. Pages never read them: ``load_boundaries`` turns them
into ``RegionShape`` rows, each a ready SVG ``d`` attribute in whole map units, so a map is one query and a
string join (``milestones.maps``).

- **Projection**: equirectangular, the longitude scaled by the cosine of the frame's mean latitude (near the
  equator that is nearly 1; a province's own map is drawn in its own frame), y growing southwards as in SVG.
- **Frames**: the national map is ``NATIONAL_WIDTH`` units wide over the bounding box of every province;
  each province's map is ``PROVINCE_WIDTH`` units wide over its own bounding box (``RegionShape`` of the
  province holds that frame's width and height; the nation's row, code ``ID``, the national one).
- **Simplification**: Douglas–Peucker in map units after projecting (``TOLERANCE``), per map: provinces on
  the national map, regencies on the national map (the national report's 514) and regencies on their
  province's map. Rings that come out smaller than ``MIN_RING_AREA`` square units are left out (the
  smallest islands), but a region always keeps its largest ring, so every region has a path.
- **Label point**: the middle of the widest horizontal run through the largest ring at its centroid's
  height: inside the shape even when the centroid is not (a crescent, a bay).

Loading is all or nothing (one transaction) and idempotent: the rows are replaced by what the files give,
and a second run with the same files changes nothing (the files' digest is kept on the nation's row).
"""

import gzip
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count

from regencies.models import RegionShape

DATA = Path(__file__).resolve().parent / "data"
PROVINCE_FILE = DATA / "batas_provinsi.geojson.gz"
REGENCY_FILE = DATA / "batas_kabkota.geojson.gz"
MAX_FILE_BYTES = 50_000_000  # the files are ~2 MB each uncompressed

NATIONAL_WIDTH = 1000
PROVINCE_WIDTH = 600
# Douglas–Peucker tolerance in map units, per map.
TOLERANCE = {"province": 1.6, "regency_national": 0.8, "regency_local": 1.8}
MIN_RING_AREA = {"province": 10.0, "regency_national": 2.0, "regency_local": 12.0}

type Point = tuple[float, float]
type Ring = list[Point]
type Polygon = list[Ring]  # the outer ring first, then holes


class BoundaryFileError(Exception):
    """The files cannot be loaded; ``errors`` says what is wrong, one line each."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class Feature:
    code: str
    name: str
    polygons: list[Polygon]
    centroid: Point | None = None


@dataclass
class LoadResult:
    provinces: int = 0
    regencies: int = 0
    unchanged: bool = False
    sizes: dict[str, int] = field(default_factory=dict)  # total path characters per map


# --- Reading ------------------------------------------------------------------------------------------


def _read_json(path: Path) -> Any:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise BoundaryFileError([f"Cannot open {path}: {exc.strerror}."]) from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise BoundaryFileError([f"{path}: not a readable gzip file ({exc})."]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise BoundaryFileError([f"{path}: larger than {MAX_FILE_BYTES // 1_000_000} MB; not a boundary file."])
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryFileError([f"{path}: not valid JSON ({exc})."]) from None


def _ring(value: Any) -> Ring:
    ring = [(float(p[0]), float(p[1])) for p in value]
    if len(ring) < 4 or not all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring):
        raise ValueError("a ring needs at least 4 [longitude, latitude] positions within range")
    return ring


def read_features(path: Path, *, code_length: int) -> list[Feature]:
    """The features of a GeoJSON FeatureCollection of Polygons/MultiPolygons with a ``code`` property of
    the given form (``62`` or ``62.13``), or a BoundaryFileError listing every bad feature."""
    data = _read_json(path)
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise BoundaryFileError([f"{path}: not a GeoJSON FeatureCollection."])
    errors: list[str] = []
    features: list[Feature] = []
    seen: set[str] = set()
    for index, item in enumerate(data["features"], start=1):
        try:
            properties = item.get("properties") or {}
            code = str(properties.get("code", ""))
            if len(code) != code_length or not code.replace(".", "").isdigit():
                raise ValueError(f"code {code!r} is not a {'province' if code_length == 2 else 'regency'} code")
            if code in seen:
                raise ValueError(f"code {code} appears twice")
            geometry = item.get("geometry") or {}
            kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
            if kind == "Polygon":
                polygons = [[_ring(r) for r in coordinates]]
            elif kind == "MultiPolygon":
                polygons = [[_ring(r) for r in polygon] for polygon in coordinates]
            else:
                raise ValueError(f"geometry {kind!r} is not a Polygon or MultiPolygon")
            if not polygons or not all(polygons):
                raise ValueError("empty geometry")
            centroid = properties.get("centroid")
            point = (float(centroid[0]), float(centroid[1])) if centroid else None
        except (AttributeError, TypeError, ValueError, IndexError, KeyError) as exc:
            errors.append(f"{path.name}, feature {index}: {exc}.")
            continue
        seen.add(code)
        features.append(Feature(code, str(properties.get("name", "")), polygons, point))
    if errors:
        raise BoundaryFileError(errors)
    if not features:
        raise BoundaryFileError([f"{path}: no features."])
    return features


# --- Geometry -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """A map's projection: longitude/latitude to map units (y southwards), ``width`` × ``height``."""

    west: float
    north: float
    kx: float  # units per degree of longitude
    ky: float  # units per degree of latitude
    width: int
    height: int

    @classmethod
    def around(cls, polygons: Iterable[Polygon], width: int, margin: float = 0.02) -> "Frame":
        xs, ys = [], []
        for polygon in polygons:
            for x, y in polygon[0]:
                xs.append(x)
                ys.append(y)
        west, east, south, north = min(xs), max(xs), min(ys), max(ys)
        cos = math.cos(math.radians((north + south) / 2))
        span_x = max((east - west) * cos, 1e-6)
        span_y = max(north - south, 1e-6)
        inner = width * (1 - 2 * margin)
        ky = inner / span_x  # one degree of latitude, in units
        pad = width * margin
        height = math.ceil(span_y * ky + 2 * pad)
        return cls(west - pad / (ky * cos), north + pad / ky, ky * cos, ky, width, height)

    def project(self, point: Point) -> Point:
        return ((point[0] - self.west) * self.kx, (self.north - point[1]) * self.ky)


def _perpendicular(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    return abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / math.hypot(dx, dy)


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker (iterative) on an open line; the end points are kept."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, 0
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """A closed ring simplified: split at the point farthest from the first, so the two halves keep its extent."""
    if ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) < 4:
        return ring
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2)
    first = simplify(ring[: far + 1], tolerance)
    second = simplify(ring[far:] + [ring[0]], tolerance)
    return first[:-1] + second[:-1]


def area(ring: Ring) -> float:
    """The ring's area (shoelace; positive whichever its direction)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def label_point(ring: Ring) -> Point:
    """A point inside ``ring``: the middle of the widest horizontal run at the centroid's height."""
    a = 0.0
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(a) < 1e-9:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    cx, cy = cx / (3 * a), cy / (3 * a)
    crossings = []
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 <= cy < y2) or (y2 <= cy < y1):
            crossings.append(x1 + (cy - y1) * (x2 - x1) / (y2 - y1))
    crossings.sort()
    runs = [(crossings[i], crossings[i + 1]) for i in range(0, len(crossings) - 1, 2)]
    if not runs:
        return (cx, cy)
    left, right = max(runs, key=lambda run: run[1] - run[0])
    return ((left + right) / 2, cy)


def path_data(polygons: Sequence[Polygon], frame: Frame, tolerance: float, min_area: float) -> tuple[str, Point]:
    """The SVG ``d`` of ``polygons`` in ``frame``: whole units, relative moves (``M x y l dx dy … z``),
    rings under ``min_area`` left out but the largest always kept; and a label point inside the largest."""
    rings: list[Ring] = []
    for polygon in polygons:
        for ring in polygon:
            projected = simplify_ring([frame.project(p) for p in ring], tolerance)
            rounded: Ring = []
            for x, y in projected:
                point = (float(round(x)), float(round(y)))
                if not rounded or rounded[-1] != point:
                    rounded.append(point)
            if len(rounded) > 1 and rounded[-1] == rounded[0]:
                rounded.pop()
            if len(rounded) >= 3:
                rings.append(rounded)
    if not rings:  # a region smaller than a unit: a small square where it lies
        x, y = frame.project(polygons[0][0][0])
        rings = [[(round(x), round(y)), (round(x) + 1, round(y)), (round(x) + 1, round(y) + 1)]]
    largest = max(rings, key=area)
    kept = [r for r in rings if r is largest or area(r) >= min_area]
    parts = []
    for ring in kept:
        x0, y0 = int(ring[0][0]), int(ring[0][1])
        steps = []
        px, py = x0, y0
        for x, y in ring[1:]:
            steps.append(f"{int(x) - px} {int(y) - py}")
            px, py = int(x), int(y)
        parts.append(f"M{x0} {y0}l" + " ".join(steps) + "z")
    d = "".join(parts).replace(" -", "-")
    lx, ly = label_point(largest)
    return d, (round(lx, 1), round(ly, 1))


# --- Loading ------------------------------------------------------------------------------------------


def _digest(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        try:
            digest.update(path.read_bytes())
        except OSError as exc:
            raise BoundaryFileError([f"Cannot open {path}: {exc.strerror}."]) from None
    return digest.hexdigest()


def build_shapes(provinces: list[Feature], regencies: list[Feature], digest: str = "") -> list[RegionShape]:
    """The rows for the nation, every province (its path on the national map, its own frame) and every
    regency (its path on the national map and on its province's map)."""
    province_codes = {p.code for p in provinces}
    strays = sorted(r.code for r in regencies if r.code[:2] not in province_codes)
    if strays:
        raise BoundaryFileError([f"Regencies without their province in the province file: {', '.join(strays)}."])
    nation = Frame.around((polygon for p in provinces for polygon in p.polygons), NATIONAL_WIDTH)
    rows = [
        RegionShape(
            code=RegionShape.NATION,
            level=RegionShape.Level.NATION,
            name="Indonesia",
            width=nation.width,
            height=nation.height,
            source_digest=digest,
        )
    ]
    by_province: dict[str, list[Feature]] = {}
    for regency in regencies:
        by_province.setdefault(regency.code[:2], []).append(regency)
    for province in provinces:
        d, (x, y) = path_data(province.polygons, nation, TOLERANCE["province"], MIN_RING_AREA["province"])
        members = by_province.get(province.code, [])
        local = Frame.around(
            (polygon for r in (members or [province]) for polygon in r.polygons), PROVINCE_WIDTH, margin=0.03
        )
        rows.append(
            RegionShape(
                code=province.code,
                level=RegionShape.Level.PROVINCE,
                province_code=province.code,
                name=province.name,
                path=d,
                label_x=x,
                label_y=y,
                width=local.width,
                height=local.height,
            )
        )
        for regency in members:
            d, (x, y) = path_data(
                regency.polygons, nation, TOLERANCE["regency_national"], MIN_RING_AREA["regency_national"]
            )
            local_d, (lx, ly) = path_data(
                regency.polygons, local, TOLERANCE["regency_local"], MIN_RING_AREA["regency_local"]
            )
            rows.append(
                RegionShape(
                    code=regency.code,
                    level=RegionShape.Level.REGENCY,
                    province_code=province.code,
                    name=regency.name,
                    path=d,
                    label_x=x,
                    label_y=y,
                    local_path=local_d,
                    local_label_x=lx,
                    local_label_y=ly,
                )
            )
    return rows


def load_boundaries(
    province_file: Path = PROVINCE_FILE, regency_file: Path = REGENCY_FILE, *, force: bool = False
) -> LoadResult:
    """Replace the stored shapes by those of the two files (all or nothing). With the same files as last
    time nothing is rebuilt (``unchanged``), unless ``force``."""
    digest = _digest(province_file, regency_file)
    stored = RegionShape.objects.filter(code=RegionShape.NATION).values_list("source_digest", flat=True).first()
    if stored == digest and not force:
        counts = dict(RegionShape.objects.values_list("level").annotate(n=Count("pk")).order_by())
        return LoadResult(
            provinces=counts.get(RegionShape.Level.PROVINCE, 0),
            regencies=counts.get(RegionShape.Level.REGENCY, 0),
            unchanged=True,
        )
    provinces = read_features(province_file, code_length=2)
    regencies = read_features(regency_file, code_length=5)
    rows = build_shapes(provinces, regencies, digest)
    with transaction.atomic():
        RegionShape.objects.all().delete()
        RegionShape.objects.bulk_create(rows, batch_size=200)
    result = LoadResult(
        provinces=sum(r.level == RegionShape.Level.PROVINCE for r in rows),
        regencies=sum(r.level == RegionShape.Level.REGENCY for r in rows),
    )
    result.sizes = {
        "provinces, national map": sum(len(r.path) for r in rows if r.level == RegionShape.Level.PROVINCE),
        "regencies, national map": sum(len(r.path) for r in rows if r.level == RegionShape.Level.REGENCY),
        "regencies, province maps": sum(len(r.local_path) for r in rows),
    }
    return result


def seed_boundaries() -> None:
    """The demo's maps (``seed_demo``): the boundaries shipped with the tracker, unless already loaded."""
    load_boundaries()
