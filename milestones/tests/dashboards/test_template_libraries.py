"""The milestones template libraries only format: they render without touching the database."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.backends.django import get_installed_libraries
from django.utils import translation

FILTERS = (
    "{% load clinics documents nawasis planning %}"
    "{{ 6|clinic_name }} | {{ 'done'|action_badge }} | {{ 'revise'|badge_class }} | "
    "{{ completeness|completeness }} | {{ share|share_bar_class }}"
)


@pytest.mark.django_db
def test_the_filters_render_without_a_query(django_assert_num_queries):
    template = Template(FILTERS)
    with translation.override("id"), django_assert_num_queries(0):
        html = template.render(Context({"completeness": Decimal("72.50"), "share": Decimal(79)}))
    assert html == "Coaching Clinic 6 (CC VI) | text-bg-success | text-bg-danger | 72,5% | bg-warning"


def test_each_library_is_named_by_its_feature():
    libraries = get_installed_libraries()
    for feature in ("clinics", "dashboards", "documents", "nawasis", "planning"):
        assert libraries[feature] == f"milestones.templatetags.{feature}"


@pytest.mark.django_db
def test_the_matrix_cell_escapes_and_marks_what_it_is_given(django_assert_num_queries):
    from milestones.selectors.dashboards import Cell

    cell = Cell(
        number=2,
        key="62.13:2",
        status="submitted",
        late=True,
        matches=True,
        url="/milestone/7/",
        label="Diajukan",
        progress="40%",
        late_title='Direncanakan <b>"1 Mei"</b>',
        pending="1 perlu direviu",
    )
    template = Template("{% load dashboards %}{% matrix_cell cell %}{% matrix_cell empty %}")
    with translation.override("id"), django_assert_num_queries(0):
        html = template.render(Context({"cell": cell, "empty": Cell(number=3, key="62.13:3")}))
    assert html == (
        '<td data-cell="62.13:2"><a href="/milestone/7/" class="cell status-submitted cell-match"><small>Diajukan'
        '</small><b>40%</b> <span class="late-flag" title="Direncanakan &lt;b&gt;&quot;1 Mei&quot;&lt;/b&gt;">'
        'Terlambat</span> <span class="badge rounded-pill text-bg-warning">1 perlu direviu</span></a></td>'
        '<td class="text-muted text-center" data-cell="62.13:3">–</td>'
    )
