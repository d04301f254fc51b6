"""The open-data summary (/data-terbuka/, ssk_tracker/open_data.py): public (no sign-in), GET only, the same
figures the dashboards' selectors give, verified actuals only, no personal data, switched off -> 404, the CSV
machine-readable, a constant number of queries, cached and rate-limited."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import Milestone
from milestones.selectors import figures
from milestones.selectors import indicators as indicator_selectors
from milestones.selectors import service_records as service_selectors
from milestones.services import indicators as indicator_services
from milestones.tests import builders
from milestones.tests import indicator_builders as ib
from milestones.tests import service_builders as sb
from regencies.models import Province, Regency

FILES = ["open_data_kabkota_csv", "open_data_kabkota_json", "open_data_provinsi_csv", "open_data_provinsi_json"]
REGENCY_FIELDS = {
    "code",
    "name",
    "province_code",
    "in_programme",
    "milestone_stage",
    "m1_status",
    "m2_status",
    "m3_status",
    "m4_status",
    "households_served",
    "kecamatan_covered",
    "kecamatan_entered",
    "indicator_akses_layak",
    "indicator_akses_aman",
    "indicator_odf",
    "indicator_sampah_tertangani",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the answers and the rate limit's counters live in the cache, which outlives a test
    yield
    cache.clear()


@pytest.fixture
def demo_rows(bartim, mura, officer_bartim, officer_mura, pokja_kalteng):
    """Bartim at stage 2 with a service and a verified akses_layak (and a later one only submitted); Mura in
    the programme with nothing verified."""
    builders.approved(builders.milestone(bartim, 1), officer_bartim, pokja_kalteng, progress=100)
    builders.approved(builders.milestone(bartim, 2), officer_bartim, pokja_kalteng, progress=100)
    builders.cohort(mura, 2022)
    sb.service(bartim, covered=2, households=1234)
    ib.ssk(bartim, officer_bartim)
    layak = ib.indicator(bartim, officer_bartim)
    indicator_services.verify_actual(actual=ib.actual(layak, officer_bartim, 2023, "65.5"), reviewer=pokja_kalteng)
    ib.actual(layak, officer_bartim, 2024, "99")  # submitted, not verified: never published
    ib.ssk(mura, officer_mura)
    ib.actual(ib.indicator(mura, officer_mura), officer_mura, 2023, "42")  # submitted only


def rows_of(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200, name
    if name.endswith("_csv"):
        content = response.content.decode("utf-8")
        assert content.startswith("\ufeff")
        return list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))
    return response.json()["rows"]


def test_every_address_answers_without_sign_in_and_is_public_cacheable(client, db):
    for name in ["open_data", *FILES]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    page = client.get(reverse("open_data")).content.decode()
    assert "Data terbuka" in page and reverse("open_data_kabkota_csv") in page and "CC BY 4.0" in page
    assert client.post(reverse("open_data_kabkota_json")).status_code == 405


def test_the_regency_figures_are_the_dashboards_selectors(client, demo_rows, bartim, mura):
    rows = {row["code"]: row for row in rows_of(client, "open_data_kabkota_json")}
    regencies = Regency.objects.all()
    stages = figures.milestone_stages(regencies, Milestone.objects.all())
    assert len(rows) == regencies.count()
    assert {code: row["milestone_stage"] for code, row in rows.items()} == stages
    assert rows[bartim.code]["milestone_stage"] == 2 and rows[mura.code]["milestone_stage"] == 0
    assert rows["62.01"]["in_programme"] is False and rows["62.01"]["milestone_stage"] is None
    layak = indicator_selectors.latest_verified("akses_layak", list(stages))
    assert layak == {bartim.code: Decimal("65.50")}
    assert rows[bartim.code]["indicator_akses_layak"] == "65.5"
    assert rows[mura.code]["indicator_akses_layak"] is None  # its actual is only submitted
    statuses = {
        (m.regency_id, m.definition.number): m.status_as_of
        for m in figures.with_state(figures.current_milestones(Milestone.objects.all()), datetime.date.today())
    }
    assert (rows[bartim.code]["m2_status"], rows[bartim.code]["m3_status"]) == ("verified", "not_started")
    assert all(rows[code][f"m{n}_status"] == status for (code, n), status in statuses.items())
    assert rows["62.01"]["m1_status"] is None
    assert rows[bartim.code]["households_served"] == 1234
    assert rows[bartim.code]["kecamatan_covered"] == 2
    assert rows[bartim.code]["kecamatan_entered"] == bartim.kecamatan.count()


def test_the_province_figures_are_the_rollups(client, demo_rows, bartim):
    rows = {row["code"]: row for row in rows_of(client, "open_data_provinsi_json")}
    regencies = Regency.objects.all()
    services = service_selectors.service_rollup(regencies, by_province=True)
    assert sorted(rows) == [p.code for p in services.provinces]
    for area in services.provinces:
        row = rows[area.code]
        assert (row["regencies"], row["regencies_with_service"], row["households_served"]) == (
            area.regencies,
            area.with_service,
            area.households,
        )
        assert (row["kecamatan_covered"], row["kecamatan_entered"]) == (area.covered, area.kecamatan)
    rollup = {r.province_code: r for r in indicator_selectors.national_rollup(regencies, "akses_layak")}
    assert rows["62"]["indicator_akses_layak_mean"] == "65.5" == format(rollup["62"].mean.normalize(), "f")
    assert rows["62"]["indicator_akses_layak_reporting"] == 1 == rollup["62"].reporting
    assert (rows["62"]["in_programme"], rows["62"]["stage_2"], rows["62"]["stage_0"]) == (2, 1, 1)
    assert rows["63"]["indicator_akses_layak_mean"] is None


def test_per_regency_coverage_sums_to_the_province_rollup(demo_rows, bartim, mura):
    sb.service(mura, covered=1, households=10)
    regencies = Regency.objects.all()
    coverage = service_selectors.coverage_by_regency(regencies)
    for area in service_selectors.service_rollup(regencies, by_province=True).provinces:
        mine = [c for code, c in coverage.items() if Regency.objects.get(code=code).province_id == area.code]
        assert sum(c.households for c in mine) == area.households
        assert sum(c.covered for c in mine) == area.covered
        assert sum(c.kecamatan for c in mine) == area.kecamatan


def test_the_csv_parses_with_a_header_and_a_decimal_point(client, demo_rows, bartim):
    rows = {row["code"]: row for row in rows_of(client, "open_data_kabkota_csv")}
    assert set(rows[bartim.code]) == REGENCY_FIELDS
    assert rows[bartim.code]["indicator_akses_layak"] == "65.5"
    assert rows[bartim.code]["in_programme"] == "true" and rows["62.01"]["in_programme"] == "false"
    assert rows["62.01"]["milestone_stage"] == ""
    provinces = {row["code"]: row for row in rows_of(client, "open_data_provinsi_csv")}
    assert provinces["62"]["indicator_akses_layak_mean"] == "65.5"


def test_no_personal_data_and_nothing_below_regency_level(client, demo_rows, bartim):
    document = client.get(reverse("open_data_kabkota_json")).json()
    assert set(document) == {"generated_at", "licence", "fields", "rows"}
    assert set(document["fields"]) == REGENCY_FIELDS
    assert all(set(row) == REGENCY_FIELDS for row in document["rows"])
    body = b"".join(client.get(reverse(name)).content for name in FILES).decode()
    for private in ["officer_bartim", "pokja_kalteng", "UPTD PALD", "Susenas", "@"]:
        assert private not in body
    for kecamatan in bartim.kecamatan.values_list("name", flat=True):
        assert kecamatan not in body
    provinces = client.get(reverse("open_data_provinsi_json")).json()
    assert set(provinces["fields"]) == set(provinces["rows"][0])


def test_switched_off_every_address_is_404(client, db, settings):
    settings.OPEN_DATA_ENABLED = False
    for name in ["open_data", *FILES]:
        assert client.get(reverse(name)).status_code == 404, name


def test_past_the_rate_the_answer_is_429(client, db, settings):
    settings.OPEN_DATA_RATE = "2/m"
    url = reverse("open_data_provinsi_json")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_answers_are_cached_briefly(client, demo_rows, bartim, officer_bartim, pokja_kalteng):
    url = reverse("open_data_kabkota_json")
    first = client.get(url).json()
    builders.approved(builders.milestone(bartim, 3), officer_bartim, pokja_kalteng, progress=100)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).json()
    assert again["rows"] == first["rows"] and not [q for q in queries if "milestone" in q["sql"].lower()]
    cache.clear()
    stages = {row["code"]: row["milestone_stage"] for row in client.get(url).json()["rows"]}
    assert stages[bartim.code] == 3


def _queries(client, name):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return len(queries)


def test_the_query_count_is_constant_at_two_sizes(client, demo_rows, kalsel):
    small = {name: _queries(client, name) for name in FILES}
    province = Province.objects.create(code="64", name="Kalimantan Timur")
    for n in range(1, 9):
        regency = Regency.objects.create(code=f"64.{n:02d}", province=province, name=f"Kabupaten {n}")
        builders.cohort(regency, 2022)
        sb.service(regency, covered=1, households=100 + n)
    large = {name: _queries(client, name) for name in FILES}
    assert large == small


def test_the_sign_in_page_links_to_the_open_data_while_it_is_on(client, db, settings):
    link = f'href="{reverse("open_data")}"'
    assert link in client.get(reverse("login")).content.decode()
    settings.OPEN_DATA_ENABLED = False
    assert link not in client.get(reverse("login")).content.decode()
