"""More reads of the REST API (issue 14): a milestone's updates with their history and files' metadata, a
regency's outcome indicators, services, activities and
NAWASIS entries."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.pagination import PageNumberPagination

from milestones.services import nawasis as nawasis_services
from milestones.services.planning import BudgetLineInput, IntegrationInput, save_activity
from milestones.tests import builders, indicator_builders, service_builders
from ssk_tracker.tests.api_clients import client_for, token_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]


def test_a_milestones_updates_with_history_and_file_metadata(officer_key, officer_bartim, pokja_kalteng, bartim):
    milestone = builders.milestone(bartim, 1)
    older = builders.approved(milestone, officer_bartim, pokja_kalteng, progress=40)
    builders.returned(
        milestone,
        officer_bartim,
        pokja_kalteng,
        reason="Lampirkan SK UPTD.",
        progress=70,
        files=[builders.pdf("sk.pdf")],
    )
    response = token_client(officer_key).get(reverse("api_milestone_updates", args=[milestone.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    newest, oldest = body["results"]
    assert (newest["status"], newest["progress"], newest["milestone"]) == ("returned", 70, milestone.pk)
    assert [entry["action"] for entry in newest["history"]] == ["created", "submitted", "returned"]
    assert newest["history"][-1]["comment"] == "Lampirkan SK UPTD."
    assert newest["history"][-1]["actor"]
    assert (oldest["id"], oldest["status"]) == (older.pk, "approved")
    assert [entry["action"] for entry in oldest["history"]] == ["created", "submitted", "approved"]
    assert oldest["evidence"] == []
    (item,) = newest["evidence"]
    assert (item["name"], item["size"], item["content_type"]) == ("sk.pdf", len(builders.PDF_BYTES), "application/pdf")
    assert item["uploaded_at"]
    assert item["download_url"] == f"http://testserver{reverse('evidence_download', args=[item['id']])}"
    assert set(item) == {"id", "name", "size", "content_type", "uploaded_at", "download_url"}  # no file content


def test_the_download_url_is_the_scope_checked_download(officer_key, officer_bartim, officer_mura, bartim):
    milestone = builders.milestone(bartim, 1)
    builders.draft(milestone, officer_bartim, files=[builders.pdf()])
    body = token_client(officer_key).get(reverse("api_milestone_updates", args=[milestone.pk])).json()
    url = body["results"][0]["evidence"][0]["download_url"].removeprefix("http://testserver")
    own, other = Client(), Client()
    own.force_login(officer_bartim)
    other.force_login(officer_mura)
    assert own.get(url).status_code == 200
    assert other.get(url).status_code == 404


@pytest.mark.parametrize(
    "name", ["api_regency_indicators", "api_regency_services", "api_regency_activities", "api_regency_nawasis"]
)
def test_another_regencys_lists_are_404(name, officer_mura, bartim):
    response = client_for(officer_mura).get(reverse(name, args=["62.13"]))
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_another_regencys_milestone_updates_are_404(officer_bartim, officer_mura, bartim):
    milestone = builders.milestone(bartim, 1)
    builders.draft(milestone, officer_bartim)
    response = client_for(officer_mura).get(reverse("api_milestone_updates", args=[milestone.pk]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client_for(officer_mura).get(reverse("api_milestone_updates", args=[999999])).status_code == 404


@pytest.mark.parametrize("updates", [1, 6])
def test_the_updates_cost_the_same_queries_for_few_or_many(
    updates, officer_key, officer_bartim, pokja_kalteng, bartim, django_assert_max_num_queries
):
    milestone = builders.milestone(bartim, 1)
    for number in range(1, updates):
        builders.approved(milestone, officer_bartim, pokja_kalteng, progress=10 * number)
    builders.draft(milestone, officer_bartim, files=[builders.pdf("a.pdf"), builders.pdf("b.pdf", b"%PDF-1.4 b")])
    # one query more than before the writes: the ids of the required evidence each update says it provides
    with django_assert_max_num_queries(10):
        response = token_client(officer_key).get(reverse("api_milestone_updates", args=[milestone.pk]))
    assert response.json()["count"] == updates


def test_the_updates_are_paginated(officer_key, officer_bartim, pokja_kalteng, bartim, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    milestone = builders.milestone(bartim, 1)
    for number in range(1, 4):
        builders.approved(milestone, officer_bartim, pokja_kalteng, progress=10 * number)
    client = token_client(officer_key)
    first = client.get(reverse("api_milestone_updates", args=[milestone.pk])).json()
    assert (first["count"], len(first["results"])) == (3, 2)
    assert first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1


def test_the_schema_describes_the_updates_in_indonesian(client, officer_bartim):
    client.force_login(officer_bartim)
    schema = client.get(reverse("api_schema"), {"format": "json"}).json()
    assert "/api/v1/milestones/{pk}/updates/" in schema["paths"]
    evidence = schema["components"]["schemas"]["Evidence"]["properties"]
    assert evidence["size"]["description"] == "Ukuran berkas dalam bita."
    assert {"/api/v1/regencies/{code}/indicators/", "/api/v1/regencies/{code}/services/"} <= set(schema["paths"])
    service = schema["components"]["schemas"]["ServiceCoverage"]["properties"]
    assert service["kecamatan_total"]["description"] == "Seluruh kecamatan kabupaten/kota (N)."
    indicator = schema["components"]["schemas"]["RegencyIndicator"]["properties"]
    assert indicator["baseline_source"]["description"] == "Sumber baseline."
    activity = schema["components"]["schemas"]["Activity"]["properties"]
    assert activity["planning"]["description"] == "Baris dokumen perencanaan, per tahun."


def test_a_regencys_indicators_with_baseline_targets_and_actuals(officer_key, officer_bartim, bartim):
    indicator_builders.ssk(bartim, officer_bartim)
    indicator = indicator_builders.indicator(bartim, officer_bartim, targets={"2024": "70", "2026": "80"})
    indicator_builders.actual(indicator, officer_bartim, year=2023, value="65", source="Susenas 2023")
    response = token_client(officer_key).get(reverse("api_regency_indicators", args=["62.13"]))
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    row = rows["akses_layak"]
    assert (row["baseline_year"], row["baseline_value"]) == (2021, "60.00")
    assert row["targets"] == [{"year": 2024, "value": "70.00"}, {"year": 2026, "value": "80.00"}]
    (actual,) = row["actuals"]
    assert (actual["year"], actual["value"], actual["source"], actual["review_state"]) == (
        2023,
        "65.00",
        "Susenas 2023",
        "submitted",
    )
    assert row["name"] and row["unit"] == "%"
    not_entered = next(r for code, r in rows.items() if code != "akses_layak")
    assert (not_entered["baseline_value"], not_entered["targets"], not_entered["actuals"]) == (None, [], [])


def test_the_indicators_cost_the_same_queries_with_actuals(
    officer_key, officer_bartim, bartim, django_assert_max_num_queries
):
    indicator_builders.ssk(bartim, officer_bartim)
    indicator = indicator_builders.indicator(bartim, officer_bartim)
    for year in (2022, 2023, 2024):
        indicator_builders.actual(indicator, officer_bartim, year=year)
    with django_assert_max_num_queries(9):
        response = token_client(officer_key).get(reverse("api_regency_indicators", args=["62.13"]))
    rows = {row["code"]: row for row in response.json()}
    assert [actual["year"] for actual in rows["akses_layak"]["actuals"]] == [2022, 2023, 2024]


def test_a_regencys_services_with_coverage_and_full_scale(officer_key, bartim):
    service_builders.kecamatan(bartim)
    service_builders.service(bartim, covered=4, households=5000)
    service_builders.threshold(bartim, percent=80, households=4000)
    service_builders.threshold(bartim, percent=50, kind="solid_waste")
    response = token_client(officer_key).get(reverse("api_regency_services", args=["62.13"]))
    assert response.status_code == 200
    rows = {row["kind"]: row for row in response.json()}
    lltt = rows["lltt"]
    assert (lltt["recorded"], lltt["operator_kind"], lltt["operator_name"]) == (True, "uptd", "UPTD PALD")
    assert (lltt["households"], lltt["volume_per_year"], lltt["service_model"]) == (
        5000,
        "500.0",
        "LLTT terjadwal, IPLT",
    )
    assert (lltt["kecamatan_covered"], lltt["kecamatan_total"]) == (4, 5)
    assert (lltt["threshold_kecamatan_percent"], lltt["threshold_households"]) == (80, 4000)
    assert lltt["full_scale_reached"] is True  # 4 of 5 = 80 %, 5,000 ≥ 4,000
    waste = rows["solid_waste"]  # a full scale set, no record
    assert (waste["recorded"], waste["service_model"], waste["households"], waste["full_scale_reached"]) == (
        False,
        None,
        0,
        False,
    )
    assert set(rows) == {"lltt", "solid_waste"}


def test_no_service_is_an_empty_list(officer_key, bartim):
    assert token_client(officer_key).get(reverse("api_regency_services", args=["62.13"])).json() == []


@pytest.mark.parametrize("kinds", [("lltt",), ("lltt", "spald_t", "solid_waste")])
def test_the_services_cost_the_same_queries_for_few_or_many(kinds, officer_key, bartim, django_assert_max_num_queries):
    service_builders.kecamatan(bartim)
    for kind in kinds:
        service_builders.service(bartim, kind=kind)
        service_builders.threshold(bartim, kind=kind)
    with django_assert_max_num_queries(9):
        response = token_client(officer_key).get(reverse("api_regency_services", args=["62.13"]))
    assert len(response.json()) == len(kinds)


def activity(regency, code, integrations=(), budget_lines=()):
    return save_activity(
        regency=regency,
        actor=None,
        code=code,
        subsector="wastewater",
        name=f"Kegiatan {code}",
        agency="Dinas PUPR",
        year_start=2023,
        year_end=2026,
        integrations=[IntegrationInput(*row) for row in integrations],
        budget_lines=[BudgetLineInput(*row) for row in budget_lines],
    )


def test_a_regencys_activities_with_planning_rows_and_budget_lines(officer_key, bartim):
    activity(
        bartim,
        "AL-01",
        integrations=[("rkpd", 2024, True, "Pembangunan IPLT", Decimal("1500000000")), ("rpjmd", 2023, False)],
        budget_lines=[(2024, "apbd_regency", Decimal("2000000000"), Decimal("1500000000"), Decimal("1000000000"))],
    )
    activity(bartim, "AL-02")
    response = token_client(officer_key).get(reverse("api_regency_activities", args=["62.13"]))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert (first["code"], first["regency"], first["subsector"], first["agency"]) == (
        "AL-01",
        "62.13",
        "wastewater",
        "Dinas PUPR",
    )
    assert first["planning"] == [
        {"document": "rpjmd", "year": 2023, "included": False, "nomenclature": "", "amount": None},
        {
            "document": "rkpd",
            "year": 2024,
            "included": True,
            "nomenclature": "Pembangunan IPLT",
            "amount": "1500000000.00",
        },
    ]
    assert first["budget_lines"] == [
        {
            "year": 2024,
            "source": "apbd_regency",
            "indicative": "2000000000.00",
            "allocated": "1500000000.00",
            "realised": "1000000000.00",
        }
    ]
    assert (second["code"], second["planning"], second["budget_lines"]) == ("AL-02", [], [])


@pytest.mark.parametrize("count", [1, 8])
def test_the_activities_cost_the_same_queries_for_few_or_many(
    count, officer_key, bartim, django_assert_max_num_queries
):
    for n in range(count):
        activity(bartim, f"AL-{n:02d}", integrations=[("rkpd", 2024, True)], budget_lines=[(2024, "apbd_regency")])
    with django_assert_max_num_queries(9):
        response = token_client(officer_key).get(reverse("api_regency_activities", args=["62.13"]))
    assert response.json()["count"] == count


def test_the_activities_are_paginated(officer_key, bartim, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    for n in range(3):
        activity(bartim, f"AL-{n:02d}")
    body = token_client(officer_key).get(reverse("api_regency_activities", args=["62.13"])).json()
    assert (body["count"], [row["code"] for row in body["results"]]) == (3, ["AL-00", "AL-01"])


def nawasis(regency, user, module="ssk", day=1, completeness="60"):
    return nawasis_services.record_submission(
        regency=regency,
        actor=user,
        module=module,
        submitted_on=datetime.date(2024, 5, day),
        completeness=Decimal(completeness),
        notes="Diisi operator",
    )


def test_a_regencys_nawasis_entries_newest_first(officer_key, officer_bartim, pokja_kalteng, bartim):
    older = nawasis(bartim, officer_bartim, day=1, completeness="40")
    newer = nawasis(bartim, officer_bartim, module="wastewater", day=9, completeness="72.5")
    nawasis_services.verify_submission(submission=older, actor=pokja_kalteng)
    response = token_client(officer_key).get(reverse("api_regency_nawasis", args=["62.13"]))
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
    first, second = body["results"]
    assert (first["module"], first["submitted_on"], first["completeness"], first["regency"]) == (
        "wastewater",
        "2024-05-09",
        "72.50",
        "62.13",
    )
    assert (first["verified_at"], first["verified_by"], first["notes"]) == (None, None, "Diisi operator")
    assert first["recorded_by"]
    assert second["verified_at"] and second["verified_by"]


@pytest.mark.parametrize("count", [1, 7])
def test_the_nawasis_entries_cost_the_same_queries_for_few_or_many(
    count, officer_key, officer_bartim, pokja_kalteng, bartim, django_assert_max_num_queries
):
    for n in range(count):
        entry = nawasis(bartim, officer_bartim, day=n + 1)
        nawasis_services.verify_submission(submission=entry, actor=pokja_kalteng)
    with django_assert_max_num_queries(8):
        response = token_client(officer_key).get(reverse("api_regency_nawasis", args=["62.13"]))
    assert response.json()["count"] == count
