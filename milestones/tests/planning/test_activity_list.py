"""The activities page's list: one table row per activity with the documents that include it and its totals."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import RegionalBudget
from milestones.selectors import planning as planning_selectors
from milestones.selectors.planning import (
    activity_page,
    activity_rows,
    apbd_shares,
    listed_activities,
    planning_rows,
    regency_activities,
    regency_years,
    years_of,
)
from milestones.tests.planning.test_activities import activity_data
from milestones.tests.planning.test_budget_summary import activity
from milestones.views import planning as planning_views

D = Decimal


def listed(regency, year=None):
    return {row.code: row for row in regency_activities(regency, year)}


def test_each_activity_has_its_documents_and_its_totals_over_every_line(bartim, mura):
    activity(
        bartim,
        "AL-01",
        integrations=[("rpjmd", 2024, True), ("rkpd", 2024, False), ("renja_pd", 2025, True)],
        budget_lines=[(2024, "dak", D("10.50"), D(8), D(4)), (2025, "apbn", D(1), D(2), D(3))],
    )
    activity(bartim, "AL-02")
    activity(mura, "AL-01", budget_lines=[(2024, "dak", D(99), D(99), D(99))])  # another regency's line

    rows = listed(bartim)
    assert rows["AL-01"].documents == [True, False, False, True]  # RPJMD, RKPD, Renstra-PD, Renja-PD
    assert (rows["AL-01"].indicative_total, rows["AL-01"].allocated_total, rows["AL-01"].realised_total) == (
        D("11.50"),
        D(10),
        D(7),
    )
    assert rows["AL-02"].documents == [False] * 4
    assert (rows["AL-02"].indicative_total, rows["AL-02"].allocated_total) == (D(0), D(0))


def test_a_year_keeps_the_running_activities_and_that_years_rows(bartim):
    activity(
        bartim,
        "AL-01",
        integrations=[("rpjmd", 2024, True), ("rkpd", 2025, True)],
        budget_lines=[(2024, "dak", D(10), D(8), D(4)), (2025, "apbn", D(1), D(2), D(3))],
    )
    activity(bartim, "AL-02", year_start=2023, year_end=2024)

    rows = listed(bartim, 2025)
    assert list(rows) == ["AL-01"]  # AL-02 ended in 2024
    assert rows["AL-01"].documents == [False, True, False, False]
    assert (rows["AL-01"].indicative_total, rows["AL-01"].allocated_total, rows["AL-01"].realised_total) == (
        D(1),
        D(2),
        D(3),
    )


def test_the_details_line_names_the_subsector_agency_and_years(bartim):
    activity(bartim, "AL-01")
    row = regency_activities(bartim)[0]
    assert row.details == "Air limbah domestik · Dinas PUPR · 2023–2026"  # in the active language


def test_the_page_shows_one_row_per_activity_with_marks_and_money(client_as, bartim):
    made = activity(
        bartim, "AL-01", integrations=[("rkpd", 2024, True)], budget_lines=[(2024, "dak", D(5), D(4), D(2))]
    )
    activity(bartim, "AL-02")
    html = client_as("officer_bartim").get(reverse("activities", args=["62.13"])).content.decode()
    assert html.count('data-testid="activity"') == 2
    row = html[html.index(f'id="kegiatan-{made.pk}"') :]
    row = row[: row.index("</tr>")]
    assert row.count("<td>✓</td>") == 1 and row.count('<td><span class="text-muted">–</span></td>') == 3
    assert "Rp 5" in row and "Rp 4" in row and "Rp 2" in row
    assert reverse("activity_edit", args=[made.pk]) in row
    assert "Air limbah domestik" in row  # the subsector, in Indonesian


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr(planning_selectors, "ACTIVITIES_PER_PAGE", 2)
    monkeypatch.setattr(planning_views, "ACTIVITIES_PER_PAGE", 2)


def test_the_list_is_paged_and_each_page_costs_the_same_queries(client_as, bartim, two_per_page):
    for code in ("AL-01", "AL-02", "AL-03"):
        activity(bartim, code, integrations=[("rpjmd", 2024, True)], budget_lines=[(2024, "dak", D(1), D(1), D(1))])
    client = client_as("officer_bartim")
    url = reverse("activities", args=["62.13"])
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(url + "?page=2").content.decode()
    assert first.count('data-testid="activity"') == 2 and "AL-03" not in first
    assert second.count('data-testid="activity"') == 1 and "AL-03" in second
    assert "Halaman 1 dari 2" in first
    assert len(first_queries) == len(second_queries)
    assert "Rp 3" in second  # the summary above the list still counts every activity


def test_a_save_returns_to_the_page_that_shows_the_activity(client_as, bartim, two_per_page):
    activity(bartim, "AL-01")
    activity(bartim, "AL-02")
    third = activity(bartim, "AL-03")
    assert activity_page(third) == 2
    client = client_as("officer_bartim")
    edit = reverse("activity_edit", args=[third.pk])
    response = client.submit(edit, activity_data(code="AL-03"))
    assert response.status_code == 302
    assert response.url == reverse("activities", args=["62.13"]) + f"?page=2#kegiatan-{third.pk}"


def test_the_years_from_the_apbd_rows_are_the_years_of_the_one_query(bartim):
    activity(bartim, "AL-01", integrations=[("rpjmd", 2022, True)], budget_lines=[(2024, "dak", D(1), D(1), D(1))])
    RegionalBudget.objects.create(regency=bartim, year=2027, total_apbd=D(10))
    assert years_of(apbd_shares(bartim), planning_rows(bartim)) == regency_years(bartim) == [2022, 2024, 2027]


def test_the_marks_from_the_planning_rows_are_the_marks_of_the_one_query(bartim):
    activity(bartim, "AL-01", integrations=[("rpjmd", 2024, True), ("rkpd", 2025, True), ("renja_pd", 2025, False)])
    activity(bartim, "AL-02", integrations=[("rkpd", 2024, True)])
    for year in (None, 2024, 2025):
        rows = activity_rows(bartim, year)
        assert listed_activities(rows, year, included=planning_rows(bartim).included(year)) == listed_activities(
            rows, year
        )
