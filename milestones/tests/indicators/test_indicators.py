"""Outcome indicators: entry with its validation, the province's review (verify, return with a reason,
history), who may act, the latest verified value every page reads, the ranking, the roll-up, the charts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from milestones import charts
from milestones.models import IndicatorActual, IndicatorTarget, Milestone, RegencyIndicator, ReviewState
from milestones.selectors import indicators as selectors
from milestones.selectors import maps as map_selectors
from milestones.services import ActionRefused
from milestones.services import indicators as services
from milestones.tests import indicator_builders as ib
from regencies.models import Regency


@pytest.fixture
def bartim_ssk(bartim, officer_bartim):
    return ib.ssk(bartim, officer_bartim)


@pytest.fixture
def layak(bartim, bartim_ssk, officer_bartim):
    return ib.indicator(bartim, officer_bartim)


def test_the_four_indicators_are_seeded_as_data(db):
    codes = [d.code for d in selectors.definitions()]
    assert codes == ["akses_layak", "akses_aman", "odf", "sampah_tertangani"]
    assert all(d.unit == "%" and d.higher_is_better for d in selectors.definitions())


def test_submit_then_verify_counts_in_latest_verified(layak, officer_bartim, pokja_kalteng, bartim):
    actual = ib.actual(layak, officer_bartim, 2023, "65")
    assert actual.review_state == ReviewState.SUBMITTED
    assert selectors.latest_verified("akses_layak", [bartim.code]) == {}
    services.verify_actual(actual=actual, reviewer=pokja_kalteng)
    later = ib.actual(layak, officer_bartim, 2024, "71")
    assert selectors.latest_verified("akses_layak", [bartim.code]) == {bartim.code: Decimal("65.00")}
    services.verify_actual(actual=later, reviewer=pokja_kalteng)
    assert selectors.latest_verified("akses_layak", [bartim.code, "62.12"]) == {bartim.code: Decimal("71.00")}


def test_return_needs_a_reason_and_the_history_keeps_it(client_as, layak, officer_bartim):
    actual = ib.actual(layak, officer_bartim)
    with pytest.raises(ActionRefused):
        services.return_actual(actual=actual, reviewer=officer_bartim, reason=" ")
    client = client_as("pokja_kalteng")
    url = reverse("actual_decide", args=[actual.pk])
    refused = client.post(url, {"decision": "return", "comment": ""})
    assert refused.status_code == 400 and "Sebutkan alasan" in refused.content.decode()
    assert client.post(url, {"decision": "return", "comment": "Sumber data belum jelas."}).status_code == 302
    actual.refresh_from_db()
    assert actual.review_state == ReviewState.RETURNED and actual.return_reason == "Sumber data belum jelas."
    page = client_as("officer_bartim").get(reverse("actual_detail", args=[actual.pk])).content.decode()
    assert "Sumber data belum jelas." in page and 'data-step="returned"' in page and 'data-step="submitted"' in page


def test_a_returned_actual_is_corrected_and_submitted_again(client_as, layak, officer_bartim, pokja_kalteng):
    actual = ib.actual(layak, officer_bartim)
    services.return_actual(actual=actual, reviewer=pokja_kalteng, reason="Periksa lagi.")
    client = client_as("officer_bartim")
    response = client.post(
        reverse("actual_edit", args=[actual.pk]), {"year": "2023", "value": "66.5", "source": "EHRA", "submit": "1"}
    )
    assert response.status_code == 302
    actual.refresh_from_db()
    assert (actual.value, actual.review_state) == (Decimal("66.50"), ReviewState.SUBMITTED)


def test_the_officer_of_another_regency_gets_404(client_as, layak, officer_bartim):
    actual = ib.actual(layak, officer_bartim)
    client = client_as("officer_mura")
    assert client.get(reverse("actual_detail", args=[actual.pk])).status_code == 404
    assert client.post(reverse("actual_edit", args=[actual.pk]), {}).status_code == 404
    assert client.get(reverse("indicator_edit", args=["62.13", "akses_layak"])).status_code == 404


def test_the_balai_reads_but_cannot_write_or_decide(client_as, layak, officer_bartim):
    actual = ib.actual(layak, officer_bartim)
    client = client_as("balai_kalteng")
    assert client.get(reverse("actual_detail", args=[actual.pk])).status_code == 200
    assert client.get(reverse("indicator_edit", args=["62.13", "akses_layak"])).status_code == 403
    assert client.post(reverse("actual_decide", args=[actual.pk]), {"decision": "verify"}).status_code == 403
    assert client.post(reverse("actual_submit", args=[actual.pk])).status_code == 403
    actual.refresh_from_db()
    assert actual.review_state == ReviewState.SUBMITTED


def test_the_officer_cannot_verify_its_own_actual(client_as, layak, officer_bartim):
    actual = ib.actual(layak, officer_bartim)
    response = client_as("officer_bartim").post(reverse("actual_decide", args=[actual.pk]), {"decision": "verify"})
    assert response.status_code == 403


def test_baseline_and_targets_form_says_what_is_wrong_in_indonesian(client_as, bartim, bartim_ssk):
    client = client_as("officer_bartim")
    url = reverse("indicator_edit", args=[bartim.code, "akses_layak"])
    response = client.post(url, {"baseline_year": "2010", "baseline_value": "120", "target_2024": "-1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "di luar periode SSK" in page and "antara 0 dan 100" in page
    assert not RegencyIndicator.objects.exists() and not IndicatorTarget.objects.exists()
    ok = client.post(url, {"baseline_year": "2021", "baseline_value": "61.5", "target_2024": "70", "target_2026": "80"})
    assert ok.status_code == 302
    indicator = RegencyIndicator.objects.get()
    assert indicator.baseline_value == Decimal("61.50")
    assert dict(indicator.targets.values_list("year", "value")) == {2024: Decimal(70), 2026: Decimal(80)}


def test_a_target_outside_the_period_saves_nothing(bartim, bartim_ssk, officer_bartim):
    with pytest.raises(ActionRefused):
        ib.indicator(bartim, officer_bartim, targets={"2024": "70", "2030": "90"})
    assert not RegencyIndicator.objects.exists() and not IndicatorTarget.objects.exists()


def test_one_actual_per_year_and_values_in_range(client_as, layak, officer_bartim):
    ib.actual(layak, officer_bartim, 2023)
    client = client_as("officer_bartim")
    url = reverse("actual_create", args=["62.13", "akses_layak"])
    page = client.post(url, {"year": "2023", "value": "70", "source": "EHRA"}).content.decode()
    assert "sudah tercatat" in page
    page = client.post(url, {"year": "2019", "value": "101", "source": ""}).content.decode()
    assert "periode SSK" in page and "antara 0 dan 100" in page and "Sebutkan sumber" in page
    assert IndicatorActual.objects.count() == 1
    with pytest.raises(ActionRefused):
        ib.actual(layak, officer_bartim, 2023)


def test_without_an_ssk_nothing_can_be_entered(client_as, bartim, officer_bartim):
    with pytest.raises(ActionRefused):
        ib.indicator(bartim, officer_bartim)
    response = client_as("officer_bartim").get(reverse("indicator_edit", args=[bartim.code, "akses_layak"]))
    assert response.status_code == 302


def test_the_province_ranks_its_regencies_on_the_latest_verified_actual(
    kalteng, bartim, mura, layak, officer_bartim, officer_mura, pokja_kalteng, national
):
    ib.ssk(mura, officer_mura)
    mura_layak = ib.indicator(mura, officer_mura)
    services.verify_actual(actual=ib.actual(layak, officer_bartim, 2023, "55"), reviewer=pokja_kalteng)
    services.verify_actual(actual=ib.actual(mura_layak, officer_mura, 2023, "80"), reviewer=pokja_kalteng)
    definition = selectors.definition_or_404("akses_layak")
    rows = selectors.province_ranking(pokja_kalteng, kalteng, definition)
    assert [(r.rank, r.code, r.value) for r in rows] == [(1, "62.12", Decimal(80)), (2, "62.13", Decimal(55))]
    assert [r.code for r in selectors.province_ranking(officer_mura, kalteng, definition)] == ["62.12"]
    assert selectors.province_ranking(national, kalteng, None) == []
    rollup = {r.province_code: r for r in selectors.national_rollup(Regency.objects.all(), "akses_layak")}
    assert (rollup["62"].mean, rollup["62"].reporting, rollup["62"].regencies) == (Decimal("67.5"), 2, 14)
    assert (rollup["63"].mean, rollup["63"].reporting) == (None, 0)


def test_the_pages_show_the_charts_ranking_and_rollup(client_as, kalteng, bartim, layak, officer_bartim, pokja_kalteng):
    services.verify_actual(actual=ib.actual(layak, officer_bartim, 2023, "65"), reviewer=pokja_kalteng)
    page = client_as("officer_bartim").get(reverse("regency", args=[bartim.code])).content.decode()
    assert 'data-testid="indicator-charts"' in page and "<polyline" in page and "<svg" in page
    # The dashboards load the ranking and the roll-up from their own page when scrolled to (htmx), which
    # answers htmx with the sections alone and a plain request with a whole page.
    province = client_as("pokja_kalteng").get(reverse("province", args=["62"])).content.decode()
    outcomes = reverse("province_outcomes", args=["62"])
    assert f'hx-get="{outcomes}"' in province and f'href="{outcomes}"' in province
    ranking = client_as("pokja_kalteng").get(outcomes, headers={"HX-Request": "true"}).content.decode()
    assert 'data-testid="indicator-ranking"' in ranking and "65%" in ranking and "<html" not in ranking
    assert "<html" in client_as("pokja_kalteng").get(outcomes).content.decode()
    overview = client_as("national").get(reverse("national_overview")).content.decode()
    assert f'hx-get="{reverse("national_outcomes")}"' in overview
    rollup = client_as("national").get(reverse("national_outcomes"), headers={"HX-Request": "true"}).content.decode()
    assert 'data-testid="indicator-rollup"' in rollup and "65%" in rollup
    assert client_as("officer_bartim").get(reverse("regency_indicators", args=[bartim.code])).status_code == 200


def test_the_waiting_page_lists_submitted_actuals_in_scope(client_as, layak, officer_bartim):
    ib.actual(layak, officer_bartim)
    page = client_as("pokja_kalteng").get(reverse("waiting_actuals")).content.decode()
    assert 'data-testid="waiting-actuals"' in page and "Barito Timur" in page
    assert "Barito Timur" not in client_as("pokja_kalsel").get(reverse("waiting_actuals")).content.decode()
    assert client_as("officer_bartim").get(reverse("waiting_actuals")).status_code == 403


def test_the_trend_chart_draws_baseline_targets_and_actuals():
    svg = charts.indicator_trend_chart(
        title="Akses <layak>",
        years=[2022, 2023, 2024],
        baseline=(2021, 60.0),
        targets={2024: 70.0, 2023: 65.0},
        actuals={2022: 62.0, 2023: 66.0},
    )
    assert svg.startswith("<svg") and "Akses &lt;layak&gt;" in svg
    assert svg.count("<circle") == 4 and svg.count("<polyline") == 2 and "2021" in svg


def test_the_map_can_show_an_indicator(layak, officer_bartim, pokja_kalteng, bartim):
    services.verify_actual(actual=ib.actual(layak, officer_bartim, 2023, "65"), reviewer=pokja_kalteng)
    layer = map_selectors.layer_for("akses_layak")
    assert layer.key == "akses_layak"
    query = map_selectors.LayerQuery(
        regencies=Regency.objects.filter(code=bartim.code), milestones=Milestone.objects.none()
    )
    assert layer.regency_values(query)[bartim.code].key == "c2"  # 50–75


def test_reminders_name_waiting_and_returned_actuals(layak, officer_bartim, officer_mura, pokja_kalteng, pokja_kalsel):
    import datetime

    from milestones.selectors import reminders

    actual = ib.actual(layak, officer_bartim)
    today = datetime.date.today()
    waiting = [i for i in reminders.pending_items(pokja_kalteng, today) if i.rule == reminders.Rule.INDICATOR_WAITING]
    assert [i.obj.pk for i in waiting] == [actual.pk]
    assert waiting[0].get_absolute_url() == reverse("actual_detail", args=[actual.pk])
    assert not [i for i in reminders.pending_items(pokja_kalsel, today) if i.rule == reminders.Rule.INDICATOR_WAITING]
    services.return_actual(actual=actual, reviewer=pokja_kalteng, reason="Sumber?")
    returned = [
        i for i in reminders.pending_items(officer_bartim, today) if i.rule == reminders.Rule.INDICATOR_RETURNED
    ]
    assert [(i.obj.pk, i.reason) for i in returned] == [(actual.pk, "Sumber?")]
    assert not [i for i in reminders.pending_items(officer_mura, today) if i.rule == reminders.Rule.INDICATOR_RETURNED]


def test_the_tasks_page_shows_a_returned_actual(client_as, layak, officer_bartim, pokja_kalteng):
    actual = ib.actual(layak, officer_bartim)
    services.return_actual(actual=actual, reviewer=pokja_kalteng, reason="Sumber belum jelas.")
    page = client_as("officer_bartim").get(reverse("my_tasks")).content.decode()
    assert reverse("actual_detail", args=[actual.pk]) in page and "Sumber belum jelas." in page
    waiting = client_as("pokja_kalteng").get(reverse("my_tasks")).content.decode()
    assert reverse("actual_detail", args=[actual.pk]) not in waiting  # returned: nothing waits
