"""The report forms' region selects: one loop over plain choices, regencies grouped by province."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regencies.models import Regency
from reports.forms import ReportRequestForm
from reports.models import ReportJob


def select(html: str, name: str) -> str:
    found = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert found, name
    return found.group(0)


def test_a_nation_wide_user_picks_a_regency_under_its_province(client_as, kalteng, kalsel):
    html = client_as("national").get(reverse("reports")).content.decode()
    regencies = select(html, "regency")
    assert regencies.count("<optgroup") == 2  # Kalimantan Selatan, Kalimantan Tengah
    kalteng_group = re.search(r'<optgroup label="Kalimantan Tengah">(.*?)</optgroup>', regencies).group(1)
    assert '<option value="62.13">Kabupaten Barito Timur</option>' in kalteng_group
    assert "63.01" not in kalteng_group
    assert regencies.count("<option") == Regency.objects.count() + 1  # and "— pilih —"
    assert re.search(r'<label\s+for="id_regency"', html)  # the label still names the select


def test_a_provincial_coordinator_gets_their_regencies_without_groups(client_as, kalteng, kalsel):
    html = client_as("coordinator_kalteng").get(reverse("reports")).content.decode()
    regencies = select(html, "regency")
    assert "<optgroup" not in regencies and "63.01" not in regencies
    assert '<option value="62.13">Kabupaten Barito Timur</option>' in regencies
    assert '<option value="62" selected>Kalimantan Tengah</option>' in select(html, "province")


def test_a_refused_request_keeps_the_chosen_regency_selected(client_as, kalteng):
    response = client_as("coordinator_kalteng").post(
        reverse("reports"),
        {
            "audience": "regency",
            "regency": "62.13",
            "period_start": "2023-12-31",
            "period_end": "2023-01-01",
            "language": "id",
        },
    )
    assert response.status_code == 200 and not ReportJob.objects.exists()
    assert '<option value="62.13" selected>' in select(response.content.decode(), "regency")


def test_a_region_outside_the_queryset_is_refused(coordinator_kalteng, kalsel):
    form = ReportRequestForm(
        {
            "audience": "regency",
            "regency": "63.01",
            "period_start": "2023-01-01",
            "period_end": "2023-12-31",
            "language": "id",
        },
        user=coordinator_kalteng,
    )
    assert not form.is_valid() and "regency" in form.errors
    form = ReportRequestForm(
        {
            "audience": "regency",
            "regency": "62.13",
            "period_start": "2023-01-01",
            "period_end": "2023-12-31",
            "language": "id",
        },
        user=coordinator_kalteng,
    )
    assert form.is_valid() and form.cleaned_data["regency"] == Regency.objects.get(code="62.13")


def test_labels_and_values_are_escaped(national, kalteng):
    Regency.objects.filter(code="62.13").update(name='Barito <b>"Timur"</b>')
    html = str(ReportRequestForm(user=national)["regency"])
    assert "Barito &lt;b&gt;&quot;Timur&quot;&lt;/b&gt;" in html and "<b>" not in html


def test_each_select_costs_one_query(national, kalteng, kalsel):
    form = ReportRequestForm(user=national)
    with CaptureQueriesContext(connection) as queries:
        str(form["regency"])
    assert len(queries) == 1


def test_the_form_keeps_crispys_markup_and_ties_each_error_to_its_field(client_as, kalteng):
    response = client_as("coordinator_kalteng").post(
        reverse("reports"),
        {"audience": "provincial", "province": "", "period_start": "2023-01-01", "period_end": "2023-12-31"},
    )
    html = response.content.decode()
    assert '<div id="div_id_province" class="mb-3">' in html  # report_scope.js shows and hides these
    assert re.search(
        r'<select name="province" aria-describedby="id_province_error" aria-invalid="true"'
        r' class="form-select is-invalid" id="id_province">',
        html,
    )
    assert '<div id="id_province_error" class="invalid-feedback"><p><strong>Pilih provinsi' in html
    assert re.search(r'<label for="id_language" class="form-label requiredField">Bahasa<span', html)
    assert 'name="period_start" value="2023-01-01" class="form-control" required' in html


def test_the_date_inputs_and_plain_selects_write_djangos_markup(national):
    """PlainDateInput and RegionSelect over plain choices give what Django's widget templates give."""
    from django import forms

    from reports.region_fields import PlainDateInput, RegionSelect

    attrs = {"class": "form-control is-invalid", "required": True, "aria-invalid": "true", "id": "id_d"}
    for value in (datetime.date(2023, 1, 31), None, '"><b>'):
        assert PlainDateInput().render("d", value, attrs) == forms.DateInput(attrs={"type": "date"}).render(
            "d", value, attrs
        )
    choices = [("id", "Bahasa Indonesia"), ("en", 'English <"b">')]
    plain = RegionSelect(choices=choices).render("language", "en", {"class": "form-select", "id": "id_language"})
    django = forms.Select(choices=choices).render("language", "en", {"class": "form-select", "id": "id_language"})
    assert re.sub(r">\s+<", "><", django) == plain
