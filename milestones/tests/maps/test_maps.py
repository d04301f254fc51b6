"""The maps: one path per region, coloured by the data (the milestone stage), linked, with a legend and the
same data as a table; a province map shows only its regencies; the layer switch; the reports' maps; the
queries a map costs."""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import Milestone
from milestones.selectors import figures
from milestones.selectors import maps as map_selectors
from milestones.tests import builders
from regencies import boundaries, scoping
from regencies.boundaries import Feature
from regencies.models import Province, Regency, RegionShape
from reports import data

KALTENG_URL = reverse("province", args=["62"])
NATIONAL_URL = reverse("national_overview")


def square(x: float, y: float, size: float = 0.5) -> list:
    return [[(x, y), (x + size, y), (x + size, y - size), (x, y - size), (x, y)]]


def small_shapes() -> None:
    """Made-up squares for every region of the test data (Kalteng's 14 regencies, Kalsel's 2), and a
    province that is not loaded as a region (11, drawn as context)."""
    regencies = list(Regency.objects.order_by("code").values_list("code", "name"))
    features = [Feature(code, name, [square(110 + i, -1)]) for i, (code, name) in enumerate(regencies)]
    provinces = [
        Feature("62", "Kalimantan Tengah", [square(110, 0, 3)]),
        Feature("63", "Kalimantan Selatan", [square(114, 0, 2)]),
        Feature("11", "Aceh", [square(96, 5, 2)]),
    ]
    RegionShape.objects.bulk_create(boundaries.build_shapes(provinces, features))


@pytest.fixture
def shapes(db):
    small_shapes()


class Svg(HTMLParser):
    """The map's regions: {code: (classes, title, link or "")}, the outside (context) paths, and the texts."""

    def __init__(self, html: str):
        super().__init__()
        self.regions: dict[str, tuple[list[str], str, str]] = {}
        self.outside = 0
        self.link = ""
        self.current = ""
        self.in_title = False
        self.texts: list[str] = []
        self.in_text = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            self.link = a.get("href", "")
        if tag == "path" and "d" in a:
            classes = (a.get("class") or "").split()
            if "map-outside" in classes:
                self.outside += 1
            elif self.link or "data-code" in a:  # a linked region is known by its link
                self.current = a.get("data-code") or self.link.rstrip("/").rsplit("/", 1)[-1]
                self.regions[self.current] = (classes, "", self.link)
        if tag == "title" and self.current:
            self.in_title = True
        self.in_text = tag == "text"

    def handle_endtag(self, tag):
        if tag == "a":
            self.link = ""
        if tag == "path":
            self.current = ""
        self.in_title = self.in_text = False if tag in ("title", "text") else self.in_text

    def handle_data(self, data):
        if self.in_title and self.current:
            classes, _title, link = self.regions[self.current]
            self.regions[self.current] = (classes, data, link)
        elif self.in_text:
            self.texts.append(data)


def svg_of(response) -> str:
    html = response.content.decode()
    found = re.search(r'<svg[^>]*class="region-map".*?</svg>', html, re.S)
    assert found, "no map on the page"
    return found.group(0)


def region_paths(svg: str) -> int:
    """The paths drawn as regions (the patterns' marks in <defs> left out)."""
    return re.sub(r"<defs>.*?</defs>", "", svg, flags=re.S).count("<path d=")


def stage_class(svg: str, code: str) -> str:
    classes = Svg(svg).regions[code][0]
    return next(c.removeprefix("map-") for c in classes if c.startswith("map-"))


# --- The stage rule --------------------------------------------------------------------------------


def test_a_regencys_stage_is_its_highest_verified_current_milestone(
    shapes, bartim, mura, officer_bartim, pokja_kalteng
):
    builders.approved(builders.milestone(bartim, 1), officer_bartim, pokja_kalteng, progress=100)
    builders.approved(builders.milestone(bartim, 2), officer_bartim, pokja_kalteng, progress=100)
    builders.submitted(builders.milestone(bartim, 3), officer_bartim, progress=80)
    builders.cohort(mura, 2022)
    stages = figures.milestone_stages(Regency.objects.filter(province="62"), Milestone.objects.all())
    assert stages["62.13"] == 2
    assert stages["62.12"] == 0  # in the programme, nothing verified
    assert stages["62.01"] is None  # not in the programme
    assert len(stages) == 14


# --- The province map ------------------------------------------------------------------------------


def test_the_province_map_has_one_linked_path_per_regency_and_only_its_own(shapes, client_as):
    svg = svg_of(client_as("pokja_kalteng").get(KALTENG_URL))
    regions = Svg(svg).regions
    assert sorted(regions) == sorted(Regency.objects.filter(province="62").values_list("code", flat=True))
    assert region_paths(svg) == 14  # no other province's regency, no outline of the province
    for code, (_classes, title, link) in regions.items():
        assert link == reverse("regency", args=[code])
        assert title.startswith(Regency.objects.get(code=code).name + ": ")


def test_a_regencys_class_follows_its_milestones(shapes, client_as, bartim, officer_bartim, pokja_kalteng):
    client = client_as("pokja_kalteng")
    assert stage_class(svg_of(client.get(KALTENG_URL)), "62.13") == "out"
    builders.approved(builders.milestone(bartim, 1), officer_bartim, pokja_kalteng, progress=100)
    svg = svg_of(client.get(KALTENG_URL))
    assert stage_class(svg, "62.13") == "m1"
    assert 'fill="url(#pmap-m1)"' in svg and "M1" in Svg(svg).texts  # a pattern and a label
    builders.approved(builders.milestone(bartim, 2), officer_bartim, pokja_kalteng, progress=100)
    assert stage_class(svg_of(client.get(KALTENG_URL)), "62.13") == "m2"


def test_the_map_has_a_legend_with_a_pattern_per_stage(shapes, client_as):
    svg = svg_of(client_as("pokja_kalteng").get(KALTENG_URL))
    for c in map_selectors.stage_classes():
        assert f'<pattern id="pmap-{c.key}"' in svg
        assert f'fill="url(#pmap-{c.key})" stroke=' in svg  # the legend's swatch
        assert f">{c.label}</text>" in svg
    assert len({c.fill for c in map_selectors.stage_classes()}) == 6
    assert len({c.mark for c in map_selectors.stage_classes()}) == 6  # not told apart by colour alone


class Table(HTMLParser):
    """The map's table: {region name: its row's data-value}."""

    def __init__(self, html):
        super().__init__()
        self.rows: dict[str, str] = {}
        self.within = False
        self.value = ""
        self.in_th = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("data-testid") == "region-map-table":
            self.within = True
        if self.within and tag == "tr" and "data-value" in a:
            self.value = a["data-value"]
        self.in_th = self.within and tag == "th" and bool(self.value) or (self.in_th and tag == "a")

    def handle_endtag(self, tag):
        if tag == "table":
            self.within = False
        if tag == "th":
            self.in_th = False
            self.value = ""

    def handle_data(self, data):
        if self.in_th and self.value:
            self.rows[data] = self.value


def test_the_map_comes_with_the_same_data_as_a_table(shapes, client_as, bartim, officer_bartim, pokja_kalteng):
    builders.approved(builders.milestone(bartim, 1), officer_bartim, pokja_kalteng, progress=100)
    response = client_as("pokja_kalteng").get(KALTENG_URL)
    svg = svg_of(response)
    rows = Table(response.content.decode()).rows
    regions = Svg(svg).regions
    assert rows == {title.split(": ")[0]: stage_class(svg, code) for code, (_c, title, _l) in regions.items()}
    assert rows["Kabupaten Barito Timur"] == "m1"
    assert "<summary>" in response.content.decode()


def test_without_boundaries_the_page_has_no_map(client_as, kalteng):
    response = client_as("pokja_kalteng").get(KALTENG_URL)
    assert response.status_code == 200
    assert b'data-testid="region-map"' not in response.content


def test_the_map_has_no_inline_style_or_script(shapes, client_as):
    html = client_as("pokja_kalteng").get(KALTENG_URL).content.decode()
    section = html[html.index('data-testid="region-map"') :]
    section = section[: section.index("</section>")]
    assert "style=" not in section and "<script" not in section


# --- The national map ------------------------------------------------------------------------------


def test_the_national_map_colours_and_links_each_province_in_scope(
    shapes, client_as, bartim, officer_bartim, pokja_kalteng
):
    builders.approved(builders.milestone(bartim, 1), officer_bartim, pokja_kalteng, progress=100)
    svg = svg_of(client_as("national").get(NATIONAL_URL))
    parsed = Svg(svg)
    assert sorted(parsed.regions) == ["62", "63"]
    assert parsed.outside == 1  # Aceh: a shape without a region, drawn as context
    assert parsed.regions["62"][2] == reverse("province", args=["62"])
    # Kalteng: 13 regencies out of the programme, Barito Timur at M1: the median is "not in the programme".
    assert stage_class(svg, "62") == "out"
    assert "(median dari 14 kabupaten/kota)" in parsed.regions["62"][1]  # the page speaks Indonesian
    html = client_as("national").get(NATIONAL_URL).content.decode()
    table = html[html.index('data-testid="region-map-table"') :]
    row = table[table.index('href="/provinsi/62/"') :].split("</tr>")[0]
    assert re.findall(r"<td>(\d+)</td>", row) == ["13", "0", "1", "0", "0", "0"]  # the regencies per stage


def test_a_province_takes_the_median_stage_of_its_regencies(shapes, client_as, officer_bartim, pokja_kalteng):
    for code in ["62.01", "62.02", "62.03", "62.04", "62.05", "62.06", "62.07", "62.08"]:
        regency = Regency.objects.get(code=code)
        builders.approved(builders.milestone(regency, 1), officer_bartim, pokja_kalteng, progress=100)
    assert stage_class(svg_of(client_as("national").get(NATIONAL_URL)), "62") == "m1"  # 8 of 14 at M1


def test_the_national_map_of_a_balai_shows_only_its_provinces_data(shapes, client_as):
    parsed = Svg(svg_of(client_as("balai_kalteng").get(NATIONAL_URL)))
    assert sorted(parsed.regions) == ["62"]
    assert parsed.outside == 2  # Kalsel and Aceh: outlines without data, tooltip or link


# --- The layer switch ------------------------------------------------------------------------------


@pytest.fixture
def indicator_layer():
    fetched = []

    def fetch(codes):
        fetched.append(list(codes))
        return {"62.13": Decimal("64.5"), "62.12": Decimal("12")}

    layer = map_selectors.register(
        map_selectors.indicator_layer("akses", "Akses layak", fetch, note="Rumah tangga dengan akses layak.")
    )
    yield fetched
    map_selectors.LAYERS.pop(layer.key)


def test_the_switch_links_to_each_layer_and_an_indicator_colours_by_its_bins(shapes, client_as, indicator_layer):
    client = client_as("pokja_kalteng")
    html = client.get(KALTENG_URL).content.decode()
    assert 'href="?peta=stage#peta"' in html and 'href="?peta=akses#peta"' in html
    response = client.get(KALTENG_URL + "?peta=akses")
    svg = svg_of(response)
    assert stage_class(svg, "62.13") == "c2"  # 50–75 %
    assert stage_class(svg, "62.12") == "c0"  # under 25 %
    assert stage_class(svg, "62.01") == "nodata"
    assert sorted(indicator_layer[-1]) == sorted(Regency.objects.filter(province="62").values_list("code", flat=True))
    assert "Rumah tangga dengan akses layak." in response.content.decode()
    assert 'aria-current="true" data-layer="akses"' in response.content.decode()


def test_an_unknown_layer_shows_the_stage(shapes, client_as):
    svg = svg_of(client_as("pokja_kalteng").get(KALTENG_URL + "?peta=nonsense"))
    assert stage_class(svg, "62.13") == "out"


# --- Queries ---------------------------------------------------------------------------------------


def test_a_map_costs_three_queries_however_many_regencies_are_in_the_programme(
    shapes, kalteng, officer_bartim, pokja_kalteng, national
):
    def count(call) -> int:
        with CaptureQueriesContext(connection) as queries:
            call()
        return len(queries)

    province = Province.objects.get(code="62")
    scoping.scope_for(pokja_kalteng), scoping.scope_for(national)  # the role: read once per request by the page
    small = (
        count(lambda: map_selectors.province_map(pokja_kalteng, province)),
        count(lambda: map_selectors.national_map(national)),
    )
    for code in ["62.01", "62.02", "62.03", "62.13"]:
        regency = Regency.objects.get(code=code)
        builders.approved(builders.milestone(regency, 1), officer_bartim, pokja_kalteng, progress=100)
        builders.submitted(builders.milestone(regency, 2), officer_bartim, progress=50)
    large = (
        count(lambda: map_selectors.province_map(pokja_kalteng, province)),
        count(lambda: map_selectors.national_map(national)),
    )
    assert small == large == (3, 3)  # the shapes; the regencies in the programme; their verified milestones


# --- The reports -----------------------------------------------------------------------------------


def test_a_provincial_report_maps_only_its_provinces_regencies(shapes, kalteng, bartim, officer_bartim, pokja_kalteng):
    builders.approved(builders.milestone(bartim, 1), officer_bartim, pokja_kalteng, progress=100)
    svg = map_selectors.report_province_map(scoping.Scope(province_codes=frozenset({"62"})), kalteng)
    parsed = Svg(svg)
    assert sorted(parsed.regions) == sorted(Regency.objects.filter(province="62").values_list("code", flat=True))
    assert stage_class(svg, "62.13") == "m1"
    assert "<a " not in svg  # a PDF has nowhere to link to


def test_the_national_report_maps_all_514_regencies(db, kalteng):
    boundaries.load_boundaries()
    svg = map_selectors.report_national_map(scoping.Scope(nation=True))
    assert region_paths(svg) == 514
    assert len(svg) < 120_000
    gathered = data.gather(
        "national", scoping.Scope(nation=True), period=(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    )
    assert region_paths(gathered["map"][0]["svg"]) == 514
