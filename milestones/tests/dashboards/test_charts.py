"""The SVG chart: a pure function (plain counts in, a standalone, escaped SVG string out), and the
province's chart served at /provinsi/<code>/grafik.svg."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from milestones.charts import STATUS_COLOURS, Series, milestone_status_chart, stacked_bar_chart
from milestones.models import Milestone
from milestones.tests import builders
from regencies.models import Province, Regency

SVG = "{http://www.w3.org/2000/svg}"
COUNTS = {1: {"verified": 9, "in_progress": 3}, 2: {"submitted": 7, "needs_revision": 2}, 4: {"not_started": 12}}


def texts(svg):
    return [element.text for element in ET.fromstring(svg).iter(f"{SVG}text")]


def test_it_is_a_standalone_svg():
    root = ET.fromstring(milestone_status_chart(COUNTS))
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox").startswith("0 0 640 ")
    assert root.get("width") == "640"
    assert float(root.get("height")) > 0


def test_it_draws_a_bar_for_each_milestone_with_its_counts_and_totals():
    found = texts(milestone_status_chart(COUNTS))
    assert {"M1", "M2", "M3", "M4"} <= set(found)
    assert {"9", "3", "12", "7", "2"} <= set(found)  # the parts, and the totals 12, 9, 0, 12
    assert "0" in found  # M3 has no regency: its total is 0


def test_each_part_carries_its_count_in_a_tooltip():
    with translation.override("en"):
        root = ET.fromstring(milestone_status_chart(COUNTS))
    tooltips = [title.text for title in root.iter(f"{SVG}title")]
    assert "M1 · Verified: 9" in tooltips
    assert "M2 · Needs revision: 2" in tooltips


def test_it_uses_the_status_colours_of_the_pages():
    svg = milestone_status_chart(COUNTS)
    for fill, _text in STATUS_COLOURS.values():
        assert f'fill="{fill}"' in svg


def test_the_legend_names_every_status():
    with translation.override("en"):
        found = texts(milestone_status_chart(COUNTS))
    assert {"Not started", "In progress", "Submitted", "Needs revision", "Verified"} <= set(found)


def test_it_escapes_every_text():
    svg = stacked_bar_chart(
        title="<script>alert(1)</script>",
        rows=[('M1 "&" <b>', {"a": 1})],
        series=[Series("a", "</text><script>x</script>", "#fff", "#000")],
    )
    assert "<script>" not in svg
    found = texts(svg)
    assert "<script>alert(1)</script>" in found  # parsed back to the original text
    assert 'M1 "&" <b>' in found


def test_it_says_so_when_no_regency_is_in_the_programme():
    with translation.override("en"):
        found = texts(milestone_status_chart({}))
    assert "No regency is in the programme yet." in found


def test_the_title_is_the_accessible_name():
    root = ET.fromstring(milestone_status_chart(COUNTS, title="Kalimantan Tengah", element_id="p"))
    assert root.get("aria-labelledby") == "p-title"
    assert root.find(f".//{SVG}text[@id='p-title']").text == "Kalimantan Tengah"


# --- /provinsi/<code>/grafik.svg --------------------------------------------------------------------


def chart_url(code="62"):
    return reverse("province_chart", args=[code])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("national", 200),
        ("pokja_kalteng", 200),
        ("balai_kalteng", 200),
        ("pokja_kalsel", 404),
        ("officer_bartim", 404),
        ("nobody", 404),
    ],
)
def test_the_province_chart_is_served_to_those_who_see_the_province(client_as, persona, status):
    assert client_as(persona).get(chart_url()).status_code == status


def test_the_province_chart_is_an_svg_document_with_the_province_counts(client_as, bartim, mura, officer_bartim):
    builders.submitted(builders.milestone(bartim, 2), officer_bartim)
    builders.cohort(mura, 2022)
    response = client_as("pokja_kalteng").get(chart_url())
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    tooltips = {title.text for title in root.iter(f"{SVG}title")}
    with translation.override("id"):
        submitted, not_started = str(Milestone.Status.SUBMITTED.label), str(Milestone.Status.NOT_STARTED.label)
    assert f"M2 · {submitted}: 1" in tooltips
    assert f"M2 · {not_started}: 1" in tooltips
    assert f"M1 · {not_started}: 2" in tooltips


def test_the_province_chart_escapes_the_province_name(client_as, national):
    province = Province.objects.create(code="99", name="<script>alert(1)</script>")
    Regency.objects.create(code="99.01", province=province, name="Kabupaten <b>", kind="kabupaten")
    response = client_as("national").get(chart_url("99"))
    assert b"<script>" not in response.content
    assert any("<script>alert(1)</script>" in (text or "") for text in texts(response.content))


def test_the_province_chart_costs_the_same_queries_for_2_or_6_regencies_in_the_programme(
    client_as, kalteng, officer_bartim, django_assert_num_queries
):
    regencies = list(Regency.objects.filter(province=kalteng).order_by("code"))
    client = client_as("pokja_kalteng")
    for regency in regencies[:2]:
        builders.submitted(builders.milestone(regency, 2), officer_bartim)
    client.get(chart_url())  # warm up
    # The user and the role, the province, the status counts.
    with django_assert_num_queries(4):
        small = client.get(chart_url())
    for regency in regencies[2:6]:
        builders.submitted(builders.milestone(regency, 2), officer_bartim)
    with django_assert_num_queries(4):
        bigger = client.get(chart_url())
    assert small.content != bigger.content
