"""The summaries: integration into planning documents, budget by funding source, the APBD share.

Money is Decimal from the database to the page; the sums are exact and the page's query count does
not grow with the number of activities, rows and years.
"""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import RegionalBudget
from milestones.selectors.planning import apbd_shares, budget_by_source, integration_shares
from milestones.services.planning import BudgetLineInput, IntegrationInput, save_activity
from milestones.tests.shared_rows import rolled_back
from regencies.models import Regency

D = Decimal


def activity(regency, code, integrations=(), budget_lines=(), year_start=2023, year_end=2026):
    return save_activity(
        regency=regency,
        actor=None,
        code=code,
        subsector="wastewater",
        name=f"Kegiatan {code}",
        agency="Dinas PUPR",
        year_start=year_start,
        year_end=year_end,
        integrations=[IntegrationInput(*row) for row in integrations],
        budget_lines=[BudgetLineInput(*row) for row in budget_lines],
    )


def test_eight_of_ten_activities_in_the_rpjmd_is_80_percent(bartim):
    for n in range(10):
        rows = [("rpjmd", 2023, n < 8), ("rkpd", 2024, n < 3), ("rkpd", 2025, n < 5)]
        activity(bartim, f"AL-{n:02d}", integrations=rows)
    shares = {share.document: share for share in integration_shares(bartim)}
    assert (shares["rpjmd"].integrated, shares["rpjmd"].total, shares["rpjmd"].percent) == (8, 10, D(80))
    assert (shares["rkpd"].integrated, shares["rkpd"].percent) == (5, D(50))  # in 2024 or 2025
    assert (shares["renja_pd"].integrated, shares["renja_pd"].percent) == (0, D(0))


def test_a_year_counts_only_that_years_rows_and_running_activities(bartim):
    activity(bartim, "AL-01", integrations=[("rkpd", 2024, True)])
    activity(bartim, "AL-02", integrations=[("rkpd", 2025, True)])
    activity(bartim, "AL-03", year_start=2025, year_end=2026)
    rkpd = {s.document: s for s in integration_shares(bartim, 2024)}["rkpd"]
    assert (rkpd.integrated, rkpd.total) == (1, 2)


def test_another_regencys_activities_do_not_count(bartim, mura):
    activity(bartim, "AL-01", integrations=[("rpjmd", 2023, True)])
    activity(mura, "AL-01", integrations=[("rpjmd", 2023, False)], budget_lines=[(2024, "dak", D(5), D(5), D(5))])
    assert integration_shares(bartim)[0].percent == D(100)
    assert budget_by_source(bartim).is_empty


def test_budget_sums_are_exact_decimals(bartim):
    # 0.10 + 0.20 is 0.30000000000000004 in floating point; here it must be 0.30 exactly.
    for n in range(10):
        activity(bartim, f"AL-{n:02d}", budget_lines=[(2024, "apbd_regency", D("0.10"), D("0.20"), D("0.10"))])
    activity(bartim, "BIG", budget_lines=[(2024, "dak", D("123456789012.34"), D("98765432109.87"), D("0.01"))])

    table = budget_by_source(bartim)
    own = next(row for row in table.rows if row.source == "apbd_regency")
    assert (own.indicative, own.allocated, own.realised) == (D("1.00"), D("2.00"), D("1.00"))
    assert table.total.indicative == D("123456789013.34")
    assert table.total.allocated == D("98765432111.87")
    assert table.total.realised == D("1.01")
    assert all(isinstance(value, Decimal) for value in (table.total.indicative, own.allocated))
    assert own.realisation == D("50.0") and own.coverage == D("200.0")


def test_every_funding_source_has_a_row_in_order(bartim):
    activity(bartim, "AL-01", budget_lines=[(2024, "community", D(1), D(2), D(3))])
    table = budget_by_source(bartim)
    assert [row.source for row in table.rows] == [
        "apbd_regency",
        "apbd_province",
        "apbn",
        "dak",
        "dana_desa",
        "private",
        "community",
    ]
    assert table.rows[-1].realisation == D("150.0")
    assert table.rows[0].realisation is None  # nothing allocated: no rate


def test_the_apbd_share_is_allocated_budget_over_the_total_apbd(bartim):
    activity(
        bartim,
        "AL-01",
        budget_lines=[
            (2024, "apbd_regency", D(0), D("30000000000"), D(0)),
            (2024, "dak", D(0), D("15000000000"), D(0)),
            (2025, "apbd_regency", D(0), D("1000"), D(0)),
        ],
    )
    RegionalBudget.objects.create(regency=bartim, year=2024, total_apbd=D("1500000000000"))
    RegionalBudget.objects.create(regency=bartim, year=2023, total_apbd=D("1400000000000"))

    years = {row.year: row for row in apbd_shares(bartim)}

    assert (years[2024].allocated, years[2024].share, years[2024].share_own) == (D("45000000000"), D("3.00"), D("2.00"))
    assert (years[2023].allocated, years[2023].share) == (D(0), D("0.00"))
    assert (years[2025].total_apbd, years[2025].share) == (None, None)  # no APBD total entered


def test_the_page_shows_the_shares_the_money_and_the_apbd_share(client_as, bartim):
    for n in range(10):
        activity(bartim, f"AL-{n:02d}", integrations=[("rpjmd", 2023, n < 8)])
    activity(bartim, "ZZ-01", budget_lines=[(2024, "apbd_regency", D("2000000"), D("1234567"), D("1000000"))])
    RegionalBudget.objects.create(regency=bartim, year=2024, total_apbd=D("123456700"))
    html = client_as("balai_kalteng").get(reverse("activities", args=["62.13"])).content.decode()
    assert "73%" in html  # 8 of 11 activities in the RPJMD
    assert "Rp 1.234.567" in html and "Rp 2.000.000" in html
    assert "81,0%" in html  # realised 1.000.000 of 1.234.567
    assert "1,00%" in html  # 1.234.567 of an APBD of 123.456.700


def test_the_regency_page_has_the_section(client_as, bartim):
    activity(bartim, "AL-01", integrations=[("rpjmd", 2023, True)], budget_lines=[(2024, "dak", D(5), D(4), D(2))])
    html = client_as("national").get(reverse("regency", args=["62.13"])).content.decode()
    assert 'id="ssk-activities"' in html and reverse("activities", args=["62.13"]) in html
    # A glance: the budget's totals; the activities and their shares are on the activities page.
    assert 'data-testid="share-rpjmd"' not in html
    assert "Teralokasi Rp 4 dari Rp 5" in html and "terealisasi Rp 2 (50,0% dari alokasi)" in html
    assert reverse("activities_upload", args=["62.13"]) not in html  # a reader gets no upload button


def test_editors_get_the_upload_button_on_the_regency_page(client_as, bartim):
    html = client_as("officer_bartim").get(reverse("regency", args=["62.13"])).content.decode()
    assert reverse("activities_upload", args=["62.13"]) in html


def add_rows(regency, first, count):
    for n in range(first, first + count):
        activity(
            regency,
            f"AL-{n:02d}",
            integrations=[(document, 2024, n % 2 == 0) for document in ("rpjmd", "rkpd", "renstra_pd", "renja_pd")],
            budget_lines=[(year, source, D(n), D(n), D(n)) for year in (2024, 2025) for source in ("dak", "apbn")],
        )
    for year in range(2020 + first, 2020 + first + count):
        RegionalBudget.objects.create(regency=regency, year=year, total_apbd=D("1000000000"))


QUERY_COUNT_PAGES = ["activities", "activities?tahun=2024", "regency"]


def page_url(page: str) -> str:
    name, _, query = page.partition("?")
    return reverse(name, args=["62.13"]) + (f"?{query}" if query else "")


@pytest.fixture(scope="class")
def queries_before(module_db, django_db_blocker) -> Iterator[dict[str, int]]:
    """One activity with its rows and one APBD year: the queries the Pokja's first request of each page
    makes (at most 100). Then six more of each, built once for every page's test."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            bartim = Regency.objects.get(code="62.13")
            pokja_kalteng = get_user_model().objects.get(username="pokja_kalteng")
            add_rows(bartim, 1, 1)
            before = {}
            for page in QUERY_COUNT_PAGES:
                client = Client()
                client.force_login(pokja_kalteng)
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(page_url(page)).status_code == 200
                assert len(queries) <= 100, "\n".join(q["sql"] for q in queries.captured_queries)
                before[page] = len(queries)
            add_rows(bartim, 2, 6)
        yield before


class TestTheQueryCount:
    @pytest.mark.parametrize("page", QUERY_COUNT_PAGES)
    def test_the_query_count_does_not_grow_with_rows(
        self, client_as, bartim, queries_before, page, django_assert_num_queries
    ):
        client = client_as("pokja_kalteng")
        with django_assert_num_queries(queries_before[page]):
            response = client.get(page_url(page))
        assert response.status_code == 200
        if page.startswith("activities"):
            assert response.content.decode().count('data-testid="activity"') == 7
