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
    for feature in ("clinics", "documents", "nawasis", "planning"):
        assert libraries[feature] == f"milestones.templatetags.{feature}"
