"""load_boundaries: the shipped files become one shape per province and regency, in SVG path data; a second
run changes nothing; a bad file loads nothing and says why."""

import gzip
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from regencies import boundaries
from regencies.models import RegionShape

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_boundaries", *args, stdout=out)
    return out.getvalue()


def test_the_shipped_files_give_a_shape_per_province_and_regency_and_a_second_run_changes_nothing(db):
    assert "38 provinces, 514 regencies" in load()
    first = {s.code: (s.path, s.local_path, s.width, s.height) for s in RegionShape.objects.all()}
    assert len(first) == 1 + 38 + 514
    assert "Unchanged" in load()
    assert "38 provinces, 514 regencies" in load("--force")
    assert {s.code: (s.path, s.local_path, s.width, s.height) for s in RegionShape.objects.all()} == first


def test_the_paths_are_small_whole_unit_svg_path_data(db):
    load()
    kalteng = RegionShape.objects.get(code="62")
    bartim = RegionShape.objects.get(code="62.13")
    assert bartim.path.startswith("M") and bartim.path.endswith("z") and "." not in bartim.path
    assert 0 < bartim.local_label_x < kalteng.width and 0 < bartim.local_label_y < kalteng.height
    nation = RegionShape.objects.get(code=RegionShape.NATION)
    assert nation.width == boundaries.NATIONAL_WIDTH and 300 < nation.height < 500
    provinces = RegionShape.objects.filter(level=RegionShape.Level.PROVINCE)
    assert sum(len(p.path) for p in provinces) < 16_000  # the national page's map stays small
    assert all(p.path for p in RegionShape.objects.exclude(level=RegionShape.Level.NATION))


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data))
    return path


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def feature(code, geometry=None):
    ring = [[110, -1], [111, -1], [111, -2], [110, -2], [110, -1]]
    return {
        "type": "Feature",
        "properties": {"code": code, "name": code},
        "geometry": geometry or {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.mark.parametrize(
    ("provinces", "regencies", "message"),
    [
        ("not json", collection(feature("62.13")), "not valid JSON"),
        ({"type": "Feature"}, collection(feature("62.13")), "not a GeoJSON FeatureCollection"),
        (collection(feature("6")), collection(feature("62.13")), "feature 1: code '6' is not a province code"),
        (
            collection(feature("62")),
            collection(feature("62.13", {"type": "Point", "coordinates": [110, -1]})),
            "geometry 'Point' is not a Polygon or MultiPolygon",
        ),
        (collection(feature("62")), collection(feature("62.13"), feature("62.13")), "code 62.13 appears twice"),
        (collection(feature("62")), collection(feature("63.01")), "Regencies without their province"),
    ],
)
def test_a_bad_file_loads_nothing_and_says_why(db, tmp_path, provinces, regencies, message):
    load()
    before = RegionShape.objects.count()
    province_file = tmp_path / "p.geojson"
    if isinstance(provinces, str):
        province_file.write_text(provinces)
    else:
        write(province_file, provinces)
    regency_file = write(tmp_path / "r.geojson", regencies)
    with pytest.raises(CommandError) as error:
        load("--provinces", str(province_file), "--regencies", str(regency_file))
    assert "Nothing was loaded" in str(error.value) and message in str(error.value)
    assert RegionShape.objects.count() == before


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot open"):
        load("--provinces", str(tmp_path / "missing.geojson"))


def test_a_small_file_pair_replaces_the_shapes(db, tmp_path):
    load()
    province_file = tmp_path / "p.geojson.gz"
    province_file.write_bytes(gzip.compress(json.dumps(collection(feature("62"))).encode()))
    regency_file = write(tmp_path / "r.geojson", collection(feature("62.13")))
    assert "1 provinces, 1 regencies" in load("--provinces", str(province_file), "--regencies", str(regency_file))
    assert sorted(RegionShape.objects.values_list("code", flat=True)) == ["62", "62.13", "ID"]


@pytest.mark.skipif(not SHARED.exists(), reason="the shared reference data is not beside the repository")
@pytest.mark.parametrize("name", ["batas_provinsi.geojson", "batas_kabkota.geojson"])
def test_the_shipped_files_are_the_shared_reference_data(name):
    shipped = gzip.decompress((boundaries.DATA / f"{name}.gz").read_bytes())
    assert shipped == (SHARED / name).read_bytes()


def test_douglas_peucker_keeps_the_corners_and_drops_what_is_within_tolerance():
    line = [(0.0, 0.0), (1.0, 0.1), (2.0, -0.1), (3.0, 5.0), (4.0, 6.0), (5.0, 7.0)]
    assert boundaries.simplify(line, 0.5) == [(0.0, 0.0), (2.0, -0.1), (3.0, 5.0), (5.0, 7.0)]


def test_the_label_point_lies_inside_a_ring_whose_centroid_does_not():
    # A U shape: its centroid falls in the gap between the arms.
    ring = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (8.0, 10.0), (8.0, 2.0), (2.0, 2.0), (2.0, 10.0), (0.0, 10.0)]
    x, y = boundaries.label_point(ring)
    assert (0 < x < 2 or 8 < x < 10) or y < 2
