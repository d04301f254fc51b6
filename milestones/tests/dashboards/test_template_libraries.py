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
def test_a_matrix_row_escapes_what_it_is_given_and_draws_without_a_query(django_assert_num_queries):
    from milestones.selectors.dashboards import Cell, FollowUpCell, MatrixRow
    from regencies.models import Regency

    late = Cell(
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
    row = MatrixRow(
        regency=Regency(code="62.13", name="Kabupaten <Barito> Timur"),
        cells=[Cell(number=1, key="62.13:1"), late],
        follow_ups=FollowUpCell(total="3", rate="67", rate_text="67%", overdue="1", overdue_text="1 lewat tenggat"),
        delivery="some",
        url="/kabkota/62.13/",
        cohort_label="angkatan 2022/2023",
    )
    template = Template("{% load dashboards %}{% matrix_row row url %}")
    with translation.override("id"), django_assert_num_queries(0):
        html = template.render(Context({"row": row, "url": "/provinsi/62/klinik/"}))
    assert html == (
        '<tr data-regency="62.13"><th scope="row" class="fw-normal"><a href="/kabkota/62.13/">Kabupaten &lt;Barito&gt; '
        'Timur</a><div class="small text-muted">62.13 · angkatan 2022/2023</div></th>'
        '<td class="text-muted text-center" data-cell="62.13:1">–</td>'
        '<td data-cell="62.13:2"><a href="/milestone/7/" class="cell status-submitted cell-match"><small>Diajukan'
        '</small><b>40%</b> <span class="late-flag" title="Direncanakan &lt;b&gt;&quot;1 Mei&quot;&lt;/b&gt;">'
        'Terlambat</span> <span class="badge rounded-pill text-bg-warning">1 perlu direviu</span></a></td>'
        '<td class="text-center small" data-follow-ups="62.13" data-total="3" data-rate="67" data-overdue="1">'
        '<a class="fw-semibold text-decoration-none" href="/provinsi/62/klinik/?regency=62.13">67%</a>'
        '<span class="late-flag d-block">1 lewat tenggat</span></td>'
        '<td class="text-center small" data-delivery-regency="62.13" data-delivered="some">'
        '<span class="badge text-bg-warning">Sebagian</span></td></tr>\n'
    )
