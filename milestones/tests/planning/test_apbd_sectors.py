"""The APBD commitment across the four sectors CC6's third follow-up names (housing, settlements, drinking
water, sanitation): what the form, the service and the database refuse, and what the summary shows."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from milestones.models import RegionalBudget
from milestones.selectors.planning import apbd_shares
from milestones.services import ActionRefused
from milestones.services.planning import RegionalBudgetInput, save_regional_budgets
from milestones.tests.planning.test_activities import formset_data

D = Decimal
TOTAL = D("1000000000000")


def row(**sectors):
    return {"year": 2024, "total_apbd": "1.000.000.000.000", **sectors}


def post(client, rows):
    return client.post(reverse("regional_budgets", args=["62.13"]), formset_data("apbd", rows))


def test_the_four_sector_totals_are_saved_next_to_the_apbd_total(client_as, bartim):
    sectors = {"housing": "50.000.000.000", "settlements": "30.000.000.000", "sanitation": "20.000.000.000"}
    assert post(client_as("officer_bartim"), [row(**sectors)]).status_code == 302
    saved = RegionalBudget.objects.get(regency=bartim)
    assert (saved.housing, saved.settlements, saved.sanitation) == (D("5e10"), D("3e10"), D("2e10"))
    assert saved.drinking_water is None  # not entered is unknown, not zero


def test_sectors_above_the_total_are_refused_with_a_message_and_nothing_saved(client_as, bartim):
    response = post(client_as("pokja_kalteng"), [row(housing="600.000.000.000", sanitation="500.000.000.000")])
    assert response.status_code == 200
    form = response.context["formset"].forms[0]
    assert form.has_error("__all__", code="sectors_exceed")
    assert "melebihi" in response.content.decode()  # the message in Indonesian
    assert not RegionalBudget.objects.exists()


def test_a_negative_sector_is_refused_on_its_field(client_as, bartim):
    response = post(client_as("pokja_kalteng"), [row(drinking_water="-1")])
    assert response.context["formset"].forms[0].has_error("drinking_water")
    assert not RegionalBudget.objects.exists()


@pytest.mark.parametrize(
    ("sectors", "message"),
    [
        ({"housing": D(-1)}, "negatif"),
        ({"housing": TOTAL, "sanitation": D(1)}, "melebihi"),
    ],
)
def test_the_service_refuses_what_the_form_refuses(bartim, sectors, message):
    with pytest.raises(ActionRefused, match=message):
        save_regional_budgets(regency=bartim, actor=None, entries=[RegionalBudgetInput(2024, TOTAL, sectors=sectors)])
    assert not RegionalBudget.objects.exists()


def test_the_database_refuses_a_negative_sector(bartim):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionalBudget.objects.create(regency=bartim, year=2024, total_apbd=TOTAL, settlements=D(-5))


def test_each_sector_share_is_of_the_total_apbd(bartim):
    sectors = {"housing": D("25000000000"), "sanitation": D("12345678900")}
    save_regional_budgets(regency=bartim, actor=None, entries=[RegionalBudgetInput(2024, TOTAL, sectors=sectors)])
    (year,) = apbd_shares(bartim)
    unknown = (None, None)
    assert year.sector_shares == [(D("25000000000"), D("2.50")), unknown, unknown, (D("12345678900"), D("1.23"))]


def test_the_summary_shows_the_sectors_with_their_share(client_as, bartim):
    sectors = {"drinking_water": D("40000000000")}
    save_regional_budgets(regency=bartim, actor=None, entries=[RegionalBudgetInput(2024, TOTAL, sectors=sectors)])
    html = client_as("balai_kalteng").get(reverse("activities", args=["62.13"])).content.decode()
    cells = html.split('data-testid="apbd-sector">')[1:5]
    assert "40.000.000.000" in cells[2] and "4,00" in cells[2]
    assert all("–" in cell.split("</td>")[0] for cell in (cells[0], cells[1], cells[3]))
